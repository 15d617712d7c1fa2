/** Test helpers: load real files through the real loader, run rules through the real engine. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadProjects, type SelectOptions } from '../src/load';
import type { LoadResult } from '../src/model/types';
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
