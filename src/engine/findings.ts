/** Small shared vocabulary for rule messages and checks, so rules do not re-derive it. */
import type { Binding, Listener, Project } from '../model/types';
import { formatListener, parseIp } from '../model/port-spec';
import type { RuleFinding } from './rule';

/** Bindings of every project, with their project. */
export function* eachBinding(projects: Project[]): Generator<[Project, Binding]> {
  for (const project of projects) for (const binding of project.bindings) yield [project, binding];
}

export function bindingFinding(project: Project, binding: Binding, message: string, extra: Partial<RuleFinding> = {}): RuleFinding {
  return { project, service: binding.service, loc: binding.item.loc, message, binding, ...extra };
}

/** "8080", "8000-8010" or "a random port". */
export function hostPortText(binding: Binding): string {
  return binding.hostPorts ? binding.hostPort : 'a random port';
}

/** Listeners rendered for a message: "0.0.0.0:8080 and [::]:8080". */
export function listenersText(binding: Binding): string {
  return binding.listeners.map((l) => formatListener(l).replace(/\/[a-z]+$/, '')).join(' and ');
}

export function isLoopbackListener(l: Listener): boolean {
  return parseIp(l.address)?.loopback === true;
}

export function isWildcardListener(l: Listener): boolean {
  return l.address === '0.0.0.0' || l.address === '::';
}

/** Listeners reachable from other hosts: anything that is not loopback. */
export function publicListeners(binding: Binding): Listener[] {
  return binding.listeners.filter((l) => !isLoopbackListener(l));
}

/** True when the host port (or any port of the host range) is in [start, end]. */
export function hostPortsOverlap(binding: Binding, start: number, end: number): boolean {
  const p = binding.hostPorts;
  return !!p && p.start <= end && start <= p.end;
}

/** "web (compose.yaml:7:9)" style reference to a binding, relative paths resolved by reporters later. */
export function bindingRef(binding: Binding): string {
  const host = binding.hostIp ? (binding.hostIp.includes(':') ? `[${binding.hostIp}]` : binding.hostIp) + ':' : '';
  return `${host}${binding.hostPort || ''}${binding.hostPort ? ':' : ''}${binding.containerPort}/${binding.protocol}`;
}
