// rules/netmode/ports-with-shared-netns.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import type { Problem, Project } from '../../src/model/types';

/**
 * The one-line message, built from the service and its network mode (the loader's problem
 * text carries the Engine's error and is longer); the problem's own text when the service
 * cannot be found.
 */
function message(project: Project, problem: Problem): string {
  const mode = project.services.find((s) => s.name === problem.service)?.networkMode?.value;
  const m = mode === undefined ? null : /^(service|container):(.*)$/.exec(mode);
  if (!m) return problem.message;
  const owner = `${m[1]} ${m[2]}`;
  return `the Engine refuses to start service "${problem.service}": it has ports but network_mode "${mode}"; publish them on ${owner} instead`;
}

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
    deployments: ['compose'],
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      for (const problem of project.problems) {
        if (problem.kind !== 'ports-with-shared-netns') continue;
        findings.push({ project, service: problem.service, loc: problem.loc, message: message(project, problem) });
      }
    }
    return findings;
  },
});
