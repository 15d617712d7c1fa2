/** Findings for what the loader recorded as problems: one per place and message, across projects. */
import type { RuleFinding } from '../../src/engine/rule';
import type { ProblemKind, Project } from '../../src/model/types';

export function problemFindings(projects: Project[], kinds: readonly ProblemKind[]): RuleFinding[] {
  const seen = new Set<string>();
  const findings: RuleFinding[] = [];
  for (const project of projects) {
    for (const problem of project.problems) {
      if (!kinds.includes(problem.kind)) continue;
      const key = `${problem.loc.file}\0${problem.loc.offset}\0${problem.kind}\0${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({ project, service: problem.service, loc: problem.loc, message: problem.message });
    }
  }
  return findings;
}
