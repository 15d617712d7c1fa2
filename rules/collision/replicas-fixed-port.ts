import { defineRule, type RuleFinding } from '../../src/engine/rule';
import type { Binding, PortItem } from '../../src/model/types';
import { activeBindings, addressesText, bindError, itemText, locText, portsText } from './shared';

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
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      const replicasOf = new Map<string, { value: number; loc: PortItem['loc'] }>();
      for (const s of project.services) if (s.replicas && s.replicas.value > 1) replicasOf.set(s.name, s.replicas);
      if (!replicasOf.size) continue;
      // One finding per port item: a container range expands to one binding per port.
      const fixed = new Map<PortItem, Binding[]>();
      for (const binding of activeBindings(project)) {
        const replicas = replicasOf.get(binding.service);
        const p = binding.hostPorts;
        if (!replicas || !p) continue; // ephemeral host ports are fine
        if (p.start === p.end) {
          let list = fixed.get(binding.item);
          if (list === undefined) fixed.set(binding.item, (list = []));
          list.push(binding);
          continue;
        }
        const size = p.end - p.start + 1;
        if (size >= replicas.value) continue;
        const n = replicas.value;
        const where = locText(replicas.loc, project.workingDir);
        const message =
          `service ${binding.service} runs ${n} replicas (set at ${where}), but the host range ${p.start}-${p.end}/${binding.protocol} has only ${size} ports: ` +
          `Docker gives each replica its own port of the range, so ${n - size === 1 ? 'one replica fails' : `${n - size} replicas fail`} to start ("port is already allocated"); ` +
          `widen the range to at least ${n} ports (e.g. "${p.start}-${p.start + n - 1}:${binding.containerPort}"), or leave the host port out and let Docker pick one per replica`;
        findings.push({ project, service: binding.service, loc: binding.item.loc, message, binding, related: [{ loc: replicas.loc, message: `${n} replicas` }] });
      }
      for (const [item, bindings] of fixed) {
        const first = bindings[0];
        const replicas = replicasOf.get(first.service)!;
        const n = replicas.value;
        const ports = portsText(bindings.map((b) => b.hostPorts!.start));
        const plural = bindings.length > 1;
        const listener = first.listeners[0];
        const example = plural ? '' : ` (e.g. "${first.hostIp ? `${first.hostIp.includes(':') ? `[${first.hostIp}]` : first.hostIp}:` : ''}${first.hostPorts!.start}-${first.hostPorts!.start + n - 1}:${first.containerPort}")`;
        const message =
          `service ${first.service} runs ${n} replicas (set at ${locText(replicas.loc, project.workingDir)}), but ${itemText(item)} publishes the fixed host port${plural ? 's' : ''} ${ports}/${first.protocol} on ${addressesText(bindings.flatMap((b) => b.listeners))}: ` +
          `every replica needs the same port${plural ? 's' : ''}, so only one starts and the others fail ("${bindError(listener, listener, first.hostPorts!.start)}"); ` +
          (plural
            ? 'leave the host ports out and let Docker pick them for each replica, or put a reverse proxy in front'
            : `publish a host range with at least ${n} ports${example}, leave the host port out and let Docker pick one per replica, or put a reverse proxy in front`);
        findings.push({ project, service: first.service, loc: item.loc, message, binding: first, related: [{ loc: replicas.loc, message: `${n} replicas` }] });
      }
    }
    return findings;
  },
});
