/** Small shared vocabulary for rule messages and checks, so rules do not re-derive it. */
import type { Binding, Listener, PortItem, Project } from '../model/types';
import type { RuleFinding } from './rule';
import { parseIp } from '../model/ip';
import { memoize } from '../util/memo';

/** Bindings of every project, with their project. */
export function* eachBinding(projects: Project[]): Generator<[Project, Binding]> {
  for (const project of projects) for (const binding of project.bindings) yield [project, binding];
}

/** Loopback by listener address; rules ask for every listener, and a project has few addresses. */
const isLoopbackAddress = memoize((address) => parseIp(address)?.loopback === true);

export function isLoopbackListener(l: Listener): boolean {
  return isLoopbackAddress(l.address);
}

export function isWildcardListener(l: Listener): boolean {
  return l.address === '0.0.0.0' || l.address === '::';
}

/** Listeners reachable from other hosts: anything that is not loopback. */
export function publicListeners(binding: Binding): Listener[] {
  return binding.listeners.filter((l) => !isLoopbackListener(l));
}

/** Identity of a written port item: its file and offset (an item reached through `extends` keeps its place). */
export function itemKey(item: PortItem): string {
  return `${item.loc.file}\0${item.loc.offset}`;
}

/** The bindings one port item produced in one project, in load order. */
export interface ItemGroup {
  project: Project;
  item: PortItem;
  bindings: Binding[];
}

/**
 * Groups bindings by the port item that produced them, so an item gives one finding even
 * when it produced several bindings (a range whose host ports start at 0, the parts of a run
 * a rule kept). Groups come in the order of
 * their first binding, and keep the order of the bindings given.
 * - `by: 'item'`: one group per project and port item.
 * - `by: 'place'`: one group per place in a file (see `itemKey`), across projects: an item that
 *   publishes for two services through `extends`, or that two projects share, is one group
 *   with the first project (the bindings other projects have of it are left out).
 */
export function groupByItem(pairs: Iterable<readonly [Project, Binding]>, by: 'item' | 'place' = 'item'): ItemGroup[] {
  const groups: ItemGroup[] = [];
  // Keyed by project then item, or by file then offset (like itemKey, without building a string per binding).
  const index = new Map<unknown, Map<unknown, ItemGroup>>();
  let lastProject: Project | undefined;
  let lastItem: PortItem | undefined;
  let lastGroup: ItemGroup | undefined;
  for (const [project, binding] of pairs) {
    const item = binding.item;
    let group: ItemGroup | undefined;
    if (item === lastItem && project === lastProject && lastGroup !== undefined) group = lastGroup;
    else {
      const [outer, inner] = by === 'place' ? [item.loc.file, item.loc.offset] : [project, item];
      let byInner = index.get(outer);
      if (byInner === undefined) index.set(outer, (byInner = new Map()));
      group = byInner.get(inner);
      if (group === undefined) {
        byInner.set(inner, (group = { project, item, bindings: [] }));
        groups.push(group);
      }
      lastProject = project;
      lastItem = item;
      lastGroup = group;
    }
    if (group.project === project) group.bindings.push(binding);
  }
  return groups;
}

/** The groups of `placeGroups`, built once per projects array (six rules ask for them). */
const placeIndex = new WeakMap<readonly Project[], ItemGroup[]>();

/**
 * Every binding of the projects grouped by its place in a file (`groupByItem(..., 'place')`),
 * computed once per run of the rules. The groups are shared: callers must not change them.
 */
export function placeGroups(projects: Project[]): readonly ItemGroup[] {
  let groups = placeIndex.get(projects);
  if (groups === undefined) placeIndex.set(projects, (groups = groupByItem(eachBinding(projects), 'place')));
  return groups;
}

/** Bindings of a project by item, built once per bindings array. */
const itemIndex = new WeakMap<readonly Binding[], { length: number; byItem: Map<PortItem, Binding[]> }>();

/** Every binding the item produced in its project (reported or not), for fix suggestions. */
export function itemBindings(project: Project, item: PortItem): Binding[] {
  let index = itemIndex.get(project.bindings);
  if (!index || index.length !== project.bindings.length) {
    const byItem = new Map(groupByItem(eachBinding([project])).map((g) => [g.item, g.bindings]));
    index = { length: project.bindings.length, byItem };
    itemIndex.set(project.bindings, index);
  }
  return [...(index.byItem.get(item) ?? [])];
}

/** A finding about one binding, at its port item. */
export function bindingFinding(project: Project, binding: Binding, message: string, extra: Pick<RuleFinding, 'related' | 'severity'> = {}): RuleFinding {
  return { project, service: binding.service, loc: binding.item.loc, binding, message, ...extra };
}
