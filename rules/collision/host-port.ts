import { defineRule, type RelatedLocation, type RuleFinding, type Settings } from '../../src/engine/rule';
import type { Binding, Listener, Project } from '../../src/model/types';
import { parseIp } from '../../src/model/ip';
import { firstPortOutside, listenersConflict } from '../../src/model/listeners';
import { parseEngineVersion, versionBefore } from '../../src/live/describe';
import { exhaustedEntries, overlappingPairs } from './sweep';
import { addressesText, intervalsText } from '../../src/engine/words';
import {
  ConflictCollector,
  MAX_RELATED,
  itemText,
  locText,
  othersText,
  tagListeners,
  type ConflictEntry,
  type ItemConflicts,
  type Side,
} from './shared';

/**
 * Two bindings of one project that the Engine cannot both bind (fixed host ports), and
 * runtime-picked host ranges with no free port left.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'collision/host-port',
    description: 'Two bindings of one project claim the same host port and address, so one container fails to start.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/collision/host-port.md',
    deployments: ['compose'],
  },
  check({ projects, live, settings }) {
    const findings: RuleFinding[] = [];
    // check --live knows the Engine: the range allocation of Engine 27.0 and later needs no warning.
    const version = live ? parseEngineVersion(live.engine.version) : undefined;
    const before27 = version === undefined ? undefined : versionBefore(version, [27, 0, 0]);
    for (const project of projects) for (const f of checkProject(project, settings, before27, live?.engine.version)) findings.push(f);
    return findings;
  },
});

function checkProject(project: Project, settings: Settings, before27: boolean | undefined, engineVersion: string | undefined): RuleFinding[] {
  const bindings = project.bindings;
  if (bindings.length < 2) return [];
  // Bindings come in load order, so a binding's index is its rank.
  const entries = tagListeners(bindings.map((binding, rank) => ({ binding, rank })));
  const findings: RuleFinding[] = [];

  // Fixed host ports: certain conflicts.
  const collector = new ConflictCollector(entries);
  overlappingPairs(
    entries,
    (i, j) => {
      if (listenersConflict(entries[i].listener, entries[j].listener)) collector.add(i, j);
    },
    { fixedOnly: true },
  );
  for (const group of collector.groups()) findings.push(conflictFinding(project, settings, group));

  // Runtime-picked host ranges with every port taken.
  const byBinding = new Map<Binding, { listeners: Listener[]; holders: Side[] }>();
  for (const { index, holders } of exhaustedEntries(entries)) {
    const { binding } = entries[index].tag;
    let e = byBinding.get(binding);
    if (e === undefined) byBinding.set(binding, (e = { listeners: [], holders: [] }));
    e.listeners.push(entries[index].listener);
    for (const h of holders) e.holders.push({ binding: entries[h].tag.binding, listener: entries[h].listener, rank: entries[h].tag.rank });
  }
  for (const [binding, { listeners, holders }] of byBinding) findings.push(exhaustedFinding(project, settings, binding, listeners, holders));

  // Engine before 27.0: a range's first free port, in the allocator's view, held on another address.
  if (before27 !== false) {
    for (const { range, port, holder } of firstPortHeldElsewhere(entries)) {
      if (byBinding.has(range.binding)) continue;
      findings.push(firstPortFinding(project, settings, range, port, holder, engineVersion));
    }
  }
  return findings;
}

type Entry = ConflictEntry;

/** Canonical text of an address, as Engine 20.10's allocator keys it (per host IP). */
function allocatorKey(l: Listener): string {
  return `${l.protocol}/${parseIp(l.address)?.canonical ?? l.address}`;
}

/**
 * Engine 20.10 to 26.x allocates a host range (`"18600-18602:80"`) from its own book per host IP:
 * the lowest port no earlier binding on the same address holds, and it does not retry when the
 * kernel refuses that port. So when an earlier binding holds the port on another address that
 * overlaps (0.0.0.0 and 127.0.0.1, :: and ::1), the container fails with "address already in
 * use". Engine 27.0 binds while it allocates and moves on to the next port.
 */
function firstPortHeldElsewhere(entries: readonly Entry[]): Array<{ range: Entry['tag']; port: number; holder: Entry['tag'] }> {
  const earlier = new Map<number, number[]>();
  overlappingPairs(entries, (i, j) => {
    if (!entries[j].listener.picksOne) return;
    const list = earlier.get(j);
    if (list) list.push(i);
    else earlier.set(j, [i]);
  });
  const picked = new Map<number, number>();
  const held = (i: number) => {
    const l = entries[i].listener;
    if (!l.picksOne) return l.ports;
    const p = picked.get(i);
    return p === undefined ? undefined : { start: p, end: p };
  };
  const out: Array<{ range: Entry['tag']; port: number; holder: Entry['tag'] }> = [];
  const reported = new Set<Binding>();
  for (const j of [...earlier.keys()].sort((a, b) => a - b)) {
    const l = entries[j].listener;
    const key = allocatorKey(l);
    const before = earlier.get(j)!;
    const same = before.filter((i) => allocatorKey(entries[i].listener) === key).map(held).filter((x): x is { start: number; end: number } => x !== undefined);
    const port = firstPortOutside(l.ports!.start, l.ports!.end, same);
    if (port > l.ports!.end) continue;
    picked.set(j, port);
    const holder = before.find((i) => allocatorKey(entries[i].listener) !== key && (() => {
      const h = held(i);
      return h !== undefined && h.start <= port && port <= h.end;
    })());
    if (holder === undefined || reported.has(entries[j].tag.binding)) continue;
    reported.add(entries[j].tag.binding);
    out.push({ range: entries[j].tag, port, holder: entries[holder].tag });
  }
  return out;
}

function firstPortFinding(project: Project, settings: Settings, range: Entry['tag'], port: number, holder: Entry['tag'], engineVersion: string | undefined): RuleFinding {
  const b = range.binding;
  const h = holder.binding;
  const r = b.hostPorts!;
  const which = engineVersion ? `Engine ${engineVersion} (before 27.0)` : 'Engine 20.10 to 26.x';
  const message =
    `host range ${r.start}-${r.end}/${b.protocol} on ${addressesText(b.listeners)}: ${which} takes port ${port}, the first free one on that address, ` +
    `but service ${h.service} at ${locText(h.item.loc, settings, project)} already holds ${port} on ${addressesText(h.listeners)}, and it does not try the next one: ` +
    `service ${b.service} fails to start with "address already in use"${engineVersion ? '' : ' (Engine 27.0 and later move on to the next port)'}; start the range above ${port}, or publish both on the same address`;
  const related: RelatedLocation[] = [{ loc: h.item.loc, message: `holds ${port}: service ${h.service} (${itemText(h.item)})` }];
  return { project, service: b.service, loc: b.item.loc, message, binding: b, related, severity: engineVersion ? 'error' : 'warning' };
}

function conflictFinding(project: Project, settings: Settings, g: ItemConflicts): RuleFinding {
  const earlier = g.first.earlier.binding;
  const later = g.binding;
  const protocol = later.protocol;
  const laterAddrs = addressesText(g.laterListeners);
  const earlierAddrs = addressesText(g.firstEarlierListeners);
  const where = `service ${earlier.service} at ${locText(earlier.item.loc, settings, project)}${earlierAddrs !== laterAddrs ? ` (on ${earlierAddrs})` : ''}`;
  const others = othersText(g.earlierItems.length - 1, 'entry', 'entries');
  const sameService = earlier.service === later.service;
  const consequence = sameService ? `service ${later.service} cannot start` : `${earlier.service} and ${later.service} cannot both run`;
  const identical =
    sameService &&
    earlier.item !== later.item &&
    earlier.hostIp === later.hostIp &&
    earlier.hostPort === later.hostPort &&
    earlier.containerPort === later.containerPort &&
    earlier.protocol === later.protocol;
  // An entry written in another service reaches this one through `extends`.
  const inherited = later.item.service !== later.service;
  const fix = identical
    ? 'delete one of the two entries (Compose does not merge them)'
    : inherited
      ? `give ${later.service} its own ports with \`ports: !override\``
      : 'change the host port of one of them';
  const via = inherited ? ` (inherited by ${later.service} via extends)` : '';
  const message = `${intervalsText(g.ports, 4)}/${protocol} on ${laterAddrs}${via} is already published by ${where}${others}, so ${consequence}; ${fix}`;
  const related: RelatedLocation[] = g.earlierItems.slice(0, MAX_RELATED).map((s) => ({
    loc: s.binding.item.loc,
    message: `${s === g.earlierItems[0] ? 'first ' : ''}published here by service ${s.binding.service} (${itemText(s.binding.item)})`,
  }));
  return { project, service: later.service, loc: later.item.loc, message, binding: later, related };
}

function exhaustedFinding(project: Project, settings: Settings, binding: Binding, listeners: Listener[], holders: Side[]): RuleFinding {
  const range = binding.hostPorts!;
  const items = new Map<Binding['item'], Side>();
  for (const h of holders.sort((a, b) => a.rank - b.rank)) if (!items.has(h.binding.item)) items.set(h.binding.item, h);
  const sides = [...items.values()];
  const taken = sides.length
    ? ` by service ${sides[0].binding.service} at ${locText(sides[0].binding.item.loc, settings, project)}${othersText(sides.length - 1, 'entry', 'entries')}`
    : '';
  const message =
    `every port of host range ${range.start}-${range.end}/${binding.protocol} on ${addressesText(listeners)} is taken${taken}, ` +
    `so service ${binding.service} cannot start; widen the range`;
  const related: RelatedLocation[] = sides.slice(0, MAX_RELATED).map((s) => ({
    loc: s.binding.item.loc,
    message: `holds a port of ${range.start}-${range.end}: service ${s.binding.service} (${itemText(s.binding.item)})`,
  }));
  return { project, service: binding.service, loc: binding.item.loc, message, binding, related };
}
