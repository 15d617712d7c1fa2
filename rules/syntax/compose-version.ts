import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { COMPOSE_FEATURE_SINCE, compareReleases, formatRelease, type ComposeRelease } from '../../src/model/compose-releases';
import type { ComposeFeatureUse, PortItem } from '../../src/model/types';
import { quoteChooser, respellShortFix, type Quote } from '../../src/fix/port-fixes';
import type { FindingFix } from '../../src/fix/edits';

/** The IP field of a short-syntax entry (everything before the second-to-last colon) and the rest. */
function ipAndRest(spec: string): [string, string] {
  const cut = spec.lastIndexOf(':', spec.lastIndexOf(':') - 1);
  return [spec.slice(0, cut), spec.slice(cut)];
}

/** An entry every release reads when spelt `spec`: the fix writes it, or the advice says where to. */
function respelt(item: PortItem, spec: string, what: string, quote: (file: string) => Quote): { what: string; advice: string; fix?: FindingFix } {
  const fix = respellShortFix(item, spec, quote(item.loc.file));
  return { what, advice: item.variables.length && fix && 'reason' in fix ? fix.reason : `write ${JSON.stringify(spec)}, which every release reads`, fix };
}

/** What the release before `since` does, how to write it for every release, and the fix when there is one. */
function explain(use: ComposeFeatureUse, quote: (file: string) => Quote): { what: string; advice: string; fix?: FindingFix } {
  const item = use.item as PortItem;
  switch (use.feature) {
    case 'raw-ipv6': {
      const [ip, rest] = ipAndRest(item.spec);
      return respelt(item, `[${ip}]${rest}`, `refuses ${JSON.stringify(item.spec)}: its port parser (go-connections v0.4.0) takes an IPv6 address in brackets only ("too many colons in address")`, quote);
    }
    case 'plus-sign': {
      const colon = item.spec.lastIndexOf(':');
      const container = item.spec.slice(colon + 1).split('/')[0];
      const host = item.spec.slice(item.spec.lastIndexOf(':', colon - 1) + 1, colon);
      const part = container.includes('+') ? `containerPort: ${container}` : `hostPort: ${host}`;
      return respelt(item, item.spec.replace(/\+/g, ''), `refuses ${JSON.stringify(item.spec)} ("invalid ${part}"): only go-connections v0.7.0 reads a port number with a plus sign`, quote);
    }
    case 'app-protocol':
      return { what: 'refuses app_protocol in a port entry (its schema: "additional property app_protocol is not allowed")', advice: 'remove it' };
    case 'override-tag':
      return {
        what: `knows no !override: the ports earlier files give ${use.service} stay, and these are added to them`,
        advice: `give ${use.service} its ports in one file instead`,
      };
    case 'repeated-entry': {
      const [first, again] = use.positions!;
      return {
        what: `refuses the file ("services.${use.service}.ports array items[${first},${again}] must be unique", compose-go v1's schema); later releases drop the repeat silently`,
        advice: 'remove the repeated entry',
      };
    }
  }
}

export default defineRule<Record<string, never>>({
  meta: {
    id: 'syntax/compose-version',
    description: 'A port entry that docker compose releases older than the one you target (the compose setting) refuse or read differently (raw IPv6, +80, app_protocol, !override, repeats).',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'docs/rules/syntax/compose-version.md',
    deployments: ['compose'],
    modes: ['check'],
  },
  check({ projects, settings }) {
    const target: ComposeRelease | undefined = settings.compose;
    if (!target) return [];
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    const quote = quoteChooser(projects);
    for (const project of projects) {
      for (const use of project.composeFeatures ?? []) {
        const { since, effect } = COMPOSE_FEATURE_SINCE[use.feature];
        if (compareReleases(target, since) >= 0) continue;
        const key = `${use.feature}\0${use.loc.file}\0${use.loc.offset}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { what, advice, fix } = explain(use, quote);
        findings.push({
          project,
          service: use.service,
          loc: use.loc,
          message: `docker compose before ${formatRelease(since)} ${what}; you target ${formatRelease(target)} (the compose setting): ${advice}, or target ${formatRelease(since)} or later`,
          ...(effect === 'differs' && { severity: 'warning' as const }),
          ...(fix && { fix }),
        });
      }
    }
    return findings;
  },
});
