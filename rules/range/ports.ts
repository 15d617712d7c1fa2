/**
 * Helpers for rules that judge host port intervals: which host ports of a port item's bindings
 * fall in a range, and how a message names them.
 */
import type { Binding } from '../../src/model/types';
import { intervalsText, mergeIntervals, type Interval } from '../../src/engine/words';

/** The host ports of the bindings, merged; empty when every binding is engine-chosen. */
export function hostIntervals(bindings: Binding[]): Interval[] {
  return mergeIntervals(bindings.flatMap((b) => (b.hostPorts ? [b.hostPorts] : [])));
}

/** The part of the bindings' host ports that falls in [start, end], merged. */
export function hostPortsWithin(bindings: Binding[], start: number, end: number): Interval[] {
  let hits: Interval[] | undefined;
  for (const b of bindings) {
    const p = b.hostPorts;
    if (p && p.start <= end && start <= p.end) (hits ??= []).push({ start: Math.max(p.start, start), end: Math.min(p.end, end) });
  }
  // Runs on every port item for every range a rule knows: nothing is allocated for a miss.
  return hits === undefined ? [] : hits.length === 1 ? hits : mergeIntervals(hits);
}

function count(list: Interval[]): number {
  return list.reduce((n, i) => n + i.end - i.start + 1, 0);
}

/**
 * How a message names the host ports of an item that fall in a range:
 * "host port 80", "host ports 8000-8010", or "host ports 80-1023 of 80-1100".
 */
export function hostPortsPhrase(bindings: Binding[], hits: Interval[]): string {
  const all = hostIntervals(bindings);
  if (count(all) === 1) return `host port ${intervalsText(all)}`;
  if (count(hits) === count(all)) return `host ports ${intervalsText(all)}`;
  return `host port${count(hits) === 1 ? '' : 's'} ${intervalsText(hits)} of ${intervalsText(all)}`;
}

/** "is" after a phrase about one port, "are" after one about several. */
export function isAre(phrase: string): string {
  return phrase.startsWith('host ports') ? 'are' : 'is';
}
