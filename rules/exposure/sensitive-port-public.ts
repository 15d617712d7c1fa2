// rules/exposure/sensitive-port-public.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { itemBindings, publicListeners } from '../../src/engine/findings';
import { sensitiveGroups, sensitivePortOptions, type SensitivePortOptions } from './sensitive-ports';
import { boundSpec, hostPortsPhrase, whereText } from './describe';

export { DEFAULT_SENSITIVE_PORTS, type SensitivePortEntry, type SensitivePortOptions } from './sensitive-ports';

export default defineRule<SensitivePortOptions>({
  meta: {
    id: 'exposure/sensitive-port-public',
    description: 'A datastore, admin or remote-shell port (5432, 6379, 27017, 22, 2375 ...) is published on a non-loopback address.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/exposure/sensitive-port-public.md',
    deployments: ['compose'],
    ...sensitivePortOptions,
  },
  check({ projects, options }) {
    return sensitiveGroups(projects, options).map(({ project, item, bindings, what }): RuleFinding => {
      const where = whereText(bindings.flatMap(publicListeners));
      const fix = item.syntax === 'long' ? `add ${boundSpec(item, [])}` : `write ${boundSpec(item, itemBindings(project, item))}`;
      const ctr = bindings[0].containerPort;
      const message =
        `publishes ${what} as ${hostPortsPhrase(bindings)} on ${where}; ${fix}, or drop the mapping (containers still reach ${item.service}:${ctr})`;
      return { project, service: item.service, loc: item.loc, message, binding: bindings[0] };
    });
  },
});
