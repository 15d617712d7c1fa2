// rules/swarm/ingress-port-conflict.ts
import { defineRule, type RelatedLocation, type RuleFinding } from '../../src/engine/rule';
import type { LiveInput } from '../../src/live/types';
import type { Binding, Listener, Project } from '../../src/model/types';
import { containerText } from '../../src/live/describe';
import { bindingFinding } from '../../src/engine/findings';
import { overlappingPairs, type Tagged } from '../collision/sweep';
import { nodesText, publishedText, serviceText, stacks } from './stacks';

/** The published ports of a swarm binding as one IPv4 wildcard listener: Swarm compares published port and protocol only. */
function publishedListener(b: Binding): Listener | undefined {
  const ports = b.listeners[0]?.ports ?? b.hostPorts;
  return ports && { address: '0.0.0.0', family: 4, ports, protocol: b.protocol };
}

interface Entry {
  project: Project;
  binding: Binding;
}

/**
 * Ports two swarm services (or one service twice) cannot both publish: Swarm refuses the second
 * at deploy ("port 'N' is already in use by service 'S' as an ingress port", "EndpointSpec:
 * duplicate published ports provided"), and the first error leaves a half-deployed stack. Two
 * host-mode ports of different services are accepted (the scheduler keeps them apart; see
 * swarm/host-mode-replicas). On a live swarm, also a standalone container (no service) that
 * publishes an ingress port on a node, or a host-mode port on a node that runs a task: Swarm
 * checks neither (moby/moby#39089).
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'swarm/ingress-port-conflict',
    description: 'Two swarm services publish the same port where one is ingress (docker stack deploy fails), or a standalone container holds a swarm-published port on a node.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/swarm/ingress-port-conflict.md',
    deployments: ['swarm', 'compose'],
    modes: ['check', 'audit', 'fleet'],
  },
  check({ projects, live, fleet }) {
    if (fleet) return fleet.flatMap((manager) => (manager.swarm ? containersOnNodes(manager, fleet.filter((e) => e !== manager)) : []));
    const findings = stacks(projects).flatMap(withinStack);
    if (live?.swarm) findings.push(...containersOnNodes(live, [live]));
    return findings;
  },
});

/** Conflicts Swarm refuses at deploy, within one stack; reported at the later entry. */
function withinStack(project: Project): RuleFinding[] {
  const entries: Array<Tagged<Entry>> = [];
  for (const binding of project.bindings) {
    const listener = publishedListener(binding);
    if (listener) entries.push({ listener, tag: { project, binding } });
  }
  const earlier = new Map<number, number>();
  overlappingPairs(entries, (i, j) => {
    const [a, b] = [entries[i].tag.binding, entries[j].tag.binding];
    const sameService = a.service === b.service;
    if (!sameService && a.swarm?.mode === 'host' && b.swarm?.mode === 'host') return;
    if (!earlier.has(j)) earlier.set(j, i);
  });
  const reported = new Set<string>();
  const findings: RuleFinding[] = [];
  for (const [j, i] of [...earlier].sort((x, y) => x[0] - y[0])) {
    const later = entries[j].tag.binding;
    const first = entries[i].tag.binding;
    const key = `${later.service}\0${later.item.loc.file}\0${later.item.loc.offset}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const port = publishedText(later);
    const why =
      first.service === later.service
        ? `${serviceText(project, later.service)} publishes ${port} twice: Swarm refuses the service ("EndpointSpec: duplicate published ports provided")`
        : `${serviceText(project, later.service)} publishes ${port}, which service ${first.service} already publishes ${first.swarm?.mode === 'host' ? 'in host mode' : 'through the ingress mesh'}: ` +
          `Swarm refuses the second ("port '${later.hostPorts?.start}' is already in use by service '${project.stack?.name}_${first.service}' as ${first.swarm?.mode === 'host' ? 'a host-published' : 'an ingress'} port")`;
    const related = [{ loc: first.item.loc, message: `service ${first.service} publishes ${publishedText(first)} here` }];
    findings.push(bindingFinding(project, later, `${why}, and docker stack deploy stops halfway, leaving the services it created; publish one of them on another port`, { related }));
  }
  return findings;
}

/**
 * Swarm-published ports of `manager`'s services against the standalone containers of `nodes`
 * (engines that are nodes of its swarm): an ingress port on any node, a host-mode port on a
 * node that runs a task of the service.
 */
function containersOnNodes(manager: LiveInput, nodes: readonly LiveInput[]): RuleFinding[] {
  const swarm = manager.swarm!;
  const inSwarm = new Map(swarm.nodes.map((n) => [n.id, n]));
  const findings: RuleFinding[] = [];
  for (const node of nodes) {
    const id = node.engine.swarm?.nodeId;
    if (!id || !inSwarm.has(id)) continue;
    const hostname = inSwarm.get(id)!.hostname || id;
    const entries: Array<Tagged<{ project: Project; binding: Binding; container?: number }>> = [];
    for (const project of stacks(manager.projects)) {
      for (const binding of project.bindings) {
        const service = project.services.find((s) => s.name === binding.service)?.swarmService;
        const here = binding.swarm?.mode !== 'host' || swarm.tasks.some((t) => t.serviceId === service?.id && t.nodeId === id);
        const listener = publishedListener(binding);
        if (here && listener) entries.push({ listener, tag: { project, binding } });
      }
    }
    if (!entries.length) continue;
    const serviceCount = entries.length;
    node.containers.forEach((_container, k) => {
      const project = node.projects[k];
      if (!project || project.stack) return;
      for (const binding of project.bindings) for (const listener of binding.listeners) entries.push({ listener: { ...listener, family: 4, address: '0.0.0.0' }, tag: { project, binding, container: k } });
    });
    const seen = new Set<string>();
    overlappingPairs(entries, (i, j) => {
      if (i >= serviceCount || j < serviceCount) return;
      const { project, binding } = entries[i].tag;
      const k = entries[j].tag.container!;
      const key = `${i}\0${k}`;
      if (seen.has(key)) return;
      seen.add(key);
      const container = node.containers[k];
      const where = `node ${hostname}${node === manager ? '' : ` (engine ${node.ref.name})`}`;
      const related: RelatedLocation[] = [{ loc: entries[j].tag.binding.item.loc, message: `${containerText(container)} publishes it on ${where}` }];
      const message =
        `${serviceText(project, binding.service)} publishes ${publishedText(binding)} on ${nodesText(binding)}, and ${containerText(container)} publishes it too on ${where}: ` +
        `Swarm does not check standalone containers (moby/moby#39089), so on that node one of them does not get the traffic${binding.swarm?.mode === 'host' ? ' (a task that starts there fails: address already in use)' : ''}; move one of them to another port`;
      findings.push(bindingFinding(project, binding, message, { related }));
    });
  }
  return findings;
}
