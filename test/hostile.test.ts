/**
 * Hostile input, one test each, through the real binary: next to every hostile file lies an
 * ordinary project, which must still be checked. Each case states its outcome (a located error
 * or a result), its exit code, and bounds on time and peak memory (docs/hostile-input.md lists
 * what was measured). Nothing may crash, hang, print a stack trace or stop the other files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, portableBinary } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'portlint-hostile-'));
chmodSync(root, 0o755);
afterAll(() => {
  spawnSync('chmod', ['-R', 'u+rwX', root]);
  rmSync(root, { recursive: true, force: true });
});

const GOOD = 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n';
const rssHook = join(root, 'rss.js');
writeFileSync(rssHook, `process.on('exit', () => require('fs').writeFileSync(process.env.PORTLINT_RSS_OUT, String(process.resourceUsage().maxRSS)));\n`);
chmodSync(rssHook, 0o644);

let n = 0;
/** A case folder holding `hostile` (file name → content) and the ordinary project good/. */
function fixture(files: Record<string, string | Buffer>): string {
  const dir = join(root, `case${++n}`);
  mkdirSync(join(dir, 'good'), { recursive: true });
  writeFileSync(join(dir, 'good', 'compose.yaml'), GOOD);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
  seconds: number;
  rssMb: number;
}

/** The binary with a hard deadline (a hang fails the test), its time and peak RSS. */
function portlint(args: string[], cwd: string, opts: { uid?: number; bin?: string; deadline?: number } = {}): Promise<Outcome> {
  const out = join(root, `rss-${++n}.txt`);
  writeFileSync(out, '0');
  chmodSync(out, 0o666);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', rssHook, opts.bin ?? BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', PORTLINT_RSS_OUT: out }, uid: opts.uid, gid: opts.uid });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), (opts.deadline ?? 20) * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr, seconds: (Date.now() - started) / 1000, rssMb: Number(readFileSync(out, 'utf8')) / 1024 });
    });
  });
}

/** The outcome every case shares: an exit code of the contract, no trace, good/ still checked, the bounds. */
function expectHandled(r: Outcome, status: number, bounds: { seconds: number; mb: number }): void {
  expect(r.status, r.stderr + r.stdout.slice(0, 2000)).toBe(status);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(r.stdout).toContain('good/compose.yaml\n  4:13  warning  web  publishes port 8080 on every interface');
  expect(r.seconds, 'time').toBeLessThan(bounds.seconds);
  expect(r.rssMb, 'peak RSS (MB)').toBeLessThan(bounds.mb);
}

/** "a\n  <line>:<column>  error  <message>" of the stylish report, for one file. */
const located = (r: Outcome, file: string) => new RegExp(`${file.replace(/[.]/g, '\\.')}\\n  \\d+:\\d+  error  `).test(r.stdout);

function bomb(flow: boolean): string {
  const lines = flow ? ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] : [`a0: &a0\n${'  - lol\n'.repeat(9).trimEnd()}`];
  for (let i = 1; i < 10; i++) lines.push(flow ? `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]` : `a${i}: &a${i}\n${Array(9).fill(`  - *a${i - 1}`).join('\n')}`);
  return `${lines.join('\n')}\nservices:\n  web:\n    image: x\n    ports: *a9\n`;
}

describe('hostile input: each a located error or a result, bounded, the other files still checked', () => {
  it('alias bombs (a billion laughs): the library path (flow) and the fast reader path (block)', async () => {
    for (const flow of [true, false]) {
      const dir = fixture({ 'bomb/compose.yaml': bomb(flow) });
      const r = await portlint(['check', '.'], dir);
      expectHandled(r, 1, { seconds: 5, mb: 200 });
      expect(located(r, 'bomb/compose.yaml')).toBe(true);
    }
  });

  it('nesting 10,000 deep in flow style and in compact lists, 3,000 deep by indentation', async () => {
    const head = 'services:\n  web:\n    image: x\nx-deep:\n';
    let indented = head;
    for (let i = 0; i < 3000; i++) indented += `${' '.repeat(i + 1)}k${i}:\n`;
    const dir = fixture({
      'flow/compose.yaml': `${head}  ${'['.repeat(10000)}${']'.repeat(10000)}\n`,
      'list/compose.yaml': `${head}  ${'- '.repeat(10000)}x\n`,
      'indented/compose.yaml': indented,
    });
    const r = await portlint(['check', '.'], dir);
    expectHandled(r, 2, { seconds: 5, mb: 300 });
    for (const file of ['flow', 'list']) expect(r.stdout).toMatch(new RegExp(`${file}/compose\\.yaml\\n  5:\\d+  error  nested deeper than portlint reads`));
    expect(r.stdout).toContain('indented/compose.yaml\n  3004:1  error  nested deeper than portlint reads: a compose file needs a few levels, not thousands');
  });

  it('a 50 MB file is refused with its size; a 10 MB single line is read', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    Buffer.from('services:\n  web:\n    image: x\n').copy(big);
    const line = `services:\n  web:\n    image: x\n    command: "${'y'.repeat(10 * 1024 * 1024)}"\n    ports: ["127.0.0.1:9090:90"]\n`;
    const dir = fixture({ 'big/compose.yaml': big, 'line/compose.yaml': line });
    const r = await portlint(['check', '.'], dir);
    expectHandled(r, 2, { seconds: 5, mb: 250 });
    expect(r.stdout).toContain('it is 50 MB, more than the 32 MB portlint reads');
    expect(r.stdout).not.toMatch(/line\/compose\.yaml\n/);
  });

  it('a binary file named compose.yaml', async () => {
    const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + 13) % 256));
    const dir = fixture({ 'bin/compose.yaml': bytes });
    const r = await portlint(['check', '.'], dir);
    expectHandled(r, 2, { seconds: 5, mb: 200 });
    // Where docker compose stops too ("yaml: invalid leading UTF-8 octet"): the second byte, 0xFC.
    expect(r.stdout).toContain('bin/compose.yaml\n  1:2  error  not valid YAML: invalid UTF-8 (the byte 0xFC)');
  });

  it('encodings as go-yaml reads them: UTF-16 and UTF-8 byte order marks and CRLF are read; invalid UTF-8, a lone surrogate and control characters are located errors', async () => {
    const ports = { le: 8081, be: 8082, bom: 8083, crlf: 8084 };
    const text = (d: keyof typeof ports) => `services:\n  web:\n    image: x\n    ports: ["${ports[d]}:80"]\n`;
    const utf16 = (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);
    const dir = fixture({
      'le/compose.yaml': utf16(text('le')),
      'be/compose.yaml': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text('be'), 'utf16le').swap16()]),
      'bom/compose.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text('bom'))]),
      'crlf/compose.yaml': text('crlf').replace(/\n/g, '\r\n'),
      // A real U+FFFD first: the invalid byte after it is still found at its own column.
      'u8/compose.yaml': Buffer.concat([Buffer.from('services:\n  web:\n    image: "x\ufffd'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]),
      'surrogate/compose.yaml': utf16('services:\n  web:\n    image: "x\ud800"\n'),
      'control/compose.yaml': 'services:\n  web:\n    image: x\x7f\n',
    });
    const r = await portlint(['check', '.'], dir);
    expectHandled(r, 2, { seconds: 5, mb: 200 });
    for (const d of ['le', 'be', 'bom', 'crlf'] as const) expect(r.stdout, d).toContain(`${d}/compose.yaml\n  4:13  warning  web  publishes port ${ports[d]} on every interface`);
    expect(r.stdout).toContain('u8/compose.yaml\n  3:15  error  not valid YAML: invalid UTF-8 (the byte 0xFF)');
    expect(r.stdout).toContain('surrogate/compose.yaml\n  3:14  error  not valid YAML: control characters are not allowed (U+D800)');
    expect(r.stdout).toContain('control/compose.yaml\n  3:13  error  not valid YAML: control characters are not allowed (U+007F)');
    // Standard input is decoded as a file is.
    const piped = spawnSync(process.execPath, [BIN, 'check', '--stdin'], { cwd: dir, input: readFileSync(join(dir, 'u8', 'compose.yaml')), env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(piped.status).toBe(2);
    expect(piped.stdout).toContain('compose.yaml\n  3:15  error  not valid YAML: invalid UTF-8 (the byte 0xFF)');
  });

  it('a FIFO and a device named like compose files: refused at once, never read', async () => {
    const dir = fixture({});
    spawnSync('mkfifo', [join(dir, 'compose.yaml')]);
    const r = await portlint(['check', '-f', '/dev/zero'], dir, { deadline: 10 });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('/dev/zero\n  0:0  error  cannot read /dev/zero: it is a device, not a file portlint reads');
    const listed = await portlint(['check', 'compose.yaml', 'good'], dir, { deadline: 10 });
    expectHandled(listed, 2, { seconds: 5, mb: 200 });
    expect(listed.stdout).toContain(`cannot read ${join(dir, 'compose.yaml')}: it is a FIFO, not a file portlint reads`);
    // Searching a folder, a FIFO is no file: it is not opened at all.
    expectHandled(await portlint(['check', '.'], dir, { deadline: 10 }), 0, { seconds: 5, mb: 200 });
  });

  it('symbolic link loops and a folder linked into itself', async () => {
    const dir = fixture({});
    mkdirSync(join(dir, 'loop'));
    symlinkSync('.', join(dir, 'loop', 'again'));
    symlinkSync('a', join(dir, 'loop', 'b'));
    symlinkSync('b', join(dir, 'loop', 'a'));
    symlinkSync('missing', join(dir, 'loop', 'compose.yaml'));
    expectHandled(await portlint(['check', '.'], dir), 0, { seconds: 5, mb: 200 });
  });

  it('unreadable files and folders, run as an unprivileged user', async () => {
    const dir = fixture({ 'open/docker-compose.prod.yml': 'services:\n  a:\n    image: x\n', 'locked/compose.yaml': GOOD });
    chmodSync(join(dir, 'open', 'docker-compose.prod.yml'), 0o000);
    chmodSync(join(dir, 'locked'), 0o000);
    const asRoot = process.getuid?.() === 0;
    const r = await portlint(['check', '.'], dir, asRoot ? { uid: 65534, bin: portableBinary(join(root, 'portable')) } : {});
    expectHandled(r, 2, { seconds: 5, mb: 200 });
    expect(r.stdout).toContain(`cannot read the folder ${join(dir, 'locked')}: permission denied`);
    expect(r.stdout).toContain(`cannot read ${join(dir, 'open', 'docker-compose.prod.yml')}: permission denied`);
  });

  it('circular extends and include, a file that includes itself, extends 1,000 deep', async () => {
    let chain = 'services:\n';
    for (let i = 0; i < 1000; i++) chain += `  s${i}:\n    extends: s${i + 1}\n`;
    chain += '  s1000:\n    image: x\n    ports: ["127.0.0.1:9100:80"]\n';
    const dir = fixture({
      'ext/compose.yaml': 'services:\n  a:\n    extends: b\n    ports: ["127.0.0.1:9001:80"]\n  b:\n    extends: a\n',
      'inc/compose.yaml': 'include:\n  - other.yaml\nservices:\n  a:\n    image: x\n',
      'inc/other.yaml': 'include:\n  - compose.yaml\nservices:\n  b:\n    image: x\n',
      'self/compose.yaml': 'include:\n  - compose.yaml\nservices:\n  a:\n    image: x\n',
      'deep/compose.yaml': chain,
    });
    const r = await portlint(['check', '.', '--format', 'json'], dir);
    expect(r.status, r.stderr).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ ruleId: string; file: string; line: number; message: string }>;
    // Compose refuses the cycle; its members inherit nothing from each other, so no collision between them.
    expect(findings.filter((f) => f.file === 'ext/compose.yaml').map((f) => f.message)).toEqual(['circular reference in extends: a -> b -> a']);
    expect(findings.filter((f) => f.file === 'inc/other.yaml').map((f) => f.message)).toEqual(['include cycle: inc/compose.yaml -> inc/other.yaml -> inc/compose.yaml']);
    expect(findings.filter((f) => f.file === 'self/compose.yaml').map((f) => f.message)).toEqual(['include cycle: self/compose.yaml includes itself']);
    // 1,001 services inherit 127.0.0.1:9100: each later one collides with the first.
    expect(findings.filter((f) => f.file === 'deep/compose.yaml' && f.ruleId === 'collision/host-port')).toHaveLength(1000);
    expect(r.seconds).toBeLessThan(5);
    expect(r.rssMb).toBeLessThan(300);
  });

  it('interpolation nested 10,000 deep: a located error', async () => {
    const dir = fixture({ 'interp/compose.yaml': `services:\n  web:\n    image: x\n    ports: ["${'${A:-'.repeat(10000)}8080${'}'.repeat(10000)}:80"]\n` });
    const r = await portlint(['check', '.'], dir);
    expectHandled(r, 1, { seconds: 5, mb: 200 });
    expect(r.stdout).toContain('interp/compose.yaml\n  4:13  error  web  interpolation nested more than 500 defaults deep in services.web.ports.[]; portlint does not follow it  syntax/invalid-port');
  });

  it('100,000 port entries', async () => {
    const lines = Array.from({ length: 100_000 }, (_, k) => `      - "127.0.0.1:${1 + (k % 65535)}:${1 + (k % 65535)}/${k < 65535 ? 'tcp' : 'udp'}"`);
    const dir = fixture({ 'many/compose.yaml': `services:\n  web:\n    image: x\n    ports:\n${lines.join('\n')}\n` });
    const r = await portlint(['check', '.', '--format', 'json'], dir, { deadline: 60 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.errors).toBe(0);
    expect(r.seconds).toBeLessThan(15);
    expect(r.rssMb).toBeLessThan(800);
  });

  it('a configuration file that is an alias bomb, or of the wrong types: exit 2, every problem located', async () => {
    const dir = fixture({ '.portlintrc.yaml': bomb(true).replace(/services:[\s\S]*/, 'ignore: *a9\n') });
    const r = await portlint(['check', '.'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.portlintrc\.yaml:1:1: not valid YAML: Excessive alias count/);
    writeFileSync(join(dir, '.portlintrc.yaml'), 'rules: 5\nplatform: [linux]\nignore: {a: 1}\n');
    const types = await portlint(['check', '.'], dir);
    expect(types.status).toBe(2);
    expect(types.stderr.split('\n').slice(1, 4)).toEqual(['.portlintrc.yaml:1:8: rules: must be a mapping', '.portlintrc.yaml:2:11: platform: must be a string', '.portlintrc.yaml:3:9: ignore: must be a list']);
    expect(types.stderr).not.toMatch(/\n\s+at /);
  });
});
