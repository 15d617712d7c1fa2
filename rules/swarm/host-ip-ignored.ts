// rules/swarm/host-ip-ignored.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { groupByItem } from '../../src/engine/findings';
import { nodesText, publishedText, serviceText, stacks } from './stacks';

/**
 * A short-syntax entry of a stack file that names a host IP. `docker stack deploy` drops it (it
 * only logs "ignoring IP-address ... service will listen on '0.0.0.0'") and publishes the port on
 * every address of every node: "127.0.0.1:5432:5432" is public in a swarm.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'swarm/host-ip-ignored',
    description: 'A stack file entry names a host IP, which docker stack deploy drops: the port is published on every address of every node.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/swarm/host-ip-ignored.md',
    deployments: ['swarm'],
  },
  check({ projects }) {
    const pairs = stacks(projects).flatMap((p) => p.bindings.filter((b) => b.item.ignoredHostIp !== undefined).map((b) => [p, b] as const));
    return groupByItem(pairs).map(({ project, item, bindings }): RuleFinding => {
      const b = bindings[0];
      const message =
        `${serviceText(project, item.service)}: docker stack deploy ignores the host IP ${item.ignoredHostIp} of "${item.spec}" and publishes ${publishedText(b)} on ${nodesText(b)}; ` +
        `remove the IP so the file says what Swarm does, and if the port must stay private, do not publish it (use an overlay network)`;
      return { project, service: item.service, loc: item.loc, message, binding: b };
    });
  },
});
