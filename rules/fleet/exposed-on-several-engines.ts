// rules/fleet/exposed-on-several-engines.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { bindingFinding, isWildcardListener } from '../../src/engine/findings';
import { bindingSpec } from '../../src/live/model';
import { allowedPortsOption, exposedBindings } from '../exposure/allowed-ports';
import type { UnboundPublishOptions } from '../exposure/unbound-publish';
import { hostPortsPhrase } from '../exposure/describe';
import { engineNames, servicesOnSeveralEngines } from './services';

/**
 * The same service published on every interface of several hosts: each engine's own findings say
 * it once per host; this says how far one mistake reaches across the fleet, once.
 */
export default defineRule<UnboundPublishOptions>({
  meta: {
    id: 'fleet/exposed-on-several-engines',
    description: 'The same service publishes a port on every interface on several engines of the fleet.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/fleet/exposed-on-several-engines.md',
    modes: ['fleet'],
    ...allowedPortsOption,
  },
  check({ fleet, options }) {
    const findings: RuleFinding[] = [];
    for (const service of servicesOnSeveralEngines(fleet)) {
      const exposedOn = [...service.byEngine].flatMap(([engine, members]) => {
        const projects = members.map((m) => m.project);
        const exposed = exposedBindings(projects, options, (b) => b.listeners.some(isWildcardListener));
        return exposed.length ? [{ engine, exposed }] : [];
      });
      if (exposedOn.length < 2) continue;
      const [first, ...others] = exposedOn;
      const [project, binding] = first.exposed[0];
      const ports = hostPortsPhrase(first.exposed.map(([, b]) => b));
      const message =
        `${service.text} publishes ${ports} on every interface on ${exposedOn.length} engines (${engineNames(exposedOn.map((e) => e.engine))}): ` +
        `one setting exposes it on every one of those hosts; bind it to one address (-p 127.0.0.1:...) everywhere it is deployed, or allow the port with allowedPorts`;
      const related = others.map(({ engine, exposed }) => ({ loc: exposed[0][1].item.loc, message: `engine ${engine.ref.name}: publishes ${exposed.map(([, b]) => `"${bindingSpec(b)}"`).join(', ')}` }));
      findings.push(bindingFinding(project, binding, message, { related }));
    }
    return findings;
  },
});
