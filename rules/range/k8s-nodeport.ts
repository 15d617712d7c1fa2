import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { placeGroups } from '../../src/engine/findings';
import { hostPortsPhrase, hostPortsWithin, isAre } from './ports';

/** kubernetes DefaultServiceNodePortRange: {Base: 30000, Size: 2768}. */
export const NODEPORT_RANGE = { start: 30000, end: 32767 } as const;

export default defineRule<Record<string, never>>({
  meta: {
    id: 'range/k8s-nodeport',
    description: 'A host port inside the Kubernetes NodePort range 30000-32767, where a NodePort Service may take it (opt-in).',
    defaultSeverity: 'off',
    fixable: false,
    concern: 'host port',
    docs: 'docs/rules/range/k8s-nodeport.md',
  },
  check({ projects }) {
    const { start, end } = NODEPORT_RANGE;
    const findings: RuleFinding[] = [];
    for (const { project, item, bindings } of placeGroups(projects)) {
      const hits = hostPortsWithin(bindings, start, end);
      if (!hits.length) continue;
      const ports = hostPortsPhrase(bindings, hits);
      const message =
        `${ports} ${isAre(ports)} inside the Kubernetes NodePort range (${start}-${end}), so a NodePort Service on a Kubernetes node can take ${isAre(ports) === 'are' ? 'them' : 'it'}; ` +
        'choose a host port outside that range';
      findings.push({ project, service: bindings[0].service, loc: item.loc, message, binding: bindings[0] });
    }
    return findings;
  },
});
