import { defineRule, type Platform, type RuleFinding } from '../../src/engine/rule';
import { formatListener, listenersMayConflict } from '../../src/model/port-spec';
import type { Binding, Listener } from '../../src/model/types';
import { bindingsByItem, mergeIntervals, intervalsText, type Interval } from './ports';

/** A daemon that a stock host commonly runs, and the sockets it holds. */
export interface HostDaemon {
  name: string;
  /** Platforms whose stock installs run it. */
  platforms: Array<Exclude<Platform, 'all'>>;
  /** Where it listens, as the message says it ("127.0.0.53:53 (tcp and udp)"). */
  where: string;
  listeners: Listener[];
  /** What to do instead, for a binding of this protocol. */
  fix: (protocol: string) => string;
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
    where: 'on 0.0.0.0:22 and [::]:22',
    listeners: [at('0.0.0.0', 22, 'tcp'), at('::', 22, 'tcp')],
    fix: () => 'publish another host port (e.g. "2222:22") or move the host sshd',
  },
  {
    name: 'systemd-resolved',
    platforms: ['linux'],
    where: 'with its stub resolver on 127.0.0.53:53 and 127.0.0.54:53 (tcp and udp)',
    listeners: [...both('127.0.0.53', 53), ...both('127.0.0.54', 53)],
    fix: (protocol) =>
      `bind the port to a specific host address other than 127.0.0.53 (e.g. "192.168.1.10:53:53/${protocol}"), or set DNSStubListener=no in /etc/systemd/resolved.conf`,
  },
  {
    name: 'cupsd',
    platforms: ['linux', 'macos'],
    where: 'on localhost:631 (127.0.0.1 and [::1])',
    listeners: [at('127.0.0.1', 631, 'tcp'), at('::1', 631, 'tcp')],
    fix: () => 'publish another host port (e.g. "6310:631"), or bind a specific non-loopback address',
  },
  {
    name: 'cups-browsed',
    platforms: ['linux'],
    where: 'on 0.0.0.0:631/udp',
    listeners: [at('0.0.0.0', 631, 'udp')],
    fix: () => 'publish another host port, or stop cups-browsed on the host',
  },
  {
    name: 'avahi-daemon (mDNS)',
    platforms: ['linux'],
    where: 'on 0.0.0.0:5353/udp and [::]:5353/udp',
    listeners: [at('0.0.0.0', 5353, 'udp'), at('::', 5353, 'udp')],
    fix: () => 'publish another host port, or use network_mode: host for an mDNS service and stop avahi-daemon',
  },
  {
    name: 'mDNSResponder',
    platforms: ['macos'],
    where: 'on *:5353/udp',
    listeners: [at('0.0.0.0', 5353, 'udp'), at('::', 5353, 'udp')],
    fix: () => 'publish another host port',
  },
];

const PLATFORM_NAMES: Record<Exclude<Platform, 'all'>, string> = { linux: 'Linux', macos: 'macOS', windows: 'Windows' };

/** The binding's listeners that overlap the daemon, with the overlapping ports. */
function clashes(bindings: Binding[], daemon: HostDaemon): { listeners: Listener[]; ports: Interval[] } {
  const listeners: Listener[] = [];
  const ports: Interval[] = [];
  for (const b of bindings) {
    for (const l of b.listeners) {
      const hit = daemon.listeners.filter((d) => listenersMayConflict(l, d));
      if (!hit.length) continue;
      listeners.push(l);
      for (const d of hit) ports.push(d.ports!);
    }
  }
  return { listeners, ports: mergeIntervals(ports) };
}

function listenerList(listeners: Listener[]): string {
  const texts = [...new Set(listeners.map((l) => formatListener(l)))];
  return texts.length <= 1 ? texts.join('') : `${texts.slice(0, -1).join(', ')} and ${texts[texts.length - 1]}`;
}

export default defineRule<Record<string, never>>({
  meta: {
    id: 'range/host-service',
    description: 'A host port that a common host daemon holds (sshd, systemd-resolved, CUPS, mDNS), so the container fails to start.',
    defaultSeverity: 'info',
    fixable: false,
    docs: 'docs/rules/range/host-service.md',
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  check({ projects, settings }) {
    const daemons = HOST_DAEMONS.filter((d) => settings.platform === 'all' || d.platforms.includes(settings.platform as Exclude<Platform, 'all'>));
    const findings: RuleFinding[] = [];
    for (const { project, item, bindings } of bindingsByItem(projects)) {
      const clauses: string[] = [];
      let first: Binding | undefined;
      for (const daemon of daemons) {
        const { listeners, ports } = clashes(bindings, daemon);
        if (!listeners.length) continue;
        first ??= bindings.find((b) => b.listeners.includes(listeners[0]));
        const on = daemon.platforms.map((p) => PLATFORM_NAMES[p]).join(' and ');
        const range = listeners.some((l) => l.ports!.start !== l.ports!.end) ? ` (the range includes ${intervalsText(ports)})` : '';
        const verb = new Set(listeners.map((l) => formatListener(l))).size > 1 ? 'collide' : 'collides';
        clauses.push(
          `${listenerList(listeners)}${range} ${verb} with ${daemon.name}, which ${on} hosts commonly run ${daemon.where}: ` +
            `Docker fails to start the container with "bind: address already in use"; ${daemon.fix(listeners[0].protocol)}`,
        );
      }
      if (!clauses.length) continue;
      findings.push({ project, service: first!.service, loc: item.loc, message: clauses.join('; also, '), binding: first });
    }
    return findings;
  },
});
