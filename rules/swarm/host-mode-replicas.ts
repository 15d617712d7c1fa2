// rules/swarm/host-mode-replicas.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { bindingFinding } from '../../src/engine/findings';
import { nodeEligible, type SwarmFacts } from '../../src/live/swarm';
import type { Binding, Project, ServiceModel } from '../../src/model/types';
import { publishedText, serviceText, stacks } from './stacks';

const PENDING = /host-mode port already in use/;

interface Claim {
  project: Project;
  service: ServiceModel;
  binding: Binding;
}

/** Tasks a service wants on the swarm; for a global service, one per eligible node. */
function demand(service: ServiceModel, eligible: number | undefined): number {
  const d = service.deploy;
  return d && /^global/.test(d.mode) ? (eligible ?? 1) : (d?.replicas ?? service.replicas?.value ?? 1);
}

/** Nodes that may run the service's tasks; undefined when a constraint cannot be judged here. */
function eligibleNodes(swarm: SwarmFacts, service: ServiceModel): Set<string> | undefined {
  const out = new Set<string>();
  for (const node of swarm.nodes) {
    const ok = nodeEligible(node, service.deploy?.constraints ?? []);
    if (ok === undefined) return undefined;
    if (ok) out.add(node.id);
  }
  return out;
}

/**
 * Host-mode ports with a fixed published port held by more tasks than there are nodes to run
 * them: a node can run only one task holding a host-mode port, so the scheduler leaves the rest
 * pending ("no suitable node (host-mode port already in use on 1 node)") for as long as the
 * service exists. From a stack file (no swarm known), any fixed host-mode port that more than one
 * task wants needs that many nodes; on a live swarm, the eligible nodes are counted (ready,
 * active, and matching the placement constraints).
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'swarm/host-mode-replicas',
    description: 'A host-mode port with a fixed published port is wanted by more tasks than nodes can hold it (replicas, or two services), so tasks stay pending.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/swarm/host-mode-replicas.md',
    deployments: ['swarm'],
  },
  check({ projects, live }) {
    const swarm = live?.swarm;
    const claims = new Map<string, Claim[]>();
    for (const project of stacks(projects)) {
      for (const binding of project.bindings) {
        if (binding.swarm?.mode !== 'host' || !binding.hostPorts) continue;
        const service = project.services.find((s) => s.name === binding.service);
        if (!service) continue;
        const key = `${binding.protocol}/${binding.hostPorts.start}`;
        const list = claims.get(key) ?? [];
        if (!list.some((c) => c.service === service)) list.push({ project, service, binding });
        claims.set(key, list);
      }
    }
    const findings: RuleFinding[] = [];
    for (const list of claims.values()) {
      const eligible = swarm ? list.map((c) => eligibleNodes(swarm, c.service)) : undefined;
      const judged = eligible && eligible.every((e) => e !== undefined);
      const capacity = judged ? new Set(eligible!.flatMap((e) => [...e!])).size : undefined;
      const wanted = list.reduce((n, c, k) => n + demand(c.service, judged ? eligible![k]!.size : undefined), 0);
      if (capacity !== undefined ? wanted <= capacity : wanted <= 1) continue;
      const last = list[list.length - 1];
      const port = publishedText(last.binding);
      const who =
        list.length === 1
          ? `${serviceText(last.project, last.service.name)} publishes ${port} in host mode with ${wanted} ${/^global/.test(last.service.deploy?.mode ?? '') ? 'tasks' : 'replicas'}`
          : `${list.map((c) => `service ${c.service.name} (${demand(c.service, undefined)})`).join(' and ')} of stack ${last.project.stack?.name} publish ${port} in host mode, ${wanted} tasks in all`;
      const pending = swarm?.tasks.filter((t) => t.error && PENDING.test(t.error) && list.some((c) => c.service.swarmService?.id === t.serviceId)).length ?? 0;
      const short =
        capacity !== undefined
          ? `, but ${capacity === 0 ? 'no node' : capacity === 1 ? 'only 1 node' : `only ${capacity} nodes`} of the swarm can run them: ${wanted - capacity} stay pending` +
            `${pending ? ` (${pending} ${pending === 1 ? 'task is' : 'tasks are'} pending now: "${swarm!.tasks.find((t) => t.error && PENDING.test(t.error))!.error}")` : ''}`
          : `: a node can run only one task that holds a host-mode port, so the swarm needs ${wanted} eligible nodes; on fewer, the rest stay pending ("no suitable node (host-mode port already in use on 1 node)")`;
      const message = `${who}${short}; use deploy.mode: global (one task per node), leave published out so each task gets its own port, or publish through the ingress mesh`;
      findings.push(bindingFinding(last.project, last.binding, message, capacity !== undefined ? { severity: 'error' } : {}));
    }
    return findings;
  },
});
