// rules/swarm/sensitive-port-public.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { sensitiveGroups, sensitivePortOptions, type SensitivePortOptions } from '../exposure/sensitive-ports';
import { nodesText, publishedText, serviceText, stacks } from './stacks';

/**
 * A Swarm service that publishes a datastore, admin or remote-shell port. Swarm has no host IP:
 * an ingress port is open on every node of the swarm, a host-mode port on every node that runs
 * a task, on every address, and the mesh's NAT rules bypass ufw and firewalld.
 */
export default defineRule<SensitivePortOptions>({
  meta: {
    id: 'swarm/sensitive-port-public',
    description: 'A swarm service publishes a datastore, admin or remote-shell port: open on every node of the swarm (ingress) or every node with a task (host mode).',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/swarm/sensitive-port-public.md',
    deployments: ['swarm'],
    ...sensitivePortOptions,
  },
  check({ projects, options }) {
    return sensitiveGroups(stacks(projects), options).map(({ project, item, bindings, what, reason }): RuleFinding => {
      const b = bindings[0];
      const message =
        `${serviceText(project, item.service)} publishes ${what} as ${publishedText(b)} on ${nodesText(b)}${reason ? ` (${reason})` : ''}; Swarm has no host IP to bind it to: ` +
        `do not publish it (services on the stack's networks reach ${item.service}:${b.containerPort}), or reach it through an ssh tunnel or a VPN`;
      return { project, service: item.service, loc: item.loc, message, binding: b };
    });
  },
});
