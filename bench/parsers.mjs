#!/usr/bin/env node
/**
 * The numbers behind the choice of YAML reader (ARCHITECTURE.md, Decisions): one process,
 * each reader run several times on the same text, best and median CPU time reported.
 *
 *   yaml Lexer        tokens only (no structure)
 *   yaml Parser       the concrete syntax tree (Lexer + Parser)
 *   yaml parseDocument  the whole library: CST + composer (what the parse floor runs)
 *   portlint full     portlint's reference reader: yaml CST + composer + conversion
 *   portlint fast     portlint's fast reader (falls back to the full one when it gives up)
 *   js-yaml load      for comparison, when installed (it comes with dclint): no positions
 *
 * Usage: npm run build && node bench/parsers.mjs [file ...]   (default: the generated 5,000-service file)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const yaml = require('yaml');
const { readYamlFull, readYaml } = require(join(ROOT, 'dist', 'src', 'load', 'yaml-tree.js'));
const { readYamlFast } = require(join(ROOT, 'dist', 'src', 'load', 'yaml-fast.js'));
let jsYaml;
try {
  jsYaml = require('js-yaml');
} catch {
  jsYaml = undefined;
}

const files = process.argv.slice(2);
if (!files.length) files.push(join(ROOT, 'bench', 'out', 'inputs', 'scale', 's5000', 'compose.yaml'));

const readers = [
  ['yaml Lexer', (t) => { let n = 0; for (const _ of new yaml.Lexer().lex(t)) n++; return n; }],
  ['yaml Parser (CST)', (t) => { let n = 0; for (const _ of new yaml.Parser().parse(t)) n++; return n; }],
  ['yaml parseDocument', (t) => yaml.parseDocument(t)],
  ['portlint full reader', (t) => readYamlFull('f.yaml', t)],
  ['portlint fast reader', (t) => readYamlFast('f.yaml', t) ?? readYamlFull('f.yaml', t)],
  ['portlint readYaml', (t) => readYaml('f.yaml', t)],
  ...(jsYaml ? [['js-yaml load (no positions)', (t) => jsYaml.load(t)]] : []),
];

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const RUNS = 7;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  console.log(`\n${relative(process.cwd(), file)}: ${(text.length / 1e6).toFixed(2)} MB, ${text.split('\n').length - 1} lines, fast reader ${readYamlFast('f.yaml', text) ? 'accepts it' : 'gives up'}`);
  console.log('| reader | best | median | heap after |');
  console.log('|---|---:|---:|---:|');
  for (const [name, fn] of readers) {
    const times = [];
    let keep;
    for (let i = 0; i < RUNS; i++) {
      keep = undefined;
      globalThis.gc?.();
      const c = cpu();
      keep = fn(text);
      times.push(cpu() - c);
    }
    globalThis.gc?.();
    const heap = process.memoryUsage().heapUsed / 1e6;
    void keep;
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${times[0].toFixed(0)} ms | ${times[RUNS >> 1].toFixed(0)} ms | ${globalThis.gc ? `${heap.toFixed(0)} MB` : '–'} |`);
  }
}
if (!globalThis.gc) console.log('\n(run with node --expose-gc for the heap column)');
