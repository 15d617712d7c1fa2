// rules/exposure/explicit-wildcard.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { groupByItem, itemBindings } from '../../src/engine/findings';
import { isUnspecifiedAddress } from '../../src/model/ip';
import { allowedPortsOption, exposedBindings } from './allowed-ports';
import { boundSpec, hostPortsPhrase, whereText } from './describe';
import { variableParts } from '../syntax/unresolved-variable';
import { publicByDesignNote } from './public-ports';

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
    deployments: ['compose'],
    ...allowedPortsOption,
  },
  check({ projects, options }) {
    const reported = exposedBindings(projects, options, (b) => b.hostIp !== '' && isUnspecifiedAddress(b.hostIp));
    return groupByItem(reported).map(({ project, item, bindings }): RuleFinding => {
      const first = bindings[0];
      const ip = first.hostIp;
      const v6 = bindings[0].listeners.every((l) => l.family === 6);
      const loopback = v6 ? '::1' : '127.0.0.1';
      const where = whereText(bindings.flatMap((b) => b.listeners));
      // The variables that stand in the host IP (all of the item's variables if none can be placed).
      const hostVariables = [...variableParts(item)].filter(([, parts]) => parts.includes('host_ip')).map(([name]) => name);
      const names = hostVariables.length ? hostVariables : item.variables;
      const fromVariable = item.hostFromVariable && names.length > 0;
      const source = fromVariable ? ` (from ${names.join(', ')})` : '';
      const fix = fromVariable
        ? `set ${names.join(' or ')} to a specific address such as ${loopback}`
        : item.syntax === 'long'
          ? `set ${boundSpec(item, [], loopback)}`
          : `write ${boundSpec(item, itemBindings(project, item), loopback)}`;
      // allowedPorts cannot cover a host port the Engine picks at random.
      const several = bindings.length > 1 || bindings.some((b) => b.hostPorts && b.hostPorts.start !== b.hostPorts.end);
      const allow = bindings.every((b) => b.hostPorts)
        ? `, or add ${several ? 'them' : 'it'} to allowedPorts if ${several ? 'they' : 'it'} should be public`
        : '';
      // `where` names the address Docker uses, so a v4-mapped or long spelling needs no translation.
      const head = `host IP "${ip}"${source} publishes ${hostPortsPhrase(bindings)} on ${where}`;
      const loc = item.syntax === 'long' && item.hostIpLoc ? item.hostIpLoc : item.loc;
      // Written out on purpose for a mail, DNS, web or VPN port: most likely meant, so a note rather than a warning.
      const note = publicByDesignNote(bindings);
      const message = note ? `${head}; ${note}; to keep it private, ${fix}` : `${head}; ${fix}${allow}`;
      return { project, service: item.service, loc, message, binding: first, ...(note && { severity: 'info' as const }) };
    });
  },
});
