import { defineRule, type RelatedLocation, type RuleFinding } from '../../src/engine/rule';
import type { Binding, Listener, Project } from '../../src/model/types';
import { listenersConflict } from '../../src/model/port-spec';
import { exhaustedEntries, overlappingPairs } from './sweep';
import {
  ConflictCollector,
  MAX_RELATED,
  activeBindings,
  addressesText,
  bindError,
  itemText,
  loadRanks,
  locText,
  othersText,
  portsText,
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
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) findings.push(...checkProject(project));
    return findings;
  },
});

function checkProject(project: Project): RuleFinding[] {
  const bindings = activeBindings(project);
  if (bindings.length < 2) return [];
  const ranks = loadRanks(bindings);
  const ordered = [...bindings].sort((a, b) => ranks.get(a)! - ranks.get(b)!);
  const entries = tagListeners(ordered.map((binding) => ({ binding, rank: ranks.get(binding)! })));
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
  const where = `service ${earlier.service} at ${locText(earlier.item.loc, base)} (${itemText(earlier.item)}${earlierAddrs !== laterAddrs ? `, on ${earlierAddrs}` : ''})`;
  const others = othersText(g.earlierItems.length - 1, 'entry', 'entries');
  const port = g.first.later.listener.ports!.start;
  const error = bindError(g.first.later.listener, g.first.earlier.listener, port);
  const sameService = earlier.service === later.service;
  const consequence = sameService
    ? `service ${later.service} cannot start ("${error}")`
    : `Docker cannot run both ${earlier.service} and ${later.service}: the one started second fails ("${error}")`;
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
    ? 'the two entries describe the same binding, but Compose does not merge them (a numeric `published` is not de-duplicated against the same mapping written as a string); delete one of them'
    : inherited
      ? `give ${later.service} its own ports with \`ports: !override\`, or publish a different host port`
      : sameService
      ? 'publish a different host port, or bind the two to different specific addresses'
      : 'publish a different host port in one of the services, or bind each to its own specific address';
  const via = inherited ? `service ${later.service} inherits ${itemText(later.item)} from ${later.item.service} through extends, and ` : '';
  const message = `${via}${portsText(g.ports)}/${protocol} on ${laterAddrs} is already published by ${where}${others}: ${consequence}; ${fix}`;
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
    ? ` (first: service ${sides[0].binding.service} at ${locText(sides[0].binding.item.loc, base)} (${itemText(sides[0].binding.item)})${othersText(sides.length - 1, 'entry', 'entries')})`
    : '';
  const size = range.end - range.start + 1;
  const message =
    `every port of the host range ${range.start}-${range.end}/${binding.protocol} on ${addressesText(listeners)} is already held by other bindings${taken}: ` +
    `when service ${binding.service} starts, Docker finds no free port among the ${size} and the container fails to start ("port is already allocated"); ` +
    'widen the range, or move the other bindings out of it';
  const related: RelatedLocation[] = sides.slice(0, MAX_RELATED).map((s) => ({
    loc: s.binding.item.loc,
    message: `holds a port of ${range.start}-${range.end}: service ${s.binding.service} (${itemText(s.binding.item)})`,
  }));
  return { project, service: binding.service, loc: binding.item.loc, message, binding, related };
}
