/**
 * How Swarm publishes a short-syntax port entry (docker/cli opts/swarmopts ConvertPortToPortConfig,
 * port semantics §5): the entry is parsed like Compose parses it (nat.ParsePortSpec), then
 * - the host IP is dropped (the CLI only logs "ignoring IP-address ... service will listen on
 *   '0.0.0.0'"): every port is published on every address;
 * - a host range to one container port publishes every port of the range, each to that port
 *   (the Engine would pick one; Swarm takes all);
 * - no host port, or 0, leaves the port to Swarm, which allocates it from 30000-32767.
 * Equal-length ranges stay runs.
 */
import { isUnspecifiedAddress } from './ip';
import { picksHostPort, type RawBinding } from './port-grammar';

/** Swarm allocates published ports that a service does not name from this range (swarmkit portallocator). */
export const SWARM_DYNAMIC_PORTS = { start: 30000, end: 32767 } as const;

export interface SwarmPublished {
  bindings: RawBinding[];
  /** The host IP the entry names, which Swarm ignores (absent for none, or for 0.0.0.0 / ::, which mean every address anyway). */
  ignoredHostIp?: string;
}

export function swarmPublished(parsed: readonly RawBinding[]): SwarmPublished {
  const bindings: RawBinding[] = [];
  let ignoredHostIp: string | undefined;
  for (const b of parsed) {
    if (b.hostIp !== '' && !isUnspecifiedAddress(b.hostIp)) ignoredHostIp ??= b.hostIp;
    if (picksHostPort(b)) {
      // One port config per host port: what the CLI sends and what the service lists.
      for (let p = b.hostPorts!.start; p <= b.hostPorts!.end; p++) {
        bindings.push({ hostIp: '', hostPort: String(p), hostPorts: { start: p, end: p }, containerPort: b.containerPort, protocol: b.protocol, count: 1 });
      }
    } else if (!b.hostPorts) bindings.push({ hostIp: '', hostPort: '', containerPort: b.containerPort, protocol: b.protocol, count: b.count });
    else bindings.push({ ...b, hostIp: '' });
  }
  return { bindings, ...(ignoredHostIp !== undefined && { ignoredHostIp }) };
}
