// rules/exposure/unbound-publish.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { eachBinding, isWildcardListener } from '../../src/engine/findings';
import { allowedPortsSchema, hostPortsAllowed, parsePortList } from './allowed-ports';
import { boundSpec, groupByItem, hostPortsPhrase, itemBindings, joinAnd, unsetText, whereText } from './describe';

export interface UnboundPublishOptions {
  allowedPorts: Array<number | string>;
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
    fixable: false,
    docs: 'docs/rules/exposure/unbound-publish.md',
    optionsSchema: {
      type: 'object',
      properties: { allowedPorts: allowedPortsSchema },
      additionalProperties: false,
    },
    defaultOptions: { allowedPorts: [] },
  },
  check({ projects, options }) {
    const allowed = parsePortList(options.allowedPorts, 'allowedPorts');
    const reported = [...eachBinding(projects)].filter(
      ([, b]) => b.hostIp === '' && b.listeners.some(isWildcardListener) && !hostPortsAllowed(b, allowed),
    );
    return groupByItem(reported).map(({ project, item, bindings }): RuleFinding => {
      const listeners = bindings.flatMap((b) => b.listeners).filter(isWildcardListener);
      const what = `publishes ${hostPortsPhrase(bindings)} on ${whereText(listeners)}`;
      const bypass = "Docker's NAT rules let other hosts connect past ufw and firewalld";
      let message: string;
      const fix = item.syntax === 'long' ? `add ${boundSpec(item, [])}` : `write ${boundSpec(item, itemBindings(project, item))}`;
      if (item.hostFromVariable && item.unsetVariables.length) {
        const names = item.unsetVariables;
        const became = `${unsetText(names)}, so the entry became ${JSON.stringify(item.spec)}`;
        if (bindings.every((b) => b.hostPorts)) {
          // The host port survived interpolation: the unset variable stood for the host IP.
          const v = names[0];
          message =
            `${what}: ${became} with an empty host IP; ${bypass}. ` +
            `Set ${v} (for example ${v}=127.0.0.1 in .env) or give it a default: \${${v}:-127.0.0.1}`;
        } else {
          message = `${what}: ${became}, with no host IP; ${bypass}. Set ${joinAnd(names)} and bind it to one address: ${fix}`;
        }
      } else {
        const how = item.syntax === 'long' ? 'it has no host_ip' : `${JSON.stringify(item.spec)} names no host IP`;
        message = `${what} because ${how}; ${bypass}. Bind it to one address: ${fix}`;
      }
      return { project, service: item.service, loc: item.loc, message, binding: bindings[0] };
    });
  },
});
