// rules/netmode/ports-with-shared-netns.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';

/**
 * `ports` on a service with network_mode service:x or container:x. The Engine refuses to
 * create the container ("conflicting options: port publishing and the container type network
 * mode"). The loader records this as a project problem; this rule reports each one.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'netmode/ports-with-shared-netns',
    description: 'ports on a service with network_mode service:x or container:x: the Engine refuses to start it.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/netmode/ports-with-shared-netns.md',
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      for (const problem of project.problems) {
        if (problem.kind !== 'ports-with-shared-netns') continue;
        findings.push({ project, service: problem.service, loc: problem.loc, message: problem.message });
      }
    }
    return findings;
  },
});
