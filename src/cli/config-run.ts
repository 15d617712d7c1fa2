/**
 * What the configuration file, `--stdin` and suppression comments add to a run: the
 * engine settings (file, then flags), the projects to load (configured projects, ignore
 * globs, standard input in place of a file), and the pass over findings after the rules
 * (allowed exposures, then suppression comments).
 */
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { catalogue, findRule } from '../../rules';
import { ConfigError, resolveConfig, type PortlintConfig } from '../config/load';
import { matchesAny } from '../config/glob';
import { applyAllowances } from '../engine/allow';
import { ONE_HOST, projectCounts } from '../engine/hosts';
import { ruleRuns, runRules, type EngineConfig, type Finding } from '../engine/run';
import { applySuppressions } from '../engine/suppress';
import { foldByConcern } from '../engine/voice';
import { loadSelection, type LoadOutcome, type Selection, type SelectOptions } from '../load';
import { FileCache, type ProjectSpec } from '../load/project';
import { projectOfFile, projectSpec, selectProjects } from '../load/select';
import { displayPath } from '../report/paths';
import type { ProjectsSummary } from '../report/json-types';
import type { Project } from '../model/types';
import { UsageError } from './shared';

export interface ConfigOptionValues {
  /** A path, false with --no-config, undefined to search. */
  config?: string | false;
  /** --same-host: every project of the run is on one host (collision/cross-project compares them all). */
  sameHost?: boolean;
}

export interface StdinOptionValues {
  stdin?: boolean;
  stdinFilename?: string;
  /** The text that stands for the file (the programmatic API, the language server); standard input is read when absent. */
  stdinText?: Buffer | string;
}

export interface CheckExtraOptionValues extends ConfigOptionValues, StdinOptionValues {
  reportUnusedDisable?: boolean;
}

export function addConfigOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'configuration file (default: the nearest .portlintrc.yaml, .portlintrc.yml, .portlintrc.json or portlint.config.json, walking up)')
    .option('--no-config', 'use no configuration file');
}

/** --same-host, for the commands that run collision/cross-project. */
export function addSameHostOption(cmd: Command): Command {
  return cmd.option('--same-host', 'the projects of this run run on one host: collision/cross-project compares them (default: only configured projects)');
}

/** Options of `check` beyond the shared ones: configuration, standard input, suppression reporting, --same-host. */
export function addCheckExtraOptions(cmd: Command): Command {
  return addSameHostOption(addConfigOptions(cmd))
    .option('--stdin', 'read the compose file from standard input (editors); name it with --stdin-filename')
    .option('--stdin-filename <path>', 'the file standard input stands for: its folder, .env and override files apply (default: compose.yaml)')
    .option('--report-unused-disable', 'report portlint-disable comments that suppress nothing', false);
}

/** The configuration of this run; a problem in it is a usage error listing every located problem. */
export function runConfig(o: ConfigOptionValues, cwd: string): PortlintConfig | undefined {
  try {
    return resolveConfig(cwd, o.config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const shown = displayPath(e.file, cwd);
    if (e.problems.length === 1 && e.problems[0].line === 0) throw new UsageError(`${shown}: ${e.problems[0].message}`);
    const n = e.problems.length;
    const lines = e.problems.map((p) => `${displayPath(p.file, cwd)}:${p.line}:${p.column}: ${p.message}`);
    throw new UsageError(`invalid configuration ${shown} (${n} problem${n === 1 ? '' : 's'}):\n${lines.join('\n')}`);
  }
}

/** Engine settings: the configuration file first, then the flags (`--rule` severities, `--platform`, `--rootless`). */
export function mergeEngineConfig(config: PortlintConfig | undefined, flags: EngineConfig, platformFromFlag: boolean): EngineConfig {
  if (!config) return flags;
  const rules = { ...config.rules };
  for (const [id, setting] of Object.entries(flags.rules)) rules[id] = { ...rules[id], ...setting };
  return {
    ...flags,
    rules,
    settings: {
      ...flags.settings,
      platform: platformFromFlag ? flags.settings.platform : (config.platform ?? flags.settings.platform),
      rootless: flags.settings.rootless || config.rootless === true,
      ...((flags.settings.compose ?? config.compose) && { compose: flags.settings.compose ?? config.compose }),
    },
  };
}

/** True when the configuration's ignore globs match the file (paths are relative to the configuration file). */
export function isIgnored(config: PortlintConfig | undefined, file: string): boolean {
  if (!config?.ignore.length) return false;
  return matchesAny(relative(config.dir, file).split(sep).join('/'), config.ignore);
}

function dropIgnored(specs: ProjectSpec[], config: PortlintConfig | undefined): ProjectSpec[] {
  if (!config?.ignore.length) return specs;
  return specs.flatMap((spec) => {
    if (isIgnored(config, spec.files[0])) return [];
    const files = spec.files.filter((f) => !isIgnored(config, f));
    return [{ ...spec, files }];
  });
}

/** The configured projects as loader specs; project flags given on the command line win. */
function configuredSpecs(config: PortlintConfig, opts: SelectOptions): ProjectSpec[] {
  return (config.projects ?? []).map((p) => {
    const spec = projectSpec(opts, p.files, p.projectDirectory);
    // Configured projects are listed together as one deployment: on one host unless they name theirs.
    return { ...spec, name: spec.name ?? p.name, envFiles: spec.envFiles ?? p.envFiles, profiles: opts.profiles.length ? opts.profiles : p.profiles, host: p.host ?? ONE_HOST };
  });
}

/**
 * Which projects to load: `-f` and positional paths as usual (positional paths and the directories
 * they name skip what `ignore` matches); with neither, the configuration's `projects` when it has
 * some; with `--stdin`, the project of the file standard input stands for.
 */
export function selectWithConfig(given: SelectOptions, config: PortlintConfig | undefined, stdin: StdinOptionValues, cache: FileCache): Selection {
  const swarmed = config?.swarm && !given.swarm ? { ...given, swarm: true } : given;
  const opts = config?.include.length ? { ...swarmed, alsoCompose: (file: string) => matchesAny(relative(config.dir, file).split(sep).join('/'), config.include) } : swarmed;
  const swarmBy = given.swarm ? '--swarm' : `swarm: true in ${config?.file}`;
  if (opts.swarm && opts.envFiles.length) throw new UsageError(`--env-file does not apply with ${swarmBy}: docker stack deploy interpolates from its environment only`);
  if (opts.swarm && opts.profiles.length) throw new UsageError(`--profile does not apply with ${swarmBy}: docker stack deploy has no profiles (its schema refuses them)`);
  if (stdin.stdinFilename !== undefined && !stdin.stdin) throw new UsageError('--stdin-filename names the file that --stdin reads; add --stdin');
  if (stdin.stdin) {
    if (opts.paths.length) throw new UsageError('--stdin reads one compose file: name it with --stdin-filename, not as a path');
    const file = resolve(opts.cwd, stdin.stdinFilename ?? 'compose.yaml');
    cache.inject(file, stdin.stdinText ?? readStdin());
    if (isIgnored(config, file)) return { specs: [], errors: [] };
    if (opts.files.length) {
      const selection = selectProjects(opts);
      if (!selection.specs.some((s) => s.files.includes(file))) {
        throw new UsageError(`--stdin-filename ${stdin.stdinFilename ?? 'compose.yaml'} is not one of the -f files`);
      }
      return selection;
    }
    const configured = config?.projects ? configuredSpecs(config, opts).filter((s) => s.files.includes(file)) : [];
    if (configured.length) return { specs: configured, errors: [] };
    return { specs: [projectSpec(opts, opts.swarm ? [file] : projectOfFile(file))], errors: [] };
  }
  if (!opts.files.length && !opts.paths.length && config?.projects) return { specs: configuredSpecs(config, opts), errors: [] };
  const selection = selectProjects(opts);
  if (opts.paths.length && !opts.files.length) return { ...selection, specs: dropIgnored(selection.specs, config) };
  return selection;
}

/**
 * The selection with the hosts its projects run on: with --same-host or `sameHost: true`, one
 * host for all (over the hosts of configured projects); otherwise as selected (configured
 * projects have one, projects found in paths none).
 */
export function placeOnHosts(selection: Selection, config: PortlintConfig | undefined, sameHost: boolean | undefined): Selection {
  if (!sameHost && config?.sameHost !== true) return selection;
  return { ...selection, specs: selection.specs.map((spec) => ({ ...spec, host: ONE_HOST })) };
}

function readStdin(): Buffer {
  try {
    return readFileSync(0);
  } catch (e) {
    throw new UsageError(`cannot read standard input: ${(e as Error).message}`);
  }
}

export interface PreparedCheck {
  config?: PortlintConfig;
  engine: EngineConfig;
  result: LoadOutcome;
  /** The files read for `result`. */
  cache: FileCache;
  /** Allowed exposures, then suppression comments (and the warnings they produce). */
  finish(findings: Finding[]): Finding[];
  /** The same check loaded again from `cache` (--fix passes): configuration and engine settings are kept. */
  reload(cache: FileCache): PreparedCheck;
}

/**
 * Everything `check` does before and after running the rules that depends on the configuration,
 * standard input and suppression comments. `flags` holds the engine settings from the flags;
 * `platformGiven` tells whether they name the platform (else the configuration's applies);
 * `cache` may hold files read before (the language server keeps one).
 */
export function prepareCheck(opts: SelectOptions, o: CheckExtraOptionValues, flags: EngineConfig, platformGiven: boolean, cache = new FileCache()): PreparedCheck {
  const config = runConfig(o, opts.cwd);
  const merged = mergeEngineConfig(config, flags, platformGiven);
  // Messages name files the way the report does: relative to where the run started.
  const engine = { ...merged, settings: { ...merged.settings, cwd: opts.cwd } };
  return loadCheck(opts, o, config, engine, cache);
}

function loadCheck(opts: SelectOptions, o: CheckExtraOptionValues, config: PortlintConfig | undefined, engine: EngineConfig, cache: FileCache): PreparedCheck {
  const result = loadSelection(placeOnHosts(selectWithConfig(opts, config, o, cache), config, o.sameHost), opts.env, cache, opts.cwd);
  const finish = (findings: Finding[]): Finding[] => {
    const allowed = applyAllowances(findings, result.projects, config?.allow ?? []);
    const enabled = new Set(catalogue.filter((r) => ruleRuns(r, engine)).map((r) => r.meta.id));
    const owner = new Map<string, string>();
    const entries = new Map<string, Array<{ line: number; endLine: number }>>();
    for (const p of result.projects) {
      for (const f of p.files) if (!owner.has(f)) owner.set(f, p.name);
      for (const s of p.services) {
        for (const item of s.ports) {
          if (!owner.has(item.loc.file)) owner.set(item.loc.file, p.name);
          // A span that ends at column 1 ends with the line before.
          const endLine = item.loc.endColumn === 1 ? item.loc.endLine - 1 : item.loc.endLine;
          if (endLine > item.loc.line) entries.set(item.loc.file, [...(entries.get(item.loc.file) ?? []), { line: item.loc.line, endLine }]);
        }
      }
    }
    const { findings: kept } = applySuppressions(allowed, cache.texts(), {
      knownRules: new Set(catalogue.map((r) => r.meta.id)),
      enabledRules: enabled,
      reportUnused: o.reportUnusedDisable === true || config?.reportUnusedDisable === true,
      projectOf: (file) => owner.get(file) ?? result.projects[0]?.name ?? '',
      entries,
    });
    return foldByConcern(kept, catalogue);
  };
  return { config, engine, result, cache, finish, reload: (next) => loadCheck(opts, o, config, engine, next) };
}

/**
 * The findings of a prepared check: the rules over its projects, then allowed exposures and
 * suppression comments; `quiet` keeps errors only. `withLive` adds what a Docker host supplies (--live).
 */
export function lintPrepared(p: PreparedCheck, quiet: boolean, withLive?: (engine: EngineConfig) => EngineConfig): Finding[] {
  const found = p.finish(runRules(p.result.projects, catalogue, withLive ? withLive(p.engine) : p.engine));
  return quiet ? found.filter((f) => f.severity === 'error') : found;
}

/** Loads the projects of a command that runs no rules (`ports`): configured projects and ignore globs apply. */
export function loadWithConfig(opts: SelectOptions, o: ConfigOptionValues): LoadOutcome {
  const config = runConfig(o, opts.cwd);
  const cache = new FileCache();
  return loadSelection(placeOnHosts(selectWithConfig(opts, config, {}, cache), config, o.sameHost), opts.env, cache, opts.cwd);
}

/**
 * What the report says about the projects of a prepared check: how many Compose projects were
 * checked and, when collision/cross-project runs, how many of them it compared.
 */
export function projectsSummary(p: PreparedCheck, projects: readonly Project[]): ProjectsSummary {
  const { checked, compared } = projectCounts(projects);
  const rule = findRule('collision/cross-project');
  const runs = rule !== undefined && ruleRuns(rule, p.engine);
  return { checked, ...(runs && { compared }) };
}
