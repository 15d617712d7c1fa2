// rules/exposure/sensitive-port-public.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { publicListeners } from '../../src/engine/findings';
import { quoteChooser } from '../../src/fix/port-fixes';
import { sensitiveGroups, sensitivePortOptions, type SensitivePortOptions } from './sensitive-ports';
import { hostPortsPhrase, privateAdvice, whereText } from './describe';

export { DEFAULT_SENSITIVE_IMAGES, DEFAULT_SENSITIVE_PORTS, type SensitiveImageEntry, type SensitivePortEntry, type SensitivePortOptions } from './sensitive-ports';

export default defineRule<SensitivePortOptions>({
  meta: {
    id: 'exposure/sensitive-port-public',
    description: 'A datastore, admin, debugger or remote-shell port (5432, 6379, 27017, 22, 2375, 9229 ...), or any port of a datastore image, is published on a non-loopback address.',
    defaultSeverity: 'error',
    fixable: false,
    concern: 'exposure',
    docs: 'docs/rules/exposure/sensitive-port-public.md',
    deployments: ['compose'],
    ...sensitivePortOptions,
  },
  check({ projects, options, settings }) {
    const quote = quoteChooser(projects);
    return sensitiveGroups(projects, options).map(({ project, item, bindings, what, reason }): RuleFinding => {
      const where = whereText(bindings.flatMap(publicListeners));
      const { how } = privateAdvice(project, item, bindings, quote(item.loc.file), settings.platform);
      const ctr = bindings[0].containerPort;
      const message =
        `publishes ${what} as ${hostPortsPhrase(bindings)} on ${where}${reason ? `: ${reason}` : ''}; ${how}, or drop the mapping (containers still reach ${item.service}:${ctr})`;
      return { project, service: item.service, loc: item.loc, message, binding: bindings[0] };
    });
  },
});
