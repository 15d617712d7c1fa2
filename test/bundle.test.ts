/**
 * `npm run build` also writes dist/portlint.js, the CLI in one file, which bin/portlint.js
 * prefers because it starts faster. It must behave exactly like the compiled modules.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, REPO, run } from './helpers';

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
