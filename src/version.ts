import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The installed package's folder (it holds package.json, docs/ and schemas/): the nearest above this module. */
export function packageRoot(): string {
  for (let dir = __dirname; ; ) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(__dirname, '..', '..');
    dir = parent;
  }
}

/** Set by the build in the bundle (scripts/build.mjs), which then reads no package.json to start. */
declare const PORTLINT_BUNDLED_VERSION: string | undefined;

/** The package's version: the bundle's own, else package.json's (the sources and the modules). */
export const version: string =
  typeof PORTLINT_BUNDLED_VERSION === 'string' ? PORTLINT_BUNDLED_VERSION : JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version;
