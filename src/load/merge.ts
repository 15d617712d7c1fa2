/**
 * Compose's merge rules for the keys portlint reads: later files append to
 * sequences, replace scalars, and `!reset` / `!override` remove or replace what
 * earlier files contributed (compose-go override/merge.go, loader/reset.go).
 * With `swarm`, ports merge as the docker CLI merges them (`mergeStackPorts`).
 */
import type { NetworkDraft, NetworkRef, PortDraft, Scoped, ServiceDraft } from './compose-file';
import { runSlice, type RawBinding } from '../model/port-grammar';

function mergeScalar<T>(base: Scoped<T> | undefined, over: Scoped<T> | undefined): Scoped<T> | undefined {
  if (!over) return base;
  if (over.tag === '!reset') return undefined;
  return over;
}

function mergeList<T>(base: Scoped<T[]> | undefined, over: Scoped<T[]> | undefined, union: (a: T[], b: T[]) => T[]): Scoped<T[]> | undefined {
  if (!over) return base;
  if (over.tag === '!reset') return undefined;
  if (over.tag === '!override' || !base) return over;
  return { value: union(base.value, over.value), loc: base.loc };
}

const appendPorts = (a: PortDraft[], b: PortDraft[]) => a.concat(b);
const unionStrings = (a: string[], b: string[]) => [...new Set(a.concat(b))];
const unionNetworks = (a: NetworkRef[], b: NetworkRef[]) => a.filter((n) => !b.some((m) => m.name === n.name)).concat(b);

/**
 * The docker CLI's merge of `ports` (`docker stack deploy -c a -c b`, cli/compose/loader/merge.go):
 * both lists go into a map keyed by the published port alone, the later entry wins, and the
 * result is sorted by published port. So 8080/tcp and 8080/udp collapse, and so do all the
 * entries without a published port (key 0). It runs whenever a later file names the service,
 * with or without ports. Works on intervals: a run is cut only where a later entry takes some
 * of its ports.
 */
export function mergeStackPorts(base: Scoped<PortDraft[]> | undefined, over: Scoped<PortDraft[]> | undefined): Scoped<PortDraft[]> | undefined {
  const entries = [...(base?.value ?? []), ...(over?.value ?? [])].flatMap((draft) => draft.bindings.map((b) => ({ draft, b })));
  if (!entries.length) return over ?? base;
  const kept: Array<{ draft: PortDraft; b: RawBinding }> = [];
  const taken: Array<{ start: number; end: number }> = [];
  let dynamicTaken = false;
  for (let k = entries.length - 1; k >= 0; k--) {
    const { draft, b } = entries[k];
    if (!b.hostPorts) {
      // Every port without a published one is key 0: only the very last survives.
      if (!dynamicTaken) kept.push({ draft, b: runSlice(b, b.count - 1, 1) });
      dynamicTaken = true;
      continue;
    }
    let next = b.hostPorts.start;
    const free: Array<{ start: number; end: number }> = [];
    for (const t of [...taken].sort((x, y) => x.start - y.start)) {
      if (t.end < next || t.start > b.hostPorts.end) continue;
      if (t.start > next) free.push({ start: next, end: t.start - 1 });
      next = Math.max(next, t.end + 1);
    }
    if (next <= b.hostPorts.end) free.push({ start: next, end: b.hostPorts.end });
    for (const f of free) kept.push({ draft, b: runSlice(b, f.start - b.hostPorts.start, f.end - f.start + 1) });
    taken.push(b.hostPorts);
  }
  kept.sort((x, y) => (x.b.hostPorts?.start ?? 0) - (y.b.hostPorts?.start ?? 0));
  return { value: kept.map(({ draft, b }) => ({ ...draft, bindings: [b] })), loc: (over ?? base)!.loc };
}

/** `over` merged onto `base`, as a later file (or the extending service) does; `swarm` merges as the docker CLI does. */
export function mergeService(base: ServiceDraft, over: ServiceDraft, swarm = false): ServiceDraft {
  if (over.tag === '!override') return over;
  return {
    name: over.name,
    keyLoc: base.keyLoc,
    ports: swarm ? mergeStackPorts(base.ports, over.ports) : mergeList(base.ports, over.ports, appendPorts),
    ...((base.deploy || over.deploy) && { deploy: over.deploy ?? base.deploy }),
    image: mergeScalar(base.image, over.image),
    networkMode: mergeScalar(base.networkMode, over.networkMode),
    profiles: mergeList(base.profiles, over.profiles, unionStrings),
    scale: mergeScalar(base.scale, over.scale),
    replicas: mergeScalar(base.replicas, over.replicas),
    networks: mergeList(base.networks, over.networks, unionNetworks),
    extends: over.extends ?? base.extends,
  };
}

/** Merges a file's services onto the accumulated ones, in place. */
export function mergeServices(acc: Map<string, ServiceDraft>, services: Iterable<ServiceDraft>, swarm = false): void {
  for (const service of services) {
    const base = acc.get(service.name);
    // `!reset` drops the service; the bare marker stays so that the merge with earlier files drops it there too.
    if (service.tag === '!reset') acc.set(service.name, { name: service.name, keyLoc: service.keyLoc, tag: '!reset' });
    else acc.set(service.name, base ? mergeService(base, service, swarm) : service);
  }
}

export function mergeNetworks(acc: Map<string, NetworkDraft>, networks: Iterable<NetworkDraft>): void {
  for (const network of networks) {
    const base = acc.get(network.name);
    if (network.tag === '!reset') acc.delete(network.name);
    else if (!base || network.tag === '!override') acc.set(network.name, network);
    else acc.set(network.name, { name: network.name, hostBindingIpv4: network.hostBindingIpv4 ?? base.hostBindingIpv4 });
  }
}
