/**
 * The daemons a stock host runs on well-known ports (rules-anchors §4), shared by
 * range/host-service (the port is taken) and the exposure rules (whose loopback spelling must not
 * land on a port a daemon holds on loopback too).
 */
import type { Platform } from '../../src/engine/rule';
import { listenersMayConflict } from '../../src/model/listeners';
import type { Binding, Listener } from '../../src/model/types';
import { bindingSpec } from '../../src/live/model';

/** A daemon that a stock host commonly runs, and the sockets it holds. */
export interface HostDaemon {
  name: string;
  /** Platforms whose stock installs run it. */
  platforms: Array<Exclude<Platform, 'all'>>;
  /** Where it listens, as the message says it ("127.0.0.53:53 and 127.0.0.54:53"). */
  where: string;
  listeners: Listener[];
  /** A host port to publish instead, when moving is the fix. */
  alternative?: number;
  /** What to do instead, for a binding of this protocol, when it is not moving to another host port. */
  fix?: (protocol: string) => string;
}

function at(address: string, port: number, protocol: string): Listener {
  return { address, family: address.includes(':') ? 6 : 4, ports: { start: port, end: port }, protocol };
}

function both(address: string, port: number): Listener[] {
  return [at(address, port, 'tcp'), at(address, port, 'udp')];
}

/**
 * Host daemons and their default listeners (rules-anchors §4): a Docker binding fails with
 * "address already in use" when its socket overlaps one of these (same protocol and family,
 * same address or either side unspecified).
 */
export const HOST_DAEMONS: readonly HostDaemon[] = [
  {
    name: 'sshd',
    platforms: ['linux'],
    where: '0.0.0.0:22 and [::]:22',
    listeners: [at('0.0.0.0', 22, 'tcp'), at('::', 22, 'tcp')],
    alternative: 2222,
  },
  {
    name: 'systemd-resolved',
    platforms: ['linux'],
    where: '127.0.0.53:53 and 127.0.0.54:53',
    listeners: [...both('127.0.0.53', 53), ...both('127.0.0.54', 53)],
    fix: (protocol) => `bind a specific address (e.g. "192.168.1.10:53:53/${protocol}") or set DNSStubListener=no`,
  },
  {
    name: 'cupsd',
    platforms: ['linux', 'macos'],
    where: 'localhost:631',
    listeners: [at('127.0.0.1', 631, 'tcp'), at('::1', 631, 'tcp')],
    alternative: 6310,
  },
  {
    name: 'cups-browsed',
    platforms: ['linux'],
    where: '0.0.0.0:631/udp',
    listeners: [at('0.0.0.0', 631, 'udp')],
  },
  {
    name: 'avahi-daemon',
    platforms: ['linux'],
    where: '*:5353/udp',
    listeners: [at('0.0.0.0', 5353, 'udp'), at('::', 5353, 'udp')],
  },
  {
    name: 'mDNSResponder',
    platforms: ['macos'],
    where: '*:5353/udp',
    listeners: [at('0.0.0.0', 5353, 'udp'), at('::', 5353, 'udp')],
  },
];

/** The daemons whose stock installs run on the platform (every daemon for `all`). */
export function daemonsOn(platform: Platform): readonly HostDaemon[] {
  return HOST_DAEMONS.filter((d) => platform === 'all' || d.platforms.includes(platform));
}

/** `"127.0.0.1:2222:22"`: the binding moved to another host port, its host IP kept. */
export function movedSpelling(binding: Binding, hostPort: number): string {
  return `"${bindingSpec({ ...binding, hostPort: String(hostPort) })}"`;
}

/** What to do about a binding that meets the daemon: its own advice, or another host port. */
export function daemonFix(daemon: HostDaemon, binding: Binding): string {
  if (daemon.fix) return daemon.fix(binding.protocol);
  // An example only for one container port: a run moves as a whole, to ports only its owner knows.
  return `publish another host port${daemon.alternative && binding.count === 1 ? ` (e.g. ${movedSpelling(binding, daemon.alternative)})` : ''}`;
}

/**
 * The daemon that would still hold the port if the binding listened on `address` (a loopback
 * address the exposure rules suggest), when the daemon says which port to take instead.
 */
export function daemonHoldingAt(binding: Binding, address: string, platform: Platform): HostDaemon | undefined {
  const h = binding.hostPorts;
  if (!h || h.start !== h.end || binding.count !== 1) return undefined;
  const moved: Listener = { address, family: address.includes(':') ? 6 : 4, ports: h, protocol: binding.protocol };
  return daemonsOn(platform).find((d) => d.alternative !== undefined && d.listeners.some((l) => listenersMayConflict(moved, l)));
}
