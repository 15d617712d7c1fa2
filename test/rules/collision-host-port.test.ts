import { describe, expect, it } from 'vitest';
import rule from '../../rules/collision/host-port';
import { check, checkFixture, load, loadCompose, tempProject } from '../helpers';
import { catalogue } from '../../rules';
import { runRules } from '../../src/engine/run';

const R = rule as never;

function services(body: string): string {
  return `name: app\nservices:\n${body}`;
}

describe('collision/host-port', () => {
  it('is in the catalogue as an error', () => {
    expect(catalogue.some((r) => r.meta.id === 'collision/host-port')).toBe(true);
    expect(rule.meta.defaultSeverity).toBe('error');
  });

  it('hit fixture: every conflict once, at the later binding', () => {
    const f = checkFixture(R, 'rules/collision/host-port/hit');
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service])).toEqual([
      [11, 9, 'admin'],
      [15, 9, 'api'],
      [18, 9, 'api'],
      [23, 9, 'docs'],
      [30, 9, 'metrics'],
    ]);
    expect(f.every((x) => x.severity === 'error' && x.ruleId === 'collision/host-port')).toBe(true);

    const [admin, api8443, apiV6, docs, metrics] = f;
    expect(admin.message).toBe(
      '8080/tcp on 127.0.0.1 is already published by service web at compose.yaml:6:9 (on 0.0.0.0), so web and admin cannot both run; change the host port of one of them',
    );
    expect(admin.binding).toEqual({ hostIp: '127.0.0.1', hostPort: '8080', containerPort: 8080, protocol: 'tcp', count: 1 });
    expect(admin.related).toHaveLength(1);
    expect(admin.related![0].loc.line).toBe(6);

    expect(api8443.message).toContain('8443/tcp on 127.0.0.1 is already published by service web at compose.yaml:7:9, so web and api cannot both run');
    expect(api8443.binding).toEqual({ hostIp: '127.0.0.1', hostPort: '8443', containerPort: 3000, protocol: 'tcp', count: 1 });

    expect(apiV6.message).toContain('8080/tcp on [::1] is already published by service web at compose.yaml:6:9 (on [::])');

    expect(docs.message).toBe(
      '8000/tcp on 0.0.0.0 and [::] is already published by service docs at compose.yaml:22:9, so service docs cannot start; delete one of the two entries (Compose does not merge them)',
    );
    expect(docs.binding).toEqual({ hostIp: '', hostPort: '8000', containerPort: 80, protocol: 'tcp', count: 1 });

    expect(metrics.message).toBe(
      'every port of host range 9100-9101/tcp on 0.0.0.0 and [::] is taken by service metrics at compose.yaml:28:9 and 1 other entry, so service metrics cannot start; widen the range',
    );
    expect(metrics.binding).toEqual({ hostIp: '', hostPort: '9100-9101', containerPort: 9103, protocol: 'tcp', count: 1 });
    expect(metrics.related!.map((r) => r.loc.line)).toEqual([28, 29]);
  });

  it('miss fixture: near misses only', () => {
    expect(checkFixture(R, 'rules/collision/host-port/miss')).toEqual([]);
  });

  it.each([
    ['different specific addresses', '"127.0.0.1:8080:80"', '"127.0.0.2:8080:80"'],
    ['0.0.0.0 vs ::', '"0.0.0.0:8200:8200"', '"[::]:8200:8200"'],
    ['tcp vs udp', '"53:53/tcp"', '"53:53/udp"'],
    ['ephemeral host ports', '"80"', '"80"'],
    ['ephemeral with an address', '"127.0.0.1::80"', '"127.0.0.1::80"'],
    ['a range that still has a free port', '"8000-8001:80"', '"8000:81"'],
    ['IPv4 loopback vs IPv6 loopback', '"127.0.0.1:8080:80"', '"[::1]:8080:80"'],
  ])('no finding: %s', (_name, a, b) => {
    const r = loadCompose(services(`  a:\n    image: x\n    ports:\n      - ${a}\n  b:\n    image: x\n    ports:\n      - ${b}\n`));
    expect(check(R, r)).toEqual([]);
  });

  it.each([
    ['unspecified vs IPv6 loopback', '"8080:80"', '"[::1]:8080:80"', 'on [::1]'],
    ['unspecified vs ::', '"8080:80"', '"[::]:8080:81"', 'on [::]'],
    ['unspecified vs 0.0.0.0', '"8080:80"', '"0.0.0.0:8080:81"', 'on 0.0.0.0'],
    ['same loopback, other spelling', '"[::1]:8080:80"', '"[0:0::1]:8080:81"', 'on [::1]'],
    ['v4-mapped vs IPv4', '"[::ffff:127.0.0.1]:8080:80"', '"127.0.0.1:8080:81"', 'on 127.0.0.1'],
    ['udp vs udp', '"5353:5353/udp"', '"0.0.0.0:5353:53/udp"', '5353/udp on 0.0.0.0'],
  ])('finding: %s', (_name, a, b, text) => {
    const r = loadCompose(services(`  a:\n    image: x\n    ports:\n      - ${a}\n  b:\n    image: x\n    ports:\n      - ${b}\n`));
    const f = check(R, r);
    expect(f).toHaveLength(1);
    expect(f[0].service).toBe('b');
    expect(f[0].loc.line).toBe(10);
    expect(f[0].message).toContain(text);
    expect(f[0].message).toContain('already published by service a at compose.yaml:6:9');
    expect(f[0].message).toContain('so a and b cannot both run; change the host port of one of them');
  });

  it('within one service: the service cannot start', () => {
    const r = loadCompose(services('  web:\n    image: x\n    ports:\n      - "8080:80"\n      - "8080:443"\n'));
    const f = check(R, r);
    expect(f).toHaveLength(1);
    expect(f[0].loc.line).toBe(7);
    expect(f[0].message).toBe(
      '8080/tcp on 0.0.0.0 and [::] is already published by service web at compose.yaml:6:9, so service web cannot start; change the host port of one of them',
    );
  });

  it('a numeric published next to the same short-syntax mapping is a duplicate binding', () => {
    const r = loadCompose(services('  web:\n    image: x\n    ports:\n      - "8080:80"\n      - target: 80\n        published: 8080\n'));
    const f = check(R, r);
    expect(f).toHaveLength(1);
    expect(f[0].loc.line).toBe(7);
    expect(f[0].message).toContain('Compose does not merge them');
    // a string published is de-duplicated by Compose: one binding, nothing to report
    const s = loadCompose(services('  web:\n    image: x\n    ports:\n      - "8080:80"\n      - "8080:80"\n'));
    expect(s.projects[0].bindings).toHaveLength(1);
    expect(check(R, s)).toEqual([]);
  });

  it('one finding per later binding, naming the first earlier one and counting the others', () => {
    const r = loadCompose(
      services(
        '  a:\n    image: x\n    ports:\n      - "127.0.0.1:8080:80"\n' +
          '  b:\n    image: x\n    ports:\n      - "127.0.0.2:8080:80"\n' +
          '  c:\n    image: x\n    ports:\n      - "8080:80"\n',
      ),
    );
    const f = check(R, r);
    expect(f).toHaveLength(1);
    expect(f[0].service).toBe('c');
    expect(f[0].message).toContain('8080/tcp on 0.0.0.0 is already published by service a at compose.yaml:6:9 (on 127.0.0.1) and 1 other entry, so a and c cannot both run');
    expect(f[0].related!.map((x) => x.loc.line)).toEqual([6, 10]);
  });

  it('three bindings of one port: two findings, each at the later binding', () => {
    const r = loadCompose(services('  a:\n    image: x\n    ports:\n      - "9000:80"\n  b:\n    image: x\n    ports:\n      - "9000:80"\n  c:\n    image: x\n    ports:\n      - "9000:80"\n'));
    const f = check(R, r);
    expect(f.map((x) => [x.service, x.loc.line])).toEqual([
      ['b', 10],
      ['c', 14],
    ]);
    expect(f[1].message).toContain('9000/tcp on 0.0.0.0 and [::] is already published by service a at compose.yaml:6:9 and 1 other entry, so a and c cannot both run');
  });

  it('compares ranges as intervals: a container range against a single port and against another range', () => {
    const r = loadCompose(
      services(
        '  a:\n    image: x\n    ports:\n      - "8000-8004:8000-8004"\n' +
          '  b:\n    image: x\n    ports:\n      - "8003-8007:9003-9007"\n' +
          '  c:\n    image: x\n    ports:\n      - "127.0.0.1:8001:80"\n',
      ),
    );
    const f = check(R, r);
    expect(f.map((x) => [x.service, x.loc.line])).toEqual([
      ['b', 10],
      ['c', 14],
    ]);
    expect(f[0].message).toMatch(/^8003-8004\/tcp on 0\.0\.0\.0 and \[::\] is already published by service a/);
    expect(f[0].binding).toMatchObject({ hostPort: '8003-8007', containerPort: 9003, count: 5 });
    expect(f[1].message).toMatch(/^8001\/tcp on 127\.0\.0\.1 is already published by service a/);
  });

  it('reports runtime ranges that are exhausted, not those that still fit', () => {
    const two = loadCompose(services('  a:\n    image: x\n    ports:\n      - "8000-8001:80"\n      - "8000-8001:81"\n'));
    expect(check(R, two)).toEqual([]);
    const three = loadCompose(services('  a:\n    image: x\n    ports:\n      - "8000-8001:80"\n      - "8000-8001:81"\n  b:\n    image: x\n    ports:\n      - "8000-8001:82"\n'));
    const f = check(R, three);
    expect(f).toHaveLength(1);
    expect(f[0].service).toBe('b');
    expect(f[0].loc.line).toBe(11);
    expect(f[0].message).toContain('every port of host range 8000-8001/tcp on 0.0.0.0 and [::] is taken by service a at compose.yaml:6:9 and 1 other entry');
    expect(f[0].message).toContain('so service b cannot start');
    const fixedLater = loadCompose(services('  a:\n    image: x\n    ports:\n      - "8000-8001:80"\n  b:\n    image: x\n    ports:\n      - "8000:81"\n      - "8001:82"\n'));
    const g = check(R, fixedLater);
    expect(g.map((x) => [x.service, x.loc.line, x.binding!.hostPort])).toEqual([['a', 6, '8000-8001']]);
    expect(g[0].message).toContain('is taken by service b at compose.yaml:10:9 and 1 other entry, so service a cannot start');
    const otherAddress = loadCompose(services('  a:\n    image: x\n    ports:\n      - "127.0.0.1:8000-8001:80"\n      - "127.0.0.2:8000:81"\n      - "127.0.0.2:8001:82"\n'));
    expect(check(R, otherAddress)).toEqual([]);
  });

  it('services in inactive profiles publish nothing; active ones collide', () => {
    const compose = services(
      '  a:\n    image: x\n    profiles: [debug]\n    ports:\n      - "9229:9229"\n  b:\n    image: x\n    profiles: [inspect]\n    ports:\n      - "9229:9229"\n',
    );
    expect(check(R, loadCompose(compose))).toEqual([]);
    expect(check(R, loadCompose(compose, {}, { profiles: ['debug'] }))).toEqual([]);
    const both = check(R, loadCompose(compose, {}, { profiles: ['debug', 'inspect'] }));
    expect(both).toHaveLength(1);
    expect(both[0].service).toBe('b');
  });

  it('a service scaled to 0 or on the host network publishes nothing', () => {
    const scaled = services('  a:\n    image: x\n    ports:\n      - "8080:80"\n  b:\n    image: x\n    scale: 0\n    ports:\n      - "8080:80"\n');
    expect(check(R, loadCompose(scaled))).toEqual([]);
    const host = services('  a:\n    image: x\n    ports:\n      - "8080:80"\n  b:\n    image: x\n    network_mode: host\n    ports:\n      - "8080:80"\n');
    expect(check(R, loadCompose(host))).toEqual([]);
  });

  it('follows the network default address (host_binding_ipv4)', () => {
    const compose =
      services('  a:\n    image: x\n    ports:\n      - "8080:80"\n  b:\n    image: x\n    ports:\n      - "127.0.0.2:8080:80"\n      - "[::1]:8080:81"\n') +
      'networks:\n  default:\n    driver_opts:\n      com.docker.network.bridge.host_binding_ipv4: "127.0.0.1"\n';
    expect(check(R, loadCompose(compose))).toEqual([]);
  });

  it('checks the merged model: an override file and interpolated ports', () => {
    const r = loadCompose(services('  web:\n    image: x\n    ports:\n      - "${WEB_PORT:-8080}:80"\n'), {
      'compose.override.yaml': 'services:\n  api:\n    image: x\n    ports:\n      - "8080:3000"\n',
    });
    const f = check(R, r);
    expect(f).toHaveLength(1);
    expect(f[0].loc.file).toMatch(/compose\.override\.yaml$/);
    expect(f[0].loc.line).toBe(5);
    expect(f[0].message).toContain('8080/tcp on 0.0.0.0 and [::] is already published by service web at compose.yaml:6:9, so web and api cannot both run');
    const moved = loadCompose(services('  web:\n    image: x\n    ports:\n      - "${WEB_PORT:-8080}:80"\n'), {
      'compose.override.yaml': 'services:\n  api:\n    image: x\n    ports:\n      - "8080:3000"\n',
      '.env': 'WEB_PORT=8081\n',
    });
    expect(check(R, moved)).toEqual([]);
  });

  it('services that inherit a fixed port through extends: one finding per inheriting service', () => {
    const r = loadCompose(
      services('  web:\n    image: x\n    ports:\n      - "8080:80"\n  web2:\n    extends: web\n  web3:\n    extends: web\n    ports: !override\n      - "9090:80"\n  web4:\n    extends: web\n'),
    );
    const f = check(R, r);
    expect(f.map((x) => [x.service, x.loc.line])).toEqual([
      ['web2', 6],
      ['web4', 6],
    ]);
    expect(f[0].message).toBe(
      '8080/tcp on 0.0.0.0 and [::] (inherited by web2 via extends) is already published by service web at compose.yaml:6:9, so web and web2 cannot both run; give web2 its own ports with `ports: !override`',
    );
    expect(f[1].message).toContain('(inherited by web4 via extends) is already published by service web at compose.yaml:6:9 and 1 other entry, so web and web4 cannot both run');
    expect(f[1].related!.map((x) => x.message)).toEqual(['first published here by service web ("8080:80")', 'published here by service web2 ("8080:80")']);
  });

  it('only compares bindings of one project', () => {
    const dir = tempProject({
      'a/compose.yaml': 'services:\n  web:\n    image: x\n    ports:\n      - "8080:80"\n',
      'b/compose.yaml': 'services:\n  web:\n    image: x\n    ports:\n      - "8080:80"\n',
    });
    const r = load({ cwd: dir, paths: [dir] });
    expect(r.projects).toHaveLength(2);
    expect(check(R, r)).toEqual([]);
  });

  it('stays correct on a 50,001-port range (one run) next to many single ports', () => {
    const singles: string[] = [];
    for (let p = 5000; p < 6000; p++) singles.push(`      - "${p}:80"`); // below the range: fine
    for (let p = 20000; p < 21000; p++) singles.push(`      - "${p}:80"`); // inside: 1000 conflicts
    for (let p = 30000; p < 30100; p++) singles.push(`      - "127.0.0.1:${p}:81"`); // inside, loopback: 100 conflicts
    for (let p = 30100; p < 30200; p++) singles.push(`      - "${p}:82/udp"`); // other protocol: fine
    singles.push('      - "61000-61001:83"', '      - "61000-61001:84"'); // two ranges that fit
    const compose = services(
      '  big:\n    image: x\n    ports:\n      - "10000-60000:10000-60000"\n      - "50000:80"\n      - "10000-10009:81"\n' +
        '  singles:\n    image: x\n    ports:\n' +
        singles.join('\n') +
        '\n  late:\n    image: x\n    ports:\n      - "61000-61001:85"\n',
    );
    const r = loadCompose(compose);
    const project = r.projects[0];
    // The range is one binding standing for 50,001 Engine bindings.
    expect(project.bindings).toHaveLength(1 + 2 + 2200 + 2 + 1);
    expect(project.bindings[0]).toMatchObject({ hostPort: '10000-60000', containerPort: 10000, count: 50001 });
    const f = check(R, r);
    expect(f).toHaveLength(1 + 1 + 1000 + 100 + 1);

    // the single port right after the range item is the later one
    const at7 = f.filter((x) => x.loc.line === 7);
    expect(at7).toHaveLength(1);
    expect(at7[0].message).toContain('50000/tcp on 0.0.0.0 and [::] is already published by service big at compose.yaml:6:9, so service big cannot start');
    expect(f.filter((x) => x.loc.line === 6)).toEqual([]);

    const exhausted = f.filter((x) => x.message.startsWith('every port of host range'));
    expect(exhausted.map((x) => [x.service, x.binding!.hostPort, x.binding!.containerPort])).toEqual([
      ['big', '10000-10009', 81],
      ['late', '61000-61001', 85],
    ]);
    expect(exhausted[0].message).toContain('every port of host range 10000-10009/tcp on 0.0.0.0 and [::] is taken by service big at compose.yaml:6:9, so service big cannot start');

    const singlesFindings = f.filter((x) => x.service === 'singles');
    expect(singlesFindings).toHaveLength(1100);
    const ports = singlesFindings.map((x) => Number(x.binding!.hostPort)).sort((a, b) => a - b);
    expect(ports[0]).toBe(20000);
    expect(ports[999]).toBe(20999);
    expect(ports[1000]).toBe(30000);
    expect(ports[1099]).toBe(30099);
    const loop = singlesFindings.find((x) => x.binding!.hostPort === '30000')!;
    expect(loop.message).toContain('30000/tcp on 127.0.0.1 is already published by service big at compose.yaml:6:9 (on 0.0.0.0), so big and singles cannot both run');
  });

  describe('a host range whose first free port another address holds (Engine before 27.0)', () => {
    const live = (version: string) => ({ engine: { version } }) as never;

    it('hit: a warning naming both and the Engine versions affected', () => {
      const f = checkFixture(R, 'rules/collision/host-port-first-port/hit');
      expect(f.map((x) => [x.loc.line, x.service, x.severity])).toEqual([[11, 'admin', 'warning']]);
      expect(f[0].message).toBe(
        'host range 18600-18602/tcp on 127.0.0.1: Engine 20.10 to 26.x takes port 18600, the first free one on that address, but service web at compose.yaml:7:9 already holds 18600 on 0.0.0.0 and [::], and it does not try the next one: service admin fails to start with "address already in use" (Engine 27.0 and later move on to the next port); start the range above 18600, or publish both on the same address',
      );
      expect(f[0].related!.map((r) => r.loc.line)).toEqual([7]);
    });

    it('miss: the same address (the allocator knows the port), a range starting above the held port', () => {
      expect(checkFixture(R, 'rules/collision/host-port-first-port/miss')).toEqual([]);
    });

    it('with the Engine known (check --live): an error before 27.0, nothing from 27.0 on', () => {
      const dir = `${__dirname}/../../fixtures/rules/collision/host-port-first-port/hit`;
      const result = load({ cwd: dir, paths: [dir] });
      const run = (version: string) => runRules(result.projects, [R], { rules: {}, settings: { platform: 'all', rootless: false }, live: live(version) });
      const old = run('20.10.24+dfsg1');
      expect(old.map((x) => [x.severity, x.message.split(':')[1]])).toEqual([['error', ' Engine 20.10.24+dfsg1 (before 27.0) takes port 18600, the first free one on that address, but service web at compose.yaml']]);
      expect(run('27.0.1')).toEqual([]);
      expect(run('28.3.3')).toEqual([]);
    });
  });
});
