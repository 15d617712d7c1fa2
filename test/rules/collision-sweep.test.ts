import { describe, expect, it } from 'vitest';
import type { Binding, Listener } from '../../src/model/types';
import { exhaustedRanges, listenersConflict, listenersMayConflict } from '../../src/model/listeners';
import { exhaustedEntries, overlappingPairs, type Tagged } from '../../rules/collision/sweep';
import { intervalsText, mergeIntervals } from '../../src/engine/words';
import { ConflictCollector, type ConflictEntry } from '../../rules/collision/shared';
import { rng } from '../helpers';

const V4 = ['0.0.0.0', '127.0.0.1', '127.0.0.2', '::ffff:127.0.0.1', '10.0.0.5'];
const V6 = ['::', '::1', '0:0::1', 'fe80::1', '::0'];

/**
 * Random listeners: single fixed ports, held runs ("8000-8003:8000-8003": every port of the
 * interval held), ranges the Engine picks one port from (`picksOne`), and ephemeral ones.
 */
function randomListeners(seed: number, n: number, maxPort: number): Listener[] {
  const r = rng(seed).next;
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const out: Listener[] = [];
  for (let i = 0; i < n; i++) {
    const family = r() < 0.5 ? 4 : 6;
    const l: Listener = { address: pick(family === 4 ? V4 : V6), family, protocol: r() < 0.8 ? 'tcp' : 'udp' };
    const kind = r();
    if (kind < 0.45) {
      const p = 1 + Math.floor(r() * maxPort);
      l.ports = { start: p, end: p };
    } else if (kind < 0.65) {
      const s = 1 + Math.floor(r() * maxPort);
      l.ports = { start: s, end: s + 1 + Math.floor(r() * 3) };
    } else if (kind < 0.9) {
      const s = 1 + Math.floor(r() * maxPort);
      l.ports = { start: s, end: s + 1 + Math.floor(r() * 3) };
      l.picksOne = true;
    }
    out.push(l);
  }
  return out;
}

/**
 * The same listeners with every held run expanded into one listener per port, as the
 * Engine binds them; `from[k]` is the index in `ls` of expanded listener k.
 */
function expandRuns(ls: Listener[]): { expanded: Listener[]; from: number[] } {
  const expanded: Listener[] = [];
  const from: number[] = [];
  ls.forEach((l, i) => {
    const p = l.ports;
    if (p === undefined || l.picksOne) {
      expanded.push(l);
      from.push(i);
      return;
    }
    for (let port = p.start; port <= p.end; port++) {
      expanded.push({ ...l, ports: { start: port, end: port } });
      from.push(i);
    }
  });
  return { expanded, from };
}

const tag = (ls: Listener[]): Array<Tagged<number>> => ls.map((listener, i) => ({ listener, tag: i }));

function sweepPairs(ls: Listener[], fixedOnly = false): string[] {
  const pairs: string[] = [];
  overlappingPairs(tag(ls), (i, j) => pairs.push(`${i}-${j}`), { fixedOnly });
  return pairs.sort();
}

function brutePairs(ls: Listener[], ok: (a: Listener, b: Listener) => boolean): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < ls.length; i++) for (let j = i + 1; j < ls.length; j++) if (ok(ls[i], ls[j])) pairs.push(`${i}-${j}`);
  return pairs.sort();
}

/** Holds its ports: a single fixed port or a run (not ephemeral, not picking). */
const isHeld = (l: Listener) => l.ports !== undefined && l.picksOne !== true;
const isPick = (l: Listener) => l.ports !== undefined && l.picksOne === true;
const isRun = (l: Listener) => isHeld(l) && l.ports!.start < l.ports!.end;

describe('overlappingPairs', () => {
  it('finds exactly the pairs listenersMayConflict accepts, each once (random sets)', () => {
    let total = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const ls = randomListeners(seed, 120, 25);
      const got = sweepPairs(ls);
      total += got.length;
      expect(new Set(got).size).toBe(got.length);
      expect(got).toEqual(brutePairs(ls, listenersMayConflict));
    }
    expect(total).toBeGreaterThan(1000);
  });

  it('with fixedOnly, finds exactly the certain conflicts (listenersConflict)', () => {
    let runPairs = 0;
    for (let seed = 100; seed <= 130; seed++) {
      const ls = randomListeners(seed, 120, 25);
      const got = sweepPairs(ls, true);
      expect(got).toEqual(brutePairs(ls, listenersConflict));
      // certain conflicts are between held listeners only: never a picking range
      expect(got).toEqual(brutePairs(ls, (a, b) => isHeld(a) && isHeld(b) && listenersMayConflict(a, b)));
      runPairs += got.filter((k) => k.split('-').some((x) => isRun(ls[Number(x)]))).length;
    }
    // held runs take part: their interval overlaps are certain conflicts
    expect(runPairs).toBeGreaterThan(1000);
  });

  it('a held run conflicts exactly where one of its ports would (random sets, against the expansion)', () => {
    for (let seed = 400; seed <= 430; seed++) {
      const ls = randomListeners(seed, 120, 25);
      const { expanded, from } = expandRuns(ls);
      const viaExpansion = new Set<string>();
      for (const k of brutePairs(expanded, listenersConflict)) {
        const [a, b] = k.split('-').map((x) => from[Number(x)]);
        if (a !== b) viaExpansion.add(`${Math.min(a, b)}-${Math.max(a, b)}`);
      }
      expect(sweepPairs(ls, true)).toEqual([...viaExpansion].sort());
    }
  });

  it('with rangePairsOnly, finds exactly the pairs that involve a picking range', () => {
    for (let seed = 300; seed <= 330; seed++) {
      const ls = randomListeners(seed, 120, 25);
      const got: string[] = [];
      overlappingPairs(tag(ls), (i, j) => got.push(`${i}-${j}`), { rangePairsOnly: true });
      expect(got.sort()).toEqual(brutePairs(ls, (a, b) => (isPick(a) || isPick(b)) && listenersMayConflict(a, b)));
    }
  });

  it('pairs i < j, never an ephemeral listener, never across protocol or family', () => {
    const ls: Listener[] = [
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 53, end: 53 } },
      { address: '0.0.0.0', family: 4, protocol: 'udp', ports: { start: 53, end: 53 } },
      { address: '::', family: 6, protocol: 'tcp', ports: { start: 53, end: 53 } },
      { address: '0.0.0.0', family: 4, protocol: 'tcp' },
      { address: '127.0.0.1', family: 4, protocol: 'tcp', ports: { start: 50, end: 60 } },
    ];
    expect(sweepPairs(ls)).toEqual(['0-4']);
  });

  it('compares ranges as intervals, without expanding them', () => {
    const ls: Listener[] = [
      // a held run ("1-65535:1-65535") and picking ranges
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 1, end: 65535 } },
      { address: '127.0.0.1', family: 4, protocol: 'tcp', ports: { start: 65535, end: 65535 } },
      { address: '127.0.0.2', family: 4, protocol: 'tcp', ports: { start: 65000, end: 65100 }, picksOne: true },
      { address: '127.0.0.2', family: 4, protocol: 'tcp', ports: { start: 65100, end: 65200 }, picksOne: true },
      { address: '127.0.0.3', family: 4, protocol: 'tcp', ports: { start: 65100, end: 65200 } },
    ];
    expect(sweepPairs(ls)).toEqual(['0-1', '0-2', '0-3', '0-4', '2-3']);
    // the certain ones: the held run against the single port and against the other held run
    expect(sweepPairs(ls, true)).toEqual(['0-1', '0-4']);
  });

  it('held runs conflict on any overlap of their intervals, touching or nested', () => {
    const run = (address: string, start: number, end: number): Listener => ({ address, family: 4, protocol: 'tcp', ports: { start, end } });
    const ls: Listener[] = [
      run('0.0.0.0', 8000, 8010),
      run('0.0.0.0', 8010, 8020), // touches 0 at 8010
      run('127.0.0.1', 8003, 8004), // nested in 0
      run('0.0.0.0', 8021, 8030), // next to 1, no overlap
      run('127.0.0.2', 8000, 8030), // overlaps 0, 1 and 3 (unspecified), not 2 (other address)
      { address: '0.0.0.0', family: 4, protocol: 'udp', ports: { start: 8000, end: 8030 } },
    ];
    expect(sweepPairs(ls, true)).toEqual(['0-1', '0-2', '0-4', '1-4', '3-4']);
    expect(sweepPairs(ls, true)).toEqual(brutePairs(ls, listenersConflict));
  });

  it('a 50,001-port run is one listener, paired with the single ports inside it', () => {
    const ls: Listener[] = [{ address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 10000, end: 60000 } }];
    for (let p = 9000; p < 11000; p++) ls.push({ address: '127.0.0.1', family: 4, protocol: 'tcp', ports: { start: p, end: p } });
    ls.push({ address: '0.0.0.0', family: 4, protocol: 'udp', ports: { start: 20000, end: 20000 } });
    const pairs: Array<[number, number]> = [];
    overlappingPairs(tag(ls), (i, j) => pairs.push([i, j]), { fixedOnly: true });
    // 127.0.0.1:10000..10999 against the run
    expect(pairs).toHaveLength(1000);
    for (const [i, j] of pairs) {
      expect(i).toBe(0);
      expect(ls[j].ports!.start).toBeGreaterThanOrEqual(10000);
      expect(ls[j].ports!.start).toBeLessThan(11000);
    }
  });

  it('finds the pairs of a 50,001-listener range expansion next to single ports', () => {
    const ls: Listener[] = [];
    for (let p = 10000; p <= 60000; p++) ls.push({ address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: p, end: p } });
    for (let p = 9000; p < 11000; p++) ls.push({ address: '127.0.0.1', family: 4, protocol: 'tcp', ports: { start: p, end: p } });
    ls.push({ address: '0.0.0.0', family: 4, protocol: 'udp', ports: { start: 20000, end: 20000 } });
    const pairs: Array<[number, number]> = [];
    overlappingPairs(tag(ls), (i, j) => pairs.push([i, j]));
    // 127.0.0.1:10000..10999 against the unspecified 10000..10999
    expect(pairs).toHaveLength(1000);
    for (const [i, j] of pairs) {
      expect(ls[i].ports!.start).toBe(ls[j].ports!.start);
      expect(ls[j].address).toBe('127.0.0.1');
    }
  });
});

describe('exhaustedEntries', () => {
  it('agrees with exhaustedRanges over the whole set (random sets)', () => {
    let total = 0;
    let byRuns = 0;
    for (let seed = 200; seed <= 260; seed++) {
      const ls = randomListeners(seed, 80, 12);
      const got = exhaustedEntries(tag(ls));
      total += got.length;
      expect(got.map((e) => e.index)).toEqual(exhaustedRanges(ls));
      for (const { index, holders } of got) {
        expect(isPick(ls[index])).toBe(true);
        for (const h of holders) {
          expect(listenersMayConflict(ls[index], ls[h])).toBe(true);
          if (!isHeld(ls[h])) expect(h).toBeLessThan(index);
        }
        if (holders.some((h) => isRun(ls[h]))) byRuns++;
      }
    }
    expect(total).toBeGreaterThan(20);
    // held runs take ports of the picking ranges
    expect(byRuns).toBeGreaterThan(200);
  });

  it('a held run takes the same ports as its expansion (random sets)', () => {
    for (let seed = 500; seed <= 540; seed++) {
      const ls = randomListeners(seed, 80, 12);
      const { expanded, from } = expandRuns(ls);
      expect(exhaustedRanges(ls)).toEqual(exhaustedRanges(expanded).map((k) => from[k]));
      expect(exhaustedEntries(tag(ls)).map((e) => e.index)).toEqual(exhaustedRanges(ls));
    }
  });

  it('names the fixed ports and earlier ranges that hold the range', () => {
    const r = { start: 8000, end: 8001 };
    const ls: Listener[] = [
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: r, picksOne: true },
      { address: '127.0.0.1', family: 4, protocol: 'tcp', ports: r, picksOne: true },
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8001, end: 8001 } },
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 9000, end: 9000 } },
    ];
    expect(exhaustedEntries(tag(ls))).toEqual([{ index: 1, holders: [0, 2] }]);
  });

  it('names the held runs that cover a range, and leaves a range a run covers only in part', () => {
    const ls: Listener[] = [
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8000, end: 8005 }, picksOne: true },
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8000, end: 8005 }, picksOne: true },
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 7990, end: 8004 } }, // "7990-8004:7990-8004"
      { address: '127.0.0.1', family: 4, protocol: 'tcp', ports: { start: 9000, end: 9001 }, picksOne: true },
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8990, end: 9000 } }, // leaves 9001 free
    ];
    // 0 gets 8005; 1 finds 8000-8004 held by the run and 8005 taken by 0
    expect(exhaustedEntries(tag(ls))).toEqual([{ index: 1, holders: [0, 2] }]);
    expect(exhaustedRanges(ls)).toEqual([1]);
  });

  it('returns nothing without ranges, and for ranges that overlap nothing', () => {
    const ls: Listener[] = [
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8000, end: 8000 } },
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8000, end: 8000 } },
    ];
    expect(exhaustedEntries(tag(ls))).toEqual([]);
    // held runs are never exhausted, even when they collide
    ls.push({ address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8000, end: 8002 } });
    ls.push({ address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8000, end: 8002 } });
    expect(exhaustedEntries(tag(ls))).toEqual([]);
    ls.push({ address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8003, end: 8004 }, picksOne: true });
    expect(exhaustedEntries(tag(ls))).toEqual([]);
  });
});

describe('collision helpers', () => {
  it('intervalsText renders merged intervals compactly', () => {
    const ports = (...ps: number[]) => mergeIntervals(ps.map((p) => ({ start: p, end: p })));
    expect(intervalsText(ports(8080), 4)).toBe('8080');
    expect(intervalsText(ports(8002, 8000, 8001, 8001), 4)).toBe('8000-8002');
    expect(intervalsText(ports(80, 443, 8000, 8001), 4)).toBe('80, 443 and 8000-8001');
    expect(intervalsText(ports(1, 3, 5, 7, 9, 11), 4)).toBe('1, 3, 5, 7, …');
    // runs merge as intervals, overlapping or adjacent
    expect(intervalsText(mergeIntervals([{ start: 8005, end: 8010 }, { start: 8000, end: 8004 }, { start: 8008, end: 8020 }, { start: 9000, end: 9000 }]), 4)).toBe('8000-8020 and 9000');
  });

  it('ConflictCollector gives the colliding host ports of a held run as merged intervals', () => {
    const binding = (service: string, spec: string, order: number, count: number) =>
      ({ service, item: { spec } as unknown as Binding['item'], order, count }) as Binding;
    const v4 = (start: number, end: number): Listener => ({ address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start, end } });
    const a = binding('a', '8003:80', 0, 1);
    const b = binding('b', '8004:80', 1, 1);
    const c = binding('c', '8008-8020:8008-8020', 2, 13);
    const d = binding('d', '8000-8010:8000-8010', 3, 11);
    const entries: ConflictEntry[] = [
      { listener: v4(8003, 8003), tag: { binding: a, rank: 0 } },
      { listener: v4(8004, 8004), tag: { binding: b, rank: 1 } },
      { listener: v4(8008, 8020), tag: { binding: c, rank: 2 } },
      { listener: v4(8000, 8010), tag: { binding: d, rank: 3 } },
    ];
    const collector = new ConflictCollector(entries);
    overlappingPairs(entries, (i, j) => collector.add(i, j), { fixedOnly: true });
    const groups = collector.groups();
    // one later item (d), against a, b and c; a, b and c do not meet each other
    expect(groups).toHaveLength(1);
    const g = groups[0];
    expect(g.binding).toBe(d);
    // 8003 and 8004 join; 8008-8010 is where the two runs overlap
    expect(g.ports).toEqual([
      { start: 8003, end: 8004 },
      { start: 8008, end: 8010 },
    ]);
    expect(g.first.earlier.binding).toBe(a);
    expect(g.earlierItems.map((x) => x.binding.service)).toEqual(['a', 'b', 'c']);
    expect(intervalsText(g.ports, 4)).toBe('8003-8004 and 8008-8010');
  });
});
