// rules/netmode/host.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';

/**
 * `network_mode: host` on an enabled service: the container shares the host's network
 * namespace, so every port it listens on is a host port, on whatever address the process binds.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'netmode/host',
    description: "network_mode: host puts every port the container listens on directly on the host's interfaces.",
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/netmode/host.md',
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      for (const service of project.services) {
        const mode = service.networkMode;
        if (!service.enabled || mode?.value !== 'host') continue;
        findings.push({
          project,
          service: service.name,
          loc: mode.loc,
          message:
            `service "${service.name}" uses the host's network namespace (network_mode: host): every port its processes listen on ` +
            `opens directly on the host's interfaces, with no port mapping to limit which ones and no network isolation. ` +
            `Use a bridge network and publish only the ports it needs, bound to 127.0.0.1 where possible`,
        });
      }
    }
    return findings;
  },
});
