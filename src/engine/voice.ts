/**
 * One voice per port entry. Rules judge independently, so one entry can collect several findings
 * that say the same thing in different words: `- "5432:5432"` is unbound and publishes a
 * database; `- 22:22` is below 1024 and collides with sshd. Rules that speak to one concern
 * declare it (`meta.concern`); on one entry of one service, the first finding of each concern by
 * rank (severity, then the catalogue's order) speaks, and the others come along as `also`. What
 * the folded findings could fix, the kept one still fixes.
 *
 * Runs after allowed exposures and suppression comments, so what a user silenced by rule id
 * never hides another rule's finding, and an unused suppression is still told.
 */
import type { Finding } from './run';
import type { Rule } from './rule';

/** How a finding folded into another is still shown (JSON `also`, SARIF properties). */
export interface FoldedFinding {
  ruleId: string;
  severity: Finding['severity'];
  message: string;
}

const SEVERITY_RANK: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

/** The ordering of one entry's findings: the worst first, then the catalogue's order. */
export function severityRank(severity: Finding['severity']): number {
  return SEVERITY_RANK[severity];
}

export function foldByConcern(findings: Finding[], rules: readonly Rule<never>[]): Finding[] {
  const concernOf = new Map<string, { concern: string; order: number }>();
  rules.forEach((r, order) => {
    if (r.meta.concern) concernOf.set(r.meta.id, { concern: r.meta.concern, order });
  });
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const c = concernOf.get(f.ruleId);
    if (!c) continue;
    // A live binding no file describes still has an offset of its own (SourceLocation).
    const entry = f.entry ?? f.loc;
    const key = `${c.concern}\0${f.engine?.name ?? ''}\0${f.container?.id ?? ''}\0${f.project}\0${f.service ?? ''}\0${entry.file}\0${entry.offset}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  const dropped = new Set<Finding>();
  const kept = new Map<Finding, Finding>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const ranked = [...group].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || concernOf.get(a.ruleId)!.order - concernOf.get(b.ruleId)!.order);
    const [first, ...rest] = ranked;
    for (const f of rest) dropped.add(f);
    const fix = first.fix ?? rest.find((f) => f.fix)?.fix;
    kept.set(first, {
      ...first,
      also: [...(first.also ?? []), ...rest.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message }))],
      ...(fix && { fix }),
    });
  }
  if (!dropped.size) return findings;
  return findings.flatMap((f) => (dropped.has(f) ? [] : [kept.get(f) ?? f]));
}
