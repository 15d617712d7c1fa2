import { describe, expect, it } from 'vitest';
import type { Binding, Listener } from '../../src/model/types';
import { exhaustedRanges, listenersConflict, listenersMayConflict } from '../../src/model/port-spec';
import { exhaustedEntries, overlappingPairs, type Tagged } from '../../rules/collision/sweep';
import { portsText } from '../../src/engine/words';
import { loadRanks } from '../../rules/collision/shared';
import { rng } from '../helpers';

const V4 = ['0.0.0.0', '127.0.0.1', '127.0.0.2', '::ffff:127.0.0.1', '10.0.0.5'];
const V6 = ['::', '::1', '0:0::1', 'fe80::1', '::0'];

function randomListeners(seed: number, n: number, maxPort: number): Listener[] {
  const r = rng(seed).next;
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const out: Listener[] = [];
  for (let i = 0; i < n; i++) {
    const family = r() < 0.5 ? 4 : 6;
    const l: Listener = { address: pick(family === 4 ? V4 : V6), family, protocol: r() < 0.8 ? 'tcp' : 'udp' };
    const kind = r();
    if (kind < 0.6) {
      const p = 1 + Math.floor(r() * maxPort);
      l.ports = { start: p, end: p };
    } else if (kind < 0.9) {
      const s = 1 + Math.floor(r() * maxPort);
      l.ports = { start: s, end: s + 1 + Math.floor(r() * 3) };
    }
    out.push(l);
  }
  return out;
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

const isFixed = (l: Listener) => l.ports !== undefined && l.ports.start === l.ports.end;

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
    for (let seed = 100; seed <= 130; seed++) {
      const ls = randomListeners(seed, 120, 25);
      const got = sweepPairs(ls, true);
      expect(got).toEqual(brutePairs(ls, (a, b) => isFixed(a) && isFixed(b) && listenersConflict(a, b)));
    }
  });

  it('with rangePairsOnly, finds exactly the pairs that involve a range', () => {
    for (let seed = 300; seed <= 330; seed++) {
      const ls = randomListeners(seed, 120, 25);
      const got: string[] = [];
      overlappingPairs(tag(ls), (i, j) => got.push(`${i}-${j}`), { rangePairsOnly: true });
      expect(got.sort()).toEqual(brutePairs(ls, (a, b) => (!isFixed(a) || !isFixed(b)) && listenersMayConflict(a, b)));
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
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 1, end: 65535 } },
      { address: '127.0.0.1', family: 4, protocol: 'tcp', ports: { start: 65535, end: 65535 } },
      { address: '127.0.0.2', family: 4, protocol: 'tcp', ports: { start: 65000, end: 65100 } },
      { address: '127.0.0.2', family: 4, protocol: 'tcp', ports: { start: 65100, end: 65200 } },
      { address: '127.0.0.3', family: 4, protocol: 'tcp', ports: { start: 65100, end: 65200 } },
    ];
    expect(sweepPairs(ls)).toEqual(['0-1', '0-2', '0-3', '0-4', '2-3']);
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
    for (let seed = 200; seed <= 260; seed++) {
      const ls = randomListeners(seed, 80, 12);
      const got = exhaustedEntries(tag(ls));
      total += got.length;
      expect(got.map((e) => e.index)).toEqual(exhaustedRanges(ls));
      for (const { index, holders } of got) {
        for (const h of holders) {
          expect(listenersMayConflict(ls[index], ls[h])).toBe(true);
          if (!isFixed(ls[h])) expect(h).toBeLessThan(index);
        }
      }
    }
    expect(total).toBeGreaterThan(20);
  });

  it('names the fixed ports and earlier ranges that hold the range', () => {
    const r = { start: 8000, end: 8001 };
    const ls: Listener[] = [
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: r },
      { address: '127.0.0.1', family: 4, protocol: 'tcp', ports: r },
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8001, end: 8001 } },
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 9000, end: 9000 } },
    ];
    expect(exhaustedEntries(tag(ls))).toEqual([{ index: 1, holders: [0, 2] }]);
  });

  it('returns nothing without ranges, and for ranges that overlap nothing', () => {
    const ls: Listener[] = [
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8000, end: 8000 } },
      { address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8000, end: 8000 } },
    ];
    expect(exhaustedEntries(tag(ls))).toEqual([]);
    ls.push({ address: '0.0.0.0', family: 4, protocol: 'tcp', ports: { start: 8001, end: 8002 } });
    expect(exhaustedEntries(tag(ls))).toEqual([]);
  });
});

describe('collision helpers', () => {
  it('portsText renders compact runs', () => {
    expect(portsText([8080])).toBe('8080');
    expect(portsText([8002, 8000, 8001, 8001])).toBe('8000-8002');
    expect(portsText([80, 443, 8000, 8001])).toBe('80, 443 and 8000-8001');
    expect(portsText([1, 3, 5, 7, 9, 11])).toBe('1, 3, 5, 7, …');
  });

  it('loadRanks keeps every binding of a long container range before the next port item', () => {
    const item = (n: number) => ({ spec: String(n) }) as unknown as Binding['item'];
    const range = item(1);
    const single = item(2);
    const bindings = [
      ...Array.from({ length: 100 }, (_, i) => ({ item: range, order: 10 + i / 1000 * 100 }) as Binding),
      { item: single, order: 12 } as Binding,
    ];
    const ranks = loadRanks(bindings);
    expect(ranks.get(bindings[100])).toBe(100);
    expect(ranks.get(bindings[99])).toBe(99);
  });
});
