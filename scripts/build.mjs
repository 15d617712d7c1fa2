#!/usr/bin/env node
/**
 * The build after `tsc`: bundles the compiled modules into the files the package ships, then
 * writes the V8 code cache that lets `bin/portlint.js` skip compiling the bundle.
 *
 *   dist/portlint.js        the command line and the programmatic API (src/index.ts), one file
 *   dist/portlint.mjs       the API for `import`: node sees no named exports in a bundle's module.exports
 *   dist/vendor/ajv.js      ajv, loaded only when a configuration file is validated
 *   dist/vendor/languageserver.js, textdocument.js   the LSP packages, loaded only by `portlint lsp`
 *   dist/code-cache/<node version>-<arch>.bin   V8 code cache of the bundle, for the Node.js that built it
 *   dist/THIRD-PARTY-LICENSES.txt   the licences of the packages bundled
 *
 * The bundle has no runtime dependency: the package installs nothing else. Two rewrites keep
 * start-up to what a small check needs: `require('ajv')` points at the vendored bundle (its
 * 250 kB stay off the start-up path), and commander's top-level `require('node:child_process')`
 * (used only for executable subcommands, which portlint has none of) becomes a lazy getter, so
 * node does not load child_process, net and dgram on every run.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };

const BIN_ONLY = new Set(['main', 'interruptBudgetRaised']); // what the bundle exports for bin/portlint.js, not as API

const COMMANDER_EAGER = "const childProcess = require('node:child_process');";
const COMMANDER_LAZY = "const childProcess = { get spawn() { return require('node:child_process').spawn; } };";

/** commander's child_process require, made lazy; the build fails if commander no longer reads that way. */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(COMMANDER_EAGER)) throw new Error(`${args.path}: the child_process require to make lazy is gone (a new commander?); update scripts/build.mjs`);
      if (/childProcess\.(?!spawn\b)\w+/.test(text)) throw new Error(`${args.path}: uses more of child_process than spawn; update scripts/build.mjs`);
      return { contents: text.replace(COMMANDER_EAGER, COMMANDER_LAZY), loader: 'js' };
    });
  },
};

/**
 * Packages the bundle loads only on the path that needs them, each a vendored bundle of its own:
 * ajv (a configuration file to validate), the language server's protocol (`portlint lsp`).
 */
const VENDORED = {
  ajv: 'ajv.js',
  'vscode-languageserver/node': 'languageserver.js',
  'vscode-languageserver-textdocument': 'textdocument.js',
};

/** `require('<package>')` from the bundle loads dist/vendor/<file>. */
const vendored = {
  name: 'vendored',
  setup(b) {
    const names = Object.keys(VENDORED).map((n) => n.replace(/[/-]/g, '\\$&'));
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: `./vendor/${VENDORED[args.path]}`, external: true }));
  },
};

rmSync(join(DIST, 'code-cache'), { recursive: true, force: true });
const results = await Promise.all([
  build({ ...common, metafile: true, define: { PORTLINT_BUNDLED_VERSION: JSON.stringify(PACKAGE.version) }, entryPoints: [join(DIST, 'src', 'index.js')], outfile: join(DIST, 'portlint.js'), plugins: [lazyChildProcess, vendored] }),
  ...Object.entries(VENDORED).map(([name, file]) => build({ ...common, metafile: true, stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: ROOT }, outfile: join(DIST, 'vendor', file) })),
]);
// bin/portlint.js reads the bundle as latin1 (no UTF-8 decoding pass): esbuild escapes what is
// not ASCII by default, and this keeps it so.
const nonAscii = /[^\x00-\x7f]/.exec(readFileSync(join(DIST, 'portlint.js'), 'latin1'));
if (nonAscii) throw new Error(`build: dist/portlint.js is not ASCII at offset ${nonAscii.index}; bin/portlint.js reads it as latin1`);
writeFileSync(join(DIST, 'portlint.mjs'), esmEntry());
writeFileSync(join(DIST, 'THIRD-PARTY-LICENSES.txt'), licences(results.flatMap((r) => Object.keys(r.metafile.inputs))));

/** The ESM entry: the bundle's API (all it exports but what is bin's), by name. */
function esmEntry() {
  const names = Object.keys(createRequire(import.meta.url)(join(DIST, 'portlint.js'))).filter((n) => !BIN_ONLY.has(n));
  return `// The programmatic API for import; the code is the CommonJS bundle's (one copy, one state).\nimport api from './portlint.js';\n\nexport const { ${names.join(', ')} } = api;\n`;
}

/** The licence text of every package a bundle took code from, for the notice the package ships. */
function licences(inputs) {
  const packages = [...new Set(inputs.map((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1]).filter(Boolean))].sort();
  const parts = packages.map((name) => {
    const dir = join(ROOT, 'node_modules', name);
    const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    if (!file || !existsSync(join(dir, file))) throw new Error(`build: ${name} has no licence file to ship`);
    return `${name} ${version} (${license})\n\n${readFileSync(join(dir, file), 'utf8').trim()}\n`;
  });
  return `portlint bundles code from these packages; their licences follow.\n\n${parts.join('\n' + '-'.repeat(72) + '\n\n')}`;
}

// The shipped code cache: one check of a small project, so the cache holds the functions a
// check runs (V8 caches what was compiled by the time it is written), not only the top level.
const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'portlint.js'), 'check', '--no-config', join(ROOT, 'fixtures', 'session')], {
  env: { ...process.env, PORTLINT_CODE_CACHE: 'write' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (run.status !== 0 && run.status !== 1) {
  console.error(`build: writing the code cache failed (exit ${run.status})`);
  process.exit(1);
}
