import { PLATFORM_NAMES, defineRule, type RuleFinding } from '../../src/engine/rule';
import { formatListener, listenersMayConflict } from '../../src/model/listeners';
import { HOST_DAEMONS, daemonFix, daemonsOn, type HostDaemon } from './host-daemons';
import type { Binding, Listener } from '../../src/model/types';
import { placeGroups } from '../../src/engine/findings';
import { runSlice } from '../../src/model/port-grammar';
import { intervalsText, joinAnd, mergeIntervals, type Interval } from '../../src/engine/words';


/** The lowest and highest port each daemon listens on. */
const DAEMON_SPANS = new Map<HostDaemon, Interval>(
  HOST_DAEMONS.map((d) => {
    const ports = d.listeners.map((l) => l.ports!);
    return [d, { start: Math.min(...ports.map((p) => p.start)), end: Math.max(...ports.map((p) => p.end)) }];
  }),
);

/**
 * The bindings' listeners that overlap the daemon, with the overlapping ports, and the first
 * binding that has one. A run is shown only on the ports the daemon holds (the Engine binds
 * its ports one by one); a range the Engine picks from is shown whole.
 */
function clashes(bindings: Binding[], daemon: HostDaemon): { listeners: Listener[]; ports: Interval[]; binding?: Binding; at?: Binding } {
  const listeners: Listener[] = [];
  const ports: Interval[] = [];
  let binding: Binding | undefined;
  let at: Binding | undefined;
  // The cheap test every port item takes first: does a host port of it reach the daemon's ports at all?
  const span = DAEMON_SPANS.get(daemon)!;
  if (!bindings.some((b) => b.hostPorts !== undefined && b.hostPorts.start <= span.end && span.start <= b.hostPorts.end)) return { listeners, ports };
  for (const b of bindings) {
    for (const l of b.listeners) {
      const hit = daemon.listeners.filter((d) => listenersMayConflict(l, d));
      if (!hit.length) continue;
      for (const d of hit) {
        const held = { start: Math.max(l.ports!.start, d.ports!.start), end: Math.min(l.ports!.end, d.ports!.end) };
        binding ??= b;
        // Of a run, the port that meets the daemon, as its per-port binding: what the example moves.
        at ??= l.picksOne || b.count === 1 ? b : runSlice(b, held.start - b.hostPorts!.start, 1);
        ports.push(d.ports!);
        listeners.push(l.picksOne || (held.start === l.ports!.start && held.end === l.ports!.end) ? l : { ...l, ports: held });
      }
    }
  }
  return { listeners, ports: mergeIntervals(ports), binding, at };
}

function listenerList(listeners: Listener[]): string {
  return joinAnd([...new Set(listeners.map((l) => formatListener(l)))]);
}

export default defineRule<Record<string, never>>({
  meta: {
    id: 'range/host-service',
    description: 'A host port that a common host daemon holds (sshd, systemd-resolved, CUPS, mDNS), so the container fails to start.',
    defaultSeverity: 'info',
    fixable: false,
    concern: 'host port',
    docs: 'docs/rules/range/host-service.md',
  },
  check({ projects, settings }) {
    const daemons = daemonsOn(settings.platform);
    const findings: RuleFinding[] = [];
    for (const { project, item, bindings } of placeGroups(projects)) {
      const met: Array<{ daemon: HostDaemon; listeners: Listener[]; ports: Interval[]; at: Binding }> = [];
      let first: Binding | undefined;
      for (const daemon of daemons) {
        const { listeners, ports, binding, at } = clashes(bindings, daemon);
        if (!listeners.length) continue;
        first ??= binding;
        met.push({ daemon, listeners, ports, at: at! });
      }
      if (!met.length) continue;
      // One sentence for every daemon the entry meets: its listeners, then each daemon with where it listens.
      const listeners = [...new Set(met.flatMap((m) => m.listeners))];
      const ports = mergeIntervals(met.flatMap((m) => m.ports));
      const range = listeners.some((l) => l.picksOne) ? ` (the range includes ${intervalsText(ports)})` : '';
      const verb = new Set(listeners.map((l) => formatListener(l))).size > 1 ? 'collide' : 'collides';
      // Daemons that listen on the same sockets share one "on ..." (avahi-daemon and mDNSResponder on *:5353/udp).
      const byWhere = new Map<string, string[]>();
      for (const { daemon } of met) {
        const named = `${daemon.name} (${daemon.platforms.map((p) => PLATFORM_NAMES[p]).join(' and ')})`;
        byWhere.set(daemon.where, [...(byWhere.get(daemon.where) ?? []), named]);
      }
      const whom = [...byWhere].map(([where, named]) => `${joinAnd(named)} on ${where}`);
      const fixes = [...new Set(met.map(({ daemon, at }) => daemonFix(daemon, at)))];
      const fix = fixes.length === 1 ? fixes[0] : 'publish another host port';
      // Groups are joined with ", and" as each may hold an "and" of its own.
      const daemonsText = whom.length > 1 ? `${whom.slice(0, -1).join(', ')}, and ${whom[whom.length - 1]}` : whom[0];
      // Swarm's routing mesh takes the port on every node instead of failing; a host-mode task fails where it lands.
      const effect = !first?.swarm ? 'so the container fails to start' : first.swarm.mode === 'ingress' ? "so on every node of the swarm the ingress routing mesh takes that port's traffic from it" : 'so a task fails to start on every node where the daemon runs';
      const message = `${listenerList(listeners)}${range} ${verb} with ${daemonsText}, ${effect}; ${fix}`;
      findings.push({ project, service: first!.service, loc: item.loc, message, binding: first });
    }
    return findings;
  },
});
