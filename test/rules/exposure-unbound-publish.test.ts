import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/exposure/unbound-publish';
import { check, checkFixture, FIXTURES, load, loadCompose } from '../helpers';
import { runRules, type Finding } from '../../src/engine/run';

const at = (fs: Finding[]) => fs.map((f) => `${f.loc.line}:${f.loc.column} ${f.service}`);

describe('exposure/unbound-publish: meta', () => {
  it('is a warning, fixable (--fix binds it to 127.0.0.1), with an allowedPorts option defaulting to []', () => {
    expect(rule.meta.id).toBe('exposure/unbound-publish');
    expect(rule.meta.defaultSeverity).toBe('warning');
    expect(rule.meta.fixable).toBe(true);
    expect(rule.meta.defaultOptions).toEqual({ allowedPorts: [], fixPublicPorts: false });
    expect(rule.meta.docs).toBe('docs/rules/exposure/unbound-publish.md');
  });
});

describe('exposure/unbound-publish: fixtures', () => {
  it('hit: short, bare, long without host_ip, and an unset host IP variable', () => {
    const fs = checkFixture(rule, 'rules/exposure/unbound-publish/hit');
    expect(at(fs)).toEqual(['6:9 web', '7:9 web', '11:9 api', '16:9 admin']);
    expect(fs.every((f) => f.ruleId === 'exposure/unbound-publish' && f.severity === 'warning')).toBe(true);

    expect(fs[0].binding).toEqual({ hostIp: '', hostPort: '8080', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(fs[0].message).toBe('publishes port 8080 on every interface (0.0.0.0 and ::); write "127.0.0.1:8080:80"');

    expect(fs[1].binding).toEqual({ hostIp: '', hostPort: '', containerPort: 9000, protocol: 'tcp', count: 1 });
    expect(fs[1].message).toContain('publishes a random port on every interface');
    expect(fs[1].message).toContain('"127.0.0.1::9000"');

    expect(fs[2].binding).toEqual({ hostIp: '', hostPort: '3000', containerPort: 3000, protocol: 'tcp', count: 1 });
    expect(fs[2].message).toBe('publishes port 3000 on every interface (0.0.0.0 and ::); add host_ip: 127.0.0.1');

    expect(fs[3].binding).toEqual({ hostIp: '', hostPort: '8081', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(fs[3].message).toContain('publishes port 8081 on every interface (0.0.0.0 and ::) because ADMIN_BIND is not set;');
    expect(fs[3].message).toContain('set ADMIN_BIND=127.0.0.1 in .env, or give it a default: ${ADMIN_BIND:-127.0.0.1}');
  });

  it('miss: loopback v4/v6, host_ip, a variable set in .env, a loopback network default, an inactive profile', () => {
    expect(checkFixture(rule, 'rules/exposure/unbound-publish/miss')).toEqual([]);
  });

  it('miss fixture, with the debug profile active: the profiled service is reported (the miss is not vacuous)', () => {
    const dir = join(FIXTURES, 'rules/exposure/unbound-publish/miss');
    const fs = check(rule, load({ cwd: dir, paths: [dir], profiles: ['debug'] }));
    expect(at(fs)).toEqual(['27:9 mailcatcher']);
  });
});

describe('exposure/unbound-publish: spellings of "no host IP"', () => {
  it('reports ":8080:80" and "[]:8080:80" (an empty IP field)', () => {
    const fs = check(rule, loadCompose('services:\n  a:\n    image: x\n    ports: [":8080:80", "[]:8081:80"]\n'));
    expect(fs.map((f) => f.binding?.hostPort)).toEqual(['8080', '8081']);
    expect(fs[0].message).toContain('write "127.0.0.1:8080:80"');
    expect(fs[1].message).toContain('write "127.0.0.1:8081:80"');
  });

  it('does not report loopback, a specific address, or an explicit wildcard (another rule)', () => {
    const r = loadCompose(
      'services:\n  a:\n    image: x\n    ports:\n' +
        '      - "127.0.0.1:8080:80"\n      - "[::1]:8081:80"\n      - "::1:8082:80"\n      - "192.168.1.10:8083:80"\n' +
        '      - "0.0.0.0:8084:80"\n      - "[::]:8085:80"\n',
    );
    expect(r.projects[0].bindings).toHaveLength(6);
    expect(check(rule, r)).toEqual([]);
  });

  it('names the unset variable when it emptied the host port (the binding becomes a random port)', () => {
    const fs = check(rule, loadCompose('services:\n  a:\n    image: x\n    ports: ["${PORT}:80"]\n'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('publishes a random port on every interface (0.0.0.0 and ::) because PORT is not set;');
    expect(fs[0].message).toContain('the host part comes from ${PORT}');
    expect(fs[0].message).not.toContain('${PORT:-127.0.0.1}');
  });

  it('a variable that is set but empty (${HOST_IP-127.0.0.1} with HOST_IP=) is reported without "not set"', () => {
    const fs = check(rule, loadCompose('services:\n  a:\n    image: x\n    ports: ["${HOST_IP-127.0.0.1}:8080:80"]\n', { '.env': 'HOST_IP=\n' }));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('publishes port 8080 on every interface (0.0.0.0 and ::); bind it to 127.0.0.1: the host IP comes from ${HOST_IP}');
    expect(fs[0].message).not.toContain('not set');
  });

  it('a variable that is set to 127.0.0.1 in the process environment is not reported', () => {
    const compose = 'services:\n  a:\n    image: x\n    ports: ["${HOST_IP}:8080:80"]\n';
    expect(check(rule, loadCompose(compose, {}, { env: { HOST_IP: '127.0.0.1' } }))).toEqual([]);
    expect(check(rule, loadCompose(compose))).toHaveLength(1);
  });
});

describe('exposure/unbound-publish: network host_binding_ipv4 (judged by listeners)', () => {
  const withDefault = (ip: string) =>
    loadCompose(
      'services:\n  a:\n    image: x\n    ports: ["8080:80"]\n' +
        `networks:\n  default:\n    driver_opts:\n      com.docker.network.bridge.host_binding_ipv4: "${ip}"\n`,
    );

  it('127.0.0.1 makes the binding loopback-only: not reported', () => {
    const r = withDefault('127.0.0.1');
    expect(r.projects[0].bindings[0].listeners.map((l) => l.address)).toEqual(['127.0.0.1']);
    expect(check(rule, r)).toEqual([]);
  });

  it('another loopback address (127.0.0.53) and ::1 are loopback too', () => {
    expect(check(rule, withDefault('127.0.0.53'))).toEqual([]);
    expect(check(rule, withDefault('::1'))).toEqual([]);
  });

  it('a specific non-loopback address is one interface, not every interface: not reported', () => {
    expect(check(rule, withDefault('192.168.1.10'))).toEqual([]);
  });

  it('0.0.0.0 means both families again: reported', () => {
    const fs = check(rule, withDefault('0.0.0.0'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('every interface (0.0.0.0 and ::)');
  });

  it(':: gives only the IPv6 wildcard: reported as every IPv6 interface', () => {
    const fs = check(rule, withDefault('::'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('every IPv6 interface (::)');
  });

  it('the default applies to the service on that network only', () => {
    const fs = check(
      rule,
      loadCompose(
        'services:\n  a:\n    image: x\n    networks: [lo]\n    ports: ["8080:80"]\n  b:\n    image: x\n    ports: ["8081:80"]\n' +
          'networks:\n  lo:\n    driver_opts:\n      com.docker.network.bridge.host_binding_ipv4: "127.0.0.1"\n',
      ),
    );
    expect(at(fs)).toEqual(['8:13 b']);
  });
});

describe('exposure/unbound-publish: services that publish nothing', () => {
  it('network_mode host or none, and inactive profiles, are not reported', () => {
    const compose =
      'services:\n  h:\n    image: x\n    network_mode: host\n    ports: ["8080:80"]\n' +
      '  n:\n    image: x\n    network_mode: none\n    ports: ["8081:80"]\n' +
      '  p:\n    image: x\n    profiles: [debug]\n    ports: ["8082:80"]\n';
    expect(check(rule, loadCompose(compose))).toEqual([]);
    expect(at(check(rule, loadCompose(compose, {}, { profiles: ['debug'] })))).toEqual(['13:13 p']);
  });
});

describe('exposure/unbound-publish: one finding per entry', () => {
  it('a range entry gives one finding naming its ports; a host range names the pick', () => {
    const fs = check(rule, loadCompose('services:\n  a:\n    image: x\n    ports: ["3000-3002:3000-3002", "8000-8010:80", "53:53/udp"]\n'));
    expect(fs).toHaveLength(3);
    expect(fs[0].message).toContain('publishes ports 3000-3002 on every interface');
    expect(fs[0].message).toContain('"127.0.0.1:3000-3002:3000-3002"');
    expect(fs[1].message).toContain('a port the Engine picks from 8000-8010');
    expect(fs[1].message).toContain('"127.0.0.1:8000-8010:80"');
    expect(fs[2].message).toContain('port 53/udp');
    expect(fs[2].message).toContain('"127.0.0.1:53:53/udp"');
  });
});

describe('exposure/unbound-publish: allowedPorts', () => {
  const compose =
    'services:\n  proxy:\n    image: x\n    ports:\n' +
    '      - "80:80"\n      - "443:443"\n      - "8000-8010:8080"\n      - "8000-8011:8081"\n      - "9000"\n      - "8080:80"\n';

  it('skips bindings whose host ports all fall in the set, keeps the rest', () => {
    const fs = check(rule, loadCompose(compose), { allowedPorts: [80, 443, '8000-8010'] });
    expect(at(fs)).toEqual(['8:9 proxy', '9:9 proxy', '10:9 proxy']);
  });

  it('without the option every entry is reported', () => {
    expect(check(rule, loadCompose(compose))).toHaveLength(6);
  });

  it('a range entry partly allowed keeps the other ports', () => {
    const fs = check(rule, loadCompose('services:\n  a:\n    image: x\n    ports: ["3000-3002:3000-3002"]\n'), { allowedPorts: [3001] });
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('publishes ports 3000, 3002 on every interface');
  });

  it('an entry that is not a port is a configuration error', () => {
    expect(() => check(rule, loadCompose(compose), { allowedPorts: ['http'] })).toThrow(/allowedPorts\[0\]: "http" is not a port/);
  });
});

describe('exposure/unbound-publish: ports that are public by design', () => {
  const fixture = 'rules/exposure/unbound-publish/public-by-design';

  it('mail, DNS, HTTP(S) and VPN ports are a note that says so, with no fix; other ports of the same services stay warnings with a fix', () => {
    const fs = checkFixture(rule, fixture);
    expect(fs.map((f) => `${f.loc.line} ${f.severity} ${f.fix ? 'fix' : '-'}`)).toEqual([
      '7 info -', '8 info -', '9 info -', '10 warning fix', '14 info -', '15 info -', '16 info -', '20 info -', '25 info -', '26 warning fix',
    ]);
    expect(fs[1].message).toBe(
      'publishes port 443 on every interface (0.0.0.0 and ::); HTTPS is meant to be public on a web server or reverse proxy: if that is what this is, ' +
        'list 443 in allowedPorts (or an allow entry) to say so; to keep it private, write "127.0.0.1:443:443"',
    );
    expect(fs[4].message).toContain('SMTP is meant to be public on a mail server');
    expect(fs[7].message).toContain('DNS is meant to be public on a DNS server');
    expect(fs[8].message).toContain('WireGuard is meant to be public on a VPN');
  });

  it('fixPublicPorts: true lets --fix bind them to loopback too; allowedPorts silences them', () => {
    const fixed = check(rule, load({ cwd: join(FIXTURES, fixture), paths: [join(FIXTURES, fixture)] }), { fixPublicPorts: true });
    expect(fixed.filter((f) => f.fix)).toHaveLength(10);
    const allowed = check(rule, load({ cwd: join(FIXTURES, fixture), paths: [join(FIXTURES, fixture)] }), { allowedPorts: [25, 53, 80, 443, 587, 993, 51820] });
    // allowedPorts takes no protocol: 51820 covers the tcp entry too; the dashboard stays.
    expect(allowed.map((f) => f.loc.line)).toEqual([10]);
  });

  it('a user-set severity wins over the note', () => {
    const r = loadCompose('services:\n  web:\n    image: nginx\n    ports: ["443:443"]\n');
    const fs = runRules(r.projects, [rule], { rules: { 'exposure/unbound-publish': { severity: 'error', options: {} } }, settings: { platform: 'linux', rootless: false } } as never);
    expect(fs.map((f) => f.severity)).toEqual(['error']);
  });
});
