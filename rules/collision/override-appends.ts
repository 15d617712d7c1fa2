import { defineRule, type RuleFinding } from '../../src/engine/rule';
import type { Binding, Project } from '../../src/model/types';
import { groupByItem } from '../../src/engine/findings';
import { intervalsText, mergeIntervals, messagePath, severalPorts, type Interval } from '../../src/engine/words';
import { containerPorts } from '../../src/model/port-grammar';
import { itemText, locText } from './shared';

/**
 * A later compose file publishes a container port (same protocol) of a service that an
 * earlier file already publishes: Compose appends `ports` across files, so both mappings
 * stay. Compared by container port interval and protocol, each binding of a later file
 * against the bindings of the earlier files of its service; no host sockets are compared here.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'collision/override-appends',
    description: 'A later compose file adds a second mapping for a container port an earlier file already publishes (ports are appended, not replaced).',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/collision/override-appends.md',
    deployments: ['compose'],
  },
  check({ projects, settings }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      // Bindings that survived de-duplication, by port item.
      const pairs = project.bindings.map((b): [Project, Binding] => [project, b]);
      const byItem = new Map(groupByItem(pairs).map((g) => [g.item, g.bindings]));
      for (const service of project.services) {
        if (service.portsByFile.length < 2) continue;
        const kept = new Set(service.ports);
        // Bindings of earlier files, in load order; a run stands for its container port interval.
        const published: Binding[] = [];
        service.portsByFile.forEach((group, fileIndex) => {
          const added: Binding[] = [];
          for (const item of group.items) {
            if (!kept.has(item)) continue;
            const bindings = byItem.get(item);
            if (!bindings) continue;
            for (const b of bindings) added.push(b);
            if (fileIndex === 0) continue;
            let earlier: Binding | undefined;
            const ports: Interval[] = [];
            let first: Binding | undefined;
            for (const b of bindings) {
              const own = containerPorts(b);
              for (const e of published) {
                const theirs = containerPorts(e);
                if (e.protocol !== b.protocol || theirs.start > own.end || own.start > theirs.end) continue;
                ports.push({ start: Math.max(own.start, theirs.start), end: Math.min(own.end, theirs.end) });
                if (!earlier || e.order < earlier.order) earlier = e;
                first ??= b;
              }
            }
            if (!earlier || !first) continue;
            const merged = mergeIntervals(ports);
            const file = messagePath(group.file, settings, project);
            const message =
              `Compose publishes both ${itemText(earlier.item)} (${locText(earlier.item.loc, settings, project)}) and ${itemText(item)} for container ` +
              `port${severalPorts(merged) ? 's' : ''} ${intervalsText(merged, 4)}/${first.protocol} of service ${service.name}; ` +
              `write \`ports: !override\` in ${file} to replace the first`;
            findings.push({
              project,
              service: service.name,
              loc: item.loc,
              message,
              binding: first,
              related: [{ loc: earlier.item.loc, message: `already published here (${itemText(earlier.item)})` }],
            });
          }
          published.push(...added);
        });
      }
    }
    return findings;
  },
});
