#!/usr/bin/env node
/**
 * The parse floor: reads the same compose files portlint reads and parses each with the
 * YAML library portlint uses (`yaml`, `parseDocument`, default options), nothing else:
 * no conversion to JS, no schema, no checks, no output. Process start-up is included
 * when it is timed as a whole process, like every other case of the benchmark.
 *
 * Usage: node bench/floor.mjs <file|dir>...   (directories: every compose-named file below)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The CommonJS build, as portlint loads it.
const { parseDocument } = createRequire(import.meta.url)('yaml');

/** Same naming rule as portlint's file selection (compose*.y[a]ml, *.compose.y[a]ml). */
const COMPOSE_NAME = /^(?:(?:docker-)?compose(?:[.-][^/]*)?|[^/]+\.compose)\.ya?ml$/;

function collect(path, out) {
  if (!statSync(path).isDirectory()) return out.push(path);
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (e.name !== '.git' && e.name !== 'node_modules') collect(join(path, e.name), out);
    } else if (e.isFile() && COMPOSE_NAME.test(e.name)) out.push(join(path, e.name));
  }
}

const files = [];
for (const p of process.argv.slice(2)) collect(p, files);
let nodes = 0;
for (const f of files) {
  const doc = parseDocument(readFileSync(f, 'utf8'));
  if (doc.contents) nodes++;
}
if (process.env.FLOOR_VERBOSE) console.error(`floor: ${files.length} files parsed, ${nodes} with content`);
