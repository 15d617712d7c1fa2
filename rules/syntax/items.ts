/** Port items as written, once each, with the project and (when it publishes) the first binding. */
import type { Binding, PortItem, Project } from '../../src/model/types';
import { itemKey } from '../../src/engine/findings';

export interface WrittenItem {
  project: Project;
  item: PortItem;
  /** Service the item publishes for (the item's own service when it publishes nothing). */
  service: string;
  binding?: Binding;
}

/**
 * Every port item of every file, of enabled and disabled services alike (before merging and
 * de-duplication), once per place in a file even when `extends` or two projects reach it twice.
 */
export function writtenItems(projects: Project[]): WrittenItem[] {
  const out = new Map<string, WrittenItem>();
  for (const project of projects) {
    const bindings = new Map<string, Binding>();
    for (const b of project.bindings) if (!bindings.has(itemKey(b.item))) bindings.set(itemKey(b.item), b);
    for (const service of project.services) {
      const items = [...service.portsByFile.flatMap((g) => g.items), ...service.ports];
      for (const item of items) {
        const key = itemKey(item);
        if (out.has(key)) continue;
        const binding = bindings.get(key);
        out.set(key, { project, item, service: binding?.service ?? item.service, binding });
      }
    }
  }
  return [...out.values()];
}
