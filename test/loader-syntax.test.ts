/**
 * Loader, port syntax end to end (spec §1.3 short syntax, §1.4 long syntax, §1.5 what
 * is sent to the Engine): a compose file in, bindings, listeners, problems and
 * locations out.
 */
import { describe, expect, it } from 'vitest';
import { engineBindings, picksHostPort } from '../src/model/port-grammar';
import { formatListener } from '../src/model/listeners';
import type { Project } from '../src/model/types';
import { loadCompose, only, problemRows, where } from './helpers';

const bindings = (p: Project) =>
  p.bindings.map((b) => ({ service: b.service, hostIp: b.hostIp, hostPort: b.hostPort, containerPort: b.containerPort, protocol: b.protocol, count: b.count }));

const listeners = (p: Project) => p.bindings.map((b) => b.listeners.map(formatListener));

/** Service `web` with one short-syntax item, quoted, on line 4 column 9. */
const short = (spec: string) => `services:\n  web:\n    ports:\n      - ${JSON.stringify(spec)}\n`;

/** Service `web` with one long-syntax item starting on line 4 column 9; `fields` are YAML lines. */
const long = (...fields: string[]) => `services:\n  web:\n    ports:\n      - ${fields.join('\n        ')}\n`;

const b = (hostIp: string, hostPort: string, containerPort: number, protocol = 'tcp', count = 1) => ({ service: 'web', hostIp, hostPort, containerPort, protocol, count });

describe('short syntax through the loader (§1.3)', () => {
  it.each([
    ['80', [b('', '', 80)], [['0.0.0.0:*/tcp', '[::]:*/tcp']]],
    ['8080:80', [b('', '8080', 80)], [['0.0.0.0:8080/tcp', '[::]:8080/tcp']]],
    ['127.0.0.1:8080:80', [b('127.0.0.1', '8080', 80)], [['127.0.0.1:8080/tcp']]],
    ['127.0.0.1::80', [b('127.0.0.1', '', 80)], [['127.0.0.1:*/tcp']]],
    ['0.0.0.0:8080:80', [b('0.0.0.0', '8080', 80)], [['0.0.0.0:8080/tcp']]],
    [':8080:80', [b('', '8080', 80)], [['0.0.0.0:8080/tcp', '[::]:8080/tcp']]],
    ['[]:8080:80', [b('', '8080', 80)], [['0.0.0.0:8080/tcp', '[::]:8080/tcp']]],
    ['[::1]:6001:6001', [b('::1', '6001', 6001)], [['[::1]:6001/tcp']]],
    ['::1:6000:6000', [b('::1', '6000', 6000)], [['[::1]:6000/tcp']]],
    ['[1.2.3.4]:80:80', [b('1.2.3.4', '80', 80)], [['1.2.3.4:80/tcp']]],
    ['::::80', [b('::', '', 80)], [['[::]:*/tcp']]],
    [':::8080:80', [b('::', '8080', 80)], [['[::]:8080/tcp']]],
    ['2001:db8::1::80', [b('2001:db8::1', '', 80)], [['[2001:db8::1]:*/tcp']]],
    ['::ffff:127.0.0.1:8080:80', [b('::ffff:127.0.0.1', '8080', 80)], [['127.0.0.1:8080/tcp']]],
    ['::80', [b('', '', 80)], [['0.0.0.0:*/tcp', '[::]:*/tcp']]],
    ['53:53/udp', [b('', '53', 53, 'udp')], [['0.0.0.0:53/udp', '[::]:53/udp']]],
    ['53:53/UDP', [b('', '53', 53, 'udp')], [['0.0.0.0:53/udp', '[::]:53/udp']]],
    ['9000:9000/sctp', [b('', '9000', 9000, 'sctp')], [['0.0.0.0:9000/sctp', '[::]:9000/sctp']]],
    ['80/', [b('', '', 80)], [['0.0.0.0:*/tcp', '[::]:*/tcp']]],
    ['0123:080', [b('', '123', 80)], [['0.0.0.0:123/tcp', '[::]:123/tcp']]],
    ['0:80', [b('', '0', 80)], [['0.0.0.0:*/tcp', '[::]:*/tcp']]],
    ['+80:80', [b('', '80', 80)], [['0.0.0.0:80/tcp', '[::]:80/tcp']]],
    ['8000-8010:80', [b('', '8000-8010', 80)], [['0.0.0.0:8000-8010/tcp', '[::]:8000-8010/tcp']]],
    ['8080-8080:80-80', [b('', '8080', 80)], [['0.0.0.0:8080/tcp', '[::]:8080/tcp']]],
    ['8000-8010:8000-8010', [b('', '8000-8010', 8000, 'tcp', 11)], [['0.0.0.0:8000-8010/tcp', '[::]:8000-8010/tcp']]],
    ['3000-3005', [b('', '', 3000, 'tcp', 6)], [['0.0.0.0:*/tcp', '[::]:*/tcp']]],
    ['0-2:80-82', [b('', '0', 80), b('', '1-2', 81, 'tcp', 2)], [['0.0.0.0:*/tcp', '[::]:*/tcp'], ['0.0.0.0:1-2/tcp', '[::]:1-2/tcp']]],
  ])('"%s"', (spec, want, wantListeners) => {
    const p = only(loadCompose(short(spec)));
    expect(p.problems).toEqual([]);
    expect(bindings(p)).toEqual(want);
    expect(listeners(p)).toEqual(wantListeners);
    expect(p.bindings.map((x) => where(p, x.item.loc))).toEqual(want.map(() => 'compose.yaml:4:9'));
    expect(p.bindings[0].item).toMatchObject({ syntax: 'short', spec, raw: JSON.stringify(spec), scalarStyle: 'quoted' });
  });

  it('an equal-length range is ONE run that the Engine receives pairwise', () => {
    const p = only(loadCompose(short('127.0.0.1:8000-8002:9000-9002/udp')));
    expect(bindings(p)).toEqual([b('127.0.0.1', '8000-8002', 9000, 'udp', 3)]);
    expect(p.bindings[0].hostPorts).toEqual({ start: 8000, end: 8002 });
    expect(picksHostPort(p.bindings[0])).toBe(false);
    // the run's listeners hold the whole interval
    expect(p.bindings[0].listeners).toEqual([{ address: '127.0.0.1', family: 4, protocol: 'udp', ports: { start: 8000, end: 8002 } }]);
    const engine = p.bindings.flatMap((x) => engineBindings(x));
    expect(engine.map((x) => [x.hostIp, x.hostPort, x.containerPort, x.protocol, x.hostPorts, x.count])).toEqual([
      ['127.0.0.1', '8000', 9000, 'udp', { start: 8000, end: 8000 }, 1],
      ['127.0.0.1', '8001', 9001, 'udp', { start: 8001, end: 8001 }, 1],
      ['127.0.0.1', '8002', 9002, 'udp', { start: 8002, end: 8002 }, 1],
    ]);
    // every Engine binding points at the one item
    expect(new Set(engine.map((x) => x.item))).toEqual(new Set([p.bindings[0].item]));
    // and listens on its own port only
    expect(engine.map((x) => x.listeners.map(formatListener))).toEqual([['127.0.0.1:8000/udp'], ['127.0.0.1:8001/udp'], ['127.0.0.1:8002/udp']]);
  });

  it('a container range alone is ONE run of ephemeral ports', () => {
    const p = only(loadCompose(short('3000-3005')));
    expect(bindings(p)).toEqual([b('', '', 3000, 'tcp', 6)]);
    expect(p.bindings[0].hostPorts).toBeUndefined();
    expect(picksHostPort(p.bindings[0])).toBe(false);
    const engine = engineBindings(p.bindings[0]);
    expect(engine.map((x) => [x.hostPort, x.containerPort, x.count])).toEqual([3000, 3001, 3002, 3003, 3004, 3005].map((c) => ['', c, 1]));
    expect(engine.every((x) => x.hostPorts === undefined)).toBe(true);
  });

  it('"8000-8010:80" is ONE binding whose port the Engine picks from the range', () => {
    const p = only(loadCompose(short('8000-8010:80')));
    expect(p.bindings).toHaveLength(1);
    expect(p.bindings[0].hostPorts).toEqual({ start: 8000, end: 8010 });
    expect(p.bindings[0].count).toBe(1);
    expect(picksHostPort(p.bindings[0])).toBe(true);
    expect(p.bindings[0].listeners.map((l) => l.picksOne)).toEqual([true, true]);
    expect(engineBindings(p.bindings[0])).toEqual([p.bindings[0]]);
  });

  it('"98-101:98-101" is one run; the Engine receives 4 bindings (their order carries no meaning)', () => {
    const p = only(loadCompose(short('98-101:98-101')));
    expect(bindings(p)).toEqual([b('', '98-101', 98, 'tcp', 4)]);
    expect(p.bindings.flatMap((x) => engineBindings(x)).map((x) => `${x.hostPort}:${x.containerPort}`).sort()).toEqual(['100:100', '101:101', '98:98', '99:99']);
  });

  it('"0-2:80-82" is an engine-chosen binding for 80 and a run 1-2 for 81-82', () => {
    const p = only(loadCompose(short('0-2:80-82')));
    expect(bindings(p)).toEqual([b('', '0', 80), b('', '1-2', 81, 'tcp', 2)]);
    expect(p.bindings.map((x) => x.hostPorts)).toEqual([undefined, { start: 1, end: 2 }]);
    expect(p.bindings.flatMap((x) => engineBindings(x)).map((x) => [x.hostPort, x.containerPort])).toEqual([
      ['0', 80],
      ['1', 81],
      ['2', 82],
    ]);
    expect(p.bindings[0].item).toBe(p.bindings[1].item);
  });

  it('several entries for the same target become several bindings (§1.5)', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - "8080:80"\n      - "127.0.0.1:9090:80"\n      - target: 80\n        published: "7070"\n'));
    expect(bindings(p)).toEqual([b('', '8080', 80), b('127.0.0.1', '9090', 80), b('', '7070', 80)]);
  });

  it.each([
    ['', 'invalid-port', 'no port specified: <empty>'],
    ['8080:', 'invalid-port', 'no port specified: 8080:<empty>'],
    ['8080:/tcp', 'invalid-port', 'no port specified: 8080:/tcp<empty>'],
    ['80/icmp', 'invalid-port', 'invalid proto: icmp'],
    ['80/tcp/x', 'invalid-port', 'invalid proto: tcp/x'],
    ['65536:80', 'invalid-port', 'invalid hostPort: 65536'],
    ['-1:80', 'invalid-port', 'invalid hostPort: -1'],
    ['8000-7999:80', 'invalid-port', 'invalid hostPort: 8000-7999'],
    ['8000-:80', 'invalid-port', 'invalid hostPort: 8000-'],
    [' 8080:80', 'invalid-port', 'invalid hostPort:  8080'],
    ['1.2.3.4:80', 'invalid-port', 'invalid hostPort: 1.2.3.4'],
    ['8000-8010-8020:80', 'invalid-port', 'invalid hostPort: 8000-8010-8020'],
    ['80:65536', 'invalid-port', 'invalid containerPort: 65536'],
    ['localhost:8080:80', 'host-ip-not-ip', 'invalid IP address: localhost'],
    ['127.0.1:8080:80', 'host-ip-not-ip', 'invalid IP address: 127.0.1'],
    ['fe80::1%eth0:8080:80', 'host-ip-not-ip', 'invalid IP address: fe80::1%eth0'],
    ['8080:80:90:100', 'host-ip-not-ip', 'invalid IP address: 8080:80'],
    ['8000-8001:80-82', 'invalid-port', 'invalid ranges specified for container and host Ports: 80-82 and 8000-8001'],
    ['[::1]8080:80', 'host-ip-not-ip', "invalid IP address [:: address [::: missing ']' in address"],
  ])('"%s" is a %s problem at the item: %s', (spec, kind, message) => {
    const p = only(loadCompose(`${short(spec)}  ok:\n    ports: ["1:1"]\n`));
    expect(problemRows(p)).toEqual([{ kind, service: 'web', message: expect.stringContaining(message), at: 'compose.yaml:4:9' }]);
    // The short-syntax error carries no path prefix.
    expect(p.problems[0].message.startsWith(message)).toBe(true);
    // The rest of the file still loads.
    expect(bindings(p)).toEqual([{ service: 'ok', hostIp: '', hostPort: '1', containerPort: 1, protocol: 'tcp', count: 1 }]);
  });

  it('the problem names the interpolated entry', () => {
    const p = only(loadCompose(short('${HOST}:8080:80'), {}, { env: { HOST: 'db.local' } }));
    expect(problemRows(p)).toEqual([
      { kind: 'host-ip-not-ip', service: 'web', message: expect.stringContaining('invalid IP address: db.local in port entry "db.local:8080:80"'), at: 'compose.yaml:4:9' },
    ]);
  });

  it('an unquoted item is located and parsed the same way', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - 127.0.0.1:8080:80/udp\n      - localhost:1:1\n'));
    expect(bindings(p)).toEqual([b('127.0.0.1', '8080', 80, 'udp')]);
    expect(p.bindings[0].item).toMatchObject({ scalarStyle: 'plain', plainType: 'str', raw: '127.0.0.1:8080:80/udp' });
    expect(problemRows(p)).toEqual([{ kind: 'host-ip-not-ip', service: 'web', message: expect.stringContaining('invalid IP address: localhost'), at: 'compose.yaml:5:9' }]);
  });

  it('a block scalar item is a string too', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - >-\n        8080:80\n'));
    expect(bindings(p)).toEqual([b('', '8080', 80)]);
    expect(p.bindings[0].item.scalarStyle).toBe('block');
  });
});

describe('long syntax through the loader (§1.4)', () => {
  it('target, published, host_ip and protocol round trip', () => {
    const p = only(loadCompose(long('target: 80', 'published: "8080"', 'host_ip: 127.0.0.1', 'protocol: udp')));
    expect(bindings(p)).toEqual([b('127.0.0.1', '8080', 80, 'udp')]);
    expect(listeners(p)).toEqual([['127.0.0.1:8080/udp']]);
    expect(where(p, p.bindings[0].item.loc)).toBe('compose.yaml:4:9');
    expect(p.bindings[0].item.syntax).toBe('long');
    expect(p.bindings[0].item.hostIpLoc && where(p, p.bindings[0].item.hostIpLoc)).toBe('compose.yaml:6:18');
  });

  it('an int published becomes the string host port', () => {
    const p = only(loadCompose(long('target: 80', 'published: 8080')));
    expect(bindings(p)).toEqual([b('', '8080', 80)]);
    expect(listeners(p)).toEqual([['0.0.0.0:8080/tcp', '[::]:8080/tcp']]);
  });

  it('a string target is cast with Atoi: "80" is fine', () => {
    const p = only(loadCompose(long('target: "80"', 'published: "8080"')));
    expect(bindings(p)).toEqual([b('', '8080', 80)]);
  });

  it.each([
    ['missing published', [], ''],
    ['published: ""', ['published: ""'], ''],
    ['published: "0"', ['published: "0"'], '0'],
    ['published: 0', ['published: 0'], '0'],
    ['published: ~', ['published: ~'], ''],
  ])('%s is an engine-chosen port', (_, extra, hostPort) => {
    const p = only(loadCompose(long('target: 80', ...extra)));
    expect(bindings(p)).toEqual([b('', hostPort, 80)]);
    expect(listeners(p)).toEqual([['0.0.0.0:*/tcp', '[::]:*/tcp']]);
  });

  it('published "8000-9000" is one binding on a range (the Engine picks one)', () => {
    const p = only(loadCompose(long('target: 80', 'published: "8000-9000"')));
    expect(bindings(p)).toEqual([b('', '8000-9000', 80)]);
    expect(p.bindings[0].hostPorts).toEqual({ start: 8000, end: 9000 });
  });

  it('host_ip "::" and "0.0.0.0" are one family each; an IPv6 host_ip is given bare', () => {
    const p = only(
      loadCompose('services:\n  web:\n    ports:\n      - {target: 80, published: "80", host_ip: "::"}\n      - {target: 81, published: "81", host_ip: 0.0.0.0}\n      - {target: 82, published: "82", host_ip: "::1"}\n'),
    );
    expect(listeners(p)).toEqual([['[::]:80/tcp'], ['0.0.0.0:81/tcp'], ['[::1]:82/tcp']]);
  });

  it('mode, name, app_protocol and x-* fields are accepted and change nothing', () => {
    const p = only(loadCompose(long('target: 80', 'published: "8080"', 'mode: host', 'name: web', 'app_protocol: http', 'x-note: anything')));
    expect(p.problems).toEqual([]);
    expect(bindings(p)).toEqual([b('', '8080', 80)]);
  });

  it('protocol is lower-cased when the request is built: UDP is udp', () => {
    const p = only(loadCompose(long('target: 53', 'published: "53"', 'protocol: UDP')));
    expect(bindings(p)).toEqual([b('', '53', 53, 'udp')]);
  });

  it('host_ip "" is an error (unlike the short syntax), located at host_ip', () => {
    const p = only(loadCompose(`${long('target: 80', 'published: "8080"', 'host_ip: ""')}  ok:\n    ports: ["1:1"]\n`));
    expect(problemRows(p)).toEqual([{ kind: 'host-ip-not-ip', service: 'web', message: expect.stringContaining('invalid ip address: '), at: 'compose.yaml:6:18' }]);
    expect(bindings(p).map((x) => x.service)).toEqual(['ok']);
  });

  it.each([
    ['"[::1]"', 'invalid ip address: [::1]'],
    ['localhost', 'invalid ip address: localhost'],
    ['127.0.1', 'invalid ip address: 127.0.1'],
  ])('host_ip %s is an error located at host_ip (brackets and hostnames are rejected)', (value, message) => {
    const p = only(loadCompose(long('target: 80', `host_ip: ${value}`)));
    expect(problemRows(p)).toEqual([{ kind: 'host-ip-not-ip', service: 'web', message: expect.stringContaining(message), at: 'compose.yaml:5:18' }]);
    expect(p.bindings).toEqual([]);
  });

  it('published: 70000 is rejected (the Engine refuses it), located at the item', () => {
    const p = only(loadCompose(long('target: 80', 'published: 70000')));
    expect(problemRows(p)).toEqual([{ kind: 'invalid-port', service: 'web', message: expect.stringContaining('invalid port specification: "70000"'), at: 'compose.yaml:4:9' }]);
  });

  it('published: "abc" is rejected the same way', () => {
    const p = only(loadCompose(long('target: 80', 'published: abc')));
    expect(p.problems.map((q) => q.message)).toEqual([expect.stringContaining('invalid port specification: "abc"')]);
  });

  it('protocol: icmp is rejected (the Engine does not start it)', () => {
    const p = only(loadCompose(long('target: 80', 'protocol: icmp')));
    expect(problemRows(p)).toEqual([{ kind: 'invalid-port', service: 'web', message: expect.stringContaining('invalid proto: icmp'), at: 'compose.yaml:4:9' }]);
  });

  it('target "8080-8081" fails the cast to int', () => {
    const p = only(loadCompose(long('target: "8080-8081"')));
    expect(problemRows(p)).toEqual([
      {
        kind: 'invalid-port',
        service: 'web',
        message: expect.stringContaining('failed to cast to expected type: strconv.Atoi: parsing "8080-8081": invalid syntax'),
        at: 'compose.yaml:4:9',
      },
    ]);
  });

  it('a mapping without target is an error "missing a target port"', () => {
    const p = only(loadCompose(long('published: "8080"')));
    expect(problemRows(p)).toEqual([{ kind: 'invalid-port', service: 'web', message: expect.stringContaining('missing a target port'), at: 'compose.yaml:4:9' }]);
  });

  it('an unknown key fails validation and names the key, located at the key', () => {
    const p = only(loadCompose(long('target: 80', 'hostip: 127.0.0.1')));
    expect(problemRows(p)).toEqual([{ kind: 'invalid-compose', service: 'web', message: expect.stringContaining('hostip'), at: 'compose.yaml:5:9' }]);
    expect(p.bindings).toEqual([]);
  });

  it('a field that is not a scalar is a problem', () => {
    const p = only(loadCompose(long('target: [80]')));
    expect(problemRows(p)).toEqual([{ kind: 'invalid-compose', service: 'web', message: expect.stringContaining('services.web.ports.[].target'), at: 'compose.yaml:4:17' }]);
  });

  it('a bad item does not hide its neighbours, whatever the syntax', () => {
    const yaml = [
      'services:',
      '  web:',
      '    ports:',
      '      - "8080:80"',
      '      - target: 81',
      '        host_ip: ""',
      '      - "9090:90"',
      '      - target: 91',
      '        published: "9191"',
      '',
    ].join('\n');
    const p = only(loadCompose(yaml));
    expect(bindings(p).map((x) => `${x.hostPort}:${x.containerPort}`)).toEqual(['8080:80', '9090:90', '9191:91']);
    expect(p.problems).toHaveLength(1);
  });

  it('the item records a compact spec and its raw text', () => {
    const p = only(loadCompose(long('target: 80', 'published: "8080"', 'host_ip: 127.0.0.1')));
    const item = p.services[0].ports[0];
    expect(item.spec).toBe('target=80,published=8080,host_ip=127.0.0.1');
    expect(item.raw.trimEnd()).toBe('target: 80\n        published: "8080"\n        host_ip: 127.0.0.1');
  });
});
