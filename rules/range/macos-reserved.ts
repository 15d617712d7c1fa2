import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { addressesText, bindingsByItem, hostPortsPhrase, hostPortsWithin, intervalsText, isAre, mergeIntervals, type Interval } from './ports';

/** TCP ports the AirPlay Receiver (ControlCenter) listens on, on all interfaces, since macOS 12. */
export const AIRPLAY_PORTS: readonly number[] = [5000, 7000];

export default defineRule<Record<string, never>>({
  meta: {
    id: 'range/macos-reserved',
    description: 'Host port 5000 or 7000, which the macOS AirPlay Receiver holds, so Docker Desktop cannot publish it.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/range/macos-reserved.md',
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  check({ projects, settings }) {
    if (settings.platform !== 'macos' && settings.platform !== 'all') return [];
    const findings: RuleFinding[] = [];
    for (const { project, item, bindings } of bindingsByItem(projects)) {
      const tcp = bindings.filter((b) => b.protocol === 'tcp');
      const hits: Interval[] = mergeIntervals(AIRPLAY_PORTS.flatMap((p) => hostPortsWithin(tcp, p, p)));
      if (!hits.length) continue;
      const first = hits[0].start;
      const ports = hostPortsPhrase(tcp, hits);
      const message =
        `${ports} on ${addressesText(tcp)} ${isAre(ports)} held on macOS 12 and later by the AirPlay Receiver (ControlCenter listens on *:${intervalsText(hits)}), ` +
        `so Docker Desktop fails with "Ports are not available: exposing port TCP 0.0.0.0:${first} -> 0.0.0.0:0: listen tcp 0.0.0.0:${first}: bind: address already in use"; ` +
        `publish another host port (e.g. ${first + 1}), or turn off AirPlay Receiver in System Settings > General > AirDrop & Handoff`;
      findings.push({ project, service: tcp[0].service, loc: item.loc, message, binding: tcp.find((b) => b.hostPorts && b.hostPorts.start <= first && first <= b.hostPorts.end) ?? tcp[0] });
    }
    return findings;
  },
});
