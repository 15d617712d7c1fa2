#!/usr/bin/env node
/**
 * The parse floor: reads the same compose files portlint reads and parses each with the
 * YAML library portlint uses (`yaml`, `parseDocument`, default options), nothing else:
 * no conversion to JS, no schema, no checks, no output. Process start-up is included
 * when it is timed as a whole process, like every other case of the benchmark.
 *
 * Usage: node bench/floor.mjs <file|dir>...   (directories: every compose-named file below)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { composeFiles } from './files.mjs';

// The CommonJS build, as portlint loads it.
const { parseDocument } = createRequire(import.meta.url)('yaml');

const files = [];
for (const p of process.argv.slice(2)) composeFiles(p, files);
let nodes = 0;
for (const f of files) {
  const doc = parseDocument(readFileSync(f, 'utf8'));
  if (doc.contents) nodes++;
}
if (process.env.FLOOR_VERBOSE) console.error(`floor: ${files.length} files parsed, ${nodes} with content`);
