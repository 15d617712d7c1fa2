/**
 * The npm package as users get it: `npm pack` of this checkout (built by `npm test`), installed
 * from the tarball into empty prefixes with no network and none of the dev dependencies, then
 * run as a command (global install, npx, the language server), a docker CLI plugin, and a library
 * (ESM, CommonJS and TypeScript consumers).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../rules';
import { describeDocker, engineProblem } from './docker';
import { FIXTURES, REPO } from './helpers';
import { LspClient } from './lsp-client';

const PACKAGE = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'portlint-package-'));
// npm's cache, prefix and temporary files of these tests, none of the user's.
const npmEnv = {
  ...process.env,
  npm_config_cache: join(work, 'npm-cache'),
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_userconfig: join(work, 'npmrc'),
  TMPDIR: join(work, 'tmp'),
  NO_COLOR: '1',
};
mkdirSync(npmEnv.TMPDIR, { recursive: true });

function sh(cmd: string, args: string[], opts: SpawnSyncOptions & { env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: npmEnv, timeout: 300_000, ...opts });
  return { status: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

function ok(r: { status: number; stdout: string; stderr: string }, what: string) {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

let tarball: string;
let packed: string[];
const prefix = join(work, 'prefix');
const installedBin = join(prefix, 'bin', 'portlint');
const installedDir = join(prefix, 'lib', 'node_modules', 'portlint');

/** A copy of the README session fixture outside this checkout (no node_modules above it). */
function sessionCopy(name: string): string {
  const dir = join(work, name);
  cpSync(join(FIXTURES, 'session'), dir, { recursive: true });
  return dir;
}

beforeAll(() => {
  const r = ok(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO }), 'npm pack');
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info.filename);
  packed = info.files.map((f) => f.path);
  ok(sh('npm', ['install', '--global', '--prefix', prefix, tarball], { cwd: work }), 'npm install -g --prefix');
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships what runs and nothing of the build', () => {
    for (const path of ['package.json', 'README.md', 'LICENSE', 'bin/portlint.js', 'dist/portlint.js', 'dist/portlint.mjs', 'dist/vendor/ajv.js', 'dist/THIRD-PARTY-LICENSES.txt', 'dist/types/src/api.d.ts', 'schemas/portlintrc.schema.json']) {
      expect(packed).toContain(path);
    }
    expect(packed).toContain(`dist/code-cache/${process.version}-${process.arch}.bin`);
    const stray = packed.filter((p) => /^(src|rules|test|fixtures|scripts|bench|node_modules|dist\/src|dist\/rules)\//.test(p) || /^tsconfig|^\.ci|^vitest/.test(p));
    expect(stray).toEqual([]);
  });

  it('ships every rule page the command line links to', () => {
    const missing = catalogue.map((rule) => rule.meta.docs).filter((docs) => !packed.includes(docs));
    expect(missing).toEqual([]);
  });

  it('declares no runtime dependency, a bin, engines and exports', () => {
    const pkg = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bin).toEqual({ portlint: 'bin/portlint.js' });
    expect(pkg.engines.node).toBe('>=20.19');
    expect(Object.keys(pkg.exports['.'])).toEqual(['types', 'import', 'default']);
  });
});

describe('installed globally from the tarball (npm install -g --prefix)', () => {
  it('installed no other package', () => {
    expect(existsSync(join(installedDir, 'node_modules'))).toBe(false);
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['portlint']);
    expect(lstatSync(installedBin).isSymbolicLink()).toBe(true);
  });

  it('portlint --version', () => {
    const r = ok(sh(installedBin, ['--version'], { cwd: work }), 'portlint --version');
    expect(r.stdout.trim()).toBe(PACKAGE.version);
  });

  it('checks a project: the README session, in every format the CI integrations read', () => {
    const dir = sessionCopy('session-global');
    const r = sh(installedBin, ['check'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/3 problems \(2 errors, 1 warning/);
    const sarif = JSON.parse(sh(installedBin, ['check', '--format', 'sarif'], { cwd: dir }).stdout);
    expect(sarif.runs[0].results).toHaveLength(3);
    // The rule pages travel with the package: SARIF carries their text.
    const rules = sarif.runs[0].tool.driver.rules as { id: string; help: { markdown: string } }[];
    expect(rules.find((r) => r.id === 'exposure/unbound-publish')?.help.markdown).toMatch(/127\.0\.0\.1/);
  });

  it('validates a configuration file with the vendored ajv', () => {
    const dir = sessionCopy('session-bad-config');
    writeFileSync(join(dir, '.portlintrc.yaml'), 'rules:\n  exposure/unbound-publish: loud\n');
    const r = sh(installedBin, ['check'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.portlintrc\.yaml:2:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('portlint init writes a starter configuration that the next check uses', () => {
    const dir = sessionCopy('session-init');
    ok(sh(installedBin, ['init'], { cwd: dir }), 'portlint init');
    const config = readFileSync(join(dir, '.portlintrc.yaml'), 'utf8');
    expect(config).toMatch(/exposure\/unbound-publish/);
    const r = sh(installedBin, ['check', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
  });

  it('writes no code cache of its own: the shipped one fits this Node.js', () => {
    const tmp = join(work, 'tmp-cache-check');
    mkdirSync(tmp);
    ok(sh(installedBin, ['--version'], { cwd: work, env: { ...npmEnv, TMPDIR: tmp } }), 'portlint --version');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('portlint lsp: the vendored protocol packages answer, the session gets its diagnostics', async () => {
    const dir = sessionCopy('lsp-session');
    const client = new LspClient(installedBin, { cwd: dir });
    try {
      expect((await client.initialize(dir)).serverInfo).toEqual({ name: 'portlint', version: PACKAGE.version });
      const file = join(dir, 'compose.yaml');
      await client.open(file, readFileSync(file, 'utf8'));
      expect((await client.diagnostics(file)).diagnostics).toHaveLength(3);
    } finally {
      expect(await client.stop()).toBe(0);
    }
  });
});

describeDocker('the installed package against the test engine', engineProblem(), () => {
  it('portlint audit', () => {
    const r = sh(installedBin, ['audit', '--format', 'json'], { cwd: work });
    expect([0, 1]).toContain(r.status);
    const report = JSON.parse(r.stdout);
    expect(report.engines[0].version).toMatch(/^\d+\.\d+/);
    expect(r.stderr).toBe('');
  });
});

describe('npx --yes ./portlint-<version>.tgz', () => {
  it('runs the command from the tarball', () => {
    const dir = sessionCopy('session-npx');
    cpSync(tarball, join(dir, 'portlint.tgz'));
    const version = ok(sh('npx', ['--yes', './portlint.tgz', '--version'], { cwd: dir }), 'npx --version');
    expect(version.stdout.trim()).toBe(PACKAGE.version);
    const r = sh('npx', ['--yes', './portlint.tgz', 'check', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings).toHaveLength(3);
  });
});

describe('the programmatic API from the installed package', () => {
  const consumer = join(work, 'consumer');
  beforeAll(() => {
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    ok(sh('npm', ['install', tarball], { cwd: consumer }), 'npm install <tarball>');
    cpSync(join(FIXTURES, 'session'), join(consumer, 'session'), { recursive: true });
  }, 300_000);

  const script = (body: string) => `const s = lint({ cwd: 'session' });\nconst p = loadProject({ cwd: 'session' });\n${body}\nconsole.log(JSON.stringify({ version, findings: s.findings.length, rules: s.findings.map((f) => f.ruleId).sort(), bindings: p.projects[0].bindings.length, error: err }));\n`;
  const caught = "let err; try { lint({ platform: 'solaris' }); } catch (e) { err = e instanceof PortlintError ? e.message : 'other'; }";

  function expectSameAsCommandLine(stdout: string) {
    const out = JSON.parse(stdout);
    const cli = JSON.parse(sh(installedBin, ['check', '--format', 'json'], { cwd: join(consumer, 'session') }).stdout);
    expect(out.version).toBe(PACKAGE.version);
    expect(out.findings).toBe(cli.findings.length);
    expect(out.rules).toEqual(cli.findings.map((f: { ruleId: string }) => f.ruleId).sort());
    expect(out.bindings).toBeGreaterThan(0);
    expect(out.error).toMatch(/platform must be one of/);
  }

  it('import { lint, loadProject } from "portlint" (ESM)', () => {
    writeFileSync(join(consumer, 'esm.mjs'), `import { lint, loadProject, version, PortlintError } from 'portlint';\n${script(caught)}`);
    expectSameAsCommandLine(ok(sh(process.execPath, ['esm.mjs'], { cwd: consumer }), 'ESM consumer').stdout);
  });

  it('require("portlint") (CommonJS)', () => {
    writeFileSync(join(consumer, 'cjs.cjs'), `const { lint, loadProject, version, PortlintError } = require('portlint');\n${script(caught)}`);
    expectSameAsCommandLine(ok(sh(process.execPath, ['cjs.cjs'], { cwd: consumer }), 'CommonJS consumer').stdout);
  });

  it('TypeScript sees the types: a right consumer compiles, a wrong one does not', () => {
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, types: [] }, include: ['*.mts'] }));
    writeFileSync(join(consumer, 'good.mts'), "import { lint, type LintReport, type LintFinding } from 'portlint';\nconst r: LintReport = lint({ cwd: 'session', rules: { 'exposure/unbound-publish': 'error' } });\nconst f: LintFinding | undefined = r.findings[0];\nexport const where: string | undefined = f?.file;\n");
    const good = sh(process.execPath, [tsc, '-p', '.'], { cwd: consumer });
    expect(good.stdout + good.stderr).toBe('');
    writeFileSync(join(consumer, 'bad.mts'), "import { lint } from 'portlint';\nlint({ platform: 'solaris' });\n");
    const bad = sh(process.execPath, [tsc, '-p', '.'], { cwd: consumer });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/bad\.mts.*'"solaris"' is not assignable/);
  });
});
