/**
 * `npm run build` also writes dist/portlint.js, the CLI in one file, which bin/portlint.js
 * prefers because it starts faster. It must behave exactly like the compiled modules.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, portableBinary, REPO, run, runAsync } from './helpers';

const BUNDLE = join(REPO, 'dist', 'portlint.js');
const MODULES = join(REPO, 'dist', 'src', 'cli', 'main.js');
const fresh = existsSync(BUNDLE) && existsSync(MODULES) && statSync(BUNDLE).mtimeMs >= statSync(MODULES).mtimeMs;

describe.skipIf(!fresh)('the bundled CLI', () => {
  it.each([
    ['check', '--format', 'json', FIXTURES],
    ['ports', '--format', 'json', FIXTURES],
    ['check', join(FIXTURES, 'formats', 'broken')],
    ['rules', '--format', 'json'],
    ['--version'],
  ])('gives the same output and exit code as the modules: %s %s', (...args) => {
    const bundled = run(args);
    const modules = run(args, { env: { PORTLINT_NO_BUNDLE: '1' } });
    expect(bundled).toEqual(modules);
  });
});

describe.skipIf(!fresh)('the V8 code cache of the bundle', () => {
  const work = mkdtempSync(join(tmpdir(), 'portlint-code-cache-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const args = ['check', '--format', 'json', join(FIXTURES, 'session')];
  const uid = process.getuid?.() ?? 'user';

  /** A copy of the binary without the shipped cache, and a temporary directory of its own. */
  function setup(name: string) {
    const root = join(work, name);
    const bin = portableBinary(root);
    const tmp = join(root, 'tmp');
    mkdirSync(tmp);
    const runIt = () => runAsync(args, { bin, env: { TMPDIR: tmp } });
    return { root, bin, tmp, cacheDir: join(tmp, `portlint-code-cache-${uid}`), runIt };
  }
  const expected = () => run(args, { env: { PORTLINT_CODE_CACHE: 'off' } });

  it('ships a cache for the Node.js that built it, and uses it: no cache of the user is written', async () => {
    expect(existsSync(join(REPO, 'dist', 'code-cache', `${process.version}-${process.arch}.bin`))).toBe(true);
    const { root, bin, tmp } = setup('shipped');
    cpSync(join(REPO, 'dist', 'code-cache'), join(root, 'dist', 'code-cache'), { recursive: true });
    const r = await runAsync(args, { bin, env: { TMPDIR: tmp } });
    expect(r).toEqual(expected());
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('without a shipped cache, the first run writes one to a private folder and later runs read it unchanged', async () => {
    const { cacheDir, runIt } = setup('user');
    expect(await runIt()).toEqual(expected());
    const [file] = readdirSync(cacheDir);
    expect(file).toMatch(new RegExp(`-${process.version}-${process.arch}\\.bin$`));
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheDir, file)).mode & 0o777).toBe(0o600);
    const written = statSync(join(cacheDir, file));
    expect(await runIt()).toEqual(expected());
    const again = statSync(join(cacheDir, file));
    expect([again.ino, again.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
    expect(readdirSync(cacheDir)).toEqual([file]);
  });

  it('a corrupt cache is rejected by V8: the run is right and replaces it', async () => {
    const { cacheDir, runIt } = setup('corrupt');
    await runIt();
    const [file] = readdirSync(cacheDir);
    const garbage = Buffer.alloc(statSync(join(cacheDir, file)).size, 0x5a);
    writeFileSync(join(cacheDir, file), garbage);
    expect(await runIt()).toEqual(expected());
    expect(readFileSync(join(cacheDir, file)).equals(garbage)).toBe(false);
  });

  it("a run large enough to raise V8's interrupt budget writes no cache (its flags are not the next run's); a small run does", async () => {
    const { root, bin, tmp, cacheDir, runIt } = setup('budget');
    // More than the 16 kB of input after which src/util/interrupt-budget.ts raises the budget.
    const services = Array.from({ length: 400 }, (_, i) => `  web${i}:\n    image: nginx:1.27\n    ports:\n      - "127.0.0.1:${10000 + i}:80"\n`);
    const large = join(root, 'large');
    mkdirSync(large);
    writeFileSync(join(large, 'compose.yaml'), `services:\n${services.join('')}`);
    expect(statSync(join(large, 'compose.yaml')).size).toBeGreaterThan(16 * 1024);
    const r = await runAsync(['check', '--no-config', large], { bin, env: { TMPDIR: tmp } });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
    await runIt();
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it('a cache folder others may write is not used', async () => {
    const { cacheDir, runIt } = setup('shared');
    mkdirSync(cacheDir);
    chmodSync(cacheDir, 0o777);
    expect(await runIt()).toEqual(expected());
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
