import { defineRule, type RelatedLocation, type RuleFinding } from '../../src/engine/rule';
import type { Binding, Listener, Project } from '../../src/model/types';
import { listenersConflict } from '../../src/model/port-spec';
import { exhaustedEntries, overlappingPairs } from './sweep';
import { addressesText, intervalsText } from '../../src/engine/words';
import {
  ConflictCollector,
  MAX_RELATED,
  itemText,
  locText,
  othersText,
  tagListeners,
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
  check({ projects }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) for (const f of checkProject(project)) findings.push(f);
    return findings;
  },
});

function checkProject(project: Project): RuleFinding[] {
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
  for (const group of collector.groups()) findings.push(conflictFinding(project, group));

  // Runtime-picked host ranges with every port taken.
  const byBinding = new Map<Binding, { listeners: Listener[]; holders: Side[] }>();
  for (const { index, holders } of exhaustedEntries(entries)) {
    const { binding } = entries[index].tag;
    let e = byBinding.get(binding);
    if (e === undefined) byBinding.set(binding, (e = { listeners: [], holders: [] }));
    e.listeners.push(entries[index].listener);
    for (const h of holders) e.holders.push({ binding: entries[h].tag.binding, listener: entries[h].listener, rank: entries[h].tag.rank });
  }
  for (const [binding, { listeners, holders }] of byBinding) findings.push(exhaustedFinding(project, binding, listeners, holders));
  return findings;
}

function conflictFinding(project: Project, g: ItemConflicts): RuleFinding {
  const base = project.workingDir;
  const earlier = g.first.earlier.binding;
  const later = g.binding;
  const protocol = later.protocol;
  const laterAddrs = addressesText(g.laterListeners);
  const earlierAddrs = addressesText(g.firstEarlierListeners);
  const where = `service ${earlier.service} at ${locText(earlier.item.loc, base)}${earlierAddrs !== laterAddrs ? ` (on ${earlierAddrs})` : ''}`;
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

function exhaustedFinding(project: Project, binding: Binding, listeners: Listener[], holders: Side[]): RuleFinding {
  const base = project.workingDir;
  const range = binding.hostPorts!;
  const items = new Map<Binding['item'], Side>();
  for (const h of holders.sort((a, b) => a.rank - b.rank)) if (!items.has(h.binding.item)) items.set(h.binding.item, h);
  const sides = [...items.values()];
  const taken = sides.length
    ? ` by service ${sides[0].binding.service} at ${locText(sides[0].binding.item.loc, base)}${othersText(sides.length - 1, 'entry', 'entries')}`
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
