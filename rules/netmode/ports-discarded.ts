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
    deployments: ['compose'],
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      for (const service of project.services) {
        const mode = service.networkMode?.value;
        if (!service.enabled || (mode !== 'host' && mode !== 'none')) continue;
        const why = mode === 'host' ? 'so Docker discards it' : 'so it has no network at all';
        const fix = `remove the entry, or drop network_mode: ${mode}`;
        for (const item of service.ports) {
          findings.push({
            project,
            service: service.name,
            loc: item.loc,
            message: `port ${JSON.stringify(item.spec)} publishes nothing: service "${service.name}" uses network_mode: ${mode}, ${why}; ${fix}`,
          });
        }
      }
    }
    return findings;
  },
});
