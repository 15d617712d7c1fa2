/**
 * --fix and --fix-dry-run through the real binary, on temporary copies of fixtures/fix: every
 * form of entry the two fixable rules rewrite, what must not be rewritten, line endings,
 * idempotence, the diff, and the writer's protection against files that changed on disk.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, lstatSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../rules';
import { runRules } from '../src/engine/run';
import { loadProjects } from '../src/load';
import { runFix } from '../src/cli/fix';
import { applyEdits } from '../src/fix/edits';
import { unifiedDiff } from '../src/fix/diff';
import { splitShortSpec } from '../src/fix/port-fixes';
import { writeFixedFile, FixWriteError } from '../src/fix/write';
import type { FileCache } from '../src/load/project';
import { FIXTURES, run, tempProject } from './helpers';

/** A fresh copy of fixtures/fix/<name> in a temporary folder. */
function copy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'portlint-fix-'));
  cpSync(join(FIXTURES, 'fix', name), dir, { recursive: true });
  return dir;
}

const read = (dir: string, file = 'compose.yaml') => readFileSync(join(dir, file), 'utf8');

/** Applies exact, unique text replacements: the expected file is the original with only these scalars changed. */
function replaced(text: string, pairs: Array<[string, string]>): string {
  let out = text;
  for (const [from, to] of pairs) {
    expect(out.split(from).length - 1, `"${from}" occurs once`).toBe(1);
    out = out.replace(from, to);
  }
  return out;
}

const SHORT: Array<[string, string]> = [
  ['"8080:80"', '"127.0.0.1:8080:80"'],
  ["'8443:443'", "'127.0.0.1:8443:443'"],
  ['"9000"', '"127.0.0.1::9000"'],
  ['":8081:81"', '"127.0.0.1:8081:81"'],
  ['"[]:8082:82"', '"127.0.0.1:8082:82"'],
  ['- 8083:83 ', '- 127.0.0.1:8083:83 '],
  ['- 80 ', '- "127.0.0.1::80" '],
  ['- 0120 ', '- "127.0.0.1::80" '],
  ['"8000-8002:8000-8002/udp"', '"127.0.0.1:8000-8002:8000-8002/udp"'],
  ['["8090:90", 8091:91]', '["127.0.0.1:8090:90", 127.0.0.1:8091:91]'],
];

const LONG: Array<[string, string]> = [
  ['published: 3000   # the API\n        protocol: tcp\n', 'published: 3000   # the API\n        protocol: tcp\n        host_ip: 127.0.0.1\n'],
  ['{ target: 3001, published: 3001 }', '{ target: 3001, published: 3001, host_ip: 127.0.0.1 }'],
  ['{target: 3002, published: "3002",}', '{target: 3002, published: "3002", host_ip: 127.0.0.1,}'],
  ['          target: 3003,', '          host_ip: 127.0.0.1, target: 3003,'],
  ['does not stop the fix\n', 'does not stop the fix\n        host_ip: 127.0.0.1\n'],
  ['      published: 4000\n', '      published: 4000\n      host_ip: 127.0.0.1\n'],
];

interface PortsJson {
  projects: Array<{ name: string; bindings: Array<{ service: string; hostIp: string; hostPort: string; containerPort: number; protocol: string }> }>;
}

function bindings(dir: string, extra: string[] = []) {
  const r = run(['ports', '--format', 'json', ...extra], { cwd: dir });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as PortsJson;
  return out.projects.flatMap((p) => p.bindings.map((b) => ({ service: b.service, hostIp: b.hostIp, hostPort: b.hostPort, containerPort: b.containerPort, protocol: b.protocol })));
}

describe('--fix: exposure/unbound-publish, short syntax', () => {
  it('puts 127.0.0.1 inside each entry, keeping quotes, comments and spacing; a number becomes a string', () => {
    const dir = copy('short');
    const before = read(dir);
    const r = run(['--fix'], { cwd: dir });
    expect(r.stderr).toContain('portlint: fixed 11 entries in 1 file');
    expect(read(dir)).toBe(replaced(before, SHORT));
    // The findings shown are those of the fixed file: no unbound entry is left.
    expect(r.stdout).not.toContain('exposure/unbound-publish');
    expect(r.stdout).not.toContain('syntax/yaml11-number');
    expect(r.status).toBe(0);
  });

  it('changes the host IP only: same host ports, container ports and protocols', () => {
    const dir = copy('short');
    const before = bindings(dir);
    expect(before.every((b) => b.hostIp === '')).toBe(false);
    run(['--fix'], { cwd: dir });
    const after = bindings(dir);
    expect(after.map((b) => ({ ...b, hostIp: '' }))).toEqual(before.map((b) => ({ ...b, hostIp: '' })));
    expect(after.every((b) => b.hostIp === '127.0.0.1')).toBe(true);
  });

  it('splits entries on the colons between parts only (variables with defaults, IPv6 brackets)', () => {
    expect(splitShortSpec('${PORT:-8080}:80').map((p) => p.text)).toEqual(['${PORT:-8080}', '80']);
    expect(splitShortSpec('[::1]:8080:80/udp').map((p) => p.text)).toEqual(['[::1]', '8080', '80/udp']);
    expect(splitShortSpec('$${X}:80').map((p) => p.text)).toEqual(['$${X}', '80']);
  });
});

describe('--fix: exposure/unbound-publish, long syntax', () => {
  it('adds host_ip with the mapping indentation (block) or as a key (flow)', () => {
    const dir = copy('long');
    const before = read(dir);
    const r = run(['--fix'], { cwd: dir });
    expect(r.stderr).toContain('portlint: fixed 6 entries in 1 file');
    expect(read(dir)).toBe(replaced(before, LONG));
    expect(r.stdout).not.toContain('exposure/unbound-publish');
    expect(r.status).toBe(0);
    expect(bindings(dir).every((b) => b.hostIp === '127.0.0.1')).toBe(true);
  });
});

describe('--fix keeps line endings', () => {
  it('a CRLF file stays CRLF, inserted lines included', () => {
    for (const [name, pairs] of [
      ['short', SHORT],
      ['long', LONG],
    ] as const) {
      const dir = copy(name);
      const lf = read(dir);
      const crlf = lf.replace(/\n/g, '\r\n');
      writeFileSync(join(dir, 'compose.yaml'), crlf);
      run(['--fix'], { cwd: dir });
      const after = read(dir);
      expect(after).toBe(replaced(lf, pairs).replace(/\n/g, '\r\n'));
      expect(/[^\r]\n/.test(after)).toBe(false);
    }
  });

  it('a file without a final newline keeps it that way', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports:\n      - target: 80\n        published: 8080' });
    run(['--fix'], { cwd: dir });
    expect(read(dir)).toBe('services:\n  web:\n    image: nginx\n    ports:\n      - target: 80\n        published: 8080\n        host_ip: 127.0.0.1');
  });
});

describe('--fix: anchors', () => {
  it('an entry shared through an anchor is fixed once, at the anchor; the aliases stay', () => {
    const dir = copy('anchor');
    const before = read(dir);
    const r = run(['--fix', '--profile', 'green'], { cwd: dir });
    expect(r.stderr).toContain('portlint: fixed 2 entries in 1 file');
    expect(read(dir)).toBe(
      replaced(before, [
        ['&web-port "8080:80"', '&web-port "127.0.0.1:8080:80"'],
        ['  published: 9100\n', '  published: 9100\n  host_ip: 127.0.0.1\n'],
      ]),
    );
    const after = bindings(dir, ['--profile', 'green']);
    expect(after.map((b) => `${b.service} ${b.hostIp}:${b.hostPort}:${b.containerPort}`).sort()).toEqual([
      'blue 127.0.0.1:8080:80',
      'blue 127.0.0.1:9100:9100',
      'green 127.0.0.1:8080:80',
      'green 127.0.0.1:9100:9100',
    ]);
  });
});

describe('--fix: a variable in the host part', () => {
  it('is not fixed, and the finding says why and where to bind it; other entries are fixed', () => {
    const dir = copy('variable');
    const before = read(dir);
    const r = run(['--fix'], { cwd: dir, env: { CACHE_BIND: undefined, SQL_PORT: undefined } });
    expect(read(dir)).toBe(replaced(before, [['"8080:80"', '"127.0.0.1:8080:80"']]));
    // The message gives the reason already: it is said once, and that it was not fixed.
    const sql = 'the host part comes from ${SQL_PORT}; put the address in its value, e.g. SQL_PORT=127.0.0.1:5432 in .env';
    const cache = 'the host IP comes from ${CACHE_BIND}; set CACHE_BIND=127.0.0.1 in .env, or give it a default: ${CACHE_BIND:-127.0.0.1}';
    // The databases' findings speak for the entry (exposure/unbound-publish folds in): the same advice, and its fix.
    expect(r.stdout).toContain(`${sql}, or drop the mapping (containers still reach db:5432) (not fixed automatically)  exposure/sensitive-port-public (also exposure/unbound-publish)`);
    expect(r.stdout).toContain(`${cache}, or drop the mapping (containers still reach cache:6379) (not fixed automatically)`);
    expect(r.stdout.split(sql).length - 1).toBe(1);
    expect(r.stdout.split(cache).length - 1).toBe(1);
    // PostgreSQL stays public: exposure/sensitive-port-public is an error.
    expect(r.status).toBe(1);
  });

  it('without --fix the message is unchanged', () => {
    const r = run([], { cwd: copy('variable'), env: { CACHE_BIND: undefined, SQL_PORT: undefined } });
    expect(r.stdout).not.toMatch(/not fixed automatically/i);
  });
});

describe('--fix: syntax/yaml11-number', () => {
  it('quotes the scalar with the value Compose v2 reads now, so no binding changes', () => {
    const dir = copy('yaml11');
    const before = read(dir);
    const ports = bindings(dir);
    const r = run(['--fix'], { cwd: dir });
    expect(r.stderr).toContain('portlint: fixed 3 entries in 1 file');
    expect(read(dir)).toBe(
      replaced(before, [
        ['- 22:22 ', '- "22:22" '],
        ['- 0120 ', '- "80" '],
        ['- 8_080 ', '- "8080" '],
      ]),
    );
    expect(r.stdout).not.toContain('syntax/yaml11-number');
    expect(bindings(dir)).toEqual(ports);
  });

  it('uses single quotes in a file whose entries are single-quoted', () => {
    const dir = tempProject({
      'compose.yaml': "services:\n  web:\n    image: nginx\n    ports:\n      - '127.0.0.1:8080:80'\n      - '127.0.0.1:8081:81'\n      - 9000\n",
    });
    run(['--fix'], { cwd: dir });
    expect(read(dir)).toBe("services:\n  web:\n    image: nginx\n    ports:\n      - '127.0.0.1:8080:80'\n      - '127.0.0.1:8081:81'\n      - '127.0.0.1::9000'\n");
  });
});

describe('--fix is idempotent', () => {
  for (const name of ['short', 'long', 'anchor', 'variable', 'yaml11']) {
    it(`a second --fix changes nothing (${name})`, () => {
      const dir = copy(name);
      run(['--fix'], { cwd: dir });
      const once = read(dir);
      const mtime = statSync(join(dir, 'compose.yaml')).mtimeMs;
      const r = run(['--fix'], { cwd: dir });
      expect(read(dir)).toBe(once);
      expect(statSync(join(dir, 'compose.yaml')).mtimeMs).toBe(mtime);
      expect(r.stderr).not.toContain('fixed');
      expect(run(['--fix-dry-run'], { cwd: dir }).stdout).toBe('');
    });
  }
});

describe('--fix-dry-run', () => {
  it('prints a unified diff that patch applies, and writes nothing', () => {
    const dir = copy('short');
    const before = read(dir);
    const r = run(['--fix-dry-run'], { cwd: dir });
    expect(read(dir)).toBe(before);
    expect(r.stdout.startsWith('--- a/compose.yaml\n+++ b/compose.yaml\n@@ -4,16 +4,16 @@\n')).toBe(true);
    expect(r.stdout).toContain('\n-      - "8080:80"      # double quotes\n');
    expect(r.stdout).toContain('\n+      - "127.0.0.1:8080:80"      # double quotes\n');
    expect(r.stderr).toContain('would fix 11 entries in 1 file; nothing was written');
    expect(r.status).toBe(0);
    // The patch gives exactly what --fix writes.
    const fixed = copy('short');
    run(['--fix'], { cwd: fixed });
    const p = spawnSync('patch', ['-p1', '--quiet'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
    expect(p.status, p.stderr + p.stdout).toBe(0);
    expect(read(dir)).toBe(read(fixed));
  });

  it('uses the paths relative to the working directory and names every changed file', () => {
    const root = mkdtempSync(join(tmpdir(), 'portlint-fix-'));
    cpSync(join(FIXTURES, 'fix', 'short'), join(root, 'a'), { recursive: true });
    cpSync(join(FIXTURES, 'fix', 'long'), join(root, 'b'), { recursive: true });
    const r = run(['--fix-dry-run', 'a', 'b'], { cwd: root });
    expect(r.stdout).toContain('--- a/a/compose.yaml\n+++ b/a/compose.yaml\n');
    expect(r.stdout).toContain('--- a/b/compose.yaml\n+++ b/b/compose.yaml\n');
    expect(r.stderr).toContain('would fix 17 entries in 2 files');
  });

  it('writes the report of what would remain to -o, in the format asked for', () => {
    const dir = copy('variable');
    const r = run(['--fix-dry-run', '--format', 'json', '-o', 'report.json'], { cwd: dir, env: { CACHE_BIND: undefined, SQL_PORT: undefined } });
    expect(r.stdout.startsWith('--- a/compose.yaml')).toBe(true);
    const report = JSON.parse(read(dir, 'report.json')) as { findings: Array<{ ruleId: string; message: string; line: number; also?: Array<{ ruleId: string }> }> };
    // Folded into the database findings of the same entries, which carry their fix (and say it was not made).
    const unbound = report.findings.filter((f) => f.also?.some((a) => a.ruleId === 'exposure/unbound-publish'));
    expect(unbound.map((f) => [f.line, f.ruleId])).toEqual([
      [6, 'exposure/sensitive-port-public'],
      [10, 'exposure/sensitive-port-public'],
    ]);
    expect(unbound.every((f) => /not fixed automatically/i.test(f.message))).toBe(true);
    expect(r.status).toBe(1);
  });

  it('diffs a last line without a newline with the usual marker', () => {
    const d = unifiedDiff('a\nb', 'a\nc', 'a/x', 'b/x');
    expect(d).toBe('--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
    expect(unifiedDiff('same\n', 'same\n', 'a/x', 'b/x')).toBe('');
  });

  it('splits distant changes into separate hunks', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`);
    const changed = [...lines];
    changed[1] = 'two\n';
    changed[27] = 'twenty-eight\n';
    const d = unifiedDiff(lines.join(''), changed.join(''), 'a/x', 'b/x');
    expect(d.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -25,6 +25,6 @@']);
  });
});

describe('--fix follows what is reported', () => {
  it('a suppressed finding is not fixed', () => {
    const dir = tempProject({
      'compose.yaml':
        'services:\n  web:\n    image: nginx\n    ports:\n      # portlint-disable-next-line exposure/unbound-publish -- the proxy\n      - "80:80"\n      - "8080:8080"\n',
    });
    run(['--fix'], { cwd: dir });
    expect(read(dir)).toBe(
      'services:\n  web:\n    image: nginx\n    ports:\n      # portlint-disable-next-line exposure/unbound-publish -- the proxy\n      - "80:80"\n      - "127.0.0.1:8080:8080"\n',
    );
  });

  it('a rule turned off fixes nothing; --quiet fixes only what errors report', () => {
    const text = 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n';
    const off = tempProject({ 'compose.yaml': text });
    run(['--fix', '--rule', 'exposure/unbound-publish=off'], { cwd: off });
    expect(read(off)).toBe(text);
    const quiet = tempProject({ 'compose.yaml': text });
    run(['--fix', '--quiet'], { cwd: quiet });
    expect(read(quiet)).toBe(text);
    const asError = tempProject({ 'compose.yaml': text });
    run(['--fix', '--quiet', '--rule', 'exposure/unbound-publish=error'], { cwd: asError });
    expect(read(asError)).toBe(text.replace('"8080:80"', '"127.0.0.1:8080:80"'));
  });

  it('an override file passed alone is fixed with its project loaded', () => {
    const dir = tempProject({
      'compose.yaml': 'services:\n  web:\n    image: nginx\n',
      'compose.override.yaml': 'services:\n  web:\n    ports:\n      - "8080:80"\n',
    });
    const r = run(['--fix', 'compose.override.yaml'], { cwd: dir });
    expect(r.stderr).toContain('fixed 1 entry in 1 file');
    expect(read(dir, 'compose.override.yaml')).toBe('services:\n  web:\n    ports:\n      - "127.0.0.1:8080:80"\n');
  });

  it('prints the report of what remains in the format asked for', () => {
    const dir = copy('variable');
    const r = run(['--fix', '--format', 'json'], { cwd: dir, env: { CACHE_BIND: undefined, SQL_PORT: undefined } });
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; also?: Array<{ ruleId: string }> }> };
    const remaining = report.findings.filter((f) => f.ruleId === 'exposure/unbound-publish' || f.also?.some((a) => a.ruleId === 'exposure/unbound-publish'));
    expect(remaining).toHaveLength(2);
  });
});

describe('--fix: exit codes and usage', () => {
  it('0 when what remains is clean, 1 with an error left, 2 for a usage error', () => {
    expect(run(['--fix'], { cwd: copy('long') }).status).toBe(0);
    expect(run(['--fix'], { cwd: copy('variable'), env: { CACHE_BIND: undefined, SQL_PORT: undefined } }).status).toBe(1);
    const both = run(['--fix', '--fix-dry-run'], { cwd: copy('long') });
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('use either --fix or --fix-dry-run');
    const stdin = run(['--fix', '--stdin'], { cwd: copy('long'), input: 'services: {}\n' });
    expect(stdin.status).toBe(2);
    expect(stdin.stderr).toContain('do not work with --stdin');
  });

  it('a file that does not load is reported (exit 2) and the others are still fixed', () => {
    const root = mkdtempSync(join(tmpdir(), 'portlint-fix-'));
    cpSync(join(FIXTURES, 'fix', 'long'), join(root, 'ok'), { recursive: true });
    tempProjectAt(join(root, 'broken'), { 'compose.yaml': 'services:\n  web: [\n' });
    const r = run(['--fix', 'ok', 'broken'], { cwd: root });
    expect(r.status).toBe(2);
    expect(read(join(root, 'ok'))).toContain('host_ip: 127.0.0.1');
    expect(read(join(root, 'broken'))).toBe('services:\n  web: [\n');
  });
});

function tempProjectAt(dir: string, files: Record<string, string>): void {
  cpSync(tempProject(files), dir, { recursive: true });
}

describe('the writer', () => {
  it('replaces the file atomically, keeping its mode; no temporary file is left', () => {
    const dir = tempProject({ 'compose.yaml': 'old\n' });
    const file = join(dir, 'compose.yaml');
    chmodSync(file, 0o640);
    writeFixedFile(file, 'new\n', { text: 'old\n', size: 4 });
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['compose.yaml']);
  });

  it('does not overwrite a file that changed on disk since it was read', () => {
    const dir = tempProject({ 'compose.yaml': 'old\n' });
    const file = join(dir, 'compose.yaml');
    writeFileSync(file, 'edited meanwhile\n');
    expect(() => writeFixedFile(file, 'new\n', { text: 'old\n', size: 4 })).toThrow(FixWriteError);
    expect(() => writeFixedFile(file, 'new\n', { text: 'old\n', size: 4 })).toThrow(/changed on disk since portlint read it/);
    expect(readFileSync(file, 'utf8')).toBe('edited meanwhile\n');
    // Same size, other content: still caught.
    writeFileSync(file, 'odd\n');
    expect(() => writeFixedFile(file, 'new\n', { text: 'old\n', size: 4 })).toThrow(/changed on disk/);
    expect(readdirSync(dir)).toEqual(['compose.yaml']);
  });

  it('writes through a symbolic link: the target changes, the link stays', () => {
    const dir = tempProject({ 'real.yaml': 'old\n' });
    symlinkSync(join(dir, 'real.yaml'), join(dir, 'compose.yaml'));
    writeFixedFile(join(dir, 'compose.yaml'), 'new\n', { text: 'old\n' });
    expect(lstatSync(join(dir, 'compose.yaml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'compose.yaml'))).toBe(join(dir, 'real.yaml'));
    expect(readFileSync(join(dir, 'real.yaml'), 'utf8')).toBe('new\n');
  });

  it('a file changed between reading and writing is reported and kept; the other files are still fixed', () => {
    const root = mkdtempSync(join(tmpdir(), 'portlint-fix-'));
    cpSync(join(FIXTURES, 'fix', 'short'), join(root, 'a'), { recursive: true });
    cpSync(join(FIXTURES, 'fix', 'long'), join(root, 'b'), { recursive: true });
    const a = join(root, 'a', 'compose.yaml');
    const lint = (cache: FileCache) => {
      const result = loadProjects({ cwd: root, env: {}, paths: [join(root, 'a'), join(root, 'b')], files: [], envFiles: [], profiles: [] }, cache);
      return { result, errors: result.errors, findings: runRules(result.projects, catalogue, { rules: {}, settings: { platform: 'all', rootless: false } }) };
    };
    const stderr: string[] = [];
    const outcome = runFix(lint, { dryRun: false, cwd: root, warn: (line) => stderr.push(line), beforeWrite: (file) => file === a && writeFileSync(a, read(join(root, 'a')) + '# edited meanwhile\n') });
    expect(outcome.failed).toBe(true);
    expect(read(join(root, 'a'))).toBe(readFileSync(join(FIXTURES, 'fix', 'short', 'compose.yaml'), 'utf8') + '# edited meanwhile\n');
    expect(read(join(root, 'b'))).toContain('host_ip: 127.0.0.1');
    expect(stderr.join('')).toContain('not fixed: a/compose.yaml: it changed on disk since portlint read it; run portlint --fix again');
    expect(stderr.join('')).toContain('fixed 6 entries in 1 file');
    // The report comes from the disk: a's findings are still there, b's are gone.
    const unbound = outcome.run.findings.filter((f) => f.ruleId === 'exposure/unbound-publish');
    expect(unbound.length).toBeGreaterThan(0);
    expect(unbound.every((f) => f.loc.file === a)).toBe(true);
  });
});

describe('--fix keeps the user\'s file whole', () => {
  const short = () => copy('short');
  const fixedShort = () => {
    const dir = short();
    run(['--fix'], { cwd: dir });
    return read(dir);
  };

  it('a read-only file is refused, unchanged, exit 2; the message says how to allow it', () => {
    const dir = short();
    const before = read(dir);
    chmodSync(join(dir, 'compose.yaml'), 0o444);
    const r = run(['--fix'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not fixed: compose.yaml: it is read-only; make it writable (chmod u+w) for --fix to change it');
    expect(read(dir)).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('portlint-tmp'))).toEqual([]);
  });

  it('a symbolic link whose target is read-only is refused too; the link stays a link', () => {
    const dir = short();
    symlinkSync(join(dir, 'compose.yaml'), join(dir, 'docker-compose.yml'));
    chmodSync(join(dir, 'compose.yaml'), 0o444);
    const r = run(['--fix', 'docker-compose.yml'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(lstatSync(join(dir, 'docker-compose.yml')).isSymbolicLink()).toBe(true);
  });

  it('two --fix runs at once: the file is only ever the old or the new full text, and ends fixed', async () => {
    const dir = short();
    const before = read(dir);
    const after = fixedShort();
    const { spawn } = await import('node:child_process');
    const start = () =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [join(__dirname, '..', 'bin', 'portlint.js'), '--fix'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
        child.on('close', (code) => resolve(code ?? -1));
      });
    const runs = Promise.all([start(), start(), start()]);
    let done = false;
    runs.then(() => (done = true));
    const seen = new Set<string>();
    while (!done) {
      seen.add(read(dir));
      await new Promise((r) => setImmediate(r));
    }
    const codes = await runs;
    seen.add(read(dir));
    expect([...seen].every((t) => t === before || t === after)).toBe(true);
    expect(read(dir)).toBe(after);
    expect(codes.every((c) => c === 0 || c === 1 || c === 2)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('portlint-tmp'))).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)('a full disk (a tiny tmpfs): the original stays whole, no temporary file is left, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portlint-full-'));
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    expect(mount.status, String(mount.stderr)).toBe(0);
    try {
      cpSync(join(FIXTURES, 'fix', 'short'), dir, { recursive: true });
      const before = read(dir);
      // Fill the file system: nothing is left for the temporary file.
      spawnSync('sh', ['-c', `dd if=/dev/zero of=${join(dir, 'filler')} bs=1k count=1024 2>/dev/null; true`]);
      const r = run(['--fix', 'compose.yaml'], { cwd: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/not fixed: compose\.yaml: cannot write it: .*ENOSPC/);
      expect(read(dir)).toBe(before);
      expect(readdirSync(dir).filter((f) => f.includes('portlint-tmp'))).toEqual([]);
    } finally {
      spawnSync('umount', [dir]);
    }
  });
});

describe('edits', () => {
  it('applies non-overlapping edits in one pass, identical ones once, and skips overlaps whole', () => {
    const r = applyEdits('abcdef', [
      { edits: [{ offset: 1, endOffset: 2, text: 'B' }] },
      { edits: [{ offset: 1, endOffset: 2, text: 'B' }] },
      { edits: [{ offset: 1, endOffset: 3, text: 'X' }] },
      { edits: [{ offset: 6, endOffset: 6, text: '!' }] },
      { edits: [{ offset: 4, endOffset: 4, text: '-' }, { offset: 0, endOffset: 1, text: 'A' }] },
    ]);
    expect(r.text).toBe('ABcd-ef!');
    expect(r.applied).toHaveLength(3);
    expect(r.skipped).toHaveLength(1);
  });
});
