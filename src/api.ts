/**
 * The programmatic API (`require('portlint')`, `import { lint } from 'portlint'`): the same
 * loader, rules and JSON objects as `portlint check --format json` and `portlint ports --format
 * json`, without spawning the binary. Synchronous: portlint reads files, it does not wait on
 * anything (reading Docker hosts stays with the command line: `audit`, `check --live`).
 * Nothing here prints, exits or changes a file.
 */
import { resolve } from 'node:path';
import { UsageError } from './cli/shared';
import { engineSettings } from './cli/commands/check';
import { lintPrepared, loadWithConfig, prepareCheck, projectsSummary, type CheckExtraOptionValues } from './cli/config-run';
import { PLATFORMS } from './config/schema';
import type { SelectOptions } from './load';
import { composeReleaseProblem, parseComposeRelease } from './model/compose-releases';
import { jsonReport } from './report/format';
import type { LintReport, PortsReport } from './report/json-types';
import { portsReport } from './report/ports';

export type * from './report/json-types';

/** Which projects to read, as the command line's project flags choose them. */
export interface ProjectOptions {
  /** Working directory: where the default project is looked for, and what paths are relative to (default: process.cwd()). */
  cwd?: string;
  /** Compose files or directories (searched recursively), like the command's positional paths. */
  paths?: string[];
  /** One merged project from these files, like `-f a -f b`. */
  files?: string[];
  /** Interpolation values instead of the project .env, like `--env-file`. */
  envFiles?: string[];
  /** Profiles to activate, like `--profile` (default: COMPOSE_PROFILES of `env`). */
  profiles?: string[];
  projectDirectory?: string;
  projectName?: string;
  /** Read the files as `docker stack deploy` does, like `--swarm`. */
  swarm?: boolean;
  /** The environment interpolation reads (default: process.env). */
  env?: Record<string, string | undefined>;
  /** A configuration file, false for none, or undefined to look for the nearest one (like `--config`, `--no-config`). */
  config?: string | false;
  /**
   * The text of one compose file, read instead of the file on disk (an editor's unsaved buffer),
   * like `--stdin --stdin-filename <file>`: the project is the file's own, with its folder's .env
   * and override files from disk. Not together with `paths`.
   */
  text?: { file: string; content: string };
}

export interface LintOptions extends ProjectOptions {
  /** Rule severities by rule id, like `--rule id=severity`; over the configuration file's. */
  rules?: Record<string, 'off' | 'info' | 'warning' | 'error'>;
  /** The platform whose port ranges apply (default: the configuration's, else all). */
  platform?: 'linux' | 'macos' | 'windows' | 'all';
  /** The engine runs rootless: ports below 1024 fail. */
  rootless?: boolean;
  /** The oldest docker compose release the files must work with, such as "2.20" (syntax/compose-version). */
  compose?: string;
  /** Errors only, like `--quiet`. */
  quiet?: boolean;
  /** Report portlint-disable comments that suppress nothing. */
  reportUnusedDisable?: boolean;
  /**
   * The projects checked run on one host, like `--same-host`: collision/cross-project compares
   * them all. Without it (and without `sameHost: true` in the configuration) it compares only
   * the configured projects; `summary.projects` says how many were compared.
   */
  sameHost?: boolean;
}

/** portlint could not do its job (the command line's exit 2): bad options, nothing to check, a broken configuration file. */
export class PortlintError extends Error {
  override name = 'PortlintError';
}

export { version } from './version';

/**
 * Checks compose projects: the `portlint check --format json` object. Files that cannot be read
 * or parsed are in `errors` (the other files are still checked); a problem with the options
 * or the configuration file throws a PortlintError.
 */
export function lint(options: LintOptions = {}): LintReport {
  return guarded(() => {
    const select = selectOptions(options);
    if (options.platform !== undefined && !PLATFORMS.includes(options.platform)) throw new UsageError(`platform must be one of ${PLATFORMS.join(', ')}, not ${JSON.stringify(options.platform)}`);
    let compose;
    if (options.compose !== undefined) {
      compose = parseComposeRelease(String(options.compose));
      if (!compose) throw new UsageError(`compose: ${composeReleaseProblem(String(options.compose))}`);
    }
    const given = Object.entries(options.rules ?? {}).map(([id, severity]) => ({ id, severity: String(severity), given: `rules[${JSON.stringify(id)}]` }));
    const flags = engineSettings(given, { platform: options.platform ?? 'all', rootless: options.rootless === true, ...(compose && { compose }) });
    const prepared = prepareCheck(select, { ...checkInput(options), reportUnusedDisable: options.reportUnusedDisable === true, sameHost: options.sameHost === true }, flags, options.platform !== undefined);
    if (prepared.result.fatal) throw new UsageError(prepared.result.fatal);
    const { result } = prepared;
    const projects = projectsSummary(prepared, result.projects);
    return jsonReport({ findings: lintPrepared(prepared, options.quiet === true), errors: result.errors, files: result.files, cwd: select.cwd, notices: result.notices, projects });
  });
}

/**
 * Loads compose projects and the bindings Docker will create: the `portlint ports --format json`
 * object. Like `lint`, unreadable files are in `errors` and bad options throw a PortlintError.
 */
export function loadProject(options: ProjectOptions = {}): PortsReport {
  return guarded(() => {
    const select = selectOptions(options);
    const result = loadWithConfig(select, checkInput(options));
    if (result.fatal) throw new UsageError(result.fatal);
    return portsReport(result.projects, result.errors, select.cwd);
  });
}

function selectOptions(o: ProjectOptions): SelectOptions {
  const list = (name: keyof ProjectOptions): string[] => {
    const value = o[name];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new UsageError(`${name} must be an array of strings`);
    return value;
  };
  return {
    ...(o.swarm && { swarm: true }),
    cwd: o.cwd ?? process.cwd(),
    env: o.env ?? process.env,
    paths: list('paths'),
    files: list('files'),
    envFiles: list('envFiles'),
    profiles: list('profiles'),
    projectDirectory: o.projectDirectory,
    projectName: o.projectName,
  };
}

/** Configuration file and the unsaved text, in the command line's terms (--config, --stdin). */
function checkInput(o: ProjectOptions): CheckExtraOptionValues {
  if (o.config !== undefined && o.config !== false && typeof o.config !== 'string') throw new UsageError('config must be a path, false, or left out');
  if (o.text) {
    if (typeof o.text.file !== 'string' || typeof o.text.content !== 'string') throw new UsageError('text must be { file: string, content: string }');
    if (o.paths?.length) throw new UsageError('text stands for one compose file: name it with text.file, not with paths');
    const cwd = o.cwd ?? process.cwd();
    if (o.files?.length && !o.files.some((f) => resolve(cwd, f) === resolve(cwd, o.text!.file))) throw new UsageError(`text.file ${o.text.file} is not one of files`);
  }
  return {
    config: o.config,
    ...(o.text && { stdin: true, stdinFilename: o.text.file, stdinText: Buffer.from(o.text.content, 'utf8') }),
  };
}

function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof UsageError) throw new PortlintError(e.message);
    throw e;
  }
}
