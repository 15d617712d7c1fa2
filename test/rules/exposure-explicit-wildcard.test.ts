import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/exposure/explicit-wildcard';
import { check, checkFixture, FIXTURES, load, loadCompose } from '../helpers';
import type { Finding } from '../../src/engine/run';

const at = (fs: Finding[]) => fs.map((f) => `${f.loc.line}:${f.loc.column} ${f.service}`);
const one = (ports: string) => loadCompose(`services:\n  a:\n    image: x\n    ports: [${ports}]\n`);

describe('exposure/explicit-wildcard: meta', () => {
  it('is a warning with allowedPorts defaulting to []', () => {
    expect(rule.meta.id).toBe('exposure/explicit-wildcard');
    expect(rule.meta.defaultSeverity).toBe('warning');
    expect(rule.meta.fixable).toBe(false);
    expect(rule.meta.defaultOptions).toEqual({ allowedPorts: [] });
  });
});

describe('exposure/explicit-wildcard: fixtures', () => {
  it('hit: 0.0.0.0, [::], long host_ip "::" (at host_ip) and ::ffff:0.0.0.0', () => {
    const fs = checkFixture(rule, 'rules/exposure/explicit-wildcard/hit');
    expect(at(fs)).toEqual(['6:9 proxy', '7:9 proxy', '8:9 proxy', '14:18 grafana', '18:9 mqtt']);
    expect(fs.every((f) => f.ruleId === 'exposure/explicit-wildcard')).toBe(true);
    // The proxy's 80 and 443 are public by design: a note that says so; the others are warnings.
    expect(fs.map((f) => f.severity)).toEqual(['info', 'info', 'info', 'warning', 'warning']);
    expect(fs[0].message).toContain('HTTP is meant to be public on a web server or reverse proxy');

    expect(fs[0].binding).toEqual({ hostIp: '0.0.0.0', hostPort: '80', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(fs[0].message).toBe(
      'host IP "0.0.0.0" publishes port 80 on every IPv4 interface (0.0.0.0); HTTP is meant to be public on a web server or reverse proxy: ' +
        'if that is what this is, list 80 in allowedPorts (or an allow entry) to say so; to keep it private, write "127.0.0.1:80:80"',
    );

    expect(fs[2].binding).toEqual({ hostIp: '::', hostPort: '443', containerPort: 443, protocol: 'tcp', count: 1 });
    expect(fs[2].message).toContain('every IPv6 interface (::)');
    expect(fs[2].message).toContain('write "[::1]:443:443"');

    expect(fs[3].binding).toEqual({ hostIp: '::', hostPort: '3000', containerPort: 3000, protocol: 'tcp', count: 1 });
    expect(fs[3].message).toContain('set host_ip: "::1"');

    expect(fs[4].message).toContain('host IP "::ffff:0.0.0.0" publishes port 1883 on every IPv4 interface (0.0.0.0)');
  });

  it('hit with allowedPorts [80, 443]: the reverse proxy is skipped, the rest stays', () => {
    const fs = checkFixture(rule, 'rules/exposure/explicit-wildcard/hit', { allowedPorts: [80, 443] });
    expect(at(fs)).toEqual(['14:18 grafana', '18:9 mqtt']);
  });

  it('miss: loopback, specific addresses, an inactive profile', () => {
    expect(checkFixture(rule, 'rules/exposure/explicit-wildcard/miss')).toEqual([]);
    const dir = join(FIXTURES, 'rules/exposure/explicit-wildcard/miss');
    expect(at(check(rule, load({ cwd: dir, paths: [dir], profiles: ['debug'] })))).toEqual(['22:9 debug']);
  });
});

describe('exposure/explicit-wildcard: every spelling of the unspecified address', () => {
  it.each([
    ['"0:0:0:0:0:0:0:0:8080:80"', '0:0:0:0:0:0:0:0', 'every IPv6 interface'],
    ['"[::0]:8080:80"', '::0', 'every IPv6 interface'],
    ['"[0:0:0:0:0:0:0:0]:8080:80"', '0:0:0:0:0:0:0:0', 'every IPv6 interface'],
    ['"::::80"', '::', 'every IPv6 interface'],
    ['"[::ffff:0.0.0.0]:8080:80"', '::ffff:0.0.0.0', 'every IPv4 interface'],
    ['"::ffff:0:0:8080:80"', '::ffff:0:0', 'every IPv4 interface'],
  ])('%s is reported', (spec, hostIp, where) => {
    const fs = check(rule, one(spec));
    expect(fs).toHaveLength(1);
    expect(fs[0].binding?.hostIp).toBe(hostIp);
    expect(fs[0].message).toContain(where);
  });

  it('long syntax host_ip 0.0.0.0 and ::ffff:0.0.0.0 are reported at host_ip', () => {
    const fs = check(
      rule,
      loadCompose(
        'services:\n  a:\n    image: x\n    ports:\n' +
          '      - target: 80\n        published: 8080\n        host_ip: 0.0.0.0\n' +
          '      - target: 81\n        host_ip: "::ffff:0.0.0.0"\n',
      ),
    );
    expect(fs.map((f) => `${f.loc.line}:${f.loc.column}`)).toEqual(['7:18', '9:18']);
    expect(fs[0].message).toContain('set host_ip: 127.0.0.1');
    expect(fs[1].message).toContain('publishes a random port on every IPv4 interface');
    // allowedPorts cannot cover a random host port, so it is not suggested
    expect(fs[1].message).not.toContain('allowedPorts');
  });

  it.each([['"8080:80"'], ['"127.0.0.1:8080:80"'], ['"[::1]:8080:80"'], ['"0.0.0.1:8080:80"'], ['"[::ffff:127.0.0.1]:8080:80"'], ['"10.0.0.2:8080:80"']])(
    '%s is not reported',
    (spec) => {
      const r = one(spec);
      expect(r.projects[0].bindings).toHaveLength(1);
      expect(check(rule, r)).toEqual([]);
    },
  );

  it('an explicit wildcard wins over a loopback network default, so it is still reported', () => {
    const r = loadCompose(
      'services:\n  a:\n    image: x\n    ports: ["0.0.0.0:8080:80"]\n' +
        'networks:\n  default:\n    driver_opts:\n      com.docker.network.bridge.host_binding_ipv4: "127.0.0.1"\n',
    );
    expect(check(rule, r)).toHaveLength(1);
  });

  it('a wildcard that comes from a variable default names the variable', () => {
    const fs = check(rule, one('"${BIND:-0.0.0.0}:8080:80"'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('host IP "0.0.0.0" (from BIND) publishes port 8080 on every IPv4 interface (0.0.0.0)');
    expect(fs[0].message).toContain('set BIND to a specific address such as 127.0.0.1');
    // only the variable that stands in the host IP is named
    const two = check(rule, one('"${BIND:-0.0.0.0}:${PORT:-8080}:80"'));
    expect(two[0].message).toContain('(from BIND) publishes');
    expect(two[0].message).not.toContain('PORT');
    expect(check(rule, loadCompose('services:\n  a:\n    image: x\n    ports: ["${BIND:-0.0.0.0}:8080:80"]\n', {}, { env: { BIND: '127.0.0.1' } }))).toEqual([]);
  });
});

describe('exposure/explicit-wildcard: allowedPorts', () => {
  it('ranges and host ranges: allowed only when every host port is in the set', () => {
    const r = one('"0.0.0.0:8000-8010:80", "0.0.0.0:8000-8020:81", "0.0.0.0::82", "0.0.0.0:443:443/udp"');
    expect(check(rule, r)).toHaveLength(4);
    const fs = check(rule, r, { allowedPorts: ['8000-8010', 443] });
    expect(fs.map((f) => f.binding?.containerPort)).toEqual([81, 82]);
  });

  it('an invalid entry is a configuration error', () => {
    expect(() => check(rule, one('"0.0.0.0:80:80"'), { allowedPorts: [80, '90-80'] })).toThrow(/allowedPorts\[1\]/);
  });
});
