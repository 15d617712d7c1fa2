import { InvalidArgumentError, Option, type Command } from 'commander';
import { catalogue, findRule } from '../../../rules';
import type { Platform, Severity } from '../../engine/rule';
import type { EngineConfig, RuleSetting } from '../../engine/run';
import { addCheckExtraOptions, lintPrepared, prepareCheck, projectsSummary, type CheckExtraOptionValues } from '../config-run';
import { PLATFORMS, SEVERITIES } from '../../config/schema';
import { addFixOptions, fixRequested, runFix, type FixOptionValues } from '../fix';
import type { FileCache } from '../../load/project';
import { composeReleaseProblem, parseComposeRelease, type ComposeRelease } from '../../model/compose-releases';
import { addEngineOptions, chooseEndpoint, liveSettings, readLive, type EngineOptionValues } from '../live';
import { summarize, type Report } from '../../report/format';
import { FORMATS, renderReport, writeOutputFile, type FormatName } from '../../report';
import {
  addProjectOptions,
  collect,
  EXIT_CLEAN,
  EXIT_FAILURE,
  EXIT_FINDINGS,
  selectOptions,
  stdoutIsTerminal,
  UsageError,
  warn,
  warnNotices,
  write,
  type ProjectOptionValues,
  type SetExit,
} from '../shared';

export interface CheckOptionValues {
  format: FormatName;
  output?: string;
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
    .addOption(new Option('--platform <platform>', 'platform whose port ranges apply').choices(PLATFORMS).default('all'))
    .option('--rootless', 'the engine runs rootless (Docker rootless mode or Podman): ports below 1024 fail', false)
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', parseCount)
    .option('-q, --quiet', 'report errors only', false);
}

interface LiveOptionValues extends EngineOptionValues {
  live: boolean;
}

export function registerCheck(program: Command, setExit: SetExit): void {
  addReportOptions(addFixOptions(addEngineOptions(addCheckExtraOptions(addRuleOptions(addProjectOptions(program.command('check', { isDefault: true }).description('check compose projects (the default command)')))))))
    .option('--compose <version>', 'the oldest docker compose release the files must work with, such as 2.20: syntax/compose-version reports what older releases refuse or read differently', parseComposeOption)
    .option('--live', 'also check the bindings against the running containers and listening sockets of the Docker host (collision/live)', false)
    .option('--strict', 'exit 2 when a path holds no compose file or a project has no active service (said as notices otherwise)', false)
    .action(async (paths: string[], o: ProjectOptionValues & CheckOptionValues & CheckExtraOptionValues & LiveOptionValues & FixOptionValues & { strict?: boolean }, cmd: Command) => {
      const cwd = process.cwd();
      const fixing = fixRequested(o);
      const prepared = prepareCheck(selectOptions(paths, o), o, engineConfig(o), cmd.getOptionValueSource('platform') === 'cli');
      let { result } = prepared;
      if (result.fatal) {
        warn(`portlint: ${result.fatal}`);
        setExit(EXIT_FAILURE);
        return;
      }
      // --live: read the Docker host (running containers, listening sockets) before `up`.
      const target = o.live ? chooseEndpoint(o, setExit) : undefined;
      const live = target && (await readLive(target, { timeoutMs: o.timeout * 1000, all: false, filters: {}, inspect: false, compose: false, hostSockets: true }, setExit));
      if (o.live && !live) return;
      const lint = (p: typeof prepared) => lintPrepared(p, o.quiet, live && ((engine) => ({ ...engine, settings: liveSettings(engine.settings, live), live: live.live })));
      let findings = lint(prepared);
      let fixFailed = false;
      if (fixing) {
        // Each pass lints like the report does (configuration, suppressions, --quiet), from the fixed texts.
        const relint = (cache: FileCache) => {
          const p = prepared.reload(cache);
          return { result: p.result, errors: p.result.errors, findings: lint(p) };
        };
        const first = { cache: prepared.cache, run: { result, errors: result.errors, findings } };
        const fixed = runFix(relint, { dryRun: !!o.fixDryRun, cwd, first });
        ({ result, findings } = fixed.run);
        fixFailed = fixed.failed;
      }
      const checked = [...new Set(result.projects.flatMap((p) => p.files).concat(result.errors.map((e) => e.file)))].filter(Boolean);
      const report = { findings, errors: result.errors, files: result.files, cwd, checked, notices: result.notices, projects: projectsSummary(prepared, result.projects) };
      warnNotices(result.notices);
      if (!emitReport(o, report, setExit, { quietStdout: !!o.fixDryRun })) return;
      const strictFailure = o.strict && !!result.notices?.length;
      setExit(result.errors.length || fixFailed || strictFailure ? EXIT_FAILURE : findingsExit(findings, o.maxWarnings));
    });
}

/** Report flags shared by the commands that run rules. */
export function addReportOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('stylish'))
    .option('-o, --output <file>', 'write the report to this file (atomically) instead of standard output');
}

/**
 * Renders the report in the chosen format to -o or standard output; false (exit 2 set) when the
 * file cannot be written. `stylish` replaces the plain stylish renderer (audit groups by container).
 */
export function emitReport(
  o: { format: FormatName; output?: string },
  report: Report,
  setExit: SetExit,
  opts: { quietStdout?: boolean; stylish?: (report: Report, color: boolean) => string } = {},
): boolean {
  // --fix-dry-run prints the diff instead of the report: nothing to render unless it goes to a file.
  if (!o.output && opts.quietStdout) return true;
  const color = o.format === 'stylish' && !o.output && stdoutIsTerminal() && !process.env.NO_COLOR;
  const text = o.format === 'stylish' && opts.stylish ? opts.stylish(report, color) : renderReport(o.format, report, { color });
  return emitText(o.output, text, setExit);
}

/** Writes `text` to the -o file (atomically) or to standard output; false (exit 2 set) when the file cannot be written. */
export function emitText(output: string | undefined, text: string, setExit: SetExit, what = 'report'): boolean {
  if (!output) {
    write(text);
    return true;
  }
  try {
    writeOutputFile(output, text);
    return true;
  } catch (e) {
    warn(`portlint: cannot write the ${what} to ${output}: ${(e as Error).message}`);
    setExit(EXIT_FAILURE);
    return false;
  }
}

/** 1 when any finding is an error or warnings exceed --max-warnings, else 0. */
export function findingsExit(findings: Parameters<typeof summarize>[0], maxWarnings: number | undefined): number {
  const s = summarize(findings);
  const tooManyWarnings = maxWarnings !== undefined && s.warnings > maxWarnings;
  if (tooManyWarnings) warn(`portlint: ${s.warnings} warnings, more than --max-warnings ${maxWarnings}`);
  return s.errors || tooManyWarnings ? EXIT_FINDINGS : EXIT_CLEAN;
}

function parseComposeOption(value: string): ComposeRelease {
  const release = parseComposeRelease(value);
  if (!release) throw new InvalidArgumentError(composeReleaseProblem(value));
  return release;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number such as 0 or 10');
  return Number(value);
}

/** --rule id=severity flags become engine settings; an unknown id or severity is a usage error. */
export function engineConfig(o: Pick<CheckOptionValues, 'rule' | 'platform' | 'rootless'> & { compose?: ComposeRelease }): EngineConfig {
  const rules = o.rule.map((spec) => {
    const eq = spec.lastIndexOf('=');
    return { id: eq > 0 ? spec.slice(0, eq).trim() : spec.trim(), severity: eq > 0 ? spec.slice(eq + 1).trim() : '', given: `--rule ${spec}` };
  });
  return engineSettings(rules, o);
}

/** Rule severities (each with how it was given, for messages) and the platform settings as engine settings. */
export function engineSettings(
  given: ReadonlyArray<{ id: string; severity: string; given: string }>,
  o: { platform: Platform; rootless: boolean; compose?: ComposeRelease },
): EngineConfig {
  const rules: Record<string, RuleSetting> = {};
  for (const { id, severity, given: where } of given) {
    if (!findRule(id)) {
      const near = catalogue.map((r) => r.meta.id).filter((r) => r.includes(id.split('/').pop() ?? id));
      throw new UsageError(`unknown rule "${id}" in ${where}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; portlint rules lists them`);
    }
    if (!SEVERITIES.includes(severity as Severity)) throw new UsageError(`${where}: severity must be one of ${SEVERITIES.join(', ')}`);
    rules[id] = { severity: severity as Severity };
  }
  return { rules, settings: { platform: o.platform, rootless: o.rootless, ...(o.compose && { compose: o.compose }) } };
}
