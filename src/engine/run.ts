/** Runs every enabled rule once over the already-loaded projects and orders the findings. */
import type { EngineRef, SourceLocation } from '../model/types';
import type { LiveInput } from '../live/types';
import type { FindingFix } from '../fix/edits';
import { ruleModes, type RelatedLocation, type Rule, type RuleFinding, type RuleMode, type Settings, type Severity } from './rule';

export interface RuleSetting {
  severity?: Severity;
  options?: Record<string, unknown>;
}

export interface EngineConfig {
  rules: Record<string, RuleSetting>;
  settings: Settings;
  /** `check` (the default) or `audit`: rules that do not apply to the mode are skipped. */
  mode?: RuleMode;
  /** The Docker host (`audit`, `check --live`). */
  live?: LiveInput;
  /** Every engine an audit read (`fleet`). */
  fleet?: readonly LiveInput[];
}

export interface Finding {
  ruleId: string;
  severity: Exclude<Severity, 'off'>;
  message: string;
  project: string;
  service?: string;
  loc: SourceLocation;
  /** The binding the finding is about; for a run (count > 1) hostPort is its host range and containerPort its first port. */
  binding?: { hostIp: string; hostPort: string; containerPort: number; protocol: string; count: number };
  related?: RelatedLocation[];
  /** What `--fix` can do about it (see RuleFinding.fix); not part of any output format. */
  fix?: FindingFix;
  /** The container, for a finding about a live container (audit); its compose project when it has one. */
  container?: { id: string; name: string; project?: string };
  /** The engine, for a finding about a live container (audit). */
  engine?: EngineRef;
}

export function effectiveSeverity(rule: Rule<never>, config: EngineConfig): Severity {
  return config.rules[rule.meta.id]?.severity ?? rule.meta.defaultSeverity;
}

export function runRules(projects: RuleFinding['project'][], rules: readonly Rule<never>[], config: EngineConfig): Finding[] {
  const findings: Finding[] = [];
  const mode = config.mode ?? 'check';
  for (const rule of rules) {
    const severity = effectiveSeverity(rule, config);
    if (severity === 'off' || !ruleModes(rule).includes(mode)) continue;
    const options = { ...rule.meta.defaultOptions, ...config.rules[rule.meta.id]?.options } as never;
    const userSeverity = config.rules[rule.meta.id]?.severity;
    for (const f of rule.check({ projects, options, settings: config.settings, live: config.live, fleet: config.fleet })) {
      const c = f.project.container;
      const engine = f.project.engine;
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
          count: f.binding.count,
        },
        related: f.related,
        ...(f.fix && { fix: f.fix }),
        ...(c && { container: { id: c.id, name: c.name, ...(c.composeProject !== undefined && { project: c.composeProject }) } }),
        ...(engine && { engine }),
      });
    }
  }
  return findings.sort(compareFindings);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.container?.project ?? '', b.container?.project ?? '') ||
    compareText(a.container?.name ?? '', b.container?.name ?? '') ||
    compareText(a.loc.file, b.loc.file) ||
    a.loc.line - b.loc.line ||
    a.loc.column - b.loc.column ||
    compareText(a.ruleId, b.ruleId)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
