// rules/exposure/explicit-wildcard.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { eachBinding } from '../../src/engine/findings';
import { isUnspecifiedAddress, parseIp } from '../../src/model/port-spec';
import { allowedPortsSchema, hostPortsAllowed, parsePortList } from './allowed-ports';
import { boundSpec, groupByItem, hostPortsPhrase, itemBindings, whereText } from './describe';

export interface ExplicitWildcardOptions {
  allowedPorts: Array<number | string>;
}

/**
 * A host IP written as the unspecified address, in any spelling Docker accepts: 0.0.0.0, ::,
 * [::], 0:0:0:0:0:0:0:0, ::ffff:0.0.0.0 ... It looks deliberate, but it publishes on every
 * interface of that family just like an unbound publish does.
 */
export default defineRule<ExplicitWildcardOptions>({
  meta: {
    id: 'exposure/explicit-wildcard',
    description: 'A host IP of 0.0.0.0 or :: (in any spelling) publishes the port on every interface of that family.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/exposure/explicit-wildcard.md',
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
      ([, b]) => b.hostIp !== '' && isUnspecifiedAddress(b.hostIp) && !hostPortsAllowed(b, allowed),
    );
    return groupByItem(reported).map(({ project, item, bindings }): RuleFinding => {
      const first = bindings[0];
      const ip = first.hostIp;
      const v6 = bindings[0].listeners.every((l) => l.family === 6);
      const loopback = v6 ? '::1' : '127.0.0.1';
      const canonical = parseIp(ip)?.v4mapped ?? parseIp(ip)?.canonical ?? ip;
      const spelled = canonical === ip ? `"${ip}"` : `"${ip}" (that is ${canonical})`;
      const where = whereText(bindings.flatMap((b) => b.listeners));
      const fix = item.syntax === 'long' ? `set ${boundSpec(item, [], loopback)}` : `write ${boundSpec(item, itemBindings(project, item), loopback)}`;
      const variable = item.hostFromVariable && item.variables.length ? ` (the host IP comes from ${item.variables.join(', ')}: set it to a specific address)` : '';
      const message =
        `host IP ${spelled} is the unspecified address: Docker publishes ${hostPortsPhrase(bindings)} on ${where}, ` +
        `and its NAT rules let other hosts connect past ufw and firewalld. Bind it to a specific address: ${fix}${variable}; ` +
        `if the port is meant to be public (a reverse proxy on 80/443), list it in allowedPorts`;
      const loc = item.syntax === 'long' && item.hostIpLoc ? item.hostIpLoc : item.loc;
      return { project, service: item.service, loc, message, binding: first };
    });
  },
});
