// rules/collision/live.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { picksHostPort } from '../../src/model/port-grammar';
import { firstPortOutside, formatListener, listenersConflict, listenersMayConflict } from '../../src/model/listeners';
import type { Binding, Listener, PortItem, Project } from '../../src/model/types';
import type { HostSocket, LiveInput } from '../../src/live/types';
import { containerText } from '../../src/live/describe';
import { addressesText, intervalsText, mergeIntervals, severalPorts, type Interval } from '../../src/engine/words';

/** Something on the host that holds a port: a running container, or a host process. */
interface Holder {
  listener: Listener;
  /** "container shop_db_1 (project shop, service db)", "sshd (pid 812)", "a host process". */
  who: string;
  kind: 'container' | 'process';
}

const key = (address: string, port: number, protocol: string) => `${address}|${port}|${protocol}`;

function socketListeners(s: HostSocket): Listener[] {
  const ports = { start: s.port, end: s.port };
  const own: Listener = { address: s.address, family: s.family, ports, protocol: s.protocol };
  return s.dualStack ? [own, { address: '0.0.0.0', family: 4, ports, protocol: s.protocol }] : [own];
}

/**
 * What holds ports on the host now: running containers that `up` will not replace (another
 * project's, one-off containers, or a service the project no longer defines), and host processes
 * (sockets that are not a container's own published port).
 */
function holders(projects: readonly Project[], live: LiveInput): Holder[] {
  const out: Holder[] = [];
  const containerSockets = new Set<string>();
  live.containers.forEach((c, i) => {
    const p = live.projects[i];
    if (!p || c.ref.state !== 'running') return;
    for (const b of p.bindings) for (const l of b.listeners) if (l.ports) containerSockets.add(key(l.address, l.ports.start, l.protocol));
    const o = c.compose;
    const replaced = o && !o.oneoff && projects.some((sp) => sp.name === o.project && sp.services.some((s) => s.name === o.service && s.enabled));
    if (replaced) return;
    for (const b of p.bindings) for (const listener of b.listeners) if (listener.ports) out.push({ listener, who: containerText(c), kind: 'container' });
  });
  for (const s of live.host?.sockets ?? []) {
    if (s.process?.name === 'docker-proxy' || s.process?.name === 'rootlesskit') continue;
    if (containerSockets.has(key(s.address, s.port, s.protocol))) continue;
    const who = s.process ? `${s.process.name} (pid ${s.process.pid})` : 'a host process (run portlint as root to see which)';
    for (const listener of socketListeners(s)) out.push({ listener, who, kind: 'process' });
  }
  return out;
}

/** "host port 8080", "host ports 8000-8002" or "host ports 80 and 443". */
function hostPortsText(ports: Interval[]): string {
  return `host port${severalPorts(ports) ? 's' : ''} ${intervalsText(ports, 4)}`;
}

/**
 * `check --live`: a binding of the checked project that cannot be bound on this Docker host
 * now, because a running container or a host process already holds the port (same rules as
 * collision/host-port: same protocol and family, same address or either side unspecified).
 * A host range fails only when every port of it is held.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'collision/live',
    description: 'check --live: a binding conflicts with a port held now by a running container of another project or by a host process.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/collision/live.md',
    deployments: ['compose'],
    modes: ['check'],
  },
  check({ projects, live }) {
    if (!live) return [];
    const held = holders(projects, live);
    if (!held.length) return [];
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      if (project.container) continue;
      const byItem = new Map<PortItem, { binding: Binding; listeners: Listener[]; hits: Holder[]; ports: Interval[] }>();
      for (const binding of project.bindings) {
        for (const l of binding.listeners) {
          const p = l.ports;
          if (!p) continue;
          let hits: Holder[];
          let ports: Interval[];
          if (!l.picksOne) {
            hits = held.filter((h) => listenersConflict(l, h.listener));
            ports = hits.map((h) => ({ start: Math.max(p.start, h.listener.ports!.start), end: Math.min(p.end, h.listener.ports!.end) }));
          } else {
            // A host range the Engine picks from fails only when no port of it is free.
            const overlapping = held.filter((h) => listenersMayConflict(l, h.listener));
            const free = firstPortOutside(p.start, p.end, overlapping.map((h) => h.listener.ports!)) <= p.end;
            hits = free ? [] : overlapping;
            ports = free ? [] : [p];
          }
          if (!hits.length) continue;
          let g = byItem.get(binding.item);
          if (!g) byItem.set(binding.item, (g = { binding, listeners: [], hits: [], ports: [] }));
          g.listeners.push(l);
          for (const h of hits) g.hits.push(h);
          for (const p of ports) g.ports.push(p);
        }
      }
      for (const [item, g] of byItem) {
        const first = g.hits[0];
        const range = picksHostPort(g.binding);
        const whoList = [...new Set(g.hits.map((h) => h.who))];
        const others = whoList.length > 1 ? ` (and ${whoList.length - 1} more: ${whoList.slice(1, 4).join(', ')}${whoList.length > 4 ? ', …' : ''})` : '';
        const what = range
          ? `every port of host range ${g.binding.hostPorts!.start}-${g.binding.hostPorts!.end}/${g.binding.protocol} on ${addressesText(g.listeners)} is held, first by ${first.who}`
          : `${hostPortsText(mergeIntervals(g.ports))}/${g.binding.protocol} on ${addressesText(g.listeners)} is held by ${first.who} on ${formatListener(first.listener).replace(/\/[a-z]+$/, '')}`;
        const fix = first.kind === 'container' ? 'stop that container or publish another host port' : `stop ${first.who.replace(/ \(.*$/, '')} or publish another host port`;
        findings.push({
          project,
          service: g.binding.service,
          loc: item.loc,
          message: `${what}${others}, so service ${g.binding.service} will not start; ${fix}`,
          binding: g.binding,
        });
      }
    }
    return findings;
  },
});
