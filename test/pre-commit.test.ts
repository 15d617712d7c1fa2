/**
 * The pre-commit hook, run by the real `pre-commit` tool: `pre-commit try-repo` on a temporary
 * git repository built from the working tree (the hook files committed), against temporary
 * project repositories. pre-commit installs the hook the way users get it: `language: node`, so
 * `npm install` from the registry and the package's own build.
 *
 * Without pre-commit on PATH the suite is skipped, unless PORTLINT_REQUIRE_PRECOMMIT=1 (CI), where
 * a missing pre-commit is a failure.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, run, tempProject } from './helpers';

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const required = process.env.PORTLINT_REQUIRE_PRECOMMIT === '1';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'portlint test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'portlint test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, ...env } });
  return { status: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function git(cwd: string, ...args: string[]) {
  const r = sh('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], cwd);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}:\n${r.out}`);
  return r.out;
}

/** The files of the working tree that git would commit (tracked or not ignored), or a plain walk without git. */
function workingTreeFiles(): string[] {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' });
  if (r.status === 0) return r.stdout.split('\0').filter((f) => f && existsSync(join(REPO, f)) && statSync(join(REPO, f)).isFile());
  const out: string[] = [];
  const skip = new Set(['.git', 'node_modules', 'dist']);
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (skip.has(e.name)) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(REPO, p));
    }
  };
  walk(REPO);
  return out;
}

/** A git repository holding the working tree as one commit: what `pre-commit try-repo` installs from. */
function hookRepository(root: string): string {
  const dir = join(root, 'hook-repo');
  for (const f of workingTreeFiles()) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(REPO, f), join(dir, f));
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'portlint working tree');
  return dir;
}

/** A project repository with these files staged. */
function projectRepository(root: string, name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q');
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  git(dir, 'add', '-A');
  return dir;
}

const EXPOSED_DB = 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n';
const LOOPBACK_DB = 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "127.0.0.1:5432:5432"\n';

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
  const hook = hooks.find((h) => h.id === 'portlint')!;

  it('declares the portlint hook: node, entry portlint, file names passed together, serially', () => {
    expect(hook).toMatchObject({ id: 'portlint', language: 'node', entry: 'portlint', pass_filenames: true, require_serial: true });
  });

  it('matches every compose file name in any folder, and nothing else', () => {
    // pre-commit applies `files` with Python's re.search to repository-relative paths; this pattern means the same in JavaScript.
    const files = new RegExp(String(hook.files));
    const yes = [
      'compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml', 'compose.override.yaml', 'compose.override.yml',
      'docker-compose.override.yml', 'docker-compose.prod.yml', 'docker-compose-dev.yaml', 'compose.prod.yaml', 'compose-ci.yml',
      'app.compose.yaml', 'deploy/staging/compose.yaml', 'services/api/docker-compose.override.yaml', 'a/b/web.compose.yml',
    ];
    const no = ['composer.yaml', 'compose.json', 'mycompose.yaml', 'docker-compose.yml.bak', 'compose/README.md', 'ci/compose/values.yaml', '.github/workflows/ci.yml', 'compose.yaml/x.txt'];
    expect(yes.filter((f) => !files.test(f))).toEqual([]);
    expect(no.filter((f) => files.test(f))).toEqual([]);
  });
});

describe('the file lists pre-commit passes, grouped into projects (without pre-commit)', () => {
  const projects = (cwd: string, files: string[]) => {
    const r = run(['ports', '--format', 'json', ...files], { cwd });
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(r.stdout).projects as Array<{ files: string[] }>).map((p) => p.files);
  };
  const dir = () =>
    tempProject({
      'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "127.0.0.1:8080:80"\n',
      'compose.override.yaml': 'services:\n  web:\n    ports:\n      - "127.0.0.1:8443:443"\n',
      'deploy/docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n',
      'deploy/docker-compose.override.yml': 'services:\n  db:\n    ports:\n      - "127.0.0.1:5432:5432"\n',
      'deploy/docker-compose.prod.yml': 'services:\n  db:\n    image: postgres:16\n',
    });

  it('a base file and its override passed together are one project', () => {
    expect(projects(dir(), ['compose.yaml', 'compose.override.yaml'])).toEqual([['compose.yaml', 'compose.override.yaml']]);
  });

  it('an override passed alone brings in its base file, in a subfolder too', () => {
    expect(projects(dir(), ['compose.override.yaml'])).toEqual([['compose.yaml', 'compose.override.yaml']]);
    expect(projects(dir(), ['deploy/docker-compose.override.yml'])).toEqual([['deploy/docker-compose.yml', 'deploy/docker-compose.override.yml']]);
  });

  it('every staged compose file at once: one project per folder, other names alone', () => {
    const all = ['compose.override.yaml', 'compose.yaml', 'deploy/docker-compose.override.yml', 'deploy/docker-compose.prod.yml', 'deploy/docker-compose.yml'];
    expect(projects(dir(), all)).toEqual([
      ['compose.yaml', 'compose.override.yaml'],
      ['deploy/docker-compose.yml', 'deploy/docker-compose.override.yml'],
      ['deploy/docker-compose.prod.yml'],
    ]);
  });
});

const suite = hasPreCommit || required ? describe : describe.skip;

suite(hasPreCommit || required ? 'pre-commit with the real pre-commit' : 'pre-commit (skipped: pre-commit is not installed; set PORTLINT_REQUIRE_PRECOMMIT=1 to make this a failure)', () => {
  let root = '';
  let hookRepo = '';
  let exposed: { status: number; out: string };
  let clean: { status: number; out: string };
  // npm reuses what its cache already holds instead of asking the registry again for every package.
  const env = () => ({ PRE_COMMIT_HOME: join(root, 'pre-commit-home'), PRE_COMMIT_COLOR: 'never', NO_COLOR: '1', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' });
  /** A project that uses the hook from its .pre-commit-config.yaml, as users do. */
  const configured = (name: string, files: Record<string, string>) => {
    const rev = git(hookRepo, 'rev-parse', 'HEAD').trim();
    const config = `repos:\n  - repo: ${JSON.stringify(hookRepo)}\n    rev: ${rev}\n    hooks:\n      - id: portlint\n`;
    return projectRepository(root, name, { '.pre-commit-config.yaml': config, ...files });
  };
  const preCommit = (project: string, ...args: string[]) => sh('pre-commit', args, project, env());

  beforeAll(() => {
    if (!hasPreCommit) throw new Error('pre-commit is not installed (apt-get install pre-commit), and PORTLINT_REQUIRE_PRECOMMIT=1 asks for this test');
    root = mkdtempSync(join(tmpdir(), 'portlint-precommit-'));
    hookRepo = hookRepository(root);
    // try-repo installs the hook afresh each time, in a store of its own (npm install, then the build).
    const tryRepo = (project: string, ...args: string[]) => sh('pre-commit', ['try-repo', hookRepo, 'portlint', ...args], project, env());
    exposed = tryRepo(projectRepository(root, 'exposed', { 'compose.yaml': EXPOSED_DB }), '--files', 'compose.yaml');
    clean = tryRepo(projectRepository(root, 'clean', { 'compose.yaml': LOOPBACK_DB, 'README.md': '# app\n' }), '--all-files');
    // The configured projects below share one store: one more install, then every run reuses it.
    const installed = sh('pre-commit', ['install-hooks'], configured('warm-up', { 'compose.yaml': LOOPBACK_DB }), env());
    if (installed.status !== 0) throw new Error(`installing the hook failed:\n${installed.out}`);
  }, 900_000);

  // The store holds a node environment of its own: remove this run's folder, and only it.
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('try-repo: a commit with a database published on every interface fails, naming the finding', () => {
    expect(exposed.status, exposed.out).toBe(1);
    expect(exposed.out).toMatch(/portlint\.+Failed/);
    expect(exposed.out).toContain('exposure/sensitive-port-public');
    expect(exposed.out).toContain('compose.yaml');
  });

  it('try-repo: a clean commit passes', () => {
    expect(clean.status, clean.out).toBe(0);
    expect(clean.out).toMatch(/portlint\.+Passed/);
  });

  it('git commit through the installed hook: refused with an exposed database, accepted once it is bound to loopback', () => {
    const project = configured('commit', { 'compose.yaml': EXPOSED_DB });
    expect(preCommit(project, 'install').status).toBe(0);
    const refused = sh('git', ['commit', '-q', '-m', 'expose the database'], project, env());
    expect(refused.status, refused.out).not.toBe(0);
    expect(refused.out).toContain('exposure/sensitive-port-public');
    writeFileSync(join(project, 'compose.yaml'), LOOPBACK_DB);
    git(project, 'add', '-A');
    const accepted = sh('git', ['commit', '-q', '-m', 'database on loopback'], project, env());
    expect(accepted.status, accepted.out).toBe(0);
  }, 300_000);

  it('an override file passed alone is checked with the project it belongs to', () => {
    // Each file alone is fine; only together do web and api want the same host port.
    const project = configured('override', {
      'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "127.0.0.1:8080:80"\n',
      'compose.override.yaml': 'services:\n  api:\n    image: example/api\n    ports:\n      - "127.0.0.1:8080:3000"\n',
    });
    const r = preCommit(project, 'run', 'portlint', '--files', 'compose.override.yaml');
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain('collision/host-port');
    expect(r.out).toContain('compose.override.yaml');
  }, 300_000);

  it('files of one project passed together are one project; compose files in subfolders are found', () => {
    const project = configured('monorepo', {
      'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "127.0.0.1:8080:80"\n',
      'compose.override.yaml': 'services:\n  web:\n    ports:\n      - "127.0.0.1:8443:443"\n',
      'deploy/prod/docker-compose.prod.yml': EXPOSED_DB,
      'docs/compose-notes.md': '- "5432:5432"\n',
    });
    const r = preCommit(project, 'run', 'portlint', '--all-files');
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain('deploy/prod/docker-compose.prod.yml');
    expect(r.out).not.toContain('compose-notes.md');
    // compose.yaml and its override load once, as one project: no finding about them.
    expect(r.out).not.toMatch(/^compose(\.override)?\.yaml$/m);
  }, 300_000);
});
