/**
 * What the swarm rules share: the stacks to judge (not the task containers, which Swarm made
 * from them), and the vocabulary of their messages.
 */
import type { Binding, Project } from '../../src/model/types';
import { SWARM_DYNAMIC_PORTS } from '../../src/model/swarm-ports';

/** Stacks Swarm deploys (from a stack file with --swarm, or a manager's services). */
export function stacks(projects: readonly Project[]): Project[] {
  return projects.filter((p) => p.stack && !p.stack.task);
}

/** "service db of stack shop". */
export function serviceText(project: Project, service: string): string {
  return `service ${service} of stack ${project.stack?.name ?? project.name}`;
}

/** "port 8080", "port 53/udp", or "a port Swarm picks from 30000-32767". */
export function publishedText(b: Binding): string {
  const proto = b.protocol === 'tcp' ? '' : `/${b.protocol}`;
  if (!b.hostPorts) return `a port Swarm picks from ${SWARM_DYNAMIC_PORTS.start}-${SWARM_DYNAMIC_PORTS.end}${proto ? ` (${b.protocol})` : ''}`;
  const { start, end } = b.hostPorts;
  return `${start === end ? `port ${start}` : `ports ${start}-${end}`}${proto}`;
}

/** Where Swarm opens it: "every node of the swarm" (ingress) or "every node that runs one of its tasks" (host mode). */
export function nodesText(b: Binding): string {
  return b.swarm?.mode === 'host' ? 'every node that runs one of its tasks, on every address' : 'every node of the swarm, on every address, through the ingress routing mesh';
}
