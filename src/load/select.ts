/**
 * Which files make up which projects: `-f` files, COMPOSE_FILE, Compose's default
 * file names (walking up, with their override file), positional files, and
 * directories searched recursively.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { LoadError, Notice } from '../model/types';
import { readFailure } from '../util/fs';
import type { ProjectSpec } from './project';
import { projectEnvironment, type Environment } from './project';

export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
export const OVERRIDE_FILE_NAMES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];
const COMPOSE_NAME = /^(?:(?:docker-)?compose(?:[.-][^/]*)?|[^/]+\.compose)\.ya?ml$/;
/** Names stack files go by besides compose names: docker-stack.yml, stack.prod.yml, app.stack.yaml. */
const STACK_NAME = /^(?:(?:docker-)?stack(?:[.-][^/]*)?|[^/]+\.stack)\.ya?ml$/;
const STACK_DEFAULT_NAMES = ['docker-stack', 'stack'].flatMap((n) => [`${n}.yml`, `${n}.yaml`]);
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

export interface SelectOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Positional paths: files or directories. */
  paths: string[];
  /** -f / --file, in order: one merged project. */
  files: string[];
  envFiles: string[];
  profiles: string[];
  projectDirectory?: string;
  projectName?: string;
  /**
   * Read the files as `docker stack deploy -c` does: no override file, no COMPOSE_FILE, no .env
   * (the docker CLI reads none of them), stack-named files (docker-stack.yml, stack.yml) too.
   */
  swarm?: boolean;
  /** Files of other names that directory searches take too, each alone (the configuration's `include`). */
  alsoCompose?: (file: string) => boolean;
}

export interface Selection {
  specs: ProjectSpec[];
  errors: LoadError[];
  /** Paths that held nothing to check. */
  notices?: Notice[];
  /** Usage-level problem (nothing to check); the CLI exits 2 with it. */
  fatal?: string;
}

export function isComposeFileName(name: string): boolean {
  return COMPOSE_NAME.test(name);
}

/** --env-file values, absolute; undefined when none is given (then the project's .env is read). */
function envFileOption(opts: SelectOptions): string[] | undefined {
  return opts.envFiles.length ? opts.envFiles.map((f) => resolve(opts.cwd, f)) : undefined;
}

/** The project of `files` with the command line's project options (-p, --env-file, --profile, --project-directory). */
export function projectSpec(opts: SelectOptions, files: string[], projectDir?: string): ProjectSpec {
  return {
    name: opts.projectName,
    envFiles: envFileOption(opts),
    profiles: opts.profiles,
    files,
    projectDir: opts.projectDirectory ? resolve(opts.cwd, opts.projectDirectory) : (projectDir ?? dirname(files[0])),
    ...(opts.swarm && { swarm: true }),
  };
}

export function selectProjects(opts: SelectOptions): Selection {
  const errors: LoadError[] = [];
  const spec = (files: string[], projectDir?: string) => projectSpec(opts, files, projectDir);

  if (opts.files.length) return { specs: [spec(opts.files.map((f) => resolve(opts.cwd, f)))], errors };

  if (opts.paths.length) {
    // docker stack deploy merges only the -c files it is given: each stack file stands alone.
    const inTree = opts.swarm ? stackFilesInTree : projectsInTree;
    const ofFile = opts.swarm ? (f: string) => [f] : projectOfFile;
    const specs: ProjectSpec[] = [];
    const notices: Notice[] = [];
    const seen = new Set<string>();
    const add = (files: string[]) => {
      const key = files.join('\0');
      if (!seen.has(key)) {
        seen.add(key);
        specs.push(spec(files));
      }
    };
    for (const p of opts.paths) {
      const abs = resolve(opts.cwd, p);
      let isDir: boolean;
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        errors.push({ file: abs, line: 0, column: 0, message: `cannot read ${p}: no such file or directory` });
        continue;
      }
      if (isDir) {
        const found = inTree(abs, errors, opts.alsoCompose);
        for (const files of found) add(files);
        if (!found.length) notices.push({ kind: 'no-compose-file', file: abs, message: `no compose file in ${p} or below it (looked for ${DEFAULT_FILE_NAMES.join(', ')} and other names with "compose" in them${opts.swarm ? ' or "stack"' : ''}); name files of other names as paths, with -f, or with include in the configuration` });
      } else add(ofFile(abs));
    }
    return { specs, errors, ...(notices.length && { notices }) };
  }
  if (opts.swarm) return defaultStack(opts, spec);

  const baseDir = opts.projectDirectory ? resolve(opts.cwd, opts.projectDirectory) : opts.cwd;
  const environment = projectEnvironment(opts.env, baseDir, envFileOption(opts), errors);
  // The loader reuses the environment for a project in the same directory (its .env is read once).
  const withEnvironment = (s: ProjectSpec): ProjectSpec => (s.projectDir === baseDir ? { ...s, environment } : s);
  const fromEnv = composeFileVariable(environment, opts.cwd);
  if (fromEnv) return { specs: [withEnvironment(spec(fromEnv))], errors };

  for (let dir = baseDir; ; dir = dirname(dir)) {
    const found = defaultProjectIn(dir, readdirSafe(dir));
    if (found) return { specs: [withEnvironment(spec(found, dir))], errors };
    if (dirname(dir) === dir) break;
  }
  return {
    specs: [],
    errors,
    fatal: `no compose file found in ${baseDir} or its parents (looked for ${DEFAULT_FILE_NAMES.join(', ')}); pass a file or a directory, or use -f`,
  };
}

/** COMPOSE_FILE from the environment or the project's .env, split on COMPOSE_PATH_SEPARATOR. */
function composeFileVariable(env: Environment, cwd: string): string[] | undefined {
  const value = env.get('COMPOSE_FILE');
  if (!value) return undefined;
  const separator = env.get('COMPOSE_PATH_SEPARATOR') || ':';
  return value.split(separator).filter(Boolean).map((f) => resolve(cwd, f));
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function defaultProjectIn(dir: string, names: string[]): string[] | undefined {
  const main = DEFAULT_FILE_NAMES.find((n) => names.includes(n));
  if (!main) return undefined;
  const override = OVERRIDE_FILE_NAMES.find((n) => names.includes(n));
  return override ? [join(dir, main), join(dir, override)] : [join(dir, main)];
}

/** A default-named file or an override brings in its directory's project; any other file stands alone. */
export function projectOfFile(file: string): string[] {
  const name = basename(file);
  const dir = dirname(file);
  if (DEFAULT_FILE_NAMES.includes(name) || OVERRIDE_FILE_NAMES.includes(name)) {
    const names = readdirSafe(dir);
    const main = DEFAULT_FILE_NAMES.includes(name) ? name : DEFAULT_FILE_NAMES.find((n) => names.includes(n));
    const override = OVERRIDE_FILE_NAMES.includes(name) ? name : OVERRIDE_FILE_NAMES.find((n) => names.includes(n));
    return [main, override].filter((n): n is string => !!n).map((n) => join(dir, n));
  }
  return [file];
}

/**
 * Visits `root` and every folder below it (but .git and node_modules), with its file names sorted.
 * A folder that cannot be read is an error of the run (its files are not checked), not a silence.
 */
function walkTree(root: string, visit: (dir: string, fileNames: string[]) => void, errors: LoadError[]): void {
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ file: dir, line: 0, column: 0, message: `cannot read the folder ${dir}: ${readFailure(e)}` });
      return;
    }
    // A symlink to a file is a file to docker compose; a dangling one is no file to it (it stats names).
    const linkedFile = (name: string) => {
      try {
        return statSync(join(dir, name)).isFile();
      } catch {
        return false;
      }
    };
    visit(dir, entries.filter((e) => e.isFile() || (e.isSymbolicLink() && linkedFile(e.name))).map((e) => e.name).sort());
    for (const e of entries.filter((d) => d.isDirectory() && !SKIPPED_DIRS.has(d.name)).sort((a, b) => (a.name < b.name ? -1 : 1))) walk(join(dir, e.name));
  };
  walk(root);
}

/** Every project under a directory: each folder's default project, and every other compose-named file alone. */
export function projectsInTree(root: string, errors: LoadError[] = [], alsoCompose?: (file: string) => boolean): string[][] {
  const out: string[][] = [];
  walkTree(root, (dir, names) => {
    const main = defaultProjectIn(dir, names);
    if (main) out.push(main);
    const taken = new Set(main?.map((f) => basename(f)));
    for (const name of names) if ((isComposeFileName(name) || alsoCompose?.(join(dir, name))) && !taken.has(name)) out.push([join(dir, name)]);
  }, errors);
  return out;
}

/**
 * Every compose- or stack-named file under a directory, each alone (`--swarm`). Compose override
 * files are left out: they amend a base file for `docker compose`, and are no stack of their own.
 */
function stackFilesInTree(root: string, errors: LoadError[], alsoCompose?: (file: string) => boolean): string[][] {
  const out: string[][] = [];
  walkTree(root, (dir, names) => {
    for (const name of names) if ((isComposeFileName(name) && !OVERRIDE_FILE_NAMES.includes(name)) || STACK_NAME.test(name) || alsoCompose?.(join(dir, name))) out.push([join(dir, name)]);
  }, errors);
  return out;
}

/**
 * With no path and `--swarm`: the first stack name, else the first default compose name, in the
 * working directory. The docker CLI has no default (it needs -c); this is the file a -c would most
 * likely name.
 */
function defaultStack(opts: SelectOptions, spec: (files: string[], projectDir?: string) => ProjectSpec): Selection {
  const dir = opts.projectDirectory ? resolve(opts.cwd, opts.projectDirectory) : opts.cwd;
  const candidates = [...STACK_DEFAULT_NAMES, ...DEFAULT_FILE_NAMES];
  const names = readdirSafe(dir);
  const found = candidates.find((n) => names.includes(n));
  if (found) return { specs: [spec([join(dir, found)], dir)], errors: [] };
  return { specs: [], errors: [], fatal: `no stack file found in ${dir} (looked for ${candidates.join(', ')}); pass the file docker stack deploy -c would take` };
}
