import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { isWildcardListener, placeGroups } from '../../src/engine/findings';
import { addressText, addressesText, mergeIntervals, type Interval } from '../../src/engine/words';
import type { Binding, Listener, Project, SourceLocation } from '../../src/model/types';
import { hostPortsPhrase, hostPortsWithin, isAre } from './ports';

/** TCP ports the AirPlay Receiver (ControlCenter) listens on, on all interfaces, since macOS 12. */
export const AIRPLAY_PORTS: readonly number[] = [5000, 7000];

/**
 * The two addresses `localhost` names on macOS (/etc/hosts). A binding on one of them publishes
 * (the kernel lets a specific address share a port with AirPlay's wildcard socket), but AirPlay
 * still answers on the other, and which one a client reaches depends on how it resolves localhost.
 */
const LOCALHOST_PEERS: ReadonlyMap<string, { peer: string; peerText: string; who: string }> = new Map([
  ['127.0.0.1', { peer: '::1', peerText: '[::1]', who: 'clients that try localhost as ::1 first (browsers, curl)' }],
  ['::1', { peer: '127.0.0.1', peerText: '127.0.0.1', who: 'clients that use 127.0.0.1 or resolve localhost to IPv4 only' }],
]);

/** Whether the project publishes TCP `port` on `address` itself, so AirPlay does not answer there. */
function publishedOn(project: Project, address: string, port: number): boolean {
  return project.bindings.some(
    (b) => b.protocol === 'tcp' && b.listeners.some((l) => l.address === address && l.ports !== undefined && l.ports.start <= port && port <= l.ports.end),
  );
}

/** The binding that holds `port`, for the finding. */
function holder(tcp: Binding[], port: number): Binding {
  return tcp.find((b) => b.hostPorts && b.hostPorts.start <= port && port <= b.hostPorts.end) ?? tcp[0];
}

export default defineRule<Record<string, never>>({
  meta: {
    id: 'range/macos-reserved',
    description: 'Host port 5000 or 7000, which the macOS AirPlay Receiver holds: Docker Desktop cannot publish it on a wildcard address, and localhost may reach AirPlay instead of a loopback binding.',
    defaultSeverity: 'warning',
    fixable: false,
    concern: 'host port',
    docs: 'docs/rules/range/macos-reserved.md',
  },
  check({ projects, settings }) {
    if (settings.platform !== 'macos' && settings.platform !== 'all') return [];
    const findings: RuleFinding[] = [];
    for (const { project, item, bindings } of placeGroups(projects)) {
      const tcp = bindings.filter((b) => b.protocol === 'tcp');
      const hits: Interval[] = mergeIntervals(AIRPLAY_PORTS.flatMap((p) => hostPortsWithin(tcp, p, p)));
      if (!hits.length) continue;
      const listeners = tcp.flatMap((b) => b.listeners);
      const wildcard = listeners.filter(isWildcardListener);
      if (wildcard.length) {
        const first = hits[0].start;
        const ports = hostPortsPhrase(tcp, hits);
        const message =
          `${ports} on ${addressesText(wildcard)} ${isAre(ports)} held by AirPlay Receiver on macOS 12+, so Docker Desktop cannot publish ${isAre(ports) === 'are' ? 'them' : 'it'}; ` +
          `use another host port (e.g. ${first + 1}) or turn AirPlay Receiver off`;
        findings.push({ project, service: tcp[0].service, loc: item.loc, message, binding: holder(tcp, first) });
        continue;
      }
      const local = listeners.find((l) => LOCALHOST_PEERS.has(l.address));
      const finding = local && localhostFinding(project, item.loc, tcp, hits, local);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

/**
 * A binding on 127.0.0.1 or ::1 publishes, but `localhost` can lead to AirPlay on the other
 * address: worth knowing, not a failure, unless the project publishes the port there too.
 */
function localhostFinding(project: Project, loc: SourceLocation, tcp: Binding[], hits: Interval[], local: Listener): RuleFinding | undefined {
  const { peer, peerText, who } = LOCALHOST_PEERS.get(local.address)!;
  const open = hits.filter((h) => !publishedOn(project, peer, h.start));
  if (!open.length) return undefined;
  const first = open[0].start;
  const ports = hostPortsPhrase(tcp, open);
  const message =
    `${ports} on ${addressText(local)} ${isAre(ports)} published, but AirPlay Receiver (macOS 12+) still answers on ${peerText}: ` +
    `${who} reach AirPlay (403 Forbidden, Server: AirTunes), not the container; ` +
    `write http://${addressText(local)}:${first} rather than localhost, or use another host port (e.g. ${first + 1})`;
  return { project, service: tcp[0].service, loc, message, binding: holder(tcp, first), severity: 'info' };
}
