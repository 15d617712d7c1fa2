import { defineRule, type Platform, type RuleFinding } from '../../src/engine/rule';
import { placeGroups } from '../../src/engine/findings';
import { intervalsText, mergeIntervals, type Interval } from '../../src/engine/words';
import { hostPortsPhrase, hostPortsWithin, isAre } from './ports';

interface EphemeralRange {
  /** Who uses the range, as the message names it. */
  label: string;
  platforms: Platform[];
  start: number;
  end: number;
}

/**
 * Default ephemeral (dynamic) port ranges: Linux net.ipv4.ip_local_port_range (which Docker's
 * allocator also reads), and the IANA dynamic range that macOS and Windows use.
 */
export const EPHEMERAL_RANGES: readonly EphemeralRange[] = [
  { label: 'Linux', platforms: ['linux'], start: 32768, end: 60999 },
  { label: 'macOS and Windows', platforms: ['macos', 'windows'], start: 49152, end: 65535 },
];

function selected(platform: Platform): EphemeralRange[] {
  if (platform === 'all') return [...EPHEMERAL_RANGES];
  return EPHEMERAL_RANGES.filter((r) => r.platforms.includes(platform)).map((r) =>
    r.platforms.length > 1 ? { ...r, label: platform === 'macos' ? 'macOS' : 'Windows' } : r,
  );
}

export default defineRule<Record<string, never>>({
  meta: {
    id: 'range/ephemeral',
    description: 'A fixed host port inside the ephemeral port range of the target platform(s), so the binding fails now and then.',
    defaultSeverity: 'warning',
    fixable: false,
    concern: 'host port',
    docs: 'docs/rules/range/ephemeral.md',
  },
  check({ projects, settings }) {
    // A live host (audit, check --live) says what its range is.
    const ranges = settings.ephemeralRange ? [{ label: 'this host', platforms: ['linux' as Platform], ...settings.ephemeralRange }] : selected(settings.platform);
    const below = Math.min(...ranges.map((r) => r.start));
    const findings: RuleFinding[] = [];
    for (const { project, bindings, item } of placeGroups(projects)) {
      const parts: Array<{ label: string; range: string; hits: Interval[] }> = [];
      const all: Interval[] = [];
      for (const r of ranges) {
        const hits = hostPortsWithin(bindings, r.start, r.end);
        if (!hits.length) continue;
        for (const h of hits) all.push(h);
        parts.push({ label: r.label, range: `${r.start}-${r.end}`, hits });
      }
      if (!parts.length) continue;
      const hits = mergeIntervals(all);
      const ports = hostPortsPhrase(bindings, hits);
      const named = parts.map((p) =>
        parts.length > 1 && intervalsText(p.hits) !== intervalsText(hits) ? `${p.label} (${p.range}, for ${intervalsText(p.hits)})` : `${p.label} (${p.range})`,
      );
      const inRange = named.length === 1 ? `the ephemeral port range of ${named[0]}` : `the ephemeral port ranges of ${named.join(' and ')}`;
      const message =
        `${ports} ${isAre(ports)} inside ${inRange}, so the binding fails when an outgoing connection holds ${isAre(ports) === 'are' ? 'them' : 'it'}; ` +
        `choose a host port below ${below}`;
      findings.push({ project, service: bindings[0].service, loc: item.loc, message, binding: bindings[0] });
    }
    return findings;
  },
});
