import { describe, expect, it } from 'vitest';
import rule, { variableParts } from '../../rules/syntax/unresolved-variable';
import unbound from '../../rules/exposure/unbound-publish';
import { check, checkFixture, loadCompose } from '../helpers';
import type { Rule } from '../../src/engine/rule';
import type { PortItem } from '../../src/model/types';

const r = rule as unknown as Rule<never>;

function ports(...entries: string[]): string {
  return `services:\n  api:\n    image: x\n    ports:\n${entries.map((e) => `      - "${e}"\n`).join('')}`;
}

describe('syntax/unresolved-variable', () => {
  it('reports unset variables with their consequence', () => {
    const f = checkFixture(r, 'rules/syntax/unresolved-variable/hit');
    // Line 6 (an unset BIND_IP, so every interface) is exposure/unbound-publish's: see below.
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service, x.severity])).toEqual([
      [7, 9, 'api', 'warning'],
      [11, 9, 'admin', 'warning'],
    ]);
    expect(f[0].message).toBe(
      'METRICS_PORT is not set and has no default, so Docker publishes container port 9090 on a random host port; set it or use ${METRICS_PORT:-9090}',
    );
    expect(f[0].binding).toEqual({ hostIp: '', hostPort: '', containerPort: 9090, protocol: 'tcp', count: 1 });
    expect(f[1].message).toContain('ADMIN_PORT is not set');
    expect(f[1].message).toContain('random host port');
  });

  it('an unset host IP that publishes on every interface is one finding, exposure/unbound-publish naming the variable', () => {
    const result = loadCompose(ports('${BIND_IP}:8080:80'));
    expect(check(r, result)).toEqual([]);
    const exposure = check(unbound as unknown as Rule<never>, result);
    expect(exposure.map((x) => x.message)).toEqual([
      'publishes port 8080 on every interface (0.0.0.0 and ::) because BIND_IP is not set; bind it to 127.0.0.1: the host IP comes from ${BIND_IP}; set BIND_IP=127.0.0.1 in .env, or give it a default: ${BIND_IP:-127.0.0.1}',
    ]);
    // With a network default address, the empty host IP is no exposure: this rule says what it becomes.
    const net = loadCompose(`${ports('${BIND_IP}:8080:80')}networks:\n  default:\n    driver_opts:\n      com.docker.network.bridge.host_binding_ipv4: 127.0.0.1\n`);
    expect(check(r, net).map((x) => x.message)).toEqual(["BIND_IP is not set and has no default, so Docker publishes host port 8080 on the network's default address (127.0.0.1); set it or use ${BIND_IP:-127.0.0.1}"]);
  });

  it('does not report a variable set in .env, one with a default, or a disabled service', () => {
    expect(checkFixture(r, 'rules/syntax/unresolved-variable/miss')).toEqual([]);
  });

  it('the same file reports METRICS_PORT once .env is gone', () => {
    expect(check(r, loadCompose(ports('${METRICS_PORT}:9090')))).toHaveLength(1);
    expect(check(r, loadCompose(ports('${METRICS_PORT}:9090'), { '.env': 'METRICS_PORT=9090\n' }))).toEqual([]);
  });

  it('does not report ${X-} (an empty default) nor ${X:-...}', () => {
    expect(check(r, loadCompose(ports('${X-}:8080:80', '${Y:-8081}:80')))).toEqual([]);
  });

  it('reports partial replacements with what the field becomes', () => {
    const f = check(r, loadCompose(ports('127.0.0.1:${P}8080:80/${PROTO}', '127.0.0.1:9000:90${C}')));
    expect(f).toHaveLength(2);
    expect(f[0].message).toBe(
      'P and PROTO are not set and have no default, so the host port becomes 8080 and the protocol falls back to tcp; set them or use ${P:-80} and ${PROTO:-tcp}',
    );
    expect(f[1].message).toContain('C is not set and has no default, so the container port becomes 90');
  });

  it('reports once per entry, also for an expanded range', () => {
    const f = check(r, loadCompose(ports('127.0.0.1:${P}8000-8002:8000-8002')));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('the host port becomes 8000-8002');
  });

  it('reports an unset variable inside a used default', () => {
    const f = check(r, loadCompose(ports('${A:-${B}}:81')));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('B is not set');
    expect(f[0].message).toContain('random host port');
  });

  it('long syntax: a published variable; mode and name do not change the binding', () => {
    const text = 'services:\n  api:\n    image: x\n    ports:\n      - target: 80\n        published: "${PUB}"\n        name: ${NAME}\n      - target: 81\n        published: "8081"\n        mode: ${MODE}\n';
    const f = check(r, loadCompose(text));
    expect(f).toHaveLength(1);
    expect(f[0].loc.line).toBe(5);
    expect(f[0].message).toMatch(/^PUB is not set/);
    expect(f[0].message).not.toContain('NAME');
  });

  it('long syntax: a partly unset host_ip points at host_ip', () => {
    const text = 'services:\n  api:\n    image: x\n    ports:\n      - target: 80\n        published: "8080"\n        host_ip: "${NET}127.0.0.1"\n';
    const f = check(r, loadCompose(text));
    expect(f).toHaveLength(1);
    expect([f[0].loc.line, f[0].loc.column]).toEqual([7, 18]);
    expect(f[0].message).toContain('NET is not set and has no default, so the host IP becomes 127.0.0.1');
  });

  it('ignores services that publish nothing: disabled, host network', () => {
    const text = 'services:\n  a:\n    image: x\n    profiles: [x]\n    ports: ["${A}:80"]\n  b:\n    image: x\n    network_mode: host\n    ports: ["${B}:80"]\n';
    expect(check(r, loadCompose(text))).toEqual([]);
  });

  it('places variables in the parts Compose cuts the entry into', () => {
    const item = (raw: string, syntax: 'short' | 'long' = 'short') => ({ raw, syntax }) as PortItem;
    const parts = (raw: string, syntax?: 'short' | 'long') => Object.fromEntries(variableParts(item(raw, syntax)));
    expect(parts('"${IP}:${HP}:${CP}/${PR}"')).toEqual({ IP: ['host_ip'], HP: ['published'], CP: ['target'], PR: ['protocol'] });
    expect(parts('"${HP}:80"')).toEqual({ HP: ['published'] });
    expect(parts('"$CP"')).toEqual({ CP: ['target'] });
    expect(parts('"[::1]:${HP}:80"')).toEqual({ HP: ['published'] });
    expect(parts('"${IP:-127.0.0.1}:8080:80"')).toEqual({ IP: ['host_ip'] });
    expect(parts('"$${NOT}:${HP}:80"')).toEqual({ HP: ['published'] });
    expect(parts('target: 80\n  published: ${P}\n  host_ip: ${name}\n', 'long')).toEqual({ P: ['published'], name: ['host_ip'] });
    expect(parts('{target: 80, published: "${P:-${Q}}"}', 'long')).toEqual({ P: ['published'], Q: ['published'] });
  });
});
