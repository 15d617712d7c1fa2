/** Message and ordering helpers shared by the collision rules. */
import type { Binding, Listener, PortItem, Project, SourceLocation } from '../../src/model/types';
import type { Settings } from '../../src/engine/rule';
import type { Tagged } from './sweep';
import { mergeIntervals, messagePath, type Interval } from '../../src/engine/words';

/** The listeners of bindings, tagged with their binding, in the order given. */
export function tagListeners<T extends { binding: Binding }>(items: readonly T[]): Array<Tagged<T>> {
  const out: Array<Tagged<T>> = [];
  for (const item of items) for (const listener of item.binding.listeners) out.push({ listener, tag: item });
  return out;
}

/** "compose.yaml:7:9", the path as messages name files (`messagePath`). */
export function locText(loc: SourceLocation, settings: Pick<Settings, 'cwd'>, project: Pick<Project, 'workingDir'>): string {
  if (!loc.file) return 'a live container'; // a live binding no compose file describes
  return `${messagePath(loc.file, settings, project)}:${loc.line}:${loc.column}`;
}

/** `"8080:80"` or `target=80,published=8080`, as the item is shown in messages. */
export function itemText(item: PortItem): string {
  return item.syntax === 'short' ? `"${item.spec}"` : `{${item.spec.replace(/,/g, ', ').replace(/=/g, ': ')}}`;
}

/** "", " and 1 other entry", " and 3 other entries". */
export function othersText(count: number, noun: string, plural = `${noun}s`): string {
  return count <= 0 ? '' : ` and ${count} other ${count === 1 ? noun : plural}`;
}

/** One side of a conflict: a listener of a binding, and the binding's place in load order. */
export interface Side {
  binding: Binding;
  listener: Listener;
  /** Load order across everything compared (project, then binding): lower is earlier. */
  rank: number;
}

/** The conflicts of one later port item (of one service) with earlier bindings. */
export interface ItemConflicts {
  /** The item's first conflicting binding. */
  binding: Binding;
  /** The earliest conflicting pair: the first earlier binding and the later binding it meets. */
  first: { earlier: Side; later: Side };
  /** Later listeners involved (for the addresses of the message). */
  laterListeners: Listener[];
  /** Listeners of the first earlier binding that collide with this item. */
  firstEarlierListeners: Listener[];
  /** Host ports of the item that collide, merged and sorted. */
  ports: Interval[];
  /** Every earlier port item involved (per service), with its first conflicting binding, earliest first. */
  earlierItems: Side[];
}

/** A tagged listener as the conflict collector reads it. */
export type ConflictEntry = Tagged<{ binding: Binding; rank: number }>;

/**
 * Collects conflicting pairs (indices into `entries`) and groups them by the later port
 * item: one finding per later item (usually one binding; a live container lists one binding
 * per port of a range), naming the first earlier binding it collides with.
 * Pairs are kept as plain indices, so a large number of them costs little memory.
 */
export class ConflictCollector {
  /** Pairs by later service and later item: an item inherited through `extends` is shared by several services. */
  private readonly byItem = new Map<string, Map<PortItem, number[]>>();

  constructor(private readonly entries: readonly ConflictEntry[]) {}

  add(i: number, j: number): void {
    const [earlier, later] = this.entries[i].tag.rank < this.entries[j].tag.rank ? [i, j] : [j, i];
    const { item, service } = this.entries[later].tag.binding;
    let items = this.byItem.get(service);
    if (items === undefined) this.byItem.set(service, (items = new Map()));
    let pairs = items.get(item);
    if (pairs === undefined) items.set(item, (pairs = []));
    pairs.push(earlier, later);
  }

  groups(): ItemConflicts[] {
    const entries = this.entries;
    const side = (k: number): Side => ({ binding: entries[k].tag.binding, listener: entries[k].listener, rank: entries[k].tag.rank });
    const rank = (k: number) => entries[k].tag.rank;
    const out: ItemConflicts[] = [];
    for (const pairs of [...this.byItem.values()].flatMap((m) => [...m.values()])) {
      // The first pair: earliest earlier binding, then earliest later binding, IPv4 first.
      let fe = pairs[0];
      let fl = pairs[1];
      for (let k = 2; k < pairs.length; k += 2) {
        const e = pairs[k];
        const l = pairs[k + 1];
        const d = rank(e) - rank(fe) || rank(l) - rank(fl) || entries[l].listener.family - entries[fl].listener.family;
        if (d < 0) {
          fe = e;
          fl = l;
        }
      }
      const firstEarlier = entries[fe].tag.binding;
      const laterListeners = new Set<Listener>();
      const firstEarlierListeners = new Set<Listener>();
      const ports: Interval[] = [];
      // First conflicting binding per earlier (item, service): an inherited item counts once per service.
      const earlierItems = new Map<PortItem, Map<string, number>>();
      let laterFirst = fl;
      for (let k = 0; k < pairs.length; k += 2) {
        const e = pairs[k];
        const l = pairs[k + 1];
        laterListeners.add(entries[l].listener);
        if (entries[e].tag.binding === firstEarlier) firstEarlierListeners.add(entries[e].listener);
        const pe = entries[e].listener.ports!;
        const pl = entries[l].listener.ports!;
        ports.push({ start: Math.max(pe.start, pl.start), end: Math.min(pe.end, pl.end) });
        const { item, service } = entries[e].tag.binding;
        let byService = earlierItems.get(item);
        if (byService === undefined) earlierItems.set(item, (byService = new Map()));
        const seen = byService.get(service);
        if (seen === undefined || rank(e) < rank(seen)) byService.set(service, e);
        if (rank(l) < rank(laterFirst)) laterFirst = l;
      }
      out.push({
        binding: entries[laterFirst].tag.binding,
        first: { earlier: side(fe), later: side(fl) },
        laterListeners: [...laterListeners],
        firstEarlierListeners: [...firstEarlierListeners],
        ports: mergeIntervals(ports),
        earlierItems: [...earlierItems.values()]
          .flatMap((m) => [...m.values()])
          .sort((a, b) => rank(a) - rank(b))
          .map(side),
      });
    }
    return out;
  }
}

/** At most this many related locations per finding. */
export const MAX_RELATED = 10;
