import { defineRule, type RuleFinding } from '../../src/engine/rule';
import type { Binding, PortItem } from '../../src/model/types';
import { activeBindings, fileText, itemText, locText, portsText } from './shared';

/**
 * A later compose file publishes a container port (same protocol) of a service that an
 * earlier file already publishes: Compose appends `ports` across files, so both mappings
 * stay. Compared by container port and protocol in a hash map (one pass per service); no
 * host sockets are compared here.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'collision/override-appends',
    description: 'A later compose file adds a second mapping for a container port an earlier file already publishes (ports are appended, not replaced).',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/collision/override-appends.md',
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      const base = project.workingDir;
      // Bindings that survived de-duplication, by port item.
      const byItem = new Map<PortItem, Binding[]>();
      for (const b of activeBindings(project)) {
        let list = byItem.get(b.item);
        if (list === undefined) byItem.set(b.item, (list = []));
        list.push(b);
      }
      for (const service of project.services) {
        if (service.portsByFile.length < 2) continue;
        const kept = new Set(service.ports);
        // container port/protocol → the first binding that publishes it, from earlier files.
        const published = new Map<string, Binding>();
        service.portsByFile.forEach((group, fileIndex) => {
          const added: Binding[] = [];
          for (const item of group.items) {
            if (!kept.has(item)) continue;
            const bindings = byItem.get(item);
            if (!bindings) continue;
            added.push(...bindings);
            if (fileIndex === 0) continue;
            let earlier: Binding | undefined;
            const ports: number[] = [];
            let first: Binding | undefined;
            for (const b of bindings) {
              const e = published.get(`${b.containerPort}/${b.protocol}`);
              if (!e) continue;
              ports.push(b.containerPort);
              if (!earlier || e.order < earlier.order) earlier = e;
              first ??= b;
            }
            if (!earlier || !first) continue;
            const file = fileText(group.file, base);
            const earlierFile = fileText(earlier.item.loc.file, base);
            const message =
              `service ${service.name}: ${file} publishes container port${ports.length > 1 ? 's' : ''} ${portsText(ports)}/${first.protocol} again, ` +
              `which ${earlierFile} already publishes (${itemText(earlier.item)} at ${locText(earlier.item.loc, base)}); ` +
              `Compose appends the ports of later files instead of replacing them, so both ${itemText(earlier.item)} and ${itemText(item)} are published. ` +
              `If this entry should replace the earlier one, write \`ports: !override\` in ${file} (Compose 2.24.4 or later); if both are wanted, keep them`;
            findings.push({
              project,
              service: service.name,
              loc: item.loc,
              message,
              binding: first,
              related: [{ loc: earlier.item.loc, message: `already published here (${itemText(earlier.item)})` }],
            });
          }
          for (const b of added) {
            const key = `${b.containerPort}/${b.protocol}`;
            if (!published.has(key)) published.set(key, b);
          }
        });
      }
    }
    return findings;
  },
});
