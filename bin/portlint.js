#!/usr/bin/env node
'use strict';
// The build compiles the modules (dist/src) and bundles them into one file (dist/portlint.js),
// which starts faster. A bundle older than the modules is stale (the modules were compiled again
// without bundling): then the modules run, as they do with PORTLINT_NO_BUNDLE=1 (one file per
// module: readable stack traces, require.cache).
const { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};
const dist = join(__dirname, '..', 'dist');
const bundle = join(dist, 'portlint.js');
const modules = join(dist, 'src', 'cli', 'main.js');
const built = mtime(bundle);
const useBundle = !process.env.PORTLINT_NO_BUNDLE && built >= 0 && built >= mtime(modules);
(useBundle ? loadBundle(bundle, built) : require(modules)).main(process.argv);

/**
 * Runs the bundle from V8's code cache when there is one for this Node.js: compiling the bundle
 * and the functions a check calls is a third of a small check's time. The cache comes with the
 * package (dist/code-cache, written by the build for the Node.js that built it); on another
 * Node.js, the first run writes one to a folder of the user's own in the temporary directory
 * (as node's own compile cache does), and later runs read it. V8 rejects a cache made by another
 * V8 or with other flags; then this run compiles as usual and writes a new one.
 * PORTLINT_CODE_CACHE=off compiles without a cache.
 */
function loadBundle(file, builtAt) {
  const vm = require('node:vm');
  const mode = process.env.PORTLINT_CODE_CACHE;
  const name = `${process.version}-${process.arch}.bin`;
  const shipped = join(dirname(file), 'code-cache', name);
  let target = mode === 'write' ? shipped : undefined;
  let cachedData;
  if (mode !== 'off' && mode !== 'write') {
    cachedData = readOwnFile(shipped, false);
    if (!cachedData) {
      const dir = userCacheDir();
      target = dir && join(dir, `${Math.round(builtAt)}-${statSync(file).size}-${name}`);
      cachedData = target && readOwnFile(target, true);
    }
  }
  // The build keeps the bundle ASCII, so latin1 reads it without a UTF-8 decoder's pass.
  const source = readFileSync(file, 'latin1');
  // Node's own module wrapper, spelt out: node:module costs a small check milliseconds to load.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, { filename: file, cachedData });
  const mod = { exports: {} };
  // A run that raised V8's interrupt budget (src/util/interrupt-budget.ts) has other flags than
  // the next run starts with, and V8 keys a cache on them: that run writes none.
  if (target && (!cachedData || script.cachedDataRejected)) process.on('exit', () => mod.exports.interruptBudgetRaised?.() || writeCache(target, script, target === shipped ? 0o644 : 0o600));
  // The bundle requires node's modules and its own vendored files (./vendor/…), nothing else.
  const requireFromBundle = (id) => require(id.startsWith('./') ? join(dirname(file), id) : id);
  script.runInThisContext()(mod.exports, requireFromBundle, mod, file, dirname(file));
  return mod.exports;
}

/** The user's cache folder, created private; undefined when it is not the user's own. */
function userCacheDir() {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = join(require('node:os').tmpdir(), `portlint-code-cache-${uid ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = lstatSync(dir);
    if (!s.isDirectory() || (uid !== undefined && (s.uid !== uid || (s.mode & 0o022) !== 0))) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** The file's bytes; with `own`, only a regular file of this user that nobody else may write. */
function readOwnFile(path, own) {
  let fd;
  try {
    fd = openSync(path, 'r');
    const s = fstatSync(fd);
    if (!s.isFile()) return undefined;
    if (own && typeof process.getuid === 'function' && (s.uid !== process.getuid() || (s.mode & 0o022) !== 0)) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the cache atomically; a cache that cannot be written is no error of the run. */
function writeCache(path, script, mode) {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, script.createCachedData(), { mode });
    renameSync(temp, path);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // Nothing was written.
    }
  }
}
