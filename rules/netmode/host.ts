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
    deployments: ['compose'],
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
            `service "${service.name}" uses network_mode: host, so every port it listens on opens on the host's interfaces; ` +
            'drop it and publish only the needed ports on 127.0.0.1',
        });
      }
    }
    return findings;
  },
});
