// rules/exposure/explicit-wildcard.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { groupByItem } from '../../src/engine/findings';
import { isUnspecifiedAddress } from '../../src/model/ip';
import { allowedPortsOption, exposedBindings } from './allowed-ports';
import { hostIpVariables, hostPortsPhrase, privateAdvice, whereText } from './describe';
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
    concern: 'exposure',
    docs: 'docs/rules/exposure/explicit-wildcard.md',
    deployments: ['compose'],
    ...allowedPortsOption,
  },
  check({ projects, options, settings }) {
    const reported = exposedBindings(projects, options, (b) => b.hostIp !== '' && isUnspecifiedAddress(b.hostIp));
    return groupByItem(reported).map(({ project, item, bindings }): RuleFinding => {
      const first = bindings[0];
      const ip = first.hostIp;
      const where = whereText(bindings.flatMap((b) => b.listeners));
      const names = hostIpVariables(item);
      const source = names.length ? ` (from ${names.join(', ')})` : '';
      const fix = privateAdvice(project, item, bindings, '"', settings.platform).how;
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
