/** Wording shared by rule messages: lists, addresses and port sets, written one way everywhere. */
import type { Listener, Project } from '../model/types';
import type { Settings } from './rule';
import { displayPath } from '../report/paths';

/** "a", "a and b", "a, b and c"; "" for none. */
export function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** An address as it appears before ":port": "0.0.0.0", "[::1]". */
export function addressText(l: Listener): string {
  return l.family === 6 ? `[${l.address}]` : l.address;
}

/** Addresses of listeners, IPv4 first, without repeats: "0.0.0.0 and [::]". */
export function addressesText(listeners: Iterable<Listener>): string {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const l of listeners) {
    const list = l.family === 4 ? v4 : v6;
    const text = addressText(l);
    if (!list.includes(text)) list.push(text);
  }
  return joinAnd([...v4, ...v6]);
}

/** A run of ports, both ends included. */
export interface Interval {
  start: number;
  end: number;
}

/** Sorted, merged intervals (adjacent ones joined). */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  // Most port items have one interval: no sort, no merge.
  if (intervals.length <= 1) return intervals.map((i) => ({ start: i.start, end: i.end }));
  const sorted = intervals.map((i) => ({ start: i.start, end: i.end })).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end + 1) last.end = Math.max(last.end, i.end);
    else out.push(i);
  }
  return out;
}

/** The parts of `list` outside every interval of `remove`, sorted and merged. */
export function subtractIntervals(list: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const cuts = mergeIntervals(remove);
  const out: Interval[] = [];
  for (const i of mergeIntervals(list)) {
    let next = i.start; // first port of `i` not yet kept or cut
    for (const c of cuts) {
      if (c.end < next) continue;
      if (c.start > i.end) break;
      if (c.start > next) out.push({ start: next, end: c.start - 1 });
      next = c.end + 1;
    }
    if (next <= i.end) out.push({ start: next, end: i.end });
  }
  return out;
}

/** Whether merged intervals hold more than one port: "ports 8000-8002", not "port". */
export function severalPorts(list: readonly Interval[]): boolean {
  return list.length > 1 || (list.length === 1 && list[0].start !== list[0].end);
}

/** "8080" or "8000-8010". */
export function intervalText(i: Interval): string {
  return i.start === i.end ? String(i.start) : `${i.start}-${i.end}`;
}

/** "80", "80 and 443", "80, 443 and 8000-8010"; past `max` intervals, the first `max` and "…". */
export function intervalsText(list: readonly Interval[], max = Infinity): string {
  const parts = list.map(intervalText);
  if (parts.length > max) return `${parts.slice(0, max).join(', ')}, …`;
  return joinAnd(parts);
}

/** A file as messages name it: with the run's path base (`Settings.cwd`), else relative to the project's directory. */
export function messagePath(file: string, settings: Pick<Settings, 'cwd'>, project: Pick<Project, 'workingDir'>): string {
  return settings.cwd !== undefined ? displayPath(file, settings.cwd) : displayPath(file, project.workingDir, 'relative');
}
