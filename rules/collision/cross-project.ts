import { defineRule, type RelatedLocation, type RuleFinding, type Settings } from '../../src/engine/rule';
import type { Binding, Project } from '../../src/model/types';
import { listenersConflict } from '../../src/model/listeners';
import { overlappingPairs } from './sweep';
import { sameHostGroups } from '../../src/engine/hosts';
import { addressesText, intervalsText } from '../../src/engine/words';
import { ConflictCollector, MAX_RELATED, itemText, locText, othersText, tagListeners } from './shared';

interface Tag {
  binding: Binding;
  project: number;
  rank: number;
}

/**
 * The host-port conflict between two different projects that run on one host: projects
 * compared only within a same-host group (`sameHostGroups`: --same-host, sameHost or the
 * configured projects; the engine of an audit). Projects with the same name are alternatives
 * of one project (they replace each other's containers), so they are never compared.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'collision/cross-project',
    description: 'Two projects on one host (--same-host, sameHost or configured projects) publish the same host port and address, so they cannot run at the same time.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/collision/cross-project.md',
    deployments: ['compose'],
  },
  check({ projects, settings }) {
    return sameHostGroups(projects).flatMap((group) => compareProjects(group, settings));
  },
});

/** The cross-project conflicts among projects on one host. */
function compareProjects(projects: readonly Project[], settings: Settings): RuleFinding[] {
  const tags: Tag[] = [];
  let offset = 0;
  projects.forEach((project, index) => {
    // Bindings come in load order, so a binding's index is its rank.
    project.bindings.forEach((binding, i) => tags.push({ binding, project: index, rank: offset + i }));
    offset += project.bindings.length;
  });
  const entries = tagListeners(tags);
  // One collector per later project: items never repeat across projects, but findings are reported per project.
  const collectors = new Map<number, ConflictCollector>();
  overlappingPairs(
    entries,
    (i, j) => {
      const a = entries[i];
      const b = entries[j];
      if (a.tag.project === b.tag.project || projects[a.tag.project].name === projects[b.tag.project].name) return;
      if (!listenersConflict(a.listener, b.listener)) return;
      const later = Math.max(a.tag.project, b.tag.project);
      let c = collectors.get(later);
      if (c === undefined) collectors.set(later, (c = new ConflictCollector(entries)));
      c.add(i, j);
    },
    { fixedOnly: true },
  );
  const projectOf = new Map<Binding, Project>();
  for (const t of tags) projectOf.set(t.binding, projects[t.project]);
  const findings: RuleFinding[] = [];
  for (const [index, collector] of collectors) {
    const project = projects[index];
    for (const g of collector.groups()) {
      const earlier = g.first.earlier.binding;
      const other = projectOf.get(earlier)!;
      const later = g.binding;
      const laterAddrs = addressesText(g.laterListeners);
      const earlierAddrs = addressesText(g.firstEarlierListeners);
      const projectsCount = new Set(g.earlierItems.map((e) => projectOf.get(e.binding))).size;
      const message =
        `${intervalsText(g.ports, 4)}/${later.protocol} on ${laterAddrs} is also published by service ${earlier.service} of project ${other.name} at ` +
        `${locText(earlier.item.loc, settings, project)}${earlierAddrs !== laterAddrs ? ` (on ${earlierAddrs})` : ''}` +
        `${othersText(g.earlierItems.length - 1, 'entry', 'entries')}${projectsCount > 1 ? ` in ${projectsCount} projects` : ''}, ` +
        'so the projects cannot run on one host at once; change the host port in one of them';
      const related: RelatedLocation[] = g.earlierItems.slice(0, MAX_RELATED).map((s) => ({
        loc: s.binding.item.loc,
        message: `published here by project ${projectOf.get(s.binding)!.name}, service ${s.binding.service} (${itemText(s.binding.item)})`,
      }));
      findings.push({ project, service: later.service, loc: later.item.loc, message, binding: later, related });
    }
  }
  return findings;
}
