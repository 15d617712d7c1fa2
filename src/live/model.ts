/**
 * Live containers in the shared model. Each container becomes one Project (named after its
 * compose project, or after the container when it has none) with one ServiceModel, so the
 * catalogue's rules read live bindings exactly as they read compose bindings:
 *
 * - a Binding is a requested binding (HostConfig.PortBindings: "" host IPs, ranges, "0"), plus
 *   one ephemeral binding per exposed port under `-P`;
 * - its listeners are the effective ones (NetworkSettings.Ports) when the container runs,
 *   matched back to the request they came from; predicted with `listenersFor` otherwise;
 * - effective bindings that match no request (or a container that was not inspected) become
 *   bindings of their own, with the bound address and port;
 * - when the container's compose files are on this machine, a binding that the service still
 *   declares points at that port item's file and line; anything else has no file (see
 *   SourceLocation).
 */
import { parseIp } from '../model/ip';
import { engineBindings, type RawBinding } from '../model/port-grammar';
import { listenersFor } from '../model/listeners';
import type { Binding, EngineRef, Listener, NetworkModel, PortItem, Project, ServiceModel, SourceLocation } from '../model/types';
import type { EffectivePort, LiveContainer } from './types';

/** Network name → its com.docker.network.bridge.host_binding_ipv4, for predicting listeners of stopped containers. */
export type NetworkDefaults = ReadonlyMap<string, string | undefined>;

/** Places of live items with no file: unique offsets keep item identity (file + offset). */
export class LiveLocations {
  constructor(private next = 1) {}
  make(): SourceLocation {
    const offset = this.next++;
    return { file: '', line: 0, column: 0, endLine: 0, endColumn: 0, offset, endOffset: offset };
  }
}

/** How `docker run -p` / compose short syntax writes a binding: "8080:80", "127.0.0.1::80/udp", "[::1]:8080:80". */
export function bindingSpec(b: { hostIp: string; hostPort: string; containerPort: number; protocol: string }): string {
  const proto = b.protocol === 'tcp' ? '' : `/${b.protocol}`;
  const hostPort = b.hostPort === '0' ? '' : b.hostPort;
  if (!b.hostIp) return hostPort ? `${hostPort}:${b.containerPort}${proto}` : `${b.containerPort}${proto}`;
  const ip = b.hostIp.includes(':') ? `[${b.hostIp}]` : b.hostIp;
  return `${ip}:${hostPort}:${b.containerPort}${proto}`;
}

/** Same address, comparing canonical forms ("::ffff:127.0.0.1" is 127.0.0.1). */
function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const pa = parseIp(a);
  const pb = parseIp(b);
  if (!pa || !pb) return false;
  return (pa.v4mapped ?? pa.canonical) === (pb.v4mapped ?? pb.canonical);
}

function familyOf(address: string): 4 | 6 {
  const p = parseIp(address);
  return p && p.family === 4 ? 4 : p?.v4mapped ? 4 : address.includes(':') ? 6 : 4;
}

function effectiveListener(e: EffectivePort): Listener {
  const p = parseIp(e.hostIp);
  const address = p ? (p.v4mapped ?? p.canonical) : e.hostIp;
  return { address, family: familyOf(e.hostIp), ports: { start: e.hostPort, end: e.hostPort }, protocol: e.protocol };
}

/** A key that ignores how "no port" is spelled ("" and "0" are both engine-chosen) and how the address is written. */
export function bindingKey(b: { hostIp: string; hostPort: string; containerPort: number; protocol: string }): string {
  const ip = b.hostIp === '' ? '' : (parseIp(b.hostIp)?.canonical ?? b.hostIp);
  const port = b.hostPort === '0' ? '' : b.hostPort;
  return `${ip}|${port}|${b.containerPort}/${b.protocol.toLowerCase()}`;
}

/** The network default address that applies to a stopped container's unbound publishes. */
function networkDefault(c: LiveContainer, defaults: NetworkDefaults | undefined): string | undefined {
  if (!defaults) return undefined;
  const mode = c.networkMode;
  const name = mode === 'default' ? 'bridge' : mode;
  if (defaults.has(name)) return defaults.get(name);
  for (const n of c.networks) if (defaults.get(n)) return defaults.get(n);
  return undefined;
}

/** Whether the container publishes through a port mapping at all (not host, none or another's namespace). */
export function publishesThroughMapping(networkMode: string): boolean {
  return networkMode !== 'host' && networkMode !== 'none' && !networkMode.startsWith('container:');
}

/**
 * Matches effective ports to the requests they came from: fixed host ports first, then ranges,
 * then engine-chosen ports. Returns the listeners of each request and the effective ports no
 * request explains.
 */
export function matchEffective(requests: readonly RawBinding[], effective: readonly EffectivePort[], defaultIp?: string): { listeners: Listener[][]; unmatched: EffectivePort[] } {
  const claimed = new Array<boolean>(effective.length).fill(false);
  const listeners: Listener[][] = requests.map(() => []);
  const rank = (r: RawBinding) => (!r.hostPorts ? 2 : r.hostPorts.start === r.hostPorts.end ? 0 : 1);
  const order = requests.map((_, i) => i).sort((a, b) => rank(requests[a]) - rank(requests[b]) || a - b);
  const portFits = (r: RawBinding, e: EffectivePort) => !r.hostPorts || (e.hostPort >= r.hostPorts.start && e.hostPort <= r.hostPorts.end);
  const sameKey = (r: RawBinding, e: EffectivePort) => r.containerPort === e.containerPort && r.protocol === e.protocol;
  for (const i of order) {
    const r = requests[i];
    for (const expected of listenersFor(r, defaultIp)) {
      const k = effective.findIndex((e, j) => !claimed[j] && sameKey(r, e) && portFits(r, e) && familyOf(e.hostIp) === expected.family && sameAddress(e.hostIp, expected.address));
      if (k < 0) continue;
      claimed[k] = true;
      listeners[i].push(effectiveListener(effective[k]));
    }
  }
  // A network default address (host_binding_ipv4) moves unbound publishes: take what is left.
  for (const i of order) {
    const r = requests[i];
    if (r.hostIp !== '' || listeners[i].length) continue;
    effective.forEach((e, j) => {
      if (!claimed[j] && sameKey(r, e) && portFits(r, e)) {
        claimed[j] = true;
        listeners[i].push(effectiveListener(e));
      }
    });
  }
  return { listeners, unmatched: effective.filter((_, j) => !claimed[j]) };
}

/** The live items of one compose port item are shared, so a range written once stays one item. */
function liveItemFrom(composeItem: PortItem, service: string): PortItem {
  return {
    service,
    loc: composeItem.loc,
    syntax: composeItem.syntax,
    spec: composeItem.spec,
    raw: composeItem.raw,
    hostIpLoc: composeItem.hostIpLoc,
    // What a variable held when the container was created is unknown: these belong to `check`.
    variables: [],
    unsetVariables: [],
    hostFromVariable: composeItem.hostFromVariable,
  };
}

function plainItem(service: string, spec: string, loc: SourceLocation): PortItem {
  return { service, loc, syntax: 'short', spec, raw: spec, variables: [], unsetVariables: [], hostFromVariable: false };
}

export interface BuildOptions {
  /** Network defaults (host_binding_ipv4), when the networks were read. */
  networkDefaults?: NetworkDefaults;
  /** Working directory for containers with no compose project. */
  cwd: string;
  /** The engine the containers were read from. */
  engine?: EngineRef;
}

/** One project per container, in the order given. */
export function buildLiveProjects(containers: readonly LiveContainer[], opts: BuildOptions): Project[] {
  const locs = new LiveLocations();
  return containers.map((c) => buildProject(c, opts, locs));
}

function buildProject(c: LiveContainer, opts: BuildOptions, locs: LiveLocations): Project {
  const compose = c.compose;
  // A task of a swarm service: Swarm publishes its ports, and the swarm rules judge the service.
  const swarmTask = c.labels['com.docker.stack.namespace'] ?? c.labels['com.docker.swarm.service.name'];
  const serviceName = compose?.service ?? c.ref.name;
  const current = compose?.current;
  const currentService = current?.service;
  const serviceLoc = currentService?.loc ?? locs.make();
  const mode = c.networkMode;
  const mapped = publishesThroughMapping(mode);
  const running = c.ref.state === 'running';

  // The service's bindings as the compose files say now, by binding key (for file:line). The
  // Engine lists one binding per port, so a run is keyed port by port.
  const composeByKey = new Map<string, Binding[]>();
  if (current && currentService) {
    for (const b of current.project.bindings.filter((x) => x.service === serviceName).flatMap(engineBindings)) {
      const key = bindingKey(b);
      composeByKey.set(key, [...(composeByKey.get(key) ?? []), b]);
    }
    // Services that publish nothing (host/none) still have items: map their specs too.
  }
  // One live item per compose item, however many live bindings it stands for.
  const liveItems = new Map<PortItem, PortItem>();
  const liveItem = (composeItem: PortItem): PortItem => {
    let item = liveItems.get(composeItem);
    if (!item) liveItems.set(composeItem, (item = liveItemFrom(composeItem, serviceName)));
    return item;
  };
  const itemFor = (b: { hostIp: string; hostPort: string; containerPort: number; protocol: string }): PortItem => {
    const candidates = composeByKey.get(bindingKey(b));
    if (candidates?.length) return liveItem(candidates.shift()!.item);
    if (currentService && !mapped) {
      // Host/none network mode: the compose model has items but no bindings; match by spec text.
      const spec = bindingSpec(b);
      const composeItem = currentService.ports.find((i) => i.spec === spec || i.spec === `${spec}/tcp`);
      if (composeItem) return liveItem(composeItem);
    }
    return plainItem(serviceName, bindingSpec(b), locs.make());
  };

  const requests: Array<RawBinding & { publishAll?: boolean }> = [...(c.requested ?? [])];
  if (c.publishAll && mapped) {
    // -P publishes every exposed port without a binding of its own on an engine-chosen port.
    const have = new Set(requests.map((r) => `${r.containerPort}/${r.protocol}`));
    const exposed = new Map<string, EffectivePort>();
    for (const e of c.effective) if (!have.has(`${e.containerPort}/${e.protocol}`)) exposed.set(`${e.containerPort}/${e.protocol}`, e);
    for (const e of exposed.values()) requests.push({ hostIp: '', hostPort: '', containerPort: e.containerPort, protocol: e.protocol, count: 1, publishAll: true });
  }

  const bindings: Binding[] = [];
  const items: PortItem[] = [];
  const addItem = (item: PortItem) => {
    if (!items.includes(item)) items.push(item);
  };
  const defaultIp = networkDefault(c, opts.networkDefaults);
  if (c.requested !== undefined) {
    const { listeners, unmatched } = running && mapped ? matchEffective(requests, c.effective, defaultIp) : { listeners: [], unmatched: [] };
    requests.forEach((r, i) => {
      const item = itemFor(r);
      addItem(item);
      if (!mapped) return; // host/none/container: the Engine publishes nothing
      bindings.push({
        service: serviceName,
        hostIp: r.hostIp,
        hostPort: r.hostPort,
        containerPort: r.containerPort,
        protocol: r.protocol,
        hostPorts: r.hostPorts,
        count: 1,
        listeners: running ? listeners[i] : listenersFor(r, defaultIp),
        item,
        order: bindings.length,
        effective: running,
      });
    });
    for (const e of unmatched) bindings.push(effectiveBinding(e, serviceName, itemFor, addItem, bindings.length));
  } else {
    // Not inspected: the effective bindings are all that is known.
    for (const e of c.effective) bindings.push(effectiveBinding(e, serviceName, itemFor, addItem, bindings.length));
  }

  const networkMode = mapped ? undefined : { value: mode, loc: currentService?.networkMode?.loc ?? serviceLoc };
  const service: ServiceModel = {
    name: serviceName,
    loc: serviceLoc,
    enabled: true,
    profiles: [],
    ...(c.image && { image: { value: c.image, loc: currentService?.image?.loc ?? serviceLoc } }),
    ...(networkMode && { networkMode }),
    networks: c.networks.length ? [...c.networks] : [mode],
    ports: items,
    portsLoc: currentService?.portsLoc,
    portsByFile: [],
  };
  const networks: NetworkModel[] = c.networks.map((name) => {
    const ip = opts.networkDefaults?.get(name);
    return ip ? { name, hostBindingIpv4: ip } : { name };
  });
  return {
    name: compose?.project ?? c.ref.name,
    workingDir: compose?.workingDir ?? opts.cwd,
    files: current?.project.files ?? compose?.configFiles ?? [],
    services: [service],
    networks,
    bindings,
    problems: [],
    activeProfiles: [],
    container: { ...c.ref, ...(compose && { composeProject: compose.project }) },
    ...(opts.engine && { engine: opts.engine }),
    // The containers read from one engine are on one host.
    host: opts.engine?.name ?? 'default',
    ...(swarmTask && { stack: { name: swarmTask, task: true as const } }),
  };
}

function effectiveBinding(
  e: EffectivePort,
  service: string,
  itemFor: (b: { hostIp: string; hostPort: string; containerPort: number; protocol: string }) => PortItem,
  addItem: (i: PortItem) => void,
  order: number,
): Binding {
  const b = { hostIp: e.hostIp, hostPort: String(e.hostPort), containerPort: e.containerPort, protocol: e.protocol };
  const item = itemFor(b);
  addItem(item);
  return { service, ...b, hostPorts: { start: e.hostPort, end: e.hostPort }, count: 1, listeners: [effectiveListener(e)], item, order, effective: true };
}
