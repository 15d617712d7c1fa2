/**
 * GitLab Code Quality report: a JSON array of Code Climate issues.
 * Severities: error → major, warning → minor, info → info; a file that could not be loaded → critical
 * (nothing in it was checked). Fingerprints are the ones SARIF uses.
 */
import type { Report } from './format';
import { displaySpan, fingerprints, hasFile, loadErrorFingerprint, repoPath, ruleCategory, subjectOf, type CiContext } from './ci';

type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export function gitlabSeverity(severity: 'error' | 'warning' | 'info'): GitlabSeverity {
  return severity === 'error' ? 'major' : severity === 'warning' ? 'minor' : 'info';
}

export function formatGitlab(r: Report, ctx: CiContext): string {
  const prints = fingerprints(r.findings, ctx.root);
  const issues: unknown[] = [];
  for (const e of r.errors) {
    issues.push({
      type: 'issue',
      check_name: 'portlint/load-error',
      description: e.message,
      categories: ['Bug Risk'],
      severity: 'critical' satisfies GitlabSeverity,
      fingerprint: loadErrorFingerprint(e.file, e.message, ctx.root),
      location: { path: repoPath(e.file, ctx.root), lines: { begin: Math.max(1, e.line || 1) } },
    });
  }
  r.findings.forEach((f, i) => {
    const span = hasFile(f) ? displaySpan(f.loc) : { line: 1, endLine: 1 };
    issues.push({
      type: 'issue',
      check_name: f.ruleId,
      description: hasFile(f) ? f.message : `${subjectOf(f)}: ${f.message}`,
      categories: [ruleCategory(f.ruleId)],
      severity: gitlabSeverity(f.severity),
      fingerprint: prints[i],
      // A finding about a running container has no file; GitLab needs a path, so it names the container.
      location: { path: hasFile(f) ? repoPath(f.loc.file, ctx.root) : subjectOf(f), lines: { begin: span.line, end: span.endLine } },
    });
  });
  return JSON.stringify(issues, null, 2) + '\n';
}
