import { defineRule, type RuleFinding } from '../../src/engine/rule';
import type { Binding, PortItem, Project } from '../../src/model/types';
import { groupByItem } from '../../src/engine/findings';
import { addressesText, intervalsText, mergeIntervals, severalPorts } from '../../src/engine/words';
import { picksHostPort } from '../../src/model/port-grammar';
import { locText } from './shared';
import { bindingSpec } from '../../src/live/model';

/** A short-syntax host range of `n` ports from `start` for the binding's container port: "127.0.0.1:8080-8082:80/udp". */
function rangeExample(binding: Binding, start: number, n: number): string {
  return `"${bindingSpec({ ...binding, hostPort: `${start}-${start + n - 1}` })}"`;
}

/**
 * A service with several replicas whose host port is fixed (every replica needs the same
 * port) or comes from a host range with fewer ports than replicas.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'collision/replicas-fixed-port',
    description: 'A service with more than one replica publishes a fixed host port (or a host range smaller than the replica count).',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/collision/replicas-fixed-port.md',
    deployments: ['compose'],
  },
  check({ projects, settings }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      const replicasOf = new Map<string, { value: number; loc: PortItem['loc'] }>();
      for (const s of project.services) if (s.replicas && s.replicas.value > 1) replicasOf.set(s.name, s.replicas);
      if (!replicasOf.size) continue;
      // One finding per port item (a zero-based host range gives two bindings).
      const fixed: Array<[Project, Binding]> = [];
      for (const binding of project.bindings) {
        const replicas = replicasOf.get(binding.service);
        const p = binding.hostPorts;
        if (!replicas || !p) continue; // ephemeral host ports are fine
        if (!picksHostPort(binding)) {
          fixed.push([project, binding]);
          continue;
        }
        const size = p.end - p.start + 1;
        if (size >= replicas.value) continue;
        const n = replicas.value;
        const where = locText(replicas.loc, settings, project);
        const failing = n - size;
        const message =
          `host range ${p.start}-${p.end}/${binding.protocol} has ${size} ports for ${n} replicas of service ${binding.service} (${where}), ` +
          `so ${failing === 1 ? 'one replica fails' : `${failing} replicas fail`} to start; ` +
          `use ${rangeExample(binding, p.start, n)} or leave the host port out`;
        findings.push({ project, service: binding.service, loc: binding.item.loc, message, binding, related: [{ loc: replicas.loc, message: `${n} replicas` }] });
      }
      for (const { item, bindings } of groupByItem(fixed)) {
        const first = bindings[0];
        const replicas = replicasOf.get(first.service)!;
        const n = replicas.value;
        const held = mergeIntervals(bindings.map((b) => b.hostPorts!));
        const ports = intervalsText(held, 4);
        const plural = severalPorts(held);
        const message =
          `${n} replicas of service ${first.service} (${locText(replicas.loc, settings, project)}) need ` +
          `fixed host port${plural ? 's' : ''} ${ports}/${first.protocol} on ${addressesText(bindings.flatMap((b) => b.listeners))}, so only one starts; ` +
          (plural ? 'leave the host ports out and let Docker pick them' : `use ${rangeExample(first, first.hostPorts!.start, n)} or leave the host port out`);
        findings.push({ project, service: first.service, loc: item.loc, message, binding: first, related: [{ loc: replicas.loc, message: `${n} replicas` }] });
      }
    }
    return findings;
  },
});
