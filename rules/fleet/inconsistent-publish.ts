// rules/fleet/inconsistent-publish.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { isLoopbackListener, isWildcardListener } from '../../src/engine/findings';
import { bindingKey, bindingSpec } from '../../src/live/model';
import type { LiveInput } from '../../src/live/types';
import type { Binding } from '../../src/model/types';
import { engineNames, memberBindings, servicesOnSeveralEngines } from './services';

type Exposure = 'every interface' | 'specific addresses' | 'loopback only' | 'nothing';

function exposureOf(bindings: readonly Binding[]): Exposure {
  const listeners = bindings.flatMap((b) => b.listeners);
  if (!listeners.length) return 'nothing';
  if (listeners.some(isWildcardListener)) return 'every interface';
  if (listeners.some((l) => !isLoopbackListener(l))) return 'specific addresses';
  return 'loopback only';
}

/**
 * The same service publishes different ports on different engines: one host was changed by
 * hand, or redeployed from other files. Worth a warning when it changes who can reach the
 * service (loopback on one host, every interface on another); otherwise worth knowing.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'fleet/inconsistent-publish',
    description: 'The same service publishes different ports (or on different addresses) on different engines of the fleet.',
    defaultSeverity: 'info',
    fixable: false,
    docs: 'docs/rules/fleet/inconsistent-publish.md',
    modes: ['fleet'],
  },
  check({ fleet }) {
    const findings: RuleFinding[] = [];
    for (const service of servicesOnSeveralEngines(fleet)) {
      const variants = new Map<string, { specs: string[]; exposure: Exposure; engines: LiveInput[]; bindings: Binding[] }>();
      for (const [engine, members] of service.byEngine) {
        const bindings = memberBindings(members);
        const unique = new Map(bindings.map((b) => [bindingKey(b), b]));
        const key = [...unique.keys()].sort().join('\n');
        const v = variants.get(key);
        if (v) v.engines.push(engine);
        else variants.set(key, { specs: [...unique.values()].map(bindingSpec).sort(), exposure: exposureOf(bindings), engines: [engine], bindings });
      }
      if (variants.size < 2) continue;
      const list = [...variants.values()];
      const exposures = new Set(list.map((v) => v.exposure));
      // Report where it reaches furthest: that is the host to look at first.
      const rank: Exposure[] = ['every interface', 'specific addresses', 'loopback only', 'nothing'];
      const at = [...list].sort((a, b) => rank.indexOf(a.exposure) - rank.indexOf(b.exposure))[0];
      const member = service.byEngine.get(at.engines[0])![0];
      const binding = at.bindings[0];
      const described = list.map((v) => `${v.specs.length ? v.specs.map((s) => `"${s}"`).join(', ') : 'nothing'} on ${engineNames(v.engines)}`).join('; ');
      const reach = exposures.size > 1 ? `, so it is reachable on ${list.map((v) => `${v.exposure} on ${engineNames(v.engines)}`).join(' but ')}` : '';
      findings.push({
        project: member.project,
        service: member.project.services[0]?.name,
        loc: binding?.item.loc ?? member.project.services[0].loc,
        ...(binding && { binding }),
        message: `${service.text} publishes different ports on different engines: ${described}${reach}; redeploy it from the same files everywhere`,
        ...(exposures.size > 1 && { severity: 'warning' as const }),
      });
    }
    return findings;
  },
});
