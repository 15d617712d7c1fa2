#!/usr/bin/env node
/**
 * The language server's keystroke latency: `portlint lsp --stdio` started as a process and
 * driven by the protocol client of the tests (test/lsp-client.ts, bundled here with esbuild).
 * Each keystroke changes one digit of a host port in the open document (an incremental
 * didChange, as an editor sends it); the time measured runs from sending it to the arrival of
 * the publishDiagnostics of that document version. Keystrokes follow each other once the
 * previous one's diagnostics arrived, so the figure includes the server's debounce (10 ms).
 *
 * Cases, from the inputs of bench/run.mjs (bench/out/inputs, generated when missing):
 *   normal   one project of the generated corpus (compose.yaml with its .env and override file)
 *   50 open  50 such projects open at once, typing in one of them
 *   5,000    the 5,000-service file (3.2 MB)
 * Target: median under 50 ms for a normal file.
 *
 * Usage: node bench/lsp.mjs [--quick] [--keys N] [--portlint bin/portlint.js]
 * Prints a Markdown table; raw numbers: bench/out/lsp.json.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { DEFAULT_OUT, generate } from './generate.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const keys = Number(value('--keys') ?? (quick ? 15 : 41));
const bin = resolve(value('--portlint') ?? join(ROOT, 'bin', 'portlint.js'));
const inputs = existsSync(join(DEFAULT_OUT, 'inputs', 'scale', 's5000', 'compose.yaml')) ? join(DEFAULT_OUT, 'inputs') : generate().inputs;

// CommonJS: the protocol packages require node's modules, which an ESM bundle cannot.
const harness = join(mkdtempSync(join(tmpdir(), 'portlint-bench-lsp-')), 'client.cjs');
buildSync({ entryPoints: [join(ROOT, 'test', 'lsp-client.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: harness, logLevel: 'warning' });
const { LspClient } = createRequire(import.meta.url)(harness);

/** The position of the last digit of the first short-syntax host port in the text. */
function portDigit(text) {
  const m = /^(\s*- "?)(\d+):/m.exec(text);
  if (!m) throw new Error('no port entry to type in');
  const offset = m.index + m[1].length + m[2].length - 1;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - before.lastIndexOf('\n') - 1, digit: Number(text[offset]) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};

async function measure(label, files, target, n) {
  const client = new LspClient(bin, { cwd: dirname(target) });
  await client.initialize(dirname(target));
  const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  const t0 = performance.now();
  for (const f of files) await client.open(f, texts.get(f));
  for (const f of files) await client.diagnostics(f, () => true, 0, 120_000);
  const openMs = performance.now() - t0;
  const where = portDigit(texts.get(target));
  const samples = [];
  let digit = where.digit;
  for (let v = 2; v < n + 2; v++) {
    digit = (digit + 1) % 10;
    const sent = performance.now();
    await client.change(target, v, String(digit), { start: { line: where.line, character: where.character }, end: { line: where.line, character: where.character + 1 } });
    const got = await client.diagnostics(target, (p) => p.version === v, 0, 120_000);
    samples.push(got.at - sent);
  }
  await client.stop();
  const bytes = files.reduce((sum, f) => sum + texts.get(f).length, 0);
  return { label, files: files.length, bytes, openMs, samples, median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

const project = (i) => join(inputs, 'corpus', `p${String(i).padStart(3, '0')}`, 'compose.yaml');
const results = [];
results.push(await measure('normal file (one corpus project)', [project(0)], project(0), keys));
const fifty = Array.from({ length: 50 }, (_, i) => project(i));
results.push(await measure('50 files open, typing in one', fifty, fifty[0], keys));
const large = join(inputs, 'scale', 's5000', 'compose.yaml');
results.push(await measure('5,000-service file (3.2 MB)', [large], large, quick ? 3 : 11));

const ms = (x) => `${x.toFixed(1)} ms`;
const lines = [
  `### Language server: keystroke to diagnostics (median, min–max of ${keys} keystrokes; ${quick ? 3 : 11} on the large file)`,
  '',
  '| case | open files | keystroke → diagnostics | opening all (to first diagnostics) |',
  '|---|---:|---|---:|',
  ...results.map((r) => `| ${r.label} | ${r.files} | ${ms(r.median)} (${ms(r.min)}–${ms(r.max)}) | ${ms(r.openMs)} |`),
  '',
  `A normal file gets its diagnostics ${ms(results[0].median)} after a keystroke (target: under 50 ms)${results[0].median < 50 ? '.' : ': over the target.'}`,
];
console.log(lines.join('\n'));
mkdirSync(DEFAULT_OUT, { recursive: true });
writeFileSync(join(DEFAULT_OUT, 'lsp.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, portlint: relative(ROOT, bin), keys, results }, null, 2) + '\n');
if (results[0].median >= 50) process.exitCode = 1;
