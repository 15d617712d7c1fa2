/**
 * action.yml, the GitHub Action: its metadata, and its run step executed with bash the way a
 * runner executes a composite step (inputs through the step's env, GITHUB_OUTPUT a file), on
 * temporary projects with the real binary.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO, tempProject } from './helpers';

interface Step {
  name: string;
  id?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  runs: { using: string; steps: Step[] };
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { value: string }>;
}

const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as Action;
const step = action.runs.steps.find((s) => s.id === 'portlint')!;

/** Evaluates the `${{ }}` expressions the step uses, like the runner would. */
function expand(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (expr === 'github.action_path') return REPO;
    const m = /^inputs\.([\w-]+)$/.exec(expr);
    if (m) return inputs[m[1]] ?? action.inputs[m[1]]?.default ?? '';
    throw new Error(`expression not emulated: ${expr}`);
  });
}

function runAction(project: string, inputs: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v, inputs);
  const outputFile = join(project, '.github-output');
  writeFileSync(outputFile, '');
  const cwd = join(project, expand(step['working-directory'] ?? '.', inputs));
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', GITHUB_OUTPUT: outputFile, ...env },
    encoding: 'utf8',
  });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

const EXPOSED = 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n';
const CLEAN = 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "127.0.0.1:5432:5432"\n';

describe('action.yml', () => {
  it('is a composite action that installs portlint from its own checkout and runs it with the documented inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['paths', 'args', 'format', 'sarif-file', 'fail-on-findings', 'working-directory']));
    expect(Object.keys(action.outputs)).toEqual(['exit-code', 'sarif-file']);
    const install = action.runs.steps.find((s) => s.name === 'Install portlint')!;
    expect(install['working-directory']).toBe('${{ github.action_path }}');
    expect(install.run).toMatch(/npm ci\b[^\n]*\n\s*npm run build/);
    // Inputs reach the scripts through env only, never spliced into the script text.
    for (const s of action.runs.steps) expect(s.run ?? '').not.toContain('${{');
    expect(action.inputs.format.default).toBe('github');
  });

  it('annotates the findings, writes SARIF, exposes the exit code, and fails the step on error findings', () => {
    const dir = tempProject({ 'compose.yaml': EXPOSED });
    const r = runAction(dir, { 'sarif-file': 'reports/portlint.sarif' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^::error file=compose\.yaml,line=5,/m);
    const sarif = JSON.parse(readFileSync(join(dir, 'reports/portlint.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('exposure/sensitive-port-public');
    expect(r.outputs).toEqual({ 'sarif-file': 'reports/portlint.sarif', 'exit-code': '1' });
  });

  it('fail-on-findings: false keeps the step green on findings; the exit code is still an output', () => {
    const dir = tempProject({ 'compose.yaml': EXPOSED });
    const r = runAction(dir, { 'fail-on-findings': 'false', format: 'stylish' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('exposure/sensitive-port-public');
    expect(r.outputs['exit-code']).toBe('1');
  });

  it('passes paths and args through, and runs in working-directory', () => {
    // A web server, so the finding is a warning only (a database image makes every published port an error).
    const dir = tempProject({ 'app/a/compose.yaml': CLEAN, 'app/b/compose.yaml': EXPOSED.replace('5432:5432', '8080:80').replace('postgres:16', 'nginx:1.27') });
    const r = runAction(dir, { 'working-directory': 'app', paths: 'a b', args: '--max-warnings 0', format: 'json' });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { file: string; ruleId: string }) => `${f.file} ${f.ruleId}`)).toContain('b/compose.yaml exposure/unbound-publish');
    expect(r.stderr).toContain('more than --max-warnings 0');
  });

  it('a clean project passes', () => {
    const dir = tempProject({ 'compose.yaml': CLEAN });
    const r = runAction(dir, { 'sarif-file': 'portlint.sarif' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(existsSync(join(dir, 'portlint.sarif'))).toBe(true);
    expect(r.outputs['exit-code']).toBe('0');
  });

  it('fails with exit code 2 and an error annotation when portlint cannot check the files, even with fail-on-findings: false', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  web: [\n' });
    const r = runAction(dir, { 'fail-on-findings': 'false', 'sarif-file': 'portlint.sarif' });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('::error title=portlint::portlint could not check the compose files');
    expect(r.outputs['exit-code']).toBe('2');
    // The SARIF report is still written, so an upload step after a failure has something to upload.
    expect(existsSync(join(dir, 'portlint.sarif'))).toBe(true);
  });
});
