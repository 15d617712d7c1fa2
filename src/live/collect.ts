/**
 * Reading a Docker host: the Engine (GET /version, GET /info), its containers (one GET
 * /containers/json, then GET /containers/{id}/json only for what the list lacks), the networks
 * (GET /networks, only when a stopped container's listeners must be predicted), the compose
 * files the containers came from, the host itself when the Engine is local, and, from a swarm
 * manager, its services, tasks and nodes (GET /services, /tasks, /nodes, alongside the list).
 *
 * The list endpoint carries the effective ports, labels, state and network mode. It lacks the
 * request (HostConfig.PortBindings: "" host IPs, ranges, engine-chosen ports) and
 * HostConfig.PublishAllPorts, so a container is inspected only when it publishes something,
 * does not run (its request is all there is), or uses host/none/another container's network
 * (ports it asked for are discarded).
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { loadProjects } from '../load';
import { parseIp } from '../model/ip';
import type { RawBinding } from '../model/port-grammar';
import type { Project } from '../model/types';
import { EngineClient, LiveError, MIN_API_VERSION, compareApiVersions, type ApiCall } from './client';
import { isLocalEndpoint, type Endpoint, type EngineTarget } from './endpoint';
import { readHostFacts } from './host';
import { buildLiveProjects, publishesThroughMapping } from './model';
import type { ComposeOrigin, EffectivePort, EngineFacts, HostFacts, LiveContainer, LiveInput } from './types';
import { isObject, stringRecord, type Json } from '../util/json';
import { buildStackProjects, nodeFromApi, serviceFromApi, taskFromApi, type StackFiles, type SwarmFacts } from './swarm';

export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  configFiles: 'com.docker.compose.project.config_files',
  workingDir: 'com.docker.compose.project.working_dir',
  envFile: 'com.docker.compose.project.environment_file',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
} as const;


/** The list's Ports: one entry per effective binding; exposed-only ports have no PublicPort. */
export function effectiveFromList(ports: unknown): EffectivePort[] {
  if (!Array.isArray(ports)) return [];
  const out: EffectivePort[] = [];
  for (const p of ports) {
    if (!isObject(p) || typeof p.PublicPort !== 'number' || typeof p.PrivatePort !== 'number') continue;
    out.push({ hostIp: typeof p.IP === 'string' && p.IP ? p.IP : '0.0.0.0', hostPort: p.PublicPort, containerPort: p.PrivatePort, protocol: typeof p.Type === 'string' ? p.Type.toLowerCase() : 'tcp' });
  }
  return out;
}

/** "80/tcp" → [80, "tcp"]. */
function portKey(key: string): [number, string] | undefined {
  const m = /^(\d+)(?:\/([A-Za-z]+))?$/.exec(key);
  if (!m) return undefined;
  const port = Number(m[1]);
  return port <= 65535 ? [port, (m[2] ?? 'tcp').toLowerCase()] : undefined;
}

/** NetworkSettings.Ports of an inspect: {"80/tcp": [{HostIp, HostPort}], "81/tcp": null}. */
export function effectiveFromInspect(ports: unknown): EffectivePort[] {
  const out: EffectivePort[] = [];
  if (!isObject(ports)) return out;
  for (const [key, list] of Object.entries(ports)) {
    const k = portKey(key);
    if (!k || !Array.isArray(list)) continue;
    for (const b of list) {
      if (!isObject(b)) continue;
      const hostPort = Number(b.HostPort);
      if (!Number.isInteger(hostPort) || hostPort <= 0) continue;
      out.push({ hostIp: typeof b.HostIp === 'string' && b.HostIp ? b.HostIp : '0.0.0.0', hostPort, containerPort: k[0], protocol: k[1] });
    }
  }
  return out;
}

/** "18090-18092" → {18090, 18092}; "" and "0" (engine-chosen) → undefined. */
function hostPortInterval(text: string): { start: number; end: number } | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start === 0 && end === 0) return undefined;
  return start <= end && end <= 65535 ? { start, end } : undefined;
}

/** HostConfig.PortBindings, as requested. */
export function requestedFromInspect(portBindings: unknown): RawBinding[] {
  const out: RawBinding[] = [];
  if (!isObject(portBindings)) return out;
  for (const [key, list] of Object.entries(portBindings)) {
    const k = portKey(key);
    if (!k || !Array.isArray(list)) continue;
    for (const b of list) {
      if (!isObject(b)) continue;
      let hostIp = typeof b.HostIp === 'string' ? b.HostIp : '';
      if (hostIp.startsWith('[') && hostIp.endsWith(']')) hostIp = hostIp.slice(1, -1);
      const hostPort = typeof b.HostPort === 'string' ? b.HostPort.trim() : '';
      const raw: RawBinding = { hostIp, hostPort, containerPort: k[0], protocol: k[1], count: 1 };
      const interval = hostPortInterval(hostPort);
      if (interval) raw.hostPorts = interval;
      out.push(raw);
    }
  }
  return out;
}

/** Compose origin from labels; config files and env files made absolute against the working directory. */
export function composeOriginFromLabels(labels: Record<string, string>): ComposeOrigin | undefined {
  const project = labels[LABEL.project];
  const service = labels[LABEL.service];
  if (!project || !service) return undefined;
  const workingDir = labels[LABEL.workingDir] || undefined;
  const abs = (f: string) => (isAbsolute(f) || !workingDir ? f : resolve(workingDir, f));
  const list = (v: string | undefined) => (v ? v.split(',').map((f) => f.trim()).filter(Boolean).map(abs) : []);
  const number = Number(labels[LABEL.number]);
  return {
    project,
    service,
    ...(Number.isInteger(number) && labels[LABEL.number] !== undefined && { number }),
    ...(workingDir && { workingDir }),
    configFiles: list(labels[LABEL.configFiles]),
    envFiles: list(labels[LABEL.envFile]),
    oneoff: (labels[LABEL.oneoff] ?? '').toLowerCase() === 'true',
  };
}

/** A container from one entry of GET /containers/json. */
export function containerFromList(c: Json): LiveContainer {
  const names = Array.isArray(c.Names) ? c.Names.filter((n): n is string => typeof n === 'string') : [];
  const name = (names.find((n) => n.lastIndexOf('/') === 0) ?? names[0] ?? String(c.Id).slice(0, 12)).replace(/^\//, '');
  const labels = stringRecord(c.Labels);
  const hostConfig = isObject(c.HostConfig) ? c.HostConfig : {};
  const settings = isObject(c.NetworkSettings) ? c.NetworkSettings : {};
  const state = typeof c.State === 'string' ? c.State : isObject(c.State) && typeof c.State.Status === 'string' ? c.State.Status : 'unknown';
  const compose = composeOriginFromLabels(labels);
  return {
    ref: { id: String(c.Id), name, state, ...(compose && { composeProject: compose.project }) },
    labels,
    image: typeof c.Image === 'string' ? c.Image : '',
    networkMode: typeof hostConfig.NetworkMode === 'string' && hostConfig.NetworkMode ? hostConfig.NetworkMode : 'default',
    networks: isObject(settings.Networks) ? Object.keys(settings.Networks) : [],
    effective: state === 'running' ? effectiveFromList(c.Ports) : [],
    ...(compose && { compose }),
  };
}

/** Adds what only an inspect carries: the request, -P, and the effective ports per binding. */
export function applyInspect(c: LiveContainer, i: Json): void {
  const hostConfig = isObject(i.HostConfig) ? i.HostConfig : {};
  c.requested = requestedFromInspect(hostConfig.PortBindings);
  c.publishAll = hostConfig.PublishAllPorts === true;
  if (typeof hostConfig.NetworkMode === 'string' && hostConfig.NetworkMode) c.networkMode = hostConfig.NetworkMode;
  const state = isObject(i.State) && typeof i.State.Status === 'string' ? i.State.Status : c.ref.state;
  c.ref.state = state;
  const settings = isObject(i.NetworkSettings) ? i.NetworkSettings : {};
  c.effective = state === 'running' ? effectiveFromInspect(settings.Ports) : [];
}

/** Whether the list leaves something out that the rules need (see the module comment). */
export function needsInspect(c: LiveContainer): boolean {
  return c.effective.length > 0 || c.ref.state !== 'running' || !publishesThroughMapping(c.networkMode);
}

/** Engine facts from GET /version and GET /info. */
export function engineFacts(version: Json, info: Json, endpoint: Endpoint, thisHost = hostname()): EngineFacts {
  const components = Array.isArray(version.Components) ? version.Components.filter(isObject) : [];
  const security = Array.isArray(info.SecurityOptions) ? info.SecurityOptions.filter((s): s is string => typeof s === 'string') : [];
  const name = typeof info.Name === 'string' ? info.Name : '';
  const os = typeof info.OSType === 'string' ? info.OSType : typeof version.Os === 'string' ? version.Os : 'linux';
  return {
    version: String(version.Version),
    apiVersion: String(version.ApiVersion),
    os,
    rootless: security.some((s) => /(^|,)name=rootless(,|$)/.test(s)),
    podman: components.some((c) => typeof c.Name === 'string' && /podman/i.test(c.Name)),
    // A local socket can still lead into a VM (Docker Desktop): the host name must match too.
    local: isLocalEndpoint(endpoint) && process.platform === 'linux' && name === thisHost,
    endpoint: endpoint.url,
    name,
    id: typeof info.ID === 'string' ? info.ID : '',
    rootDir: typeof info.DockerRootDir === 'string' ? info.DockerRootDir : '',
    ...swarmOf(info),
  };
}

/** GET /info Swarm, for a node of an active swarm. */
function swarmOf(info: Json): Pick<EngineFacts, 'swarm'> {
  const s = isObject(info.Swarm) ? info.Swarm : {};
  if (s.LocalNodeState !== 'active' || typeof s.NodeID !== 'string') return {};
  const cluster = isObject(s.Cluster) && typeof s.Cluster.ID === 'string' ? s.Cluster.ID : undefined;
  return { swarm: { nodeId: s.NodeID, manager: s.ControlAvailable === true, ...(cluster && { clusterId: cluster }) } };
}

/**
 * Loads, once per distinct set of files, the compose project each compose container came
 * from, with every profile active (a running container means its profile was active).
 */
export function attachCompose(containers: LiveContainer[], env: Record<string, string | undefined>): void {
  const cache = new Map<string, { project?: Project; unavailable?: string }>();
  for (const c of containers) {
    const o = c.compose;
    if (!o) continue;
    if (!o.configFiles.length) {
      o.unavailable = 'its labels name no compose file';
      continue;
    }
    const missing = o.configFiles.filter((f) => !existsSync(f));
    if (missing.length) {
      o.unavailable = `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not on this machine`;
      continue;
    }
    const key = [o.project, o.workingDir ?? '', ...o.configFiles, '|', ...o.envFiles].join('\0');
    let entry = cache.get(key);
    if (!entry) {
      const result = loadProjects({
        cwd: o.workingDir ?? process.cwd(),
        env,
        paths: [],
        files: o.configFiles,
        envFiles: o.envFiles.filter((f) => existsSync(f)),
        profiles: ['*'],
        projectDirectory: o.workingDir,
        projectName: o.project,
      });
      const project = result.projects[0];
      entry = project ? { project } : { unavailable: result.fatal ?? result.errors[0]?.message ?? 'the compose files could not be loaded' };
      if (project && result.errors.length) entry = { unavailable: `the compose files do not load: ${result.errors[0].message}` };
      cache.set(key, entry);
    }
    if (entry.project) o.current = { project: entry.project, service: entry.project.services.find((s) => s.name === o.service) };
    else o.unavailable = entry.unavailable;
  }
}

export interface CollectOptions {
  endpoint: Endpoint;
  /** How findings name the engine (the context name, the address as given, "default"). */
  name: string;
  timeoutMs: number;
  /** Include containers that do not run (docker ps -a). */
  all: boolean;
  /** Server-side filters, e.g. { label: ["com.docker.compose.project=shop"] }. */
  filters: Record<string, string[]>;
  /** Inspect what the list lacks (audit); `check --live` needs the effective ports only. */
  inspect: boolean;
  /** Read compose files of compose containers (audit). */
  compose: boolean;
  /** Read the host's listening sockets (check --live). */
  hostSockets: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Inspects in flight at once (default: 1 over a local socket, 4 otherwise). */
  concurrency?: number;
  /** Where the host's /proc and /etc are (tests). */
  hostRoot?: string;
  /** Read a swarm manager's services, tasks and nodes (audit). */
  swarm?: boolean;
  /** Stack files by stack name, loaded as docker stack deploy reads them (`audit --stack`). */
  stackFiles?: StackFiles;
}

export interface Collected {
  live: LiveInput;
  calls: ApiCall[];
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Reads the host. Throws LiveError with a message for the user when the Engine cannot be used. */
export async function collectLive(o: CollectOptions): Promise<Collected> {
  const client = new EngineClient(o.endpoint, o.timeoutMs);
  try {
    const version = await client.version();
    const api = String(version.ApiVersion);
    if (!/^\d+\.\d+$/.test(api) || compareApiVersions(api, MIN_API_VERSION) < 0) {
      throw new LiveError(
        `the Docker engine at ${o.endpoint.url} speaks API ${api} (Engine ${String(version.Version)}), older than the API ${MIN_API_VERSION} (Docker 1.12) portlint reads; upgrade the Engine`,
      );
    }
    const [info, list] = await Promise.all([client.info(), client.containers(o.all, o.filters)]);
    const engine = engineFacts(version, info, o.endpoint);
    // A manager answers for the swarm; services take the label and name filters, as docker service ls does.
    const serviceFilters = Object.fromEntries(Object.entries(o.filters).filter(([k]) => k === 'label' || k === 'name'));
    const swarmRead =
      o.swarm && engine.swarm?.manager
        ? Promise.all([client.services(serviceFilters, compareApiVersions(api, '1.41') >= 0), client.tasks(), client.nodes()])
        : undefined;
    // Awaited below; if an inspect fails first, its error is the one reported, and this one must not go unhandled.
    swarmRead?.catch(() => undefined);
    const containers = list.map(containerFromList);
    if (o.inspect) {
      const todo = containers.filter(needsInspect);
      // Measured on Engine 20.10 with 200 containers: inspects sent one at a time over a local socket
      // take 1.5-2 ms each, and several at once slow the Engine down (8 at a time: 15 ms each).
      // Over TCP or SSH the round trip dominates, so a few run in parallel there.
      const local = o.endpoint.kind === 'unix' || o.endpoint.kind === 'npipe';
      const inspected = await mapLimit(todo, o.concurrency ?? (local ? 1 : 4), (c) => client.inspect(c.ref.id));
      const gone = new Set<LiveContainer>();
      todo.forEach((c, k) => {
        const i = inspected[k];
        if (i) applyInspect(c, i);
        else gone.add(c);
      });
      if (gone.size) containers.splice(0, containers.length, ...containers.filter((c) => !gone.has(c)));
    }
    // Listeners of a container that does not run are predicted: an unbound publish follows its network's default address.
    let networkDefaults: Map<string, string | undefined> | undefined;
    if (containers.some((c) => c.ref.state !== 'running' && publishesThroughMapping(c.networkMode) && (c.requested ?? []).some((r) => r.hostIp === ''))) {
      networkDefaults = new Map();
      for (const n of await client.networks()) {
        if (typeof n.Name !== 'string') continue;
        const ip = stringRecord(n.Options)['com.docker.network.bridge.host_binding_ipv4'];
        networkDefaults.set(n.Name, ip && parseIp(ip) ? ip : undefined);
      }
    }
    if (o.compose) attachCompose(containers, o.env);
    // A container's own published ports show up as host sockets too (docker-proxy): their owner is not needed.
    const published = new Set(containers.flatMap((c) => c.effective.map((e) => `${e.hostPort}/${e.protocol}`)));
    const host: HostFacts | undefined = engine.local
      ? readHostFacts({ root: o.hostRoot, sockets: o.hostSockets, ownerWanted: (s) => !published.has(`${s.port}/${s.protocol}`) })
      : undefined;
    const ref = { name: o.name, endpoint: o.endpoint.url };
    const projects = buildLiveProjects(containers, { cwd: o.cwd, networkDefaults, engine: ref });
    let swarm: SwarmFacts | undefined;
    if (swarmRead) {
      const [services, tasks, nodes] = await swarmRead;
      swarm = { clusterId: engine.swarm?.clusterId ?? '', services: services.map(serviceFromApi), tasks: tasks.map(taskFromApi), nodes: nodes.map(nodeFromApi) };
      projects.push(...buildStackProjects(swarm, { engine: ref, stackFiles: o.stackFiles, offsetBase: 1e9 }));
    }
    return { live: { ref, engine, ...(host && { host }), containers, projects, ...(swarm && { swarm }) }, calls: client.calls };
  } finally {
    client.close();
  }
}

/** One engine of a fleet run: what was read, or why it could not be. */
export interface EngineRead {
  target: EngineTarget;
  collected?: Collected;
  /** Why the engine could not be read (exit 2, after every other engine was checked). */
  error?: string;
  /** The name of an earlier engine of the run that this one is (the same engine, reached twice). */
  sameAs?: string;
  /** The name of an earlier manager of the same swarm, under which the swarm's services are reported. */
  swarmReportedBy?: string;
}

/**
 * Reads every engine at once; one that fails does not stop the others. An engine reached through
 * two addresses (a context and its ssh alias, say) is reported once: two reads are the same engine
 * when ID, host name and root folder agree and they list the same containers (container IDs are
 * random 256-bit numbers, so no two engines list the same ones; engine IDs alone repeat on cloned
 * machines). Several managers of one swarm: its services are judged under the first.
 */
export async function collectFleet(targets: readonly EngineTarget[], o: Omit<CollectOptions, 'endpoint' | 'name'>): Promise<EngineRead[]> {
  const reads = await Promise.all(
    targets.map(async (target): Promise<EngineRead> => {
      try {
        return { target, collected: await collectLive({ ...o, endpoint: target.endpoint, name: target.name }) };
      } catch (e) {
        if (!(e instanceof LiveError)) throw e;
        return { target, error: e.message };
      }
    }),
  );
  const seen = new Map<string, string>();
  const swarms = new Map<string, string>();
  for (const r of reads) {
    if (!r.collected) continue;
    const live = r.collected.live;
    const { engine, containers } = live;
    const identity = [engine.id, engine.name, engine.rootDir, ...containers.map((c) => c.ref.id).sort()].join('\0');
    const first = seen.get(identity);
    if (first !== undefined) {
      r.sameAs = first;
      continue;
    }
    seen.set(identity, r.target.name);
    // Every manager of a swarm answers for all of it: its services are judged once, from the first.
    if (live.swarm) {
      const firstManager = swarms.get(live.swarm.clusterId);
      if (firstManager === undefined) swarms.set(live.swarm.clusterId, r.target.name);
      else {
        r.swarmReportedBy = firstManager;
        live.projects = live.projects.filter((p) => !p.stack || p.stack.task);
        delete live.swarm;
      }
    }
  }
  return reads;
}