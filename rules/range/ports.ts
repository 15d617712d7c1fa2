/**
 * Helpers for rules that judge host port intervals: bindings grouped by the port item that
 * wrote them (one finding per item, not one per expanded binding), interval arithmetic and
 * the wording of port lists and addresses in messages.
 */
import type { Binding, Listener, PortItem, Project } from '../../src/model/types';

export interface Interval {
  start: number;
  end: number;
}

/** The bindings one port item produced in one project, in load order. */
export interface ItemBindings {
  project: Project;
  item: PortItem;
  bindings: Binding[];
}

/** Identity of a written port item: its file and offset (an item reached through `extends` keeps its place). */
export function itemKey(item: PortItem): string {
  return `${item.loc.file}\0${item.loc.offset}`;
}

/**
 * Bindings grouped by port item, once per item across all projects (an item that publishes for two
 * services through `extends`, or that two projects share, is one group with the first project).
 */
export function bindingsByItem(projects: Project[]): ItemBindings[] {
  const groups = new Map<string, ItemBindings>();
  for (const project of projects) {
    for (const binding of project.bindings) {
      const key = itemKey(binding.item);
      const group = groups.get(key);
      if (!group) groups.set(key, { project, item: binding.item, bindings: [binding] });
      else if (group.project === project) group.bindings.push(binding);
    }
  }
  return [...groups.values()];
}

/** Sorted, merged intervals (adjacent ones joined). */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.map((i) => ({ ...i })).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end + 1) last.end = Math.max(last.end, i.end);
    else out.push(i);
  }
  return out;
}

/** The host ports of the bindings, merged; empty when every binding is engine-chosen. */
export function hostIntervals(bindings: Binding[]): Interval[] {
  return mergeIntervals(bindings.flatMap((b) => (b.hostPorts ? [b.hostPorts] : [])));
}

/** The part of the bindings' host ports that falls in [start, end], merged. */
export function hostPortsWithin(bindings: Binding[], start: number, end: number): Interval[] {
  const hits: Interval[] = [];
  for (const b of bindings) {
    const p = b.hostPorts;
    if (p && p.start <= end && start <= p.end) hits.push({ start: Math.max(p.start, start), end: Math.min(p.end, end) });
  }
  return mergeIntervals(hits);
}

export function intervalText(i: Interval): string {
  return i.start === i.end ? String(i.start) : `${i.start}-${i.end}`;
}

/** "80", "80 and 443", "80, 443 and 8000-8010". */
export function intervalsText(list: Interval[]): string {
  const parts = list.map(intervalText);
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
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

/** An address as it appears before ":port": IPv6 in brackets. */
export function addressText(l: Listener): string {
  return l.family === 6 ? `[${l.address}]` : l.address;
}

/** The distinct addresses an item's bindings listen on: "0.0.0.0 and [::]". */
export function addressesText(bindings: Binding[]): string {
  const seen: string[] = [];
  for (const b of bindings) for (const l of b.listeners) if (!seen.includes(addressText(l))) seen.push(addressText(l));
  return seen.length <= 1 ? seen.join('') : `${seen.slice(0, -1).join(', ')} and ${seen[seen.length - 1]}`;
}

/** "is" after a phrase about one port, "are" after one about several. */
export function isAre(phrase: string): string {
  return phrase.startsWith('host ports') ? 'are' : 'is';
}
