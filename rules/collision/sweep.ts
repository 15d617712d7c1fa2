/**
 * The one place where the collision rules compare host listeners with each other.
 *
 * `overlappingPairs` finds every pair of listeners that may collide (same protocol and
 * family, overlapping host port intervals, same address or either side unspecified) with
 * an interval sweep: listeners are grouped by (protocol, family), sorted by the start of
 * their host port interval, and each one is compared only with the still-active listeners
 * whose interval reaches it and whose address can overlap its own. Cost: O(n log n + k),
 * k = pairs found. Ranges are never expanded port by port, and nothing is compared all
 * against all. The final say on every pair belongs to `listenersMayConflict` (listeners):
 * the address index here only decides which listeners are worth asking about.
 *
 * `exhaustedEntries` applies `exhaustedRanges` (listeners) to the small groups of
 * listeners that can actually compete for the ports of a runtime-picked host range: one
 * sweep that skips fixed-vs-fixed pairs, then `exhaustedRanges` per group of ranges that
 * overlap each other (with the fixed listeners inside them). Fixed listeners far from any
 * range are never looked at again.
 */
import type { Listener } from '../../src/model/types';
import { isUnspecifiedAddress, parseIp } from '../../src/model/ip';
import { exhaustedRanges, listenersMayConflict } from '../../src/model/listeners';
import { mergeIntervals } from '../../src/engine/words';

/** A listener with whatever the caller needs to map it back (its binding, project ...). */
export interface Tagged<T> {
  listener: Listener;
  tag: T;
}

/** Key of the address index for the unspecified address of a family (0.0.0.0 or ::). */
const UNSPECIFIED = '';

/** Index key of an address: "" for unspecified, else its canonical form (v4-mapped as IPv4). */
function addressKey(address: string, cache: Map<string, string>): string {
  let key = cache.get(address);
  if (key === undefined) {
    if (isUnspecifiedAddress(address)) key = UNSPECIFIED;
    else {
      const ip = parseIp(address);
      key = ip === undefined ? address : ip.v4mapped ?? ip.canonical;
    }
    cache.set(address, key);
  }
  return key;
}

/**
 * Calls `visit(i, j)` (i < j, indices into `entries`) once for every pair of listeners
 * that may collide: `listenersMayConflict` holds (same protocol and family, overlapping
 * host port intervals, compatible addresses). Ephemeral listeners (no `ports`) are never
 * paired. Options:
 * - `fixedOnly`: listeners whose host port is a runtime-picked range are left out, so
 *   every pair found is a certain conflict (`listenersConflict`);
 * - `rangePairsOnly`: only pairs with at least one range listener; two fixed listeners
 *   are never compared with each other.
 */
export function overlappingPairs<T>(
  entries: readonly Tagged<T>[],
  visit: (i: number, j: number) => void,
  opts: { fixedOnly?: boolean; rangePairsOnly?: boolean } = {},
): void {
  // Groups by (protocol, family), in order of first appearance; no key string per listener.
  const groups: number[][] = [];
  const byProtocol = new Map<string, Array<number[] | undefined>>();
  for (let i = 0; i < entries.length; i++) {
    const l = entries[i].listener;
    const p = l.ports;
    if (p === undefined || (opts.fixedOnly && l.picksOne)) continue;
    let families = byProtocol.get(l.protocol);
    if (families === undefined) byProtocol.set(l.protocol, (families = []));
    let g = families[l.family];
    if (g === undefined) groups.push((families[l.family] = g = []));
    g.push(i);
  }
  const cache = new Map<string, string>();
  for (const group of groups) sweepGroup(entries, group, cache, visit, opts.rangePairsOnly === true);
}

/**
 * Sorts a group (ascending indices) by the start of the host port interval, ties by index:
 * a stable counting sort over the port numbers for large groups, a comparison sort for small ones.
 */
function sortByStart<T>(entries: readonly Tagged<T>[], group: number[]): void {
  const n = group.length;
  if (n < 256) {
    group.sort((a, b) => entries[a].listener.ports!.start - entries[b].listener.ports!.start || a - b);
    return;
  }
  const keys = new Int32Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    const v = entries[group[k]].listener.ports!.start;
    keys[k] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isInteger(min) || !Number.isInteger(max) || max - min > 1 << 20) {
    group.sort((a, b) => entries[a].listener.ports!.start - entries[b].listener.ports!.start || a - b);
    return;
  }
  const counts = new Int32Array(max - min + 2);
  for (let k = 0; k < n; k++) counts[keys[k] - min + 1]++;
  for (let v = 1; v < counts.length; v++) counts[v] += counts[v - 1];
  const sorted = new Array<number>(n);
  for (let k = 0; k < n; k++) sorted[counts[keys[k] - min]++] = group[k];
  for (let k = 0; k < n; k++) group[k] = sorted[k];
}

/** Active listeners (interval not yet left behind), indexed by address. */
interface Active {
  unspecified: number[];
  byAddress: Map<string, number[]>;
}

function sweepGroup<T>(
  entries: readonly Tagged<T>[],
  group: number[],
  cache: Map<string, string>,
  visit: (i: number, j: number) => void,
  rangePairsOnly: boolean,
): void {
  const start = (i: number) => entries[i].listener.ports!.start;
  const end = (i: number) => entries[i].listener.ports!.end;
  sortByStart(entries, group);
  const fixed: Active = { unspecified: [], byAddress: new Map() };
  const ranges: Active = { unspecified: [], byAddress: new Map() };
  let s = 0;
  let current = 0;
  // Drops the listeners of `list` that end before s, and pairs the others with `current`.
  const scan = (list: number[]): void => {
    let w = 0;
    for (let r = 0; r < list.length; r++) {
      const other = list[r];
      if (end(other) < s) continue;
      list[w++] = other;
      if (listenersMayConflict(entries[other].listener, entries[current].listener)) {
        if (other < current) visit(other, current);
        else visit(current, other);
      }
    }
    list.length = w;
  };
  // Scans the active listeners whose address can overlap `key`.
  const scanActive = (active: Active, key: string): void => {
    scan(active.unspecified);
    if (key === UNSPECIFIED) {
      // An unspecified address overlaps every address of its family.
      for (const [k, list] of active.byAddress) {
        scan(list);
        if (list.length === 0) active.byAddress.delete(k);
      }
    } else {
      const list = active.byAddress.get(key);
      if (list !== undefined) scan(list);
    }
  };
  for (const i of group) {
    current = i;
    s = start(i);
    const isRange = entries[i].listener.picksOne === true;
    const key = addressKey(entries[i].listener.address, cache);
    if (isRange || !rangePairsOnly) scanActive(fixed, key);
    scanActive(ranges, key);
    const own = isRange ? ranges : fixed;
    if (key === UNSPECIFIED) own.unspecified.push(i);
    else {
      let list = own.byAddress.get(key);
      if (list === undefined) own.byAddress.set(key, (list = []));
      list.push(i);
    }
  }
}

/** Whether [start, end] meets one of the sorted, disjoint spans. */
function meetsSpans(spans: ReadonlyArray<{ start: number; end: number }>, start: number, end: number): boolean {
  // The first span that does not end before `start`.
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < spans.length && spans[lo].start <= end;
}

/** A range listener that gets no port, and the listeners that hold the ports of its range. */
export interface Exhaustion {
  /** Index of the exhausted range listener in `entries`. */
  index: number;
  /** Indices of the listeners holding ports of the range: fixed ones, and earlier ranges that got a port. Ascending. */
  holders: number[];
}

/**
 * The runtime-picked host ranges (`picksOne`) that cannot get a port, per
 * `exhaustedRanges`. `entries` must be in allocation order (load order): fixed ports are
 * held first, then each range takes a free port in that order.
 *
 * Only listeners that may collide compete: ranges linked by overlapping pairs form a
 * group, each group gets the fixed listeners that overlap one of its ranges, and
 * `exhaustedRanges` runs once per group. Listeners far away from any range are never looked at.
 */
export function exhaustedEntries<T>(entries: readonly Tagged<T>[]): Exhaustion[] {
  const isRange = (i: number) => entries[i].listener.ports !== undefined && entries[i].listener.picksOne === true;
  // Union-find over the ranges; fixed neighbours are attached to the ranges they overlap.
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    let y = x;
    while (y !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  const neighbours = new Map<number, number[]>();
  const link = (range: number, other: number) => {
    let n = neighbours.get(range);
    if (n === undefined) neighbours.set(range, (n = []));
    n.push(other);
  };
  for (let i = 0; i < entries.length; i++) if (isRange(i)) parent.set(i, i);
  if (parent.size === 0) return [];
  // Fixed-vs-fixed pairs are skipped, so a fixed listener outside every range interval never
  // pairs: only the ranges and the fixed listeners inside one of them go through the sweep.
  const spans = mergeIntervals([...parent.keys()].map((i) => entries[i].listener.ports!));
  const subset: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const p = entries[i].listener.ports;
    if (p !== undefined && (entries[i].listener.picksOne || meetsSpans(spans, p.start, p.end))) subset.push(i);
  }
  const sub = subset.length === entries.length ? entries : subset.map((i) => entries[i]);
  overlappingPairs(
    sub,
    (si, sj) => {
      const i = sub === entries ? si : subset[si];
      const j = sub === entries ? sj : subset[sj];
      const ri = isRange(i);
      const rj = isRange(j);
      if (ri) link(i, j);
      if (rj) link(j, i);
      if (ri && rj) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
      }
    },
    { rangePairsOnly: true },
  );
  const groups = new Map<number, { ranges: number[]; fixed: Set<number> }>();
  for (const r of parent.keys()) {
    const n = neighbours.get(r);
    if (n === undefined) continue; // overlaps nothing: its own first port is free
    const root = find(r);
    let g = groups.get(root);
    if (g === undefined) groups.set(root, (g = { ranges: [], fixed: new Set() }));
    g.ranges.push(r);
    for (const o of n) if (!isRange(o)) g.fixed.add(o);
  }
  const out: Exhaustion[] = [];
  for (const g of groups.values()) {
    const members = [...g.fixed, ...g.ranges].sort((a, b) => a - b);
    const exhausted = new Set(exhaustedRanges(members.map((m) => entries[m].listener)).map((k) => members[k]));
    for (const r of [...exhausted].sort((a, b) => a - b)) {
      const holders = neighbours.get(r)!.filter((o) => !isRange(o) || (o < r && !exhausted.has(o)));
      out.push({ index: r, holders: [...new Set(holders)].sort((a, b) => a - b) });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}
