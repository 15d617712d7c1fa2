/** Runs every enabled rule once over the already-loaded projects and orders the findings. */
import type { EngineRef, SourceLocation } from '../model/types';
import type { LiveInput } from '../live/types';
import type { FindingFix } from '../fix/edits';
import { severityRank, type FoldedFinding } from './voice';
import { deploymentOf, ruleModes, type Deployment, type RelatedLocation, type Rule, type RuleFinding, type RuleMode, type Settings, type Severity } from './rule';

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
  /** The swarm service, for a finding about a stack: its stack, full name (`<stack>_<service>`) and, when live, id. */
  swarm?: { stack: string; service: string; id?: string };
  /** Where the port entry the finding is about starts (a long-syntax entry may be reported at its host_ip); not part of any output format. */
  entry?: { file: string; offset: number };
  /** Findings of other rules about the same concern on the same entry, folded into this one (`src/engine/voice.ts`). */
  also?: FoldedFinding[];
}

export function effectiveSeverity(rule: Rule<never>, config: EngineConfig): Severity {
  return config.rules[rule.meta.id]?.severity ?? rule.meta.defaultSeverity;
}

/** Whether runRules runs the rule under this configuration: not off, and meant for the mode. */
export function ruleRuns(rule: Rule<never>, config: EngineConfig): boolean {
  return effectiveSeverity(rule, config) !== 'off' && ruleModes(rule).includes(config.mode ?? 'check');
}

export function runRules(projects: RuleFinding['project'][], rules: readonly Rule<never>[], config: EngineConfig): Finding[] {
  const findings: Finding[] = [];
  const mode = config.mode ?? 'check';
  // A swarm task container is judged through its service, never on its own. One array per kind
  // of deployment, so the rules of one kind share it (and what is cached per array).
  const all = projects.some((p) => p.stack?.task) ? projects.filter((p) => !p.stack?.task) : projects;
  const byDeployment = new Map<Deployment, RuleFinding['project'][]>();
  const judged = (rule: Rule<never>) => {
    const kinds = rule.meta.deployments;
    if (!kinds || kinds.length > 1) return all;
    let list = byDeployment.get(kinds[0]);
    if (!list) byDeployment.set(kinds[0], (list = all.filter((p) => deploymentOf(p) === kinds[0])));
    return list;
  };
  for (const rule of rules) {
    const severity = effectiveSeverity(rule, config);
    if (severity === 'off' || !ruleModes(rule).includes(mode)) continue;
    const options = { ...rule.meta.defaultOptions, ...config.rules[rule.meta.id]?.options } as never;
    const userSeverity = config.rules[rule.meta.id]?.severity;
    for (const f of rule.check({ projects: judged(rule), options, settings: config.settings, live: config.live, fleet: config.fleet })) {
      const c = f.project.container;
      const engine = f.project.engine;
      const stack = f.project.stack && !f.project.stack.task ? f.project.stack.name : undefined;
      const live = stack !== undefined && f.service !== undefined ? f.project.services.find((s) => s.name === f.service)?.swarmService : undefined;
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
        ...(f.binding && { entry: { file: f.binding.item.loc.file, offset: f.binding.item.loc.offset } }),
        ...(f.fix && { fix: f.fix }),
        ...(c && { container: { id: c.id, name: c.name, ...(c.composeProject !== undefined && { project: c.composeProject }) } }),
        ...(engine && { engine }),
        ...(stack !== undefined && f.service !== undefined && { swarm: { stack, service: live?.name ?? `${stack}_${f.service}`, ...(live && { id: live.id }) } }),
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
    // On one entry the worst comes first: it is what a reader takes for the fix.
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.ruleId, b.ruleId)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
