/**
 * GitLab Code Quality report: a JSON array of Code Climate issues.
 * Severities: error → major, warning → minor, info → info; a file that could not be loaded, or an
 * engine that could not be read → critical (nothing in it was checked). Fingerprints are the ones SARIF uses.
 */
import { unreadEngines, type Report } from './format';
import { ciMessage, displaySpan, engineErrorText, fingerprints, hasFile, loadErrorFingerprint, repoPath, ruleCategory, subjectOf, type CiContext } from './ci';

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
      description: ciMessage(f),
      categories: [ruleCategory(f.ruleId)],
      severity: gitlabSeverity(f.severity),
      fingerprint: prints[i],
      // A finding about a running container has no file; GitLab needs a path, so it names the container.
      location: { path: hasFile(f) ? repoPath(f.loc.file, ctx.root) : subjectOf(f), lines: { begin: span.line, end: span.endLine } },
    });
  });
  for (const e of unreadEngines(r)) {
    const description = engineErrorText(e);
    issues.push({
      type: 'issue',
      check_name: 'portlint/engine-error',
      description,
      categories: ['Bug Risk'],
      severity: 'critical' satisfies GitlabSeverity,
      fingerprint: loadErrorFingerprint(`engine ${e.name}`, e.error ?? '', ctx.root),
      location: { path: `engine ${e.name}`, lines: { begin: 1 } },
    });
  }
  return JSON.stringify(issues, null, 2) + '\n';
}
