#!/usr/bin/env node
'use strict';
// `npm run build` compiles the modules (dist/src) and bundles them into one file
// (dist/portlint.js), which starts faster. A bundle older than the modules is stale
// (the modules were compiled again without bundling): then the modules run, as they do
// with PORTLINT_NO_BUNDLE=1 (one file per module: readable stack traces, require.cache).
// A run lasts well under a second: V8's optimising compiler, tiering up functions at its
// default budget, spends more (on a second core, competing with the garbage collector) than
// it saves. A larger budget optimises only what is really hot. Measured in docs/performance.md.
require('node:v8').setFlagsFromString('--interrupt-budget=1000000');
const { statSync } = require('node:fs');
const { join } = require('node:path');
const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};
const bundle = join(__dirname, '..', 'dist', 'portlint.js');
const modules = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
const built = mtime(bundle);
const useBundle = !process.env.PORTLINT_NO_BUNDLE && built >= 0 && built >= mtime(modules);
require(useBundle ? bundle : modules).main(process.argv);
