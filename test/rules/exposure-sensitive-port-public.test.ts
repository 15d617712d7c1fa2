import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule, { DEFAULT_SENSITIVE_IMAGES, DEFAULT_SENSITIVE_PORTS } from '../../rules/exposure/sensitive-port-public';
import unbound from '../../rules/exposure/unbound-publish';
import { check, checkFixture, FIXTURES, load, loadCompose } from '../helpers';
import { runRules, type Finding } from '../../src/engine/run';
import { imageRepository, repositoryMatcher } from '../../src/model/image-ref';

const at = (fs: Finding[]) => fs.map((f) => `${f.loc.line}:${f.loc.column} ${f.service}`);
const one = (ports: string) => loadCompose(`services:\n  db:\n    image: x\n    ports: [${ports}]\n`);

describe('exposure/sensitive-port-public: meta', () => {
  it('is an error; the default list is the documented one', () => {
    expect(rule.meta.id).toBe('exposure/sensitive-port-public');
    expect(rule.meta.defaultSeverity).toBe('error');
    expect(rule.meta.fixable).toBe(false);
    expect(DEFAULT_SENSITIVE_PORTS.map((p) => p.port)).toEqual([22, 23, 1099, 1433, 2345, 2375, 2376, 2379, 3306, 4434, 5432, 5678, 5984, 6060, 6379, 8086, 9200, 9229, 9300, 11211, 27017, 40000]);
    expect(DEFAULT_SENSITIVE_PORTS.every((p) => p.name && p.reason)).toBe(true);
    expect(rule.meta.defaultOptions).toEqual({ ports: DEFAULT_SENSITIVE_PORTS, additionalPorts: [], images: DEFAULT_SENSITIVE_IMAGES, additionalImages: [] });
  });
});

describe('exposure/sensitive-port-public: fixtures', () => {
  it('hit: unbound, 0.0.0.0, a LAN host_ip, and a random host port', () => {
    const fs = checkFixture(rule, 'rules/exposure/sensitive-port-public/hit');
    expect(at(fs)).toEqual(['6:9 db', '10:9 cache', '14:9 search', '20:9 mongo']);
    expect(fs.every((f) => f.ruleId === 'exposure/sensitive-port-public' && f.severity === 'error')).toBe(true);

    expect(fs[0].binding).toEqual({ hostIp: '', hostPort: '5432', containerPort: 5432, protocol: 'tcp', count: 1 });
    expect(fs[0].message).toContain('publishes PostgreSQL (5432) as port 5432 on every interface (0.0.0.0 and ::)');
    expect(fs[0].message).toContain('write "127.0.0.1:5432:5432"');
    expect(fs[0].message).toContain('or drop the mapping (containers still reach db:5432)');

    expect(fs[1].message).toContain('publishes Redis (6379) as port 6379 on every IPv4 interface (0.0.0.0)');

    expect(fs[2].binding).toEqual({ hostIp: '192.168.1.20', hostPort: '19200', containerPort: 9200, protocol: 'tcp', count: 1 });
    expect(fs[2].message).toContain('publishes Elasticsearch (9200) as port 19200 on 192.168.1.20');
    // It has a host_ip: the advice is to change it, in the words of exposure/explicit-wildcard for a wildcard.
    expect(fs[2].message).toContain('set host_ip: 127.0.0.1');

    expect(fs[3].message).toContain('publishes MongoDB (27017) as a random port on every interface');
    expect(fs[3].message).toContain('"127.0.0.1::27017"');
  });

  it('miss: loopback v4/v6, a loopback network default, a non-sensitive port, expose only, an inactive profile', () => {
    expect(checkFixture(rule, 'rules/exposure/sensitive-port-public/miss')).toEqual([]);
  });

  it('miss fixture with the debug profile: 2223:22 is SSH, 2222:2222 is not', () => {
    const dir = join(FIXTURES, 'rules/exposure/sensitive-port-public/miss');
    const fs = check(rule, load({ cwd: dir, paths: [dir], profiles: ['debug'] }));
    expect(at(fs)).toEqual(['29:9 sshd']);
    expect(fs[0].message).toContain('SSH (22) as port 2223');
  });
});

describe('exposure/sensitive-port-public: matching', () => {
  it('matches the container port whatever the host port', () => {
    const fs = check(rule, one('"15432:5432"'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('PostgreSQL (5432) as port 15432');
  });

  it('matches the host port whatever the container port', () => {
    const fs = check(rule, one('"3306:8080"'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('MySQL/MariaDB (3306) as port 3306');
  });

  it('a host range that covers sensitive ports counts, naming each', () => {
    const fs = check(rule, one('"5000-6000:80"'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('PostgreSQL (5432), debugpy (5678) and CouchDB (5984) as a port the Engine picks from 5000-6000');
  });

  it('a wide host range names the first three sensitive ports and counts the rest', () => {
    const fs = check(rule, one('"1-30000:80"'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('publishes SSH (22), Telnet (23), Java RMI/JMX (1099) and 18 other sensitive ports as a port the Engine picks from 1-30000');
  });

  it('a container range gives one finding per entry, naming every sensitive port in it', () => {
    const fs = check(rule, one('"9200-9300:9200-9300"'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('Elasticsearch (9200), Node.js inspector (9229) and Elasticsearch transport (9300)');
  });

  it('matches any protocol (memcached over udp)', () => {
    const fs = check(rule, one('"11211:11211/udp"'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('memcached (11211) as port 11211/udp');
  });

  it('non-sensitive ports are not reported', () => {
    const r = one('"8080:80", "2222:2222", "5433:5433", "27018:27018"');
    expect(r.projects[0].bindings).toHaveLength(4);
    expect(check(rule, r)).toEqual([]);
  });
});

describe('exposure/sensitive-port-public: reachability (judged by listeners)', () => {
  it.each([['"127.0.0.1:5432:5432"'], ['"127.0.0.2:5432:5432"'], ['"[::1]:5432:5432"'], ['"::ffff:127.0.0.1:5432:5432"']])('%s is loopback only: not reported', (spec) => {
    const r = one(spec);
    expect(r.projects[0].bindings).toHaveLength(1);
    expect(check(rule, r)).toEqual([]);
  });

  it('"[::]:5432:5432" is reported on every IPv6 interface', () => {
    const fs = check(rule, one('"[::]:5432:5432"'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('on every IPv6 interface (::)');
    // The loopback address of the same family, as exposure/explicit-wildcard advises for it.
    expect(fs[0].message).toContain('write "[::1]:5432:5432"');
  });

  const withDefault = (ip: string) =>
    loadCompose(
      'services:\n  db:\n    image: x\n    ports: ["5432:5432"]\n' +
        `networks:\n  default:\n    driver_opts:\n      com.docker.network.bridge.host_binding_ipv4: "${ip}"\n`,
    );

  it('a loopback network default keeps it off the network: not reported', () => {
    expect(check(rule, withDefault('127.0.0.1'))).toEqual([]);
  });

  it('a LAN network default is reachable: reported on that address', () => {
    const fs = check(rule, withDefault('10.0.0.5'));
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('as port 5432 on 10.0.0.5: a database');
  });

  it('an unbound sensitive port is reported by this rule and by unbound-publish, with their own severities', () => {
    const r = one('"5432:5432"');
    const fs = runRules(r.projects, [rule, unbound] as never[], { rules: {}, settings: { platform: 'all', rootless: false } });
    expect(fs.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(['exposure/sensitive-port-public error', 'exposure/unbound-publish warning']);
  });

  it('an inactive profile or network_mode host publishes nothing', () => {
    const r = loadCompose(
      'services:\n  a:\n    image: x\n    profiles: [tools]\n    ports: ["5432:5432"]\n  b:\n    image: x\n    network_mode: host\n    ports: ["6379:6379"]\n',
    );
    expect(check(rule, r)).toEqual([]);
  });
});

describe('exposure/sensitive-port-public: options', () => {
  const r = () => one('"5432:5432", "8500:8500", "9000-9001:9000-9001"');

  it('ports replaces the default list; an unnamed entry shows as "port N"', () => {
    const fs = check(rule, r(), { ports: [8500] });
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('publishes port 8500 as port 8500');
  });

  it('additionalPorts extends it, with names and ranges', () => {
    const fs = check(rule, r(), { additionalPorts: [{ port: 8500, name: 'Consul' }, '9000-9001'] });
    expect(fs.map((f) => f.binding?.containerPort)).toEqual([5432, 8500, 9000]);
    expect(fs[1].message).toContain('Consul (8500)');
    expect(fs[2].message).toContain('publishes port 9000 and port 9001 as ports 9000-9001');
  });

  it('ports: [] with additionalPorts checks only the additional ones', () => {
    const fs = check(rule, r(), { ports: [], additionalPorts: [5432] });
    expect(fs.map((f) => f.binding?.containerPort)).toEqual([5432]);
    expect(fs[0].message).toContain('publishes port 5432');
  });

  it('ports: [] alone turns the rule into a no-op', () => {
    expect(check(rule, r(), { ports: [] })).toEqual([]);
  });

  it('an invalid entry is a configuration error naming it', () => {
    expect(() => check(rule, r(), { additionalPorts: [{ name: 'x' }] })).toThrow(/additionalPorts\[0\]/);
    expect(() => check(rule, r(), { ports: ['postgres'] })).toThrow(/ports\[0\]/);
  });
});

describe('exposure/sensitive-port-public: by image and the extended catalogue', () => {
  it('hit: a datastore image on another port, a gateway admin port, a broker and its JMX port, debuggers', () => {
    const fs = checkFixture(rule, 'rules/exposure/sensitive-port-public/image-hit');
    expect(at(fs)).toEqual(['7:9 galera', '11:9 pooler', '16:9 gateway', '20:9 broker', '21:9 broker', '25:9 api', '29:9 worker']);
    expect(fs[0].message).toContain('publishes MySQL/MariaDB (image mariadb:11.4, port 4001) as port 4001 on every interface (0.0.0.0 and ::): a database, scanned for weak and default passwords;');
    expect(fs[1].message).toContain('PostgreSQL (image registry.example.com:5000/library/postgres:16@sha256:');
    expect(fs[1].message).toContain('port 6543) as port 16543');
    expect(fs[2].message).toContain('Kong Admin API (image kong/kong-gateway:3.6, port 8001)');
    expect(fs[2].message).toContain('reconfigures every route of the gateway');
    expect(fs[3].message).toContain('Kafka (image confluentinc/cp-kafka:7.6.1, port 9092)');
    // A port the image row names more precisely is named by that row.
    expect(fs[4].message).toContain('JMX (image confluentinc/cp-kafka:7.6.1, port 9101)');
    expect(fs[4].message).not.toContain('Kafka (image');
    expect(fs[5].message).toContain('Node.js inspector (9229) as port 9229 on every interface (0.0.0.0 and ::): a debugger: runs any code in the process');
    expect(fs[6].message).toContain('Delve debugger (40000)');
  });

  it('miss: loopback, exporters and UIs named after a datastore, a gateway\'s proxy ports, an image from a variable default', () => {
    expect(checkFixture(rule, 'rules/exposure/sensitive-port-public/image-miss')).toEqual([]);
  });

  it('images: [] turns detection by image off; additionalImages adds one, with its ports', () => {
    const r = () => loadCompose('services:\n  ledger:\n    image: corp/ledger-db:2\n    ports: ["7000:7000", "7001:7001"]\n  db:\n    image: mariadb:11\n    ports: ["4001:4001"]\n');
    expect(at(check(rule, r()))).toEqual(['7:13 db']);
    expect(check(rule, r(), { images: [] })).toEqual([]);
    const fs = check(rule, r(), { images: [], additionalImages: [{ image: 'ledger-db', name: 'Ledger', reason: 'every account', ports: [7001] }] });
    expect(at(fs)).toEqual(['4:26 ledger']);
    expect(fs[0].message).toContain('publishes Ledger (image corp/ledger-db:2, port 7001) as port 7001 on every interface (0.0.0.0 and ::): every account;');
    expect(() => check(rule, r(), { additionalImages: [{ name: 'x' }] })).toThrow(/additionalImages\[0\]/);
  });
});

describe('image references', () => {
  it('the repository without registry, tag or digest; patterns match its last parts', () => {
    expect(imageRepository('mariadb')).toBe('mariadb');
    expect(imageRepository('docker.io/library/MariaDB:11.4')).toBe('library/mariadb');
    expect(imageRepository('localhost/kong:3')).toBe('kong');
    expect(imageRepository('registry:5000/team/postgres@sha256:abc')).toBe('team/postgres');
    expect(imageRepository('mcr.microsoft.com/mssql/server:2022-latest')).toBe('mssql/server');
    expect(imageRepository('${DB_IMAGE}')).toBe('');
    const m = repositoryMatcher(['postgres', 'mssql/server']);
    const matches = (reference: string) => m(imageRepository(reference));
    expect(['postgres:16', 'bitnami/postgres', 'mcr.microsoft.com/mssql/server:2022-latest'].map(matches)).toEqual([true, true, true]);
    expect(['postgres-exporter', 'prom/postgres-exporter', 'corp/server', 'mypostgres', '${DB_IMAGE}'].map(matches)).toEqual([false, false, false, false, false]);
  });
});
