/** Test helpers: load real files through the real loader, run rules through the real engine. */
import { chmodSync, copyFileSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { loadProjects, type SelectOptions } from '../src/load';
import { readdirSync } from 'node:fs';
import { relative } from 'node:path';
import { expect } from 'vitest';
import { formatListener } from '../src/model/listeners';
import type { LoadResult, Project, SourceLocation } from '../src/model/types';
import type { Rule, Settings } from '../src/engine/rule';
import { runRules, type Finding } from '../src/engine/run';

export const REPO = resolve(__dirname, '..');
export const FIXTURES = join(REPO, 'fixtures');
export const BIN = join(REPO, 'bin', 'portlint.js');

/** Writes files (relative path → content) into a fresh temporary directory and returns it. */
export function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'portlint-test-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export function load(partial: Partial<SelectOptions> & { cwd: string }): LoadResult {
  return loadProjects({ env: {}, paths: [], files: [], envFiles: [], profiles: [], ...partial });
}

/** Loads one compose text as compose.yaml of a temporary project (plus any other files). */
export function loadCompose(compose: string, others: Record<string, string> = {}, opts: Partial<SelectOptions> = {}): LoadResult {
  const dir = tempProject({ 'compose.yaml': compose, ...others });
  return load({ cwd: dir, ...opts });
}

export const defaultSettings: Settings = { platform: 'all', rootless: false };

export function check(rule: Rule<never>, result: LoadResult, options: Record<string, unknown> = {}, settings: Partial<Settings> = {}): Finding[] {
  return runRules(result.projects, [rule], {
    rules: { [rule.meta.id]: { options } },
    settings: { ...defaultSettings, ...settings },
  });
}

/** Runs one rule on a fixture directory under fixtures/. */
export function checkFixture(rule: Rule<never>, fixture: string, options: Record<string, unknown> = {}, settings: Partial<Settings> = {}): Finding[] {
  const dir = join(FIXTURES, fixture);
  return check(rule, load({ cwd: dir, paths: [dir] }), options, settings);
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Spawns the real binary. */
export function run(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): RunResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: env as NodeJS.ProcessEnv, input: opts.input, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface RunAsyncOptions {
  cwd?: string;
  /** Added to (undefined: removed from) this process's environment. */
  env?: Record<string, string | undefined>;
  uid?: number;
  gid?: number;
  /** Node options before the binary (e.g. --require). */
  nodeArgs?: string[];
  /** The binary to run (default: bin/portlint.js of this checkout). */
  bin?: string;
}

/** Spawns the real binary without blocking this process (servers the test runs keep answering). */
export function runAsync(args: string[], opts: RunAsyncOptions = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.bin ?? BIN, ...args], { cwd: opts.cwd ?? REPO, env: env as NodeJS.ProcessEnv, uid: opts.uid, gid: opts.gid });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** The one project a load must produce, with no file errors. */
export function only(r: LoadResult): Project {
  expect(r.errors).toEqual([]);
  expect(r.projects).toHaveLength(1);
  return r.projects[0];
}

/** `file:line:column` of a location, relative to the project directory. */
export const where = (p: Project, loc: SourceLocation) => `${relative(p.workingDir, loc.file)}:${loc.line}:${loc.column}`;

/** The project's bindings (of one service, when named) as plain rows, with listeners and where the item stands. */
export const bindingRows = (p: Project, service?: string) =>
  p.bindings
    .filter((b) => !service || b.service === service)
    .map((b) => ({
      service: b.service,
      hostIp: b.hostIp,
      hostPort: b.hostPort,
      containerPort: b.containerPort,
      protocol: b.protocol,
      listeners: b.listeners.map(formatListener),
      at: where(p, b.item.loc),
    }));

export const problemRows = (p: Project) => p.problems.map((q) => ({ kind: q.kind, service: q.service, message: q.message, at: where(p, q.loc) }));

/** Every *.yml / *.yaml file below a directory, absolute and sorted. */
export function yamlFilesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** Deterministic pseudo-random numbers for generated test data (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
  };
}
export type Rng = ReturnType<typeof rng>;

/**
 * A copy of the built binary (bin/portlint.js and the bundle it runs) in `dir`, readable by any
 * user: for running portlint as another user wherever this checkout lies (a mode-0700 folder).
 */
export function portableBinary(dir: string): string {
  for (const sub of ['bin', 'dist']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o755 });
  copyFileSync(BIN, join(dir, 'bin', 'portlint.js'));
  copyFileSync(join(REPO, 'dist', 'portlint.js'), join(dir, 'dist', 'portlint.js'));
  for (const p of [dir, join(dir, 'bin'), join(dir, 'dist')]) chmodSync(p, 0o755);
  return join(dir, 'bin', 'portlint.js');
}
