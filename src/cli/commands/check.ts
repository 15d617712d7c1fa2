import { InvalidArgumentError, Option, type Command } from 'commander';
import { catalogue, findRule } from '../../../rules';
import type { Platform, Severity } from '../../engine/rule';
import { runRules, type EngineConfig, type RuleSetting } from '../../engine/run';
import { loadProjects } from '../../load';
import { formatJson, formatStylish, summarize } from '../../report/format';
import {
  addProjectOptions,
  collect,
  EXIT_CLEAN,
  EXIT_FAILURE,
  EXIT_FINDINGS,
  selectOptions,
  UsageError,
  warn,
  write,
  type ProjectOptionValues,
  type SetExit,
} from '../shared';

export interface CheckOptionValues {
  format: string;
  rule: string[];
  platform: Platform;
  rootless: boolean;
  maxWarnings?: number;
  quiet: boolean;
}

/** Flags that set how findings are judged, shared by every command that runs rules. */
export function addRuleOptions(cmd: Command): Command {
  return cmd
    .option('--rule <id=severity>', "set a rule's severity for this run: off, info, warning or error (repeatable)", collect, [])
    .addOption(new Option('--platform <platform>', 'platform whose port ranges apply').choices(['linux', 'macos', 'windows', 'all']).default('all'))
    .option('--rootless', 'the engine runs rootless (Docker rootless mode or Podman): ports below 1024 fail', false)
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', parseCount)
    .option('-q, --quiet', 'report errors only', false);
}

export function registerCheck(program: Command, setExit: SetExit): void {
  addRuleOptions(addProjectOptions(program.command('check', { isDefault: true }).description('check compose projects (the default command)')))
    .addOption(new Option('--format <format>', 'output format').choices(['stylish', 'json']).default('stylish'))
    .action((paths: string[], o: ProjectOptionValues & CheckOptionValues) => {
      const cwd = process.cwd();
      const config = engineConfig(o);
      const result = loadProjects(selectOptions(paths, o));
      if (result.fatal) {
        warn(`portlint: ${result.fatal}`);
        setExit(EXIT_FAILURE);
        return;
      }
      let findings = runRules(result.projects, catalogue, config);
      if (o.quiet) findings = findings.filter((f) => f.severity === 'error');
      const report = { findings, errors: result.errors, files: result.files, cwd };
      const color = o.format === 'stylish' && !!process.stdout.isTTY && !process.env.NO_COLOR;
      write(o.format === 'json' ? formatJson(report) : formatStylish(report, color));
      setExit(result.errors.length ? EXIT_FAILURE : findingsExit(findings, o.maxWarnings));
    });
}

/** 1 when any finding is an error or warnings exceed --max-warnings, else 0. */
export function findingsExit(findings: Parameters<typeof summarize>[0], maxWarnings: number | undefined): number {
  const s = summarize(findings);
  const tooManyWarnings = maxWarnings !== undefined && s.warnings > maxWarnings;
  if (tooManyWarnings) warn(`portlint: ${s.warnings} warnings, more than --max-warnings ${maxWarnings}`);
  return s.errors || tooManyWarnings ? EXIT_FINDINGS : EXIT_CLEAN;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number such as 0 or 10');
  return Number(value);
}

const SEVERITIES: Severity[] = ['off', 'info', 'warning', 'error'];

/** --rule id=severity flags become engine settings; an unknown id or severity is a usage error. */
export function engineConfig(o: Pick<CheckOptionValues, 'rule' | 'platform' | 'rootless'>): EngineConfig {
  const rules: Record<string, RuleSetting> = {};
  for (const spec of o.rule) {
    const eq = spec.lastIndexOf('=');
    const id = eq > 0 ? spec.slice(0, eq).trim() : spec.trim();
    const severity = eq > 0 ? spec.slice(eq + 1).trim() : '';
    if (!findRule(id)) {
      const near = catalogue.map((r) => r.meta.id).filter((r) => r.includes(id.split('/').pop() ?? id));
      throw new UsageError(`unknown rule "${id}" in --rule ${spec}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; portlint rules lists them`);
    }
    if (!SEVERITIES.includes(severity as Severity)) throw new UsageError(`--rule ${spec}: severity must be one of ${SEVERITIES.join(', ')}`);
    rules[id] = { severity: severity as Severity };
  }
  return { rules, settings: { platform: o.platform, rootless: o.rootless } };
}
