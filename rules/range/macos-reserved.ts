import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { placeGroups } from '../../src/engine/findings';
import { addressesText, mergeIntervals, type Interval } from '../../src/engine/words';
import { hostPortsPhrase, hostPortsWithin, isAre } from './ports';

/** TCP ports the AirPlay Receiver (ControlCenter) listens on, on all interfaces, since macOS 12. */
export const AIRPLAY_PORTS: readonly number[] = [5000, 7000];

export default defineRule<Record<string, never>>({
  meta: {
    id: 'range/macos-reserved',
    description: 'Host port 5000 or 7000, which the macOS AirPlay Receiver holds, so Docker Desktop cannot publish it.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/range/macos-reserved.md',
  },
  check({ projects, settings }) {
    if (settings.platform !== 'macos' && settings.platform !== 'all') return [];
    const findings: RuleFinding[] = [];
    for (const { project, item, bindings } of placeGroups(projects)) {
      const tcp = bindings.filter((b) => b.protocol === 'tcp');
      const hits: Interval[] = mergeIntervals(AIRPLAY_PORTS.flatMap((p) => hostPortsWithin(tcp, p, p)));
      if (!hits.length) continue;
      const first = hits[0].start;
      const ports = hostPortsPhrase(tcp, hits);
      const message =
        `${ports} on ${addressesText(tcp.flatMap((b) => b.listeners))} ${isAre(ports)} held by AirPlay Receiver on macOS 12+, so Docker Desktop cannot publish ${isAre(ports) === 'are' ? 'them' : 'it'}; ` +
        `use another host port (e.g. ${first + 1}) or turn AirPlay Receiver off`;
      findings.push({ project, service: tcp[0].service, loc: item.loc, message, binding: tcp.find((b) => b.hostPorts && b.hostPorts.start <= first && first <= b.hostPorts.end) ?? tcp[0] });
    }
    return findings;
  },
});
