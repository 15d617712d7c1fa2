// rules/exposure/unbound-publish.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { groupByItem, isWildcardListener } from '../../src/engine/findings';
import { allowedPortsOption, exposedBindings } from './allowed-ports';
import { hostPortsPhrase, privateAdvice, unsetText, whereText } from './describe';
import { quoteChooser } from '../../src/fix/port-fixes';
import { fixPublicPortsSchema, publicByDesignNote } from './public-ports';

export interface UnboundPublishOptions {
  allowedPorts: Array<number | string>;
  fixPublicPorts: boolean;
}

/**
 * A publish that names no host IP. Docker then listens on 0.0.0.0 and :: (unless the service's
 * network sets host_binding_ipv4), and its NAT rules take the traffic before ufw or firewalld see it.
 * Judged by the listeners the loader computed: a network default of 127.0.0.1 makes the
 * binding loopback-only, a specific address makes it one interface; neither is reported.
 */
export default defineRule<UnboundPublishOptions>({
  meta: {
    id: 'exposure/unbound-publish',
    description: 'A published port with no host IP listens on every IPv4 and IPv6 interface and bypasses ufw/firewalld.',
    defaultSeverity: 'warning',
    fixable: true,
    concern: 'exposure',
    docs: 'docs/rules/exposure/unbound-publish.md',
    deployments: ['compose'],
    optionsSchema: {
      ...allowedPortsOption.optionsSchema,
      properties: { ...allowedPortsOption.optionsSchema.properties, fixPublicPorts: fixPublicPortsSchema },
    },
    defaultOptions: { ...allowedPortsOption.defaultOptions, fixPublicPorts: false },
  },
  check({ projects, options, settings }) {
    const reported = exposedBindings(projects, options, (b) => b.hostIp === '' && b.listeners.some(isWildcardListener));
    const quote = quoteChooser(projects);
    return groupByItem(reported).map(({ project, item, bindings }): RuleFinding => {
      const listeners = bindings.flatMap((b) => b.listeners).filter(isWildcardListener);
      const unset = item.hostFromVariable && item.unsetVariables.length ? ` because ${unsetText(item.unsetVariables)}` : '';
      // The suggestion is what --fix writes, or why it leaves the entry alone.
      const { how, fix: autofix } = privateAdvice(project, item, bindings, quote(item.loc.file), settings.platform);
      const head = `publishes ${hostPortsPhrase(bindings)} on ${whereText(listeners)}${unset}`;
      // A mail, DNS, web or VPN port is there to be reached: say so first, and fix it only when asked to.
      const note = publicByDesignNote(bindings);
      const message = note ? `${head}; ${note}; to keep it private, ${how}` : `${head}; ${how}`;
      const fix = note && options.fixPublicPorts !== true ? undefined : autofix;
      return { project, service: item.service, loc: item.loc, message, binding: bindings[0], ...(note && { severity: 'info' as const }), ...(fix && { fix }) };
    });
  },
});
