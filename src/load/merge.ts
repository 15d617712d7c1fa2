/**
 * Compose's merge rules for the keys portlint reads: later files append to
 * sequences, replace scalars, and `!reset` / `!override` remove or replace what
 * earlier files contributed (compose-go override/merge.go, loader/reset.go).
 */
import type { NetworkDraft, NetworkRef, PortDraft, Scoped, ServiceDraft } from './compose-file';

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

/** `over` merged onto `base`, as a later file (or the extending service) does. */
export function mergeService(base: ServiceDraft, over: ServiceDraft): ServiceDraft {
  if (over.tag === '!override') return over;
  return {
    name: over.name,
    keyLoc: base.keyLoc,
    ports: mergeList(base.ports, over.ports, appendPorts),
    networkMode: mergeScalar(base.networkMode, over.networkMode),
    profiles: mergeList(base.profiles, over.profiles, unionStrings),
    scale: mergeScalar(base.scale, over.scale),
    replicas: mergeScalar(base.replicas, over.replicas),
    networks: mergeList(base.networks, over.networks, unionNetworks),
    extends: over.extends ?? base.extends,
  };
}

/** Merges a file's services onto the accumulated ones, in place. */
export function mergeServices(acc: Map<string, ServiceDraft>, services: Iterable<ServiceDraft>): void {
  for (const service of services) {
    const base = acc.get(service.name);
    // `!reset` drops the service; the bare marker stays so that the merge with earlier files drops it there too.
    if (service.tag === '!reset') acc.set(service.name, { name: service.name, keyLoc: service.keyLoc, tag: '!reset' });
    else acc.set(service.name, base ? mergeService(base, service) : service);
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
