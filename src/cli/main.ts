/**
 * The command line. Exit codes: 0 clean, 1 findings at error severity (or over
 * --max-warnings), 2 portlint could not do its job (unreadable input, bad usage).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadProjects, type SelectOptions } from '../load';
import { errorLines, portsJson, portsTable } from '../report/ports';
import { catalogue, findRule } from '../../rules';
import { runRules, type EngineConfig, type RuleSetting } from '../engine/run';
import type { Platform, Severity } from '../engine/rule';
import { formatJson, formatStylish, summarize } from '../report/format';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;

const collect = (value: string, previous: string[]) => previous.concat([value]);

/** Options every command that reads compose projects shares, named as docker compose names them. */
export function addProjectOptions(cmd: Command): Command {
  return cmd
    .argument('[paths...]', 'compose files or directories (searched recursively); default: the project in the current directory')
    .option('-f, --file <file>', 'compose file, repeatable: one merged project, like docker compose -f a -f b', collect, [])
    .option('--env-file <file>', 'interpolation values instead of the project .env, repeatable', collect, [])
    .option('--profile <name>', 'activate a profile, repeatable (default: COMPOSE_PROFILES)', collect, [])
    .option('--project-directory <dir>', 'project directory (default: the first file\'s directory)')
    .option('-p, --project-name <name>', 'project name');
}

export interface ProjectOptionValues {
  file: string[];
  envFile: string[];
  profile: string[];
  projectDirectory?: string;
  projectName?: string;
}

export function selectOptions(paths: string[], o: ProjectOptionValues): SelectOptions {
  return {
    cwd: process.cwd(),
    env: process.env,
    paths,
    files: o.file,
    envFiles: o.envFile,
    profiles: o.profile.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean),
    projectDirectory: o.projectDirectory,
    projectName: o.projectName,
  };
}

function write(text: string): void {
  process.stdout.write(text);
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('portlint')
    .description('Lint Docker Compose port publishing: exposure, collisions and troublesome ranges, as Docker will bind them.')
    .version(require('../../../package.json').version)
    .showHelpAfterError('(run portlint --help for usage)')
    .exitOverride();

  addProjectOptions(program.command('ports').description('print the bindings Docker will create for each project'))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((paths: string[], o: ProjectOptionValues & { format: string }) => {
      const cwd = process.cwd();
      const result = loadProjects(selectOptions(paths, o));
      if (result.fatal) {
        process.stderr.write(`portlint: ${result.fatal}\n`);
        setExit(EXIT_FAILURE);
        return;
      }
      write(o.format === 'json' ? portsJson(result.projects, result.errors, cwd) : portsTable(result.projects, result.errors, cwd));
      process.stderr.write(errorLines(result.errors, cwd));
      setExit(result.errors.length ? EXIT_FAILURE : EXIT_CLEAN);
    });

  addProjectOptions(program.command('check', { isDefault: true }).description('check compose projects (the default command)'))
    .addOption(new Option('--format <format>', 'output format').choices(['stylish', 'json']).default('stylish'))
    .option('--rule <id=severity>', 'set a rule\'s severity for this run: off, info, warning or error (repeatable)', collect, [])
    .addOption(new Option('--platform <platform>', 'platform whose port ranges apply').choices(['linux', 'macos', 'windows', 'all']).default('all'))
    .option('--rootless', 'the engine runs rootless (Docker rootless mode or Podman): ports below 1024 fail', false)
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', parseCount)
    .option('-q, --quiet', 'report errors only', false)
    .action((paths: string[], o: ProjectOptionValues & CheckOptionValues) => {
      const cwd = process.cwd();
      const config = engineConfig(o);
      const result = loadProjects(selectOptions(paths, o));
      if (result.fatal) {
        process.stderr.write(`portlint: ${result.fatal}\n`);
        setExit(EXIT_FAILURE);
        return;
      }
      let findings = runRules(result.projects, catalogue, config);
      if (o.quiet) findings = findings.filter((f) => f.severity === 'error');
      const report = { findings, errors: result.errors, files: result.files, cwd };
      const color = o.format === 'stylish' && !!process.stdout.isTTY && !process.env.NO_COLOR;
      write(o.format === 'json' ? formatJson(report) : formatStylish(report, color));
      const s = summarize(findings);
      const tooManyWarnings = o.maxWarnings !== undefined && s.warnings > o.maxWarnings;
      if (tooManyWarnings) process.stderr.write(`portlint: ${s.warnings} warnings, more than --max-warnings ${o.maxWarnings}\n`);
      setExit(result.errors.length ? EXIT_FAILURE : s.errors || tooManyWarnings ? EXIT_FINDINGS : EXIT_CLEAN);
    });

  program
    .command('rules')
    .description('list the rule catalogue')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((o: { format: string }) => {
      const rows = catalogue.map((r) => ({
        id: r.meta.id,
        description: r.meta.description,
        defaultSeverity: r.meta.defaultSeverity,
        fixable: r.meta.fixable,
        options: r.meta.optionsSchema ?? null,
        defaultOptions: r.meta.defaultOptions ?? {},
        docs: r.meta.docs,
      }));
      if (o.format === 'json') write(JSON.stringify(rows, null, 2) + '\n');
      else {
        const w = Math.max(...rows.map((r) => r.id.length));
        write(rows.map((r) => `${r.id.padEnd(w)}  ${r.defaultSeverity.padEnd(7)}  ${r.description}`).join('\n') + '\n');
      }
    });

  return program;
}

interface CheckOptionValues {
  format: string;
  rule: string[];
  platform: Platform;
  rootless: boolean;
  maxWarnings?: number;
  quiet: boolean;
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

export class UsageError extends Error {}

export function main(argv: string[]): void {
  let code = EXIT_CLEAN;
  const program = buildProgram((c) => (code = c));
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      code = e.exitCode === 0 ? EXIT_CLEAN : EXIT_FAILURE;
    } else if (e instanceof UsageError) {
      process.stderr.write(`portlint: ${e.message}\n`);
      code = EXIT_FAILURE;
    } else {
      const err = e as Error;
      process.stderr.write(`portlint: internal error: ${err.message}\nPlease report this with the file that caused it.${process.env.PORTLINT_DEBUG ? `\n${err.stack}` : ''}\n`);
      code = EXIT_FAILURE;
    }
  }
  process.exitCode = code;
}
