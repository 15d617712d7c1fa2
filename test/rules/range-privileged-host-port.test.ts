import { describe, expect, it } from 'vitest';
import rule from '../../rules/range/privileged-host-port';
import { check, checkFixture, loadCompose } from '../helpers';
import { runRules } from '../../src/engine/run';
import type { Rule } from '../../src/engine/rule';

const r = rule as unknown as Rule<never>;

function compose(ports: string): string {
  return `services:\n  web:\n    image: nginx\n    ports:\n${ports}`;
}

describe('range/privileged-host-port', () => {
  it('reports host ports below 1024, short and long syntax, loopback and ranges', () => {
    const findings = checkFixture(r, 'rules/range/privileged-host-port/hit');
    expect(findings.map((f) => [f.loc.line, f.loc.column, f.service, f.severity])).toEqual([
      [6, 9, 'directory', 'info'],
      [7, 9, 'directory', 'info'],
      [11, 9, 'mail', 'info'],
      [16, 9, 'legacy', 'info'],
    ]);
    expect(findings[0].message).toBe(
      'host port 389 on 0.0.0.0 and [::] is below 1024: rootful Docker publishes it, rootless Docker and Podman refuse it; to run rootless, use a port such as 8389',
    );
    expect(findings[0].binding).toEqual({ hostIp: '', hostPort: '389', containerPort: 389, protocol: 'tcp', count: 1 });
    expect(findings[1].message).toContain('host port 636 on 127.0.0.1 is below 1024');
    expect(findings[2].message).toContain('host port 25 on 0.0.0.0 and [::]');
    expect(findings[3].message).toBe(
      'host ports 1000-1023 of 1000-1030 on 0.0.0.0 and [::] are below 1024: rootful Docker publishes them, rootless Docker and Podman refuse them; to run rootless, use host ports of 1024 or more',
    );
  });

  it('does not report 1024, container-side ports, engine-chosen host ports, or 80 and 443 (tcp and udp) when not rootless', () => {
    expect(checkFixture(r, 'rules/range/privileged-host-port/miss')).toEqual([]);
  });

  it('rootless, 80 and 443 (tcp and udp) are reported like any privileged port', () => {
    const findings = checkFixture(r, 'rules/range/privileged-host-port/miss', {}, { rootless: true });
    expect(findings.map((f) => [f.loc.line, f.severity, f.binding?.hostPort, f.binding?.protocol])).toEqual([
      [10, 'error', '80', 'tcp'],
      [11, 'error', '443', 'tcp'],
      [13, 'error', '443', 'udp'],
    ]);
    expect(findings[0].message).toBe(
      'host port 80 on 0.0.0.0 and [::] is below 1024, so rootless Docker and Podman refuse to publish it and the container will not start; use a port such as 8080',
    );
    expect(checkFixture(r, 'rules/range/privileged-host-port/miss', { rootless: true })).toHaveLength(3);
  });

  it('a range over 80 or 443 names its other privileged ports only, unless rootless', () => {
    const text = compose('      - "79-81:79-81"\n      - "443-444:443-444/udp"\n');
    const f = check(r, loadCompose(text));
    expect(f.map((x) => x.message.split(' on ')[0])).toEqual(['host ports 79 and 81 of 79-81', 'host port 444 of 443-444']);
    const rootless = check(r, loadCompose(text), { rootless: true });
    expect(rootless.map((x) => x.message.split(' on ')[0])).toEqual(['host ports 79-81', 'host ports 443-444']);
  });

  it('quietPorts replaces the default list: [] reports 80, a range keeps its ports quiet', () => {
    const text = compose('      - "80:80"\n      - "21:21"\n      - "20:20"\n');
    expect(check(r, loadCompose(text)).map((x) => x.binding?.hostPort)).toEqual(['21', '20']);
    expect(check(r, loadCompose(text), { quietPorts: [] }).map((x) => x.binding?.hostPort)).toEqual(['80', '21', '20']);
    expect(check(r, loadCompose(text), { quietPorts: ['20-21'] }).map((x) => x.binding?.hostPort)).toEqual(['80']);
    expect(() => check(r, loadCompose(text), { quietPorts: ['http'] })).toThrow('option quietPorts[0]: "http" is not a port');
  });

  it('treats 1023 as privileged and 1024 as not (no off-by-one)', () => {
    const f = check(r, loadCompose(compose('      - "1023:80"\n      - "1024:80"\n      - "1024-1100:80"\n')));
    expect(f).toHaveLength(1);
    expect(f[0].loc.line).toBe(5);
    expect(f[0].message).toMatch(/^host port 1023 /);
  });

  it('reports an expanded range once per entry, naming the privileged part', () => {
    const f = check(r, loadCompose(compose('      - "1020-1030:1020-1030"\n')));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('host ports 1020-1023 of 1020-1030');
  });

  it('reports IPv6 host addresses too', () => {
    const f = check(r, loadCompose(compose('      - "[::1]:873:873"\n')));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('host port 873 on [::1] is below 1024');
  });

  it('ignores services that publish nothing (disabled profile, host network)', () => {
    const text = `services:\n  a:\n    image: x\n    profiles: [debug]\n    ports: ["21:21"]\n  b:\n    image: x\n    network_mode: host\n    ports: ["81:81"]\n`;
    expect(check(r, loadCompose(text))).toEqual([]);
  });

  it('rootless option: says the container will not start and reports an error', () => {
    const f = check(r, loadCompose(compose('      - "80:80"\n')), { rootless: true });
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toBe(
      'host port 80 on 0.0.0.0 and [::] is below 1024, so rootless Docker and Podman refuse to publish it and the container will not start; use a port such as 8080',
    );
  });

  it('settings.rootless has the same effect as the option', () => {
    const f = check(r, loadCompose(compose('      - "80:80"\n')), {}, { rootless: true });
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toContain('will not start');
  });

  it('without rootless the finding keeps the default info severity and says rootful Docker publishes it', () => {
    const f = check(r, loadCompose(compose('      - "21:21"\n')));
    expect(f[0].severity).toBe('info');
    expect(f[0].message).toContain('rootful Docker publishes it');
  });

  it('a severity the user sets wins over the rootless error', () => {
    const result = loadCompose(compose('      - "80:80"\n'));
    const f = runRules(result.projects, [r], { rules: { [rule.meta.id]: { severity: 'warning' } }, settings: { platform: 'all', rootless: true } });
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('warning');
  });
});
