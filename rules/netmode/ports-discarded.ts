// rules/netmode/ports-discarded.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';

/**
 * `ports` on an enabled service whose network_mode is host or none. Compose passes the
 * mappings on, the Engine stores them and publishes nothing: with host it only warns
 * "Published ports are discarded when using host network mode"; with none it says nothing.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'netmode/ports-discarded',
    description: 'ports on a service with network_mode host or none: Docker discards them and publishes nothing.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/netmode/ports-discarded.md',
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      for (const service of project.services) {
        const mode = service.networkMode?.value;
        if (!service.enabled || (mode !== 'host' && mode !== 'none')) continue;
        const why =
          mode === 'host'
            ? `network_mode: host, so Docker discards the mapping (it only warns "Published ports are discarded when using host network mode") ` +
              `and the container's own ports open directly on the host instead`
            : `network_mode: none, so the container has no network and Docker ignores the mapping without a word`;
        const fix = mode === 'host' ? 'remove the ports entry, or drop network_mode: host to publish it' : 'remove the ports entry, or drop network_mode: none to publish it';
        for (const item of service.ports) {
          findings.push({
            project,
            service: service.name,
            loc: item.loc,
            message: `port ${JSON.stringify(item.spec)} of service "${service.name}" publishes nothing: the service uses ${why}; ${fix}`,
          });
        }
      }
    }
    return findings;
  },
});
