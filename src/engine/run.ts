/** Runs every enabled rule once over the already-loaded projects and orders the findings. */
import type { SourceLocation } from '../model/types';
import type { RelatedLocation, Rule, RuleFinding, Settings, Severity } from './rule';

export interface RuleSetting {
  severity?: Severity;
  options?: Record<string, unknown>;
}

export interface EngineConfig {
  rules: Record<string, RuleSetting>;
  settings: Settings;
}

export interface Finding {
  ruleId: string;
  severity: Exclude<Severity, 'off'>;
  message: string;
  project: string;
  service?: string;
  loc: SourceLocation;
  binding?: { hostIp: string; hostPort: string; containerPort: number; protocol: string };
  related?: RelatedLocation[];
}

export function effectiveSeverity(rule: Rule<never>, config: EngineConfig): Severity {
  return config.rules[rule.meta.id]?.severity ?? rule.meta.defaultSeverity;
}

export function runRules(projects: RuleFinding['project'][], rules: readonly Rule<never>[], config: EngineConfig): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const severity = effectiveSeverity(rule, config);
    if (severity === 'off') continue;
    const options = { ...rule.meta.defaultOptions, ...config.rules[rule.meta.id]?.options } as never;
    const userSeverity = config.rules[rule.meta.id]?.severity;
    for (const f of rule.check({ projects, options, settings: config.settings })) {
      findings.push({
        ruleId: rule.meta.id,
        severity: userSeverity === undefined && f.severity ? f.severity : severity,
        message: f.message,
        project: f.project.name,
        service: f.service,
        loc: f.loc,
        binding: f.binding && {
          hostIp: f.binding.hostIp,
          hostPort: f.binding.hostPort,
          containerPort: f.binding.containerPort,
          protocol: f.binding.protocol,
        },
        related: f.related,
      });
    }
  }
  return findings.sort(compareFindings);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : 0) ||
    a.loc.line - b.loc.line ||
    a.loc.column - b.loc.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
