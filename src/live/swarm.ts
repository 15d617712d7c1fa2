/**
 * A swarm as a manager describes it (GET /services?status=true, /tasks, /nodes), and its
 * services in the shared model: one Project per stack (`com.docker.stack.namespace`; a service
 * created on its own is a stack of its own name), one ServiceModel per service with its deploy
 * settings, and one Binding per published port (the API lists a range port by port), marked
 * `swarm` with its publish mode. Listeners are those every node opens (ingress), or the nodes
 * that run a task (host mode): 0.0.0.0 and :: on the allocated port.
 *
 * When a stack file is given for a stack, a service's bindings point at that file's port
 * entries, matched by published port, target, protocol and mode (what Swarm keeps of an entry).
 */
import { engineBindings } from '../model/port-grammar';
import { listenersFor } from '../model/listeners';
import type { Binding, DeployModel, EngineRef, PortItem, Project, ServiceModel } from '../model/types';
import { LiveLocations, bindingSpec } from './model';
import { isObject, stringRecord, type Json } from '../util/json';

export const STACK_LABEL = 'com.docker.stack.namespace';

export interface SwarmNode {
  id: string;
  hostname: string;
  role: string;
  /** active, pause or drain. */
  availability: string;
  /** ready, down, unknown, disconnected. */
  state: string;
  labels: Record<string, string>;
  engineLabels: Record<string, string>;
  os: string;
  arch: string;
}

export interface SwarmPort {
  protocol: string;
  target: number;
  /** As the service asks (Spec); absent when Swarm picks it. */
  published?: number;
  /** As Swarm allocated it (Endpoint.Ports). */
  allocated?: number;
  mode: 'ingress' | 'host';
}

export interface SwarmService {
  id: string;
  name: string;
  stack?: string;
  /** Spec.TaskTemplate.ContainerSpec.Image, as the stack asked for it (with the digest Swarm pinned). */
  image?: string;
  deploy: DeployModel;
  ports: SwarmPort[];
}

export interface SwarmTask {
  id: string;
  serviceId: string;
  nodeId?: string;
  state: string;
  /** Status.Err: why a task waits or failed ("no suitable node (host-mode port already in use on 1 node)"). */
  error?: string;
}

/** What a manager says of its swarm. */
export interface SwarmFacts {
  clusterId: string;
  nodes: SwarmNode[];
  services: SwarmService[];
  tasks: SwarmTask[];
}

const obj = (v: unknown): Json => (isObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function portOf(p: Json): Omit<SwarmPort, 'allocated'> {
  return {
    protocol: (str(p.Protocol) || 'tcp').toLowerCase(),
    target: typeof p.TargetPort === 'number' ? p.TargetPort : 0,
    ...(typeof p.PublishedPort === 'number' && p.PublishedPort > 0 && { published: p.PublishedPort }),
    mode: str(p.PublishMode).toLowerCase() === 'host' ? 'host' : 'ingress',
  };
}

const portKey = (p: { protocol: string; target: number; published?: number; mode: string }) => `${p.mode}|${p.protocol}|${p.target}|${p.published ?? ''}`;

/** A service from GET /services: its request (Spec.EndpointSpec.Ports) with what Swarm allocated (Endpoint.Ports). */
export function serviceFromApi(s: Json): SwarmService {
  const spec = obj(s.Spec);
  const labels = stringRecord(spec.Labels);
  const mode = obj(spec.Mode);
  const placement = obj(obj(spec.TaskTemplate).Placement);
  const image = str(obj(obj(spec.TaskTemplate).ContainerSpec).Image);
  const deployMode: DeployModel['mode'] = isObject(mode.Global) ? 'global' : isObject(mode.GlobalJob) ? 'global-job' : isObject(mode.ReplicatedJob) ? 'replicated-job' : 'replicated';
  const replicas = deployMode === 'replicated' ? obj(mode.Replicated).Replicas : deployMode === 'replicated-job' ? obj(mode.ReplicatedJob).TotalCompletions : undefined;
  const requested = (Array.isArray(obj(spec.EndpointSpec).Ports) ? (obj(spec.EndpointSpec).Ports as unknown[]) : []).filter(isObject).map(portOf);
  const allocated = (Array.isArray(obj(s.Endpoint).Ports) ? (obj(s.Endpoint).Ports as unknown[]) : []).filter(isObject);
  // Allocations in order of the request; a port Swarm picked is the allocation of the same mode, protocol and target.
  const free = allocated.map((a) => ({ ...portOf(a), taken: false }));
  const ports = requested.map((r): SwarmPort => {
    const match = free.find((a) => !a.taken && a.mode === r.mode && a.protocol === r.protocol && a.target === r.target && (r.published === undefined || a.published === r.published));
    if (match) match.taken = true;
    return { ...r, ...(match?.published !== undefined && { allocated: match.published }) };
  });
  return {
    id: str(s.ID),
    name: str(spec.Name) || str(s.ID).slice(0, 12),
    ...(labels[STACK_LABEL] && { stack: labels[STACK_LABEL] }),
    ...(image && { image }),
    deploy: {
      mode: deployMode,
      ...(typeof replicas === 'number' && { replicas }),
      constraints: Array.isArray(placement.Constraints) ? placement.Constraints.filter((c): c is string => typeof c === 'string') : [],
    },
    ports,
  };
}

export function nodeFromApi(n: Json): SwarmNode {
  const spec = obj(n.Spec);
  const desc = obj(n.Description);
  const status = obj(n.Status);
  return {
    id: str(n.ID),
    hostname: str(desc.Hostname),
    role: str(spec.Role),
    availability: str(spec.Availability),
    state: str(status.State),
    labels: stringRecord(spec.Labels),
    engineLabels: stringRecord(obj(desc.Engine).Labels),
    os: str(obj(desc.Platform).OS),
    arch: str(obj(desc.Platform).Architecture),
  };
}

export function taskFromApi(t: Json): SwarmTask {
  const status = obj(t.Status);
  return {
    id: str(t.ID),
    serviceId: str(t.ServiceID),
    ...(str(t.NodeID) && { nodeId: str(t.NodeID) }),
    state: str(status.State),
    ...(str(status.Err) && { error: str(status.Err) }),
  };
}

/** The stack files given for stacks, loaded as docker stack deploy reads them (`--stack NAME=FILE`). */
export type StackFiles = ReadonlyMap<string, Project>;

/** How the entry would be written: "8080:80", "80" (Swarm picks the port), "8443:443 (host mode)". */
function portSpec(p: SwarmPort): string {
  const spec = bindingSpec({ hostIp: '', hostPort: p.published !== undefined ? String(p.published) : '', containerPort: p.target, protocol: p.protocol });
  return p.mode === 'host' ? `${spec} (host mode)` : spec;
}

/** The stacks of a swarm as projects (see the module comment); `offsetBase` keeps places apart from the containers'. */
export function buildStackProjects(swarm: SwarmFacts, o: { engine: EngineRef; stackFiles?: StackFiles; offsetBase: number }): Project[] {
  const locations = new LiveLocations(o.offsetBase);
  const place = () => locations.make();
  const byStack = new Map<string, SwarmService[]>();
  for (const s of swarm.services) {
    const stack = s.stack ?? s.name;
    byStack.set(stack, [...(byStack.get(stack) ?? []), s]);
  }
  const projects: Project[] = [];
  for (const [stack, services] of byStack) {
    const file = o.stackFiles?.get(stack);
    const project: Project = {
      name: stack,
      workingDir: file?.workingDir ?? '',
      files: file?.files ?? [],
      services: [],
      networks: [],
      bindings: [],
      problems: [],
      activeProfiles: [],
      stack: { name: stack },
      engine: o.engine,
      host: o.engine.name,
    };
    for (const s of services) {
      const short = s.stack && s.name.startsWith(`${s.stack}_`) ? s.name.slice(s.stack.length + 1) : s.name;
      const declared = file?.services.find((x) => x.name === short);
      // The file's port entries by what Swarm keeps of them; a run is keyed port by port.
      const items = new Map<string, PortItem[]>();
      for (const b of file?.bindings.filter((x) => x.service === short).flatMap(engineBindings) ?? []) {
        const key = portKey({ mode: b.swarm?.mode ?? 'ingress', protocol: b.protocol, target: b.containerPort, ...(b.hostPorts && { published: b.hostPorts.start }) });
        items.set(key, [...(items.get(key) ?? []), b.item]);
      }
      const service: ServiceModel = {
        name: short,
        loc: declared?.loc ?? place(),
        enabled: true,
        profiles: [],
        ...(s.image && { image: { value: s.image, loc: declared?.image?.loc ?? declared?.loc ?? place() } }),
        networks: [],
        ports: [],
        portsLoc: declared?.portsLoc,
        portsByFile: [],
        deploy: { ...s.deploy, ...(declared?.deploy?.loc && { loc: declared.deploy.loc }) },
        swarmService: { id: s.id, name: s.name },
        ...(s.deploy.replicas !== undefined && { replicas: { value: s.deploy.replicas, loc: declared?.replicas?.loc ?? declared?.loc ?? place() } }),
      };
      for (const p of s.ports) {
        const item = items.get(portKey(p))?.shift() ?? { service: short, loc: place(), syntax: 'short' as const, spec: portSpec(p), raw: portSpec(p), variables: [], unsetVariables: [], hostFromVariable: false };
        if (!service.ports.includes(item)) service.ports.push(item);
        const port = p.allocated ?? p.published;
        const hostPorts = p.published !== undefined ? { start: p.published, end: p.published } : undefined;
        const binding: Binding = {
          service: short,
          hostIp: '',
          hostPort: p.published !== undefined ? String(p.published) : '',
          containerPort: p.target,
          protocol: p.protocol,
          ...(hostPorts && { hostPorts }),
          count: 1,
          listeners: listenersFor({ hostIp: '', hostPorts: port !== undefined ? { start: port, end: port } : undefined, protocol: p.protocol, count: 1 }),
          item,
          order: project.bindings.length,
          swarm: { mode: p.mode },
          effective: port !== undefined,
        };
        project.bindings.push(binding);
      }
      project.services.push(service);
    }
    projects.push(project);
  }
  return projects;
}

/**
 * Whether a node may run a task of a service with these placement constraints (swarmkit
 * manager/constraint): `key==value` or `key!=value`, values compared without case, a label the
 * node lacks compares as "", and a key swarmkit does not know never matches. undefined when a
 * constraint is not understood here (node.ip ranges), so callers do not guess.
 */
export function nodeEligible(node: SwarmNode, constraints: readonly string[]): boolean | undefined {
  if (node.availability !== 'active' || node.state !== 'ready') return false;
  for (const c of constraints) {
    const m = /^\s*([^=!\s]+)\s*(==|!=)\s*(.*?)\s*$/.exec(c);
    if (!m) return undefined;
    const [, rawKey, op, value] = m;
    const key = rawKey.toLowerCase();
    let actual: string | undefined;
    if (key === 'node.id') actual = node.id;
    else if (key === 'node.hostname') actual = node.hostname;
    else if (key === 'node.role') actual = node.role;
    else if (key === 'node.platform.os') actual = node.os;
    else if (key === 'node.platform.arch') actual = node.arch;
    else if (key.startsWith('node.labels.')) actual = node.labels[rawKey.slice('node.labels.'.length)] ?? '';
    else if (key.startsWith('engine.labels.')) actual = node.engineLabels[rawKey.slice('engine.labels.'.length)] ?? '';
    else if (key === 'node.ip') return undefined;
    else return false;
    const equal = actual.toLowerCase() === value.toLowerCase();
    if (equal !== (op === '==')) return false;
  }
  return true;
}
