import { describe, expect, it } from 'vitest';
import { resolvePlainScalar, yaml11Reading } from '../src/model/yaml-scalar';
import { isUnspecifiedAddress, parseIp } from '../src/model/ip';
import {
  engineBindings,
  parseLongSpec,
  parseShortSpec,
  picksHostPort,
  runSlice,
  type PortSpecResult,
  type RawBinding,
} from '../src/model/port-grammar';
import {
  exhaustedRanges,
  formatListener,
  listenersConflict,
  listenersFor,
  listenersMayConflict,
} from '../src/model/listeners';
import { portItemDedupeKey } from '../src/model/dedupe-key';
import type { Listener } from '../src/model/types';

function ok(r: PortSpecResult): RawBinding[] {
  if (!r.ok) throw new Error(`expected success, got: ${r.message}`);
  return r.bindings;
}

function err(r: PortSpecResult): { kind: string; message: string } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.bindings)}`);
  return { kind: r.kind, message: r.message };
}

function one(spec: string): RawBinding {
  const b = ok(parseShortSpec(spec));
  expect(b).toHaveLength(1);
  return b[0];
}

// ---------------------------------------------------------------------------

describe('resolvePlainScalar: the §1.2 table (go-yaml v4)', () => {
  it.each([
    ['80', 'int', 80],
    ['8080:80', 'str', '8080:80'],
    ['22:22', 'str', '22:22'],
    ['1:30', 'str', '1:30'],
    ['070:70', 'str', '070:70'],
    ['0120', 'int', 80],
    ['0x50', 'int', 80],
    ['0o120', 'int', 80],
    ['8_080', 'int', 8080],
    ['80.0', 'float', 80],
    ['80.5', 'float', 80.5],
    ['1e3', 'float', 1000],
    ['true', 'bool', true],
    ['~', 'null', null],
    ['2001-12-14', 'timestamp', '2001-12-14'],
  ] as const)('%s → %s %s', (raw, type, value) => {
    expect(resolvePlainScalar(raw)).toEqual({ type, value });
  });

  it('a quoted "80" is never resolved: only plain scalars go through the resolver (int for plain)', () => {
    expect(resolvePlainScalar('80').type).toBe('int');
  });
});

describe('resolvePlainScalar: more of go-yaml', () => {
  it.each([
    ['', 'null', null],
    ['null', 'null', null],
    ['Null', 'null', null],
    ['NULL', 'null', null],
    ['nULL', 'str', 'nULL'],
    ['True', 'bool', true],
    ['TRUE', 'bool', true],
    ['false', 'bool', false],
    ['False', 'bool', false],
    ['FALSE', 'bool', false],
    ['tRUE', 'str', 'tRUE'],
    ['yes', 'str', 'yes'],
    ['on', 'str', 'on'],
    ['off', 'str', 'off'],
    ['y', 'str', 'y'],
    ['+80', 'int', 80],
    ['-80', 'int', -80],
    ['-0x50', 'int', -80],
    ['0b1010000', 'int', 80],
    ['0B1010000', 'int', 80],
    ['0X50', 'int', 80],
    ['0', 'int', 0],
    ['00', 'int', 0],
    ['+0', 'int', 0],
    ['8__0', 'int', 80],
    ['0x_50', 'int', 80],
    ['9223372036854775807', 'int', 9223372036854775807],
    ['9223372036854775808', 'int', 9223372036854775808], // ParseUint
    ['18446744073709551615', 'int', 18446744073709551615],
    ['18446744073709551616', 'float', 18446744073709551616],
    ['0x10000000000000000', 'str', '0x10000000000000000'],
    ['080', 'float', 80], // not octal, so the float reading wins
    ['09', 'float', 9],
    ['0x', 'str', '0x'],
    ['0b', 'str', '0b'],
    ['0b12', 'str', '0b12'],
    ['1.', 'float', 1],
    ['1.5e3', 'float', 1500],
    ['-.5', 'float', -0.5],
    ['+1E-2', 'float', 0.01],
    ['1_000.5', 'float', 1000.5],
    ['1e', 'str', '1e'],
    ['1e400', 'str', '1e400'],
    ['.5', 'float', 0.5],
    ['.5e3', 'float', 500],
    ['.5_5', 'float', 0.55],
    ['._5', 'str', '._5'],
    ['.', 'str', '.'],
    ['.inf', 'float', Infinity],
    ['.Inf', 'float', Infinity],
    ['.INF', 'float', Infinity],
    ['+.inf', 'float', Infinity],
    ['-.inf', 'float', -Infinity],
    ['.iNf', 'str', '.iNf'],
    ['+', 'str', '+'],
    ['-', 'str', '-'],
    ['8000-8010', 'str', '8000-8010'],
    ['127.0.0.1:80:80', 'str', '127.0.0.1:80:80'],
    ['::1:80:80', 'str', '::1:80:80'],
    ['<<', 'str', '<<'],
    ['_80', 'str', '_80'],
  ] as const)('%j → %s', (raw, type, value) => {
    expect(resolvePlainScalar(raw)).toEqual({ type, value });
  });

  it('NaN and negative zero', () => {
    const nan = resolvePlainScalar('.nan');
    expect(nan.type).toBe('float');
    expect(Number.isNaN(nan.value)).toBe(true);
    expect(resolvePlainScalar('.NaN').type).toBe('float');
    expect(resolvePlainScalar('.NAN').type).toBe('float');
    const nz = resolvePlainScalar('-0');
    expect(nz.type).toBe('float');
    expect(Object.is(nz.value, -0)).toBe(true);
    expect(resolvePlainScalar('-0.0').type).toBe('float');
    const z = resolvePlainScalar('-00');
    expect(z).toEqual({ type: 'int', value: 0 });
    expect(Object.is(z.value, -0)).toBe(false);
  });

  it.each([
    ['2001-12-14', 'timestamp'],
    ['2001-1-2', 'timestamp'],
    ['2000-02-29', 'timestamp'],
    ['2001-02-29', 'str'],
    ['2001-02-30', 'str'],
    ['2001-13-01', 'str'],
    ['2001-12-00', 'str'],
    ['2001-012-14', 'str'],
    ['2001-12-14T21:59:43.10-05:00', 'timestamp'],
    ['2001-12-14t21:59:43.10-05:00', 'timestamp'],
    ['2001-12-14T21:59:43Z', 'timestamp'],
    ['2001-12-14T21:59:43.123456789012Z', 'timestamp'],
    ['2001-12-14T21:59:43,5Z', 'timestamp'],
    ['2001-12-14T2:5:4+01:00', 'timestamp'],
    ['2001-12-14 21:59:43.10', 'timestamp'],
    ['2001-12-14 21:59:43', 'timestamp'],
    ['2001-12-14T21:59:43', 'str'], // no zone: none of the T layouts match
    ['2001-12-14 21:59:43.10 -5', 'str'],
    ['2001-12-14 21:59:43Z', 'str'],
    ['2001-12-14T24:00:00Z', 'str'],
    ['2001-12-14T21:60:00Z', 'str'],
    ['2001-12-14T21:59:60Z', 'str'],
    ['2001-12-14T21:59:43+0500', 'str'],
    ['2001-12-14T21:59:43*05:00', 'str'],
    ['2001-12-14T21:59:43+25:00', 'str'],
    ['2001-12-14T21:59:43+24:00', 'timestamp'],
    ['2001-12-14X', 'str'],
    ['20011-12-14', 'str'],
    ['201-12-14', 'str'],
  ])('%s → %s', (raw, type) => {
    expect(resolvePlainScalar(raw).type).toBe(type);
  });
});

describe('yaml11Reading (PyYAML base 60)', () => {
  it.each([
    ['22:22', 1342],
    ['2122:22', 127342],
    ['1:30', 90],
    ['22:5', 1325],
    ['22:05', 1325],
    ['1:0:0', 3600],
    ['22:22:22', 80542],
    ['+1:30', 90],
    ['-1:30', -90],
    ['1_0:30', 630],
    ['8080:59', 484859],
  ])('%s → %d', (raw, value) => {
    expect(yaml11Reading(raw)).toBe(value);
  });

  it.each([
    '8080:80', // 80 is not a base-60 digit group
    '22:60',
    '070:70', // first group may not start with 0
    '0:30',
    '80',
    '0120', // same reading (80) in both
    '0o120',
    '22:',
    ':22',
    '22::22',
    '127.0.0.1:80:80',
    '22:22/udp',
    '',
  ])('%j → undefined', (raw) => {
    expect(yaml11Reading(raw)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------

describe('parseShortSpec: §1.3 examples', () => {
  it('plain forms', () => {
    expect(one('80')).toEqual({ hostIp: '', hostPort: '', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(one('8080:80')).toEqual({
      hostIp: '',
      hostPort: '8080',
      containerPort: 80,
      protocol: 'tcp',
      hostPorts: { start: 8080, end: 8080 },
      count: 1,
    });
    expect(one('127.0.0.1:8080:80/udp')).toEqual({
      hostIp: '127.0.0.1',
      hostPort: '8080',
      containerPort: 80,
      protocol: 'udp',
      hostPorts: { start: 8080, end: 8080 },
      count: 1,
    });
    expect(one('53:53/sctp').protocol).toBe('sctp');
    expect(one('80/UDP').protocol).toBe('udp');
    expect(one('80/Tcp').protocol).toBe('tcp');
    expect(one('80/').protocol).toBe('tcp');
  });

  it('"8000-8010:8000-8010" is ONE run of 11 ports, which the Engine receives as 11 pairwise bindings', () => {
    const b = ok(parseShortSpec('8000-8010:8000-8010'));
    expect(b).toEqual([
      { hostIp: '', hostPort: '8000-8010', containerPort: 8000, protocol: 'tcp', hostPorts: { start: 8000, end: 8010 }, count: 11 },
    ]);
    expect(picksHostPort(b[0])).toBe(false);
    const e = engineBindings(b[0]);
    expect(e).toHaveLength(11);
    e.forEach((x, i) => {
      expect(x).toEqual({
        hostIp: '',
        hostPort: String(8000 + i),
        containerPort: 8000 + i,
        protocol: 'tcp',
        hostPorts: { start: 8000 + i, end: 8000 + i },
        count: 1,
      });
    });
  });

  it('"9090-9091:8080-8081" pairs host and container ports', () => {
    const b = ok(parseShortSpec('9090-9091:8080-8081'));
    expect(b).toEqual([
      { hostIp: '', hostPort: '9090-9091', containerPort: 8080, protocol: 'tcp', hostPorts: { start: 9090, end: 9091 }, count: 2 },
    ]);
    expect(engineBindings(b[0]).map((x) => [x.hostPort, x.containerPort, x.hostPorts, x.count])).toEqual([
      ['9090', 8080, { start: 9090, end: 9090 }, 1],
      ['9091', 8081, { start: 9091, end: 9091 }, 1],
    ]);
  });

  it('"3000-3005" is ONE run of 6 ephemeral ports', () => {
    const b = ok(parseShortSpec('3000-3005'));
    expect(b).toEqual([{ hostIp: '', hostPort: '', containerPort: 3000, protocol: 'tcp', count: 6 }]);
    expect(picksHostPort(b[0])).toBe(false);
    const e = engineBindings(b[0]);
    expect(e.map((x) => x.containerPort)).toEqual([3000, 3001, 3002, 3003, 3004, 3005]);
    for (const x of e) {
      expect(x).toEqual({ hostIp: '', hostPort: '', containerPort: x.containerPort, protocol: 'tcp', count: 1 });
      expect('hostPorts' in x).toBe(false);
    }
  });

  it('"0-2:80-82" is an engine-chosen "0"→80 and a run 1-2→81-82', () => {
    const b = ok(parseShortSpec('0-2:80-82'));
    expect(b).toEqual([
      { hostIp: '', hostPort: '0', containerPort: 80, protocol: 'tcp', count: 1 },
      { hostIp: '', hostPort: '1-2', containerPort: 81, protocol: 'tcp', hostPorts: { start: 1, end: 2 }, count: 2 },
    ]);
    expect('hostPorts' in b[0]).toBe(false);
    expect(picksHostPort(b[0])).toBe(false);
    expect(picksHostPort(b[1])).toBe(false);
    expect(b.flatMap(engineBindings).map((x) => [x.hostPort, x.containerPort, x.hostPorts])).toEqual([
      ['0', 80, undefined],
      ['1', 81, { start: 1, end: 1 }],
      ['2', 82, { start: 2, end: 2 }],
    ]);
    // a two-port run from 0 leaves a single fixed port
    expect(ok(parseShortSpec('127.0.0.1:0-1:80-81/udp'))).toEqual([
      { hostIp: '127.0.0.1', hostPort: '0', containerPort: 80, protocol: 'udp', count: 1 },
      { hostIp: '127.0.0.1', hostPort: '1', containerPort: 81, protocol: 'udp', hostPorts: { start: 1, end: 1 }, count: 1 },
    ]);
  });

  it('"8000-8010:80" is ONE binding with the host range kept whole', () => {
    expect(picksHostPort(one('8000-8010:80'))).toBe(true);
    expect(engineBindings(one('8000-8010:80'))).toEqual([one('8000-8010:80')]);
    expect(ok(parseShortSpec('8000-8010:80'))).toEqual([
      { hostIp: '', hostPort: '8000-8010', containerPort: 80, protocol: 'tcp', hostPorts: { start: 8000, end: 8010 }, count: 1 },
    ]);
    expect(one('127.0.0.1:8000-8010:80-80/udp')).toEqual({
      hostIp: '127.0.0.1',
      hostPort: '8000-8010',
      containerPort: 80,
      protocol: 'udp',
      hostPorts: { start: 8000, end: 8010 },
      count: 1,
    });
  });

  it('"98-101:98-101" is one run; its Engine bindings come out in ascending container order', () => {
    const b = one('98-101:98-101');
    expect(b).toEqual({ hostIp: '', hostPort: '98-101', containerPort: 98, protocol: 'tcp', hostPorts: { start: 98, end: 101 }, count: 4 });
    expect(engineBindings(b).map((x) => [x.hostPort, x.containerPort])).toEqual([
      ['98', 98],
      ['99', 99],
      ['100', 100],
      ['101', 101],
    ]);
  });

  it('"a-a" is the single port a', () => {
    expect(one('8080-8080:80-80')).toEqual({
      hostIp: '',
      hostPort: '8080',
      containerPort: 80,
      protocol: 'tcp',
      hostPorts: { start: 8080, end: 8080 },
      count: 1,
    });
  });

  it('empty IP field means unspecified', () => {
    expect(one(':8080:80').hostIp).toBe('');
    expect(one('[]:8080:80').hostIp).toBe('');
    expect(one(':8080:80').hostPort).toBe('8080');
    expect(one('0.0.0.0:8080:80').hostIp).toBe('0.0.0.0');
    expect(one('192.168.1.100::80')).toEqual({ hostIp: '192.168.1.100', hostPort: '', containerPort: 80, protocol: 'tcp', count: 1 });
  });

  it('raw IPv6', () => {
    expect(one('::1:8080:80')).toMatchObject({ hostIp: '::1', hostPort: '8080', containerPort: 80 });
    expect(one('::::80')).toEqual({ hostIp: '::', hostPort: '', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(one('2001:db8::1::80')).toEqual({ hostIp: '2001:db8::1', hostPort: '', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(one('::80')).toEqual({ hostIp: '', hostPort: '', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(one(':::8080:80')).toMatchObject({ hostIp: '::', hostPort: '8080', containerPort: 80 });
    expect(one('::ffff:127.0.0.1:8080:80')).toMatchObject({ hostIp: '::ffff:127.0.0.1', hostPort: '8080' });
    expect(one('2001:4860:0:2001::68::333')).toMatchObject({ hostIp: '2001:4860:0:2001::68', hostPort: '', containerPort: 333 });
    expect(one('::1:6000:6000')).toMatchObject({ hostIp: '::1', hostPort: '6000', containerPort: 6000 });
    // the IP is kept as written, not canonicalised
    expect(one('0:0::1:8080:80').hostIp).toBe('0:0::1');
  });

  it('bracketed addresses', () => {
    expect(one('[::1]:6001:6001')).toMatchObject({ hostIp: '::1', hostPort: '6001', containerPort: 6001 });
    expect(one('[::1]:8080:80').hostIp).toBe('::1');
    expect(one('[1.2.3.4]:8080:80').hostIp).toBe('1.2.3.4');
    expect(one('[2001:4860:0:2001::68]::333')).toEqual({
      hostIp: '2001:4860:0:2001::68',
      hostPort: '',
      containerPort: 333,
      protocol: 'tcp',
      count: 1,
    });
    expect(err(parseShortSpec('[::1]8080:80'))).toEqual({
      kind: 'host-ip-not-ip',
      message: "invalid IP address [:: address [::: missing ']' in address",
    });
    expect(err(parseShortSpec('[localhost]:8080:80'))).toEqual({
      kind: 'host-ip-not-ip',
      message: 'invalid IP address: localhost',
    });
    expect(err(parseShortSpec('[::1]x:8080:80'))).toEqual({
      kind: 'host-ip-not-ip',
      message: 'invalid IP address [::1]x: address [::1]x:: missing port in address',
    });
    expect(err(parseShortSpec('[::1]:x:8080:80'))).toEqual({
      kind: 'host-ip-not-ip',
      message: 'invalid IP address [::1]:x: address [::1]:x:: too many colons in address',
    });
    expect(err(parseShortSpec('[[::1]:8080:80'))).toEqual({
      kind: 'host-ip-not-ip',
      message: "invalid IP address [[::1]: address [[::1]:: unexpected '[' in address",
    });
  });

  it('port numbers: leading zeros are decimal and dropped, "+80" accepted, "0" is ephemeral', () => {
    expect(one('0123:080')).toEqual({
      hostIp: '',
      hostPort: '123',
      containerPort: 80,
      protocol: 'tcp',
      hostPorts: { start: 123, end: 123 },
      count: 1,
    });
    expect(one('+80:80')).toMatchObject({ hostPort: '80', containerPort: 80, hostPorts: { start: 80, end: 80 } });
    expect(one('+80')).toMatchObject({ hostPort: '', containerPort: 80 });
    expect(one('0:80')).toEqual({ hostIp: '', hostPort: '0', containerPort: 80, protocol: 'tcp', count: 1 });
    // the range split happens first: "-0" is an empty start and "0"
    expect(err(parseShortSpec('-0:80')).message).toBe('invalid hostPort: -0');
    expect(one('0-0:80')).toEqual({ hostIp: '', hostPort: '0', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(one('65535:65535').containerPort).toBe(65535);
    expect(one('0').containerPort).toBe(0);
  });
});

describe('runSlice / engineBindings', () => {
  const run = (): RawBinding => one('127.0.0.1:10000-10099:20000-20099/udp');

  it('cuts a run: host and container ports move together, the other fields are kept', () => {
    const b = run();
    expect(b).toEqual({ hostIp: '127.0.0.1', hostPort: '10000-10099', containerPort: 20000, protocol: 'udp', hostPorts: { start: 10000, end: 10099 }, count: 100 });
    expect(runSlice(b, 10, 5)).toEqual({ hostIp: '127.0.0.1', hostPort: '10010-10014', containerPort: 20010, protocol: 'udp', hostPorts: { start: 10010, end: 10014 }, count: 5 });
    expect(runSlice(b, 99, 1)).toEqual({ hostIp: '127.0.0.1', hostPort: '10099', containerPort: 20099, protocol: 'udp', hostPorts: { start: 10099, end: 10099 }, count: 1 });
    expect(runSlice(b, 0, 1)).toEqual({ hostIp: '127.0.0.1', hostPort: '10000', containerPort: 20000, protocol: 'udp', hostPorts: { start: 10000, end: 10000 }, count: 1 });
    // a copy: the run itself is untouched, and the slice does not share its interval
    const s = runSlice(b, 1, 2);
    expect(s).not.toBe(b);
    expect(s.hostPorts).not.toBe(b.hostPorts);
    expect(b).toEqual(run());
    // the whole run is the run itself
    expect(runSlice(b, 0, 100)).toBe(b);
  });

  it('keeps extra fields of a subtype', () => {
    const b = { ...run(), tag: 'x' };
    expect(runSlice(b, 3, 2)).toMatchObject({ tag: 'x', hostPort: '10003-10004', containerPort: 20003, count: 2 });
  });

  it('the listeners of a bound run are cut with it; ephemeral listeners are kept', () => {
    const b = run();
    const withListeners = { ...b, listeners: listenersFor(b) };
    expect(withListeners.listeners).toEqual([{ address: '127.0.0.1', family: 4, protocol: 'udp', ports: { start: 10000, end: 10099 } }]);
    expect(runSlice(withListeners, 10, 5).listeners).toEqual([{ address: '127.0.0.1', family: 4, protocol: 'udp', ports: { start: 10010, end: 10014 } }]);
    expect(engineBindings(withListeners)[42].listeners).toEqual([{ address: '127.0.0.1', family: 4, protocol: 'udp', ports: { start: 10042, end: 10042 } }]);
    // the run's own listeners are untouched
    expect(withListeners.listeners[0].ports).toEqual({ start: 10000, end: 10099 });
    const eph = one('3000-3005');
    const ephListeners = { ...eph, listeners: listenersFor(eph) };
    expect(runSlice(ephListeners, 2, 1).listeners).toBe(ephListeners.listeners);
  });

  it('an ephemeral run is cut in container ports only', () => {
    const b = one('3000-3005/udp');
    expect(runSlice(b, 2, 3)).toEqual({ hostIp: '', hostPort: '', containerPort: 3002, protocol: 'udp', count: 3 });
    expect('hostPorts' in runSlice(b, 2, 3)).toBe(false);
  });

  it('slices join back into the run, and engineBindings is the slices of one port', () => {
    const b = run();
    expect([...engineBindings(runSlice(b, 0, 40)), ...engineBindings(runSlice(b, 40, 60))]).toEqual(engineBindings(b));
    const e = engineBindings(b);
    expect(e).toHaveLength(100);
    e.forEach((x, i) => expect(x).toEqual(runSlice(b, i, 1)));
    expect(e[42]).toEqual({ hostIp: '127.0.0.1', hostPort: '10042', containerPort: 20042, protocol: 'udp', hostPorts: { start: 10042, end: 10042 }, count: 1 });
    // a single binding comes back as is
    const single = one('8080:80');
    expect(engineBindings(single)).toHaveLength(1);
    expect(engineBindings(single)[0]).toBe(single);
  });

  it('a full-range run stays one binding', () => {
    const b = one('1-65535:1-65535');
    expect(b).toEqual({ hostIp: '', hostPort: '1-65535', containerPort: 1, protocol: 'tcp', hostPorts: { start: 1, end: 65535 }, count: 65535 });
    expect(listenersFor(b)).toEqual([
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 1, end: 65535 } },
      { address: '::', family: 6, protocol: 'tcp', ports: { start: 1, end: 65535 } },
    ]);
  });
});

describe('parseShortSpec: §1.3 errors (v0.7.0 wording)', () => {
  it.each([
    ['', 'no port specified: <empty>'],
    ['8080:', 'no port specified: 8080:<empty>'],
    // the parser prints the whole spec before <empty>
    ['8080:/tcp', 'no port specified: 8080:/tcp<empty>'],
    ['0.0.0.0:1234-1235:/tcp', 'no port specified: 0.0.0.0:1234-1235:/tcp<empty>'],
    ['/udp', 'no port specified: /udp<empty>'],
    ['80/icmp', 'invalid proto: icmp'],
    ['80/ICMP', 'invalid proto: icmp'],
    ['65536:80', 'invalid hostPort: 65536'],
    ['-1:80', 'invalid hostPort: -1'],
    ['8000-7999:80', 'invalid hostPort: 8000-7999'],
    ['8000-:80', 'invalid hostPort: 8000-'],
    [' 8080:80', 'invalid hostPort:  8080'],
    ['1.2.3.4:80', 'invalid hostPort: 1.2.3.4'],
    ['8_080:80', 'invalid hostPort: 8_080'],
    ['0x50:80', 'invalid hostPort: 0x50'],
    ['80:65536', 'invalid containerPort: 65536'],
    ['80:abc', 'invalid containerPort: abc'],
    ['80-79', 'invalid containerPort: 80-79'],
    ['8000-8001:80-82', 'invalid ranges specified for container and host Ports: 80-82 and 8000-8001'],
  ])('%j → %s', (spec, message) => {
    expect(err(parseShortSpec(spec))).toEqual({ kind: 'invalid-port', message });
  });

  it.each([
    ['localhost:8080:80', 'invalid IP address: localhost'],
    ['127.0.1:8080:80', 'invalid IP address: 127.0.1'],
    ['fe80::1%eth0:8080:80', 'invalid IP address: fe80::1%eth0'],
    ['8080:80:90:100', 'invalid IP address: 8080:80'],
    ['010.0.0.1:8080:80', 'invalid IP address: 010.0.0.1'],
    ['[::1]8080:80', "invalid IP address [:: address [::: missing ']' in address"],
  ])('%j → %s (host-ip-not-ip)', (spec, message) => {
    expect(err(parseShortSpec(spec))).toEqual({ kind: 'host-ip-not-ip', message });
  });

  it('checks run in the parser order: empty port, protocol, IP, container, host', () => {
    expect(err(parseShortSpec('localhost:99999:/icmp')).message).toBe('no port specified: localhost:99999:/icmp<empty>');
    expect(err(parseShortSpec('localhost:99999:80/icmp')).message).toBe('invalid proto: icmp');
    expect(err(parseShortSpec('localhost:99999:99999')).message).toBe('invalid IP address: localhost');
    expect(err(parseShortSpec('99999:99999')).message).toBe('invalid containerPort: 99999');
  });
});

describe('parseShortSpec: parser versions table, v0.7.0 column', () => {
  it.each(['::1:8080:80', '::::80', ':::8080:80', '2001:db8::1::80', '::ffff:127.0.0.1:8080:80'])('%s parses', (spec) => {
    expect(ok(parseShortSpec(spec))).toHaveLength(1);
  });
  it('8000-8010-8020:80 is an error', () => {
    expect(err(parseShortSpec('8000-8010-8020:80'))).toEqual({
      kind: 'invalid-port',
      message: 'invalid hostPort: 8000-8010-8020',
    });
  });
  it('80/tcp/x is an error', () => {
    expect(err(parseShortSpec('80/tcp/x')).message).toBe('invalid proto: tcp/x');
  });
  it('+80:80 is accepted as 80', () => {
    expect(one('+80:80')).toMatchObject({ hostPort: '80', containerPort: 80 });
  });
  it('"" is "no port specified"', () => {
    expect(err(parseShortSpec('')).message).toBe('no port specified: <empty>');
  });
});

// ---------------------------------------------------------------------------

describe('parseLongSpec: §1.4', () => {
  it('target', () => {
    expect(ok(parseLongSpec({ target: 80 }))).toEqual([{ hostIp: '', hostPort: '', containerPort: 80, protocol: 'tcp', count: 1 }]);
    expect(ok(parseLongSpec({ target: '80' }))[0].containerPort).toBe(80);
    expect(ok(parseLongSpec({ target: '080' }))[0].containerPort).toBe(80);
    expect(ok(parseLongSpec({ target: '+80' }))[0].containerPort).toBe(80);
    expect(err(parseLongSpec({ target: '8080-8081' }))).toEqual({
      kind: 'invalid-port',
      message: 'failed to cast to expected type: strconv.Atoi: parsing "8080-8081": invalid syntax',
    });
    expect(err(parseLongSpec({ target: '' })).message).toBe(
      'failed to cast to expected type: strconv.Atoi: parsing "": invalid syntax',
    );
    expect(err(parseLongSpec({ target: ' 80' })).message).toBe(
      'failed to cast to expected type: strconv.Atoi: parsing " 80": invalid syntax',
    );
    expect(err(parseLongSpec({ target: '99999999999999999999' })).message).toBe(
      'failed to cast to expected type: strconv.Atoi: parsing "99999999999999999999": value out of range',
    );
    expect(err(parseLongSpec({ published: '8080' }))).toEqual({ kind: 'invalid-port', message: 'missing a target port' });
    expect(err(parseLongSpec({ target: null })).message).toBe('missing a target port');
    expect(err(parseLongSpec({ target: 70000 })).message).toBe('invalid port specification: "70000"');
    expect(err(parseLongSpec({ target: '-1' })).message).toBe('invalid port specification: "-1"');
    expect(err(parseLongSpec({ target: 80.5 })).kind).toBe('invalid-port');
    expect(err(parseLongSpec({ target: true })).kind).toBe('invalid-port');
  });

  it('published', () => {
    expect(ok(parseLongSpec({ target: 80, published: '8080' }))[0]).toEqual({
      hostIp: '',
      hostPort: '8080',
      containerPort: 80,
      protocol: 'tcp',
      hostPorts: { start: 8080, end: 8080 },
      count: 1,
    });
    expect(ok(parseLongSpec({ target: 80, published: 8080 }))[0]).toEqual({
      hostIp: '',
      hostPort: '8080',
      containerPort: 80,
      protocol: 'tcp',
      hostPorts: { start: 8080, end: 8080 },
      count: 1,
    });
    expect(ok(parseLongSpec({ target: 80, published: '8000-9000' }))[0]).toMatchObject({
      hostPort: '8000-9000',
      hostPorts: { start: 8000, end: 9000 },
      count: 1,
    });
    for (const published of ['', undefined, null, '0', 0]) {
      const b = ok(parseLongSpec({ target: 80, published }))[0];
      expect(b.hostPorts).toBeUndefined();
      expect(b.count).toBe(1);
      expect(b.hostPort).toBe(published === 0 ? '0' : published ?? '');
    }
    expect(err(parseLongSpec({ target: 80, published: '70000' }))).toEqual({
      kind: 'invalid-port',
      message: 'invalid port specification: "70000"',
    });
    expect(err(parseLongSpec({ target: 80, published: 70000 })).message).toBe('invalid port specification: "70000"');
    expect(err(parseLongSpec({ target: 80, published: 'http' })).message).toBe('invalid port specification: "http"');
    expect(err(parseLongSpec({ target: 80, published: '9000-8000' })).message).toBe(
      'invalid port specification: "9000-8000"',
    );
    expect(err(parseLongSpec({ target: 80, published: '80-' })).message).toBe('invalid port specification: "80-"');
    expect(err(parseLongSpec({ target: 80, published: -1 })).message).toBe('invalid port specification: "-1"');
  });

  it('host_ip', () => {
    expect(ok(parseLongSpec({ target: 80, host_ip: '127.0.0.1' }))[0].hostIp).toBe('127.0.0.1');
    expect(ok(parseLongSpec({ target: 80, host_ip: '::1' }))[0].hostIp).toBe('::1');
    expect(ok(parseLongSpec({ target: 80, host_ip: null }))[0].hostIp).toBe('');
    expect(err(parseLongSpec({ target: 80, host_ip: '[::1]' }))).toEqual({
      kind: 'host-ip-not-ip',
      message: 'invalid ip address: [::1]',
    });
    expect(err(parseLongSpec({ target: 80, host_ip: '' }))).toEqual({
      kind: 'host-ip-not-ip',
      message: 'invalid ip address: ',
    });
    expect(err(parseLongSpec({ target: 80, host_ip: 'localhost' }))).toEqual({
      kind: 'host-ip-not-ip',
      message: 'invalid ip address: localhost',
    });
    expect(err(parseLongSpec({ target: 80, host_ip: 'fe80::1%eth0' })).kind).toBe('host-ip-not-ip');
  });

  it('protocol and mode', () => {
    expect(ok(parseLongSpec({ target: 80, protocol: 'UDP' }))[0].protocol).toBe('udp');
    expect(ok(parseLongSpec({ target: 80, protocol: 'sctp' }))[0].protocol).toBe('sctp');
    expect(err(parseLongSpec({ target: 80, protocol: 'icmp' }))).toEqual({
      kind: 'invalid-port',
      message: 'invalid proto: icmp',
    });
    expect(ok(parseLongSpec({ target: 80, published: 8080, mode: 'host' }))[0]).toEqual(
      ok(parseLongSpec({ target: 80, published: 8080, mode: 'ingress' }))[0],
    );
  });

  it('all fields together', () => {
    expect(
      ok(parseLongSpec({ target: '53', published: '5353', host_ip: '127.0.0.1', protocol: 'UDP', mode: 'host' })),
    ).toEqual([
      { hostIp: '127.0.0.1', hostPort: '5353', containerPort: 53, protocol: 'udp', hostPorts: { start: 5353, end: 5353 }, count: 1 },
    ]);
  });
});

// ---------------------------------------------------------------------------

describe('parseIp / isUnspecifiedAddress (Go net.ParseIP)', () => {
  it.each([
    ['127.0.0.1', { family: 4, canonical: '127.0.0.1', unspecified: false, loopback: true }],
    ['0.0.0.0', { family: 4, canonical: '0.0.0.0', unspecified: true, loopback: false }],
    ['192.168.1.100', { family: 4, canonical: '192.168.1.100', unspecified: false, loopback: false }],
    ['255.255.255.255', { family: 4, canonical: '255.255.255.255', unspecified: false, loopback: false }],
    ['::', { family: 6, canonical: '::', unspecified: true, loopback: false }],
    ['::1', { family: 6, canonical: '::1', unspecified: false, loopback: true }],
    ['0:0:0:0:0:0:0:0', { family: 6, canonical: '::', unspecified: true, loopback: false }],
    ['0:0::1', { family: 6, canonical: '::1', unspecified: false, loopback: true }],
    ['2001:DB8:0:0:0:0:0:1', { family: 6, canonical: '2001:db8::1', unspecified: false, loopback: false }],
    ['2001:db8::', { family: 6, canonical: '2001:db8::', unspecified: false, loopback: false }],
    ['fe80::0001', { family: 6, canonical: 'fe80::1', unspecified: false, loopback: false }],
    ['1:0:0:2:0:0:0:3', { family: 6, canonical: '1:0:0:2::3', unspecified: false, loopback: false }],
    ['1:0:0:2:0:0:3:4', { family: 6, canonical: '1::2:0:0:3:4', unspecified: false, loopback: false }],
    ['1:0:2:3:4:5:6:7', { family: 6, canonical: '1:0:2:3:4:5:6:7', unspecified: false, loopback: false }],
    ['::1.2.3.4', { family: 6, canonical: '::102:304', unspecified: false, loopback: false }],
    ['1:2:3:4:5:6:1.2.3.4', { family: 6, canonical: '1:2:3:4:5:6:102:304', unspecified: false, loopback: false }],
    [
      '::ffff:1.2.3.4',
      { family: 6, canonical: '::ffff:1.2.3.4', unspecified: false, loopback: false, v4mapped: '1.2.3.4' },
    ],
    [
      '::FFFF:127.0.0.1',
      { family: 6, canonical: '::ffff:127.0.0.1', unspecified: false, loopback: true, v4mapped: '127.0.0.1' },
    ],
    [
      '::ffff:0.0.0.0',
      { family: 6, canonical: '::ffff:0.0.0.0', unspecified: true, loopback: false, v4mapped: '0.0.0.0' },
    ],
    [
      '::ffff:7f00:1',
      { family: 6, canonical: '::ffff:127.0.0.1', unspecified: false, loopback: true, v4mapped: '127.0.0.1' },
    ],
  ])('%s', (s, expected) => {
    expect(parseIp(s)).toEqual(expected);
  });

  it.each([
    '',
    'localhost',
    '127.0.1',
    '01.2.3.4',
    '127.0.0.01',
    '256.0.0.1',
    '1.2.3.4.5',
    '1..2.3',
    '.1.2.3',
    '1.2.3.',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.4:80',
    '[::1]',
    '[]',
    'fe80::1%eth0',
    '::1%',
    '%eth0',
    '1::2::3',
    '12345::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:1.2.3.4',
    '::ffff:01.2.3.4',
    '::ffff:1.2.3',
    ':1::',
    '1:',
    ':::',
    'g::1',
    '8080:80',
  ])('%j is not an IP', (s) => {
    expect(parseIp(s)).toBeUndefined();
  });

  it('isUnspecifiedAddress', () => {
    expect(isUnspecifiedAddress('0.0.0.0')).toBe(true);
    expect(isUnspecifiedAddress('::')).toBe(true);
    expect(isUnspecifiedAddress('0::0')).toBe(true);
    expect(isUnspecifiedAddress('::ffff:0.0.0.0')).toBe(true);
    expect(isUnspecifiedAddress('')).toBe(false);
    expect(isUnspecifiedAddress('127.0.0.1')).toBe(false);
    expect(isUnspecifiedAddress('::1')).toBe(false);
    expect(isUnspecifiedAddress('localhost')).toBe(false);
  });
});

// ---------------------------------------------------------------------------

const P8080 = { start: 8080, end: 8080 };

function l(address: string, family: 4 | 6, ports?: { start: number; end: number }, protocol = 'tcp'): Listener {
  const x: Listener = { address, family, protocol };
  if (ports) x.ports = ports;
  return x;
}

/** A listener whose port the Engine picks from the range `ports` ("8000-8010:80"). */
function pick(address: string, family: 4 | 6, ports: { start: number; end: number }, protocol = 'tcp'): Listener {
  return { ...l(address, family, ports, protocol), picksOne: true };
}

describe('listenersFor: §4.1 table', () => {
  const b = (hostIp: string, hostPorts: { start: number; end: number } | null = P8080, protocol = 'tcp', count = 1) => ({
    hostIp,
    hostPorts: hostPorts ?? undefined,
    protocol,
    count,
  });

  it('"" with no network default → 0.0.0.0 and ::', () => {
    expect(listenersFor(b(''))).toEqual([l('0.0.0.0', 4, P8080), l('::', 6, P8080)]);
  });
  it('"" with default 0.0.0.0 → 0.0.0.0 and ::', () => {
    expect(listenersFor(b(''), '0.0.0.0')).toEqual([l('0.0.0.0', 4, P8080), l('::', 6, P8080)]);
    expect(listenersFor(b(''), '::ffff:0.0.0.0')).toEqual([l('0.0.0.0', 4, P8080), l('::', 6, P8080)]);
    expect(listenersFor(b(''), '')).toEqual([l('0.0.0.0', 4, P8080), l('::', 6, P8080)]);
  });
  it('"" with an IPv4 default → that address only', () => {
    expect(listenersFor(b(''), '127.0.0.1')).toEqual([l('127.0.0.1', 4, P8080)]);
    expect(listenersFor(b(''), '192.168.1.10')).toEqual([l('192.168.1.10', 4, P8080)]);
    expect(listenersFor(b(''), '::ffff:127.0.0.1')).toEqual([l('127.0.0.1', 4, P8080)]);
  });
  it('"" with an IPv6 default → that address only', () => {
    expect(listenersFor(b(''), '::1')).toEqual([l('::1', 6, P8080)]);
    expect(listenersFor(b(''), '::')).toEqual([l('::', 6, P8080)]);
  });
  it('explicit 0.0.0.0 → IPv4 only, whatever the default', () => {
    expect(listenersFor(b('0.0.0.0'))).toEqual([l('0.0.0.0', 4, P8080)]);
    expect(listenersFor(b('0.0.0.0'), '127.0.0.1')).toEqual([l('0.0.0.0', 4, P8080)]);
  });
  it('explicit :: → IPv6 only', () => {
    expect(listenersFor(b('::'))).toEqual([l('::', 6, P8080)]);
    expect(listenersFor(b('::'), '127.0.0.1')).toEqual([l('::', 6, P8080)]);
    expect(listenersFor(b('0:0::0'))).toEqual([l('::', 6, P8080)]);
  });
  it('a specific IPv4 → that address', () => {
    expect(listenersFor(b('127.0.0.1'))).toEqual([l('127.0.0.1', 4, P8080)]);
    expect(listenersFor(b('10.0.0.5'), '127.0.0.1')).toEqual([l('10.0.0.5', 4, P8080)]);
  });
  it('a specific IPv6 → that address, canonical', () => {
    expect(listenersFor(b('::1'))).toEqual([l('::1', 6, P8080)]);
    expect(listenersFor(b('2001:DB8:0::1'), '127.0.0.1')).toEqual([l('2001:db8::1', 6, P8080)]);
  });
  it('::ffff:a.b.c.d → IPv4 a.b.c.d', () => {
    expect(listenersFor(b('::ffff:192.168.1.5'))).toEqual([l('192.168.1.5', 4, P8080)]);
    expect(listenersFor(b('::ffff:0.0.0.0'))).toEqual([l('0.0.0.0', 4, P8080)]);
  });
  it('ephemeral, ranges, runs, protocol and invalid host IPs', () => {
    expect(listenersFor(b('', null, 'udp'))).toEqual([l('0.0.0.0', 4, undefined, 'udp'), l('::', 6, undefined, 'udp')]);
    // an ephemeral run ("3000-3005") has no ports and picks nothing
    expect(listenersFor(b('', null, 'tcp', 6))).toEqual([l('0.0.0.0', 4), l('::', 6)]);
    const r = { start: 8000, end: 8010 };
    // "127.0.0.1:8000-8010:80": the Engine picks one port of the range
    expect(listenersFor(b('127.0.0.1', r))).toEqual([pick('127.0.0.1', 4, r)]);
    expect(listenersFor(b('', r))).toEqual([pick('0.0.0.0', 4, r), pick('::', 6, r)]);
    // "127.0.0.1:8000-8010:8000-8010": a run holds every port of its interval
    const run = listenersFor(b('127.0.0.1', r, 'tcp', 11));
    expect(run).toEqual([l('127.0.0.1', 4, r)]);
    expect('picksOne' in run[0]).toBe(false);
    expect(run[0].ports).toBe(r);
    // the parser's bindings give the same
    expect(listenersFor(one('127.0.0.1:8000-8010:80'))).toEqual([pick('127.0.0.1', 4, r)]);
    expect(listenersFor(one('127.0.0.1:8000-8010:8000-8010'))).toEqual([l('127.0.0.1', 4, r)]);
    // the raw API's 20.10 behaviour: not an IP → unspecified
    expect(listenersFor(b('localhost'))).toEqual([l('0.0.0.0', 4, P8080), l('::', 6, P8080)]);
    // an unparsable network default is ignored
    expect(listenersFor(b(''), 'nonsense')).toEqual([l('0.0.0.0', 4, P8080), l('::', 6, P8080)]);
  });
});

describe('formatListener', () => {
  it.each([
    [l('0.0.0.0', 4, P8080), '0.0.0.0:8080/tcp'],
    [l('::', 6, P8080), '[::]:8080/tcp'],
    [l('::1', 6, P8080, 'udp'), '[::1]:8080/udp'],
    [l('0.0.0.0', 4, { start: 8000, end: 8010 }), '0.0.0.0:8000-8010/tcp'],
    [pick('0.0.0.0', 4, { start: 8000, end: 8010 }), '0.0.0.0:8000-8010/tcp'],
    [l('0.0.0.0', 4), '0.0.0.0:*/tcp'],
    [l('::', 6, undefined, 'sctp'), '[::]:*/sctp'],
  ])('%j → %s', (listener, text) => {
    expect(formatListener(listener)).toBe(text);
  });
});

// ---------------------------------------------------------------------------

/** Do two short specs (all their bindings) collide, with no network default? */
function specsConflict(a: string, b: string): boolean {
  const la = ok(parseShortSpec(a)).flatMap((x) => listenersFor(x));
  const lb = ok(parseShortSpec(b)).flatMap((x) => listenersFor(x));
  return la.some((x) => lb.some((y) => listenersConflict(x, y)));
}

describe('listenersConflict: §4.3 matrix', () => {
  it('"" vs "" → conflict (through both listeners)', () => {
    expect(specsConflict('8080:80', '8080:81')).toBe(true);
    const [v4a, v6a] = listenersFor(one('8080:80'));
    const [v4b, v6b] = listenersFor(one('8080:81'));
    expect(listenersConflict(v4a, v4b)).toBe(true);
    expect(listenersConflict(v6a, v6b)).toBe(true);
    expect(listenersConflict(v4a, v6b)).toBe(false);
  });
  it('"" vs 127.0.0.1 → conflict through the v4 listener', () => {
    expect(specsConflict('8080:80', '127.0.0.1:8080:80')).toBe(true);
    const [v4, v6] = listenersFor(one('8080:80'));
    const [lo] = listenersFor(one('127.0.0.1:8080:80'));
    expect(listenersConflict(v4, lo)).toBe(true);
    expect(listenersConflict(v6, lo)).toBe(false);
  });
  it('"" vs :: → conflict', () => {
    expect(specsConflict('8080:80', ':::8080:80')).toBe(true);
    expect(specsConflict('8080:80', '[::]:8080:80')).toBe(true);
  });
  it('"" vs ::1 → conflict through the v6 listener', () => {
    expect(specsConflict('8080:80', '::1:8080:80')).toBe(true);
    expect(specsConflict('8080:80', '[::1]:8080:80')).toBe(true);
    const [v4, v6] = listenersFor(one('8080:80'));
    const [lo6] = listenersFor(one('[::1]:8080:80'));
    expect(listenersConflict(v6, lo6)).toBe(true);
    expect(listenersConflict(v4, lo6)).toBe(false);
  });
  it('0.0.0.0 vs :: → no conflict', () => {
    expect(specsConflict('0.0.0.0:8080:80', ':::8080:80')).toBe(false);
    expect(listenersConflict(l('0.0.0.0', 4, P8080), l('::', 6, P8080))).toBe(false);
  });
  it('127.0.0.1 vs 127.0.0.2 → no conflict', () => {
    expect(specsConflict('127.0.0.1:8080:80', '127.0.0.2:8080:80')).toBe(false);
  });
  it('tcp vs udp → no conflict', () => {
    expect(specsConflict('8080:80/tcp', '8080:80/udp')).toBe(false);
    expect(specsConflict('8080:80/udp', '8080:81/udp')).toBe(true);
    expect(specsConflict('8080:80/sctp', '8080:80/udp')).toBe(false);
  });
  it('same range a-b twice → no conflict (each gets its own port)', () => {
    expect(specsConflict('8000-8010:80', '8000-8010:80')).toBe(false);
  });

  it('near misses', () => {
    expect(specsConflict('127.0.0.1:8080:80', '127.0.0.1:8080:81')).toBe(true);
    expect(specsConflict('0.0.0.0:8080:80', '127.0.0.1:8080:80')).toBe(true);
    expect(specsConflict('0.0.0.0:8080:80', '[::1]:8080:80')).toBe(false);
    expect(specsConflict(':::8080:80', '127.0.0.1:8080:80')).toBe(false);
    expect(specsConflict(':::8080:80', '::1:8080:80')).toBe(true);
    expect(specsConflict('::1:8080:80', '::2:8080:80')).toBe(false);
    expect(specsConflict('8080:80', '8081:80')).toBe(false);
    expect(specsConflict('8000-8010:8000-8010', '8005:80')).toBe(true);
    expect(specsConflict('8000-8010:8000-8010', '8011:80')).toBe(false);
    expect(specsConflict('::ffff:127.0.0.1:8080:80', '127.0.0.1:8080:80')).toBe(true);
    expect(specsConflict('::ffff:127.0.0.1:8080:80', '::1:8080:80')).toBe(false);
  });

  it('ephemeral listeners never conflict statically', () => {
    expect(specsConflict('80', '80')).toBe(false);
    expect(specsConflict('0:80', '0:80')).toBe(false);
    expect(specsConflict('80', '8080:80')).toBe(false);
  });

  it('a runtime-picked range never conflicts pairwise; a one-port "range" is a fixed port', () => {
    expect(specsConflict('8080-8081:80', '8080:80')).toBe(false);
    expect(specsConflict('8080-8081:80', '8081:80')).toBe(false);
    expect(specsConflict('8080-8081:80', '8080-8081:8080-8081')).toBe(false);
    expect(specsConflict('8080-8080:80', '8080:81')).toBe(true);
    const r = { start: 1, end: 2 };
    expect(listenersConflict(pick('0.0.0.0', 4, r), pick('0.0.0.0', 4, r))).toBe(false);
    expect(listenersConflict(pick('0.0.0.0', 4, r), l('0.0.0.0', 4, r))).toBe(false);
    expect(listenersConflict(l('0.0.0.0', 4, r), pick('0.0.0.0', 4, r))).toBe(false);
    expect(listenersConflict(pick('0.0.0.0', 4, r), l('0.0.0.0', 4, { start: 1, end: 1 }))).toBe(false);
  });

  it('runs hold every port of their interval: they conflict wherever the intervals overlap', () => {
    expect(specsConflict('8000-8010:8000-8010', '8010-8020:8010-8020')).toBe(true);
    expect(specsConflict('8000-8010:8000-8010', '8011-8020:8011-8020')).toBe(false);
    expect(specsConflict('8000-8010:8000-8010', '9000-9010:8000-8010')).toBe(false);
    expect(specsConflict('8000-8010:8000-8010', '8005-8006:80-81')).toBe(true);
    expect(specsConflict('8000-8010:8000-8010', '8010:80')).toBe(true);
    expect(specsConflict('8000-8010:8000-8010', '7999:80')).toBe(false);
    expect(specsConflict('127.0.0.1:8000-8010:8000-8010', '127.0.0.2:8005-8006:80-81')).toBe(false);
    expect(specsConflict('0.0.0.0:8000-8010:8000-8010', '[::]:8005-8006:80-81')).toBe(false);
    expect(specsConflict('8000-8010:8000-8010/udp', '8005-8006:80-81/tcp')).toBe(false);
    // the engine-chosen "0" of "0-2:80-82" collides with nothing; its run 1-2 does
    expect(specsConflict('0-2:80-82', '0:90')).toBe(false);
    expect(specsConflict('0-2:80-82', '2:90')).toBe(true);
    expect(listenersConflict(l('0.0.0.0', 4, { start: 1, end: 5 }), l('0.0.0.0', 4, { start: 5, end: 9 }))).toBe(true);
    expect(listenersConflict(l('0.0.0.0', 4, { start: 1, end: 5 }), l('0.0.0.0', 4, { start: 6, end: 9 }))).toBe(false);
    expect(listenersConflict(l('0.0.0.0', 4, { start: 1, end: 9 }), l('127.0.0.1', 4, { start: 4, end: 4 }))).toBe(true);
    expect(listenersConflict(l('0.0.0.0', 4, { start: 1, end: 9 }), l('0.0.0.0', 4, { start: 4, end: 4 }, 'udp'))).toBe(false);
  });

  it('non-canonical address spellings still compare equal', () => {
    expect(listenersConflict(l('0:0::1', 6, P8080), l('::1', 6, P8080))).toBe(true);
    expect(listenersConflict(l('0:0::0', 6, P8080), l('::2', 6, P8080))).toBe(true);
    expect(listenersConflict(l('::ffff:127.0.0.1', 4, P8080), l('127.0.0.1', 4, P8080))).toBe(true);
  });
});

describe('listenersMayConflict and exhaustedRanges', () => {
  it('mayConflict: intervals overlap on compatible addresses', () => {
    expect(listenersMayConflict(pick('0.0.0.0', 4, { start: 8080, end: 8081 }), l('0.0.0.0', 4, P8080))).toBe(true);
    expect(listenersMayConflict(pick('0.0.0.0', 4, { start: 8081, end: 8090 }), l('0.0.0.0', 4, P8080))).toBe(false);
    expect(listenersMayConflict(pick('127.0.0.1', 4, { start: 8000, end: 8090 }), l('127.0.0.2', 4, P8080))).toBe(false);
    expect(listenersMayConflict(pick('0.0.0.0', 4, { start: 8000, end: 8090 }), l('::', 6, P8080))).toBe(false);
    expect(listenersMayConflict(pick('0.0.0.0', 4, { start: 8000, end: 8090 }), pick('0.0.0.0', 4, { start: 8090, end: 9000 }))).toBe(true);
    // held runs: the same intervals, with or without picksOne
    expect(listenersMayConflict(l('0.0.0.0', 4, { start: 8080, end: 8081 }), l('0.0.0.0', 4, P8080))).toBe(true);
    expect(listenersMayConflict(l('0.0.0.0', 4, { start: 8081, end: 8090 }), l('0.0.0.0', 4, P8080))).toBe(false);
    expect(listenersMayConflict(l('0.0.0.0', 4), l('0.0.0.0', 4, P8080))).toBe(false);
    expect(listenersMayConflict(l('0.0.0.0', 4, P8080), l('127.0.0.1', 4, P8080))).toBe(true);
  });

  it('the same range twice fits; three times in a two-port range does not', () => {
    const r = { start: 8000, end: 8001 };
    expect(exhaustedRanges([pick('0.0.0.0', 4, r), pick('0.0.0.0', 4, r)])).toEqual([]);
    expect(exhaustedRanges([pick('0.0.0.0', 4, r), pick('0.0.0.0', 4, r), pick('0.0.0.0', 4, r)])).toEqual([2]);
    // on another address they do not compete
    expect(exhaustedRanges([pick('127.0.0.1', 4, r), pick('127.0.0.2', 4, r), pick('127.0.0.3', 4, r)])).toEqual([]);
  });

  it('fixed ports are held first, whatever their position', () => {
    const r = { start: 8000, end: 8001 };
    expect(exhaustedRanges([pick('0.0.0.0', 4, r), l('0.0.0.0', 4, { start: 8000, end: 8000 }), l('127.0.0.1', 4, { start: 8001, end: 8001 })])).toEqual([0]);
    expect(exhaustedRanges([pick('0.0.0.0', 4, r), l('0.0.0.0', 4, { start: 8000, end: 8000 })])).toEqual([]);
    expect(exhaustedRanges([pick('0.0.0.0', 4, r, 'tcp'), l('0.0.0.0', 4, { start: 8000, end: 8000 }, 'udp'), l('0.0.0.0', 4, { start: 8001, end: 8001 }, 'udp')])).toEqual([]);
    expect(exhaustedRanges([l('0.0.0.0', 4), l('0.0.0.0', 4, P8080)])).toEqual([]);
  });

  it('a held run takes every port of its interval; picks get the lowest free port after it', () => {
    const run = l('0.0.0.0', 4, { start: 8000, end: 8004 }); // "8000-8004:8000-8004"
    const r = { start: 8000, end: 8005 }; // "8000-8005:80"
    // a held run is never exhausted, and on its own it exhausts nothing
    expect(exhaustedRanges([run])).toEqual([]);
    expect(exhaustedRanges([run, run])).toEqual([]);
    // the first pick gets 8005, the second finds the range full, wherever the run stands
    expect(exhaustedRanges([run, pick('0.0.0.0', 4, r)])).toEqual([]);
    expect(exhaustedRanges([run, pick('0.0.0.0', 4, r), pick('0.0.0.0', 4, r)])).toEqual([2]);
    expect(exhaustedRanges([pick('0.0.0.0', 4, r), pick('0.0.0.0', 4, r), run])).toEqual([1]);
    // so 8005 is what the first one took: a fixed 8005 leaves it nothing
    expect(exhaustedRanges([run, pick('0.0.0.0', 4, r), l('0.0.0.0', 4, { start: 8005, end: 8005 })])).toEqual([1]);
    // a run that covers the range only in part leaves a port on either side
    expect(exhaustedRanges([pick('0.0.0.0', 4, { start: 7999, end: 8005 }), l('0.0.0.0', 4, { start: 8000, end: 8004 }), pick('0.0.0.0', 4, { start: 7999, end: 8005 }), pick('0.0.0.0', 4, { start: 7999, end: 8005 })])).toEqual([3]);
    // two held runs back to back fill the range; a gap between them is found
    expect(exhaustedRanges([l('0.0.0.0', 4, { start: 8000, end: 8002 }), l('0.0.0.0', 4, { start: 8003, end: 8005 }), pick('0.0.0.0', 4, r)])).toEqual([2]);
    expect(exhaustedRanges([l('0.0.0.0', 4, { start: 8000, end: 8002 }), l('0.0.0.0', 4, { start: 8004, end: 8005 }), pick('0.0.0.0', 4, r), pick('0.0.0.0', 4, r)])).toEqual([3]);
    // overlapping held runs
    expect(exhaustedRanges([l('0.0.0.0', 4, { start: 8000, end: 8004 }), l('0.0.0.0', 4, { start: 8001, end: 8002 }), pick('0.0.0.0', 4, r), pick('0.0.0.0', 4, r)])).toEqual([3]);
    // a run on another address, family or protocol holds nothing the pick needs
    expect(exhaustedRanges([l('127.0.0.1', 4, { start: 8000, end: 8005 }), pick('127.0.0.2', 4, r)])).toEqual([]);
    expect(exhaustedRanges([l('::', 6, { start: 8000, end: 8005 }), pick('0.0.0.0', 4, r)])).toEqual([]);
    expect(exhaustedRanges([l('0.0.0.0', 4, { start: 8000, end: 8005 }, 'udp'), pick('0.0.0.0', 4, r)])).toEqual([]);
    // but an unspecified-address run holds the ports of every address of its family
    expect(exhaustedRanges([l('0.0.0.0', 4, { start: 8000, end: 8005 }), pick('127.0.0.1', 4, r)])).toEqual([1]);
    // from parsed specs: "8000-8004:8000-8004" then "8000-8005:80" twice, v4 and v6 each
    const ls = ['8000-8004:8000-8004', '8000-8005:80', '8000-8005:80'].flatMap((s) => listenersFor(one(s)));
    expect(ls.map((x) => x.picksOne === true)).toEqual([false, false, true, true, true, true]);
    expect(exhaustedRanges(ls)).toEqual([4, 5]);
  });
});

// ---------------------------------------------------------------------------

describe('portItemDedupeKey: §1.6', () => {
  it('int and string items', () => {
    expect(portItemDedupeKey({ kind: 'int', value: 80 })).toBe('80');
    expect(portItemDedupeKey({ kind: 'str', value: '8080:80' })).toBe('8080:80');
    expect(portItemDedupeKey({ kind: 'str', value: '0.0.0.0:8080:80' })).toBe('0.0.0.0:8080:80');
    // the int 80 and the string "80" share a key
    expect(portItemDedupeKey({ kind: 'int', value: 80 })).toBe(portItemDedupeKey({ kind: 'str', value: '80' }));
  });

  it('mapping: missing host_ip is indexed as 0.0.0.0, missing protocol as tcp', () => {
    const a = portItemDedupeKey({ kind: 'map', published: '8080', publishedIsInt: false, target: 80 });
    const b = portItemDedupeKey({
      kind: 'map',
      host_ip: '0.0.0.0',
      published: '8080',
      publishedIsInt: false,
      target: 80,
      protocol: 'tcp',
    });
    expect(a).toBe('0.0.0.0:8080:80/tcp');
    expect(b).toBe(a);
    expect(portItemDedupeKey({ kind: 'map', host_ip: '', published: '8080', publishedIsInt: false, target: 80 })).toBe(
      ':8080:80/tcp',
    );
    expect(
      portItemDedupeKey({ kind: 'map', host_ip: '127.0.0.1', published: '8080', publishedIsInt: false, target: 80, protocol: 'UDP' }),
    ).toBe('127.0.0.1:8080:80/UDP');
  });

  it('an int published is formatted with %s on an int', () => {
    const k = portItemDedupeKey({ kind: 'map', published: 8080, publishedIsInt: true, target: 80 });
    expect(k).toBe('0.0.0.0:%!s(int=8080):80/tcp');
    expect(k).not.toBe(portItemDedupeKey({ kind: 'map', published: '8080', publishedIsInt: false, target: 80 }));
    expect(k).not.toBe(portItemDedupeKey({ kind: 'str', value: '8080:80' }));
  });

  it('other Go types in the mapping', () => {
    expect(portItemDedupeKey({ kind: 'map', published: 8080, publishedIsInt: false, target: 80 })).toBe(
      '0.0.0.0:%!s(float64=8080):80/tcp',
    );
    expect(portItemDedupeKey({ kind: 'map', published: 80.5, publishedIsInt: false, target: 80 })).toBe(
      '0.0.0.0:%!s(float64=80.5):80/tcp',
    );
    expect(portItemDedupeKey({ kind: 'map', published: 1000000, publishedIsInt: false, target: 80 })).toBe(
      '0.0.0.0:%!s(float64=1e+06):80/tcp',
    );
    expect(portItemDedupeKey({ kind: 'map', publishedIsInt: false, target: 80 })).toBe('0.0.0.0:%!s(<nil>):80/tcp');
    expect(portItemDedupeKey({ kind: 'map', published: '', publishedIsInt: false, target: 80 })).toBe('0.0.0.0::80/tcp');
    expect(portItemDedupeKey({ kind: 'map', published: '8080', publishedIsInt: false, target: '80' })).toBe(
      '0.0.0.0:8080:%!d(string=80)/tcp',
    );
    expect(portItemDedupeKey({ kind: 'map', published: '8080', publishedIsInt: false, target: 80.5 })).toBe(
      '0.0.0.0:8080:%!d(float64=80.5)/tcp',
    );
  });

  it('floats, booleans and other scalars all get ""', () => {
    expect(portItemDedupeKey({ kind: 'other' })).toBe('');
  });
});

// ---------------------------------------------------------------------------

describe('speed', () => {
  it('parses and expands 10,000 entries quickly', () => {
    const specs: string[] = [];
    for (let i = 0; i < 10000; i++) {
      const p = 1024 + (i % 60000);
      specs.push(i % 3 === 0 ? `127.0.0.1:${p}:80/udp` : i % 3 === 1 ? `${p}:${p}` : `[::1]:${p}:80`);
    }
    // warm-up
    for (const s of specs) parseShortSpec(s);
    const t0 = performance.now();
    let n = 0;
    for (const s of specs) {
      const r = parseShortSpec(s);
      if (r.ok) for (const b of r.bindings) n += listenersFor(b).length;
    }
    const ms = performance.now() - t0;
    // "" bindings (one in three) have two listeners
    expect(n).toBe(13333);
    expect(ms).toBeLessThan(250);
  });
});
