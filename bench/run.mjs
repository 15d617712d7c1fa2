#!/usr/bin/env node
/**
 * The benchmark: whole processes, cold start included, several runs per command.
 *
 * For every input (see generate.mjs) it times `portlint check`, `portlint ports`, the
 * parse floor (floor.mjs) and dclint, interleaved run by run so that load on the machine
 * hits every tool alike, and prints a markdown table with the median and the spread
 * (min–max) of wall time and peak memory, the ratios portlint/floor and dclint/portlint
 * of the same run, and the growth from 250 to 5,000 services. Raw numbers go to
 * bench/out/results.json.
 *
 * The language server's keystroke latency comes from bench/lsp.mjs, run at the end on the same inputs.
 *
 * Cold start is measured apart, side by side: a bare `node -e ""`, `portlint check` of the small
 * file and a pre-commit style run (20 staged compose files in one call), interleaved run by run,
 * spawned directly (no GNU time in between, whose own start would blur the difference), wall
 * time only. The target: a small check at most 1.25x the bare node start.
 *
 * What is measured:
 * - wall: time from spawning the process until it has exited, taken in this script
 *   (monotonic clock); stdout goes to /dev/null.
 * - peak RSS: the maximum resident set size of the measured process, as the kernel
 *   reports it when the process is reaped (ru_maxrss of wait4), read from GNU time
 *   (/usr/bin/time). Without GNU time, a module preloaded into the measured node process
 *   writes process.resourceUsage().maxRSS (the same kernel counter) when it exits.
 * - CPU: user + system time of the process (GNU time, or the preloaded module).
 *
 * Usage: node bench/run.mjs [options]
 *   --runs N             runs per command (default 5)
 *   --cold-runs N        runs of the cold-start comparison (default 21; 11 with --quick)
 *   --quick              smoke run for CI: 1 run, inputs up to 1,000 services, dclint on the small file only
 *   --cases a,b          only these cases (small, corpus, s250, s1000, s2000, s5000, wide, real)
 *   --no-dclint          do not run dclint
 *   --skip-slow-dclint   do not run dclint on the 5,000-service file (over 2 minutes a run)
 *   --dclint-budget S    after a dclint run longer than S seconds, do not repeat it (default 60)
 *   --portlint FILE      the portlint entry to measure (default bin/portlint.js)
 *   --out FILE           where to write the JSON (default bench/out/results.json)
 *   --no-generate        reuse the inputs already in bench/out/inputs
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeFiles } from './files.mjs';
import { DEFAULT_OUT, generate, SCALE_SIZES } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag('--quick');
const runs = Math.max(1, Number(value('--runs') ?? (quick ? 1 : 5)));
const coldRuns = Math.max(1, Number(value('--cold-runs') ?? (quick ? 11 : 21)));
const dclintBudget = Number(value('--dclint-budget') ?? 60) * 1000;
const portlintEntry = resolve(value('--portlint') ?? join(ROOT, 'bin', 'portlint.js'));
const outFile = resolve(value('--out') ?? join(DEFAULT_OUT, 'results.json'));
const onlyCases = value('--cases')?.split(',').map((s) => s.trim());

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

const { inputs, manifest } = flag('--no-generate') && existsSync(join(DEFAULT_OUT, 'inputs.json'))
  ? { inputs: join(DEFAULT_OUT, 'inputs'), manifest: JSON.parse(readFileSync(join(DEFAULT_OUT, 'inputs.json'), 'utf8')) }
  : generate();

const dclintBin = (() => {
  const link = join(ROOT, 'node_modules', '.bin', 'dclint');
  return existsSync(link) ? realpathSync(link) : undefined;
})();
const useDclint = !flag('--no-dclint') && dclintBin !== undefined;

/** A case: one input, how each tool is pointed at it, and its size. */
const cases = [
  { id: 'small', label: 'small file (1 service)', path: join(inputs, 'small', 'compose.yaml'), services: 1, portEntries: manifest.small.portEntries, bytes: manifest.small.bytes },
  {
    id: 'corpus',
    label: '200 projects (corpus)',
    path: join(inputs, 'corpus'),
    dclintArgs: ['-r'],
    services: manifest.corpus.services,
    portEntries: manifest.corpus.portEntries,
    bytes: manifest.corpus.bytes,
  },
  ...SCALE_SIZES.map((n) => ({
    id: `s${n}`,
    label: `${n.toLocaleString('en')} services, one file`,
    path: join(inputs, 'scale', `s${n}`, 'compose.yaml'),
    services: n,
    portEntries: manifest.scale[n].portEntries,
    bytes: manifest.scale[n].bytes,
    slowDclint: n === 5000,
  })),
  { id: 'wide', label: 'wide ranges + 2,000 services', path: join(inputs, 'wide', 'compose.yaml'), services: manifest.wide.services, portEntries: manifest.wide.portEntries, bytes: manifest.wide.bytes },
];
if (process.env.PORTLINT_CORPUS) {
  const dir = resolve(process.env.PORTLINT_CORPUS);
  const files = composeFiles(dir);
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  // A third-party corpus holds files that cannot be loaded: portlint exits 2 on it, as it should.
  cases.push({ id: 'real', label: `real corpus (${relative(process.cwd(), dir) || dir})`, path: dir, dclintArgs: ['-r'], files: files.length, bytes, exitTwo: true });
}

const QUICK_CASES = new Set(['small', 'corpus', 's250', 's1000', 'wide']);
const selected = cases.filter((c) => (onlyCases ? onlyCases.includes(c.id) : !quick || QUICK_CASES.has(c.id)));

// ---------------------------------------------------------------------------
// Measuring one process
// ---------------------------------------------------------------------------

const gnuTime = (() => {
  if (!existsSync('/usr/bin/time')) return false;
  const r = spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /Maximum resident set size/.test(r.stderr);
})();
const work = mkdtempSync(join(tmpdir(), 'portlint-bench-'));
const probe = join(work, 'probe.cjs');
writeFileSync(
  probe,
  `'use strict';\nprocess.on('exit', () => {\n  const u = process.resourceUsage();\n  require('fs').writeFileSync(${JSON.stringify(join(work, 'probe.json'))}, JSON.stringify({ maxRSS: u.maxRSS, user: u.userCPUTime, system: u.systemCPUTime }));\n});\n`,
);
const devNull = openSync('/dev/null', 'w');

/** Runs `node script args` once; returns wall ms, peak RSS KB, CPU ms and exit code. */
function measure(script, args) {
  const report = join(work, 'time.txt');
  rmSync(report, { force: true });
  rmSync(join(work, 'probe.json'), { force: true });
  const cmd = gnuTime ? '/usr/bin/time' : process.execPath;
  const cmdArgs = gnuTime ? ['-v', '-o', report, process.execPath, script, ...args] : ['--require', probe, script, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, cmdArgs, { cwd: inputs, stdio: ['ignore', devNull, 'pipe'], maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  if (gnuTime) {
    const text = readFileSync(report, 'utf8');
    const num = (re) => Number(re.exec(text)?.[1]);
    return {
      wall,
      rss: num(/Maximum resident set size \(kbytes\): (\d+)/),
      cpu: (num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/)) * 1000,
      rc: num(/Exit status: (\d+)/),
      stderr: r.stderr.toString().slice(0, 2000),
    };
  }
  const p = existsSync(join(work, 'probe.json')) ? JSON.parse(readFileSync(join(work, 'probe.json'), 'utf8')) : {};
  return { wall, rss: p.maxRSS, cpu: (p.user + p.system) / 1000, rc: r.status, stderr: r.stderr.toString().slice(0, 2000) };
}

// ---------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------

const tools = [
  { id: 'check', label: 'portlint check', args: (c) => [portlintEntry, 'check', c.path], okCodes: [0, 1] },
  { id: 'ports', label: 'portlint ports', args: (c) => [portlintEntry, 'ports', c.path], okCodes: [0, 1] },
  { id: 'floor', label: 'parse floor', args: (c) => [join(HERE, 'floor.mjs'), c.path], okCodes: [0] },
  { id: 'dclint', label: 'dclint', args: (c) => [dclintBin, ...(c.dclintArgs ?? []), c.path], okCodes: [0, 1] },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

const results = [];
const notes = [];
if (!useDclint) notes.push(flag('--no-dclint') ? 'dclint not run (--no-dclint).' : 'dclint is not installed (npm install): its cases are skipped.');
if (quick && useDclint) notes.push('--quick: dclint runs on the small file only.');
if (!gnuTime) notes.push('GNU time not found: peak RSS and CPU come from process.resourceUsage() in a module preloaded into each measured process.');

const startLoad = loadavg();
// One throw-away process so that the node binary and the inputs are in the page cache.
spawnSync(process.execPath, [portlintEntry, '--version'], { stdio: 'ignore' });
spawnSync(process.execPath, [join(HERE, 'floor.mjs'), join(inputs, 'small', 'compose.yaml')], { stdio: 'ignore' });

const startup = [];
for (let i = 0; i < runs; i++) startup.push(measure('-e', ['']));
results.push({ case: 'node', tool: 'node -e ""', runs: startup.map(({ stderr, ...rest }) => rest) });

// Cold start, side by side (see the header).
const STAGED = 20;
const staged = Array.from({ length: STAGED }, (_, i) => join(inputs, 'corpus', `p${String(i).padStart(3, '0')}`, 'compose.yaml')).filter((f) => existsSync(f));
const coldCommands = [
  { id: 'node', label: 'node -e ""', args: ['-e', ''] },
  { id: 'small', label: 'portlint check, small file', args: [portlintEntry, 'check', join(inputs, 'small', 'compose.yaml')] },
  { id: 'staged', label: `portlint check, ${staged.length} staged files (pre-commit)`, args: [portlintEntry, 'check', ...staged] },
];
const coldSamples = new Map(coldCommands.map((c) => [c.id, []]));
for (let i = 0; i < coldRuns; i++) {
  for (const c of coldCommands) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, c.args, { cwd: inputs, stdio: ['ignore', devNull, 'ignore'], env: { ...process.env, NO_COLOR: '1' } });
    coldSamples.get(c.id).push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0 && r.status !== 1) {
      console.error(`${c.label} exited ${r.status}`);
      process.exitCode = 1;
    }
  }
}
const cold = coldCommands.map((c) => ({ ...c, wall: stats(coldSamples.get(c.id)) }));

for (const c of selected) {
  const active = tools.filter((t) => {
    if (t.id !== 'dclint') return true;
    if (!useDclint) return false;
    if (quick && c.id !== 'small') return false;
    if (c.slowDclint && flag('--skip-slow-dclint')) {
      notes.push(`dclint skipped on ${c.label} (--skip-slow-dclint).`);
      return false;
    }
    return true;
  });
  const samples = new Map(active.map((t) => [t.id, []]));
  const stopped = new Set();
  for (let i = 0; i < runs; i++) {
    for (const t of active) {
      if (stopped.has(t.id)) continue;
      const m = measure(...splitScript(t.args(c)));
      if (!t.okCodes.includes(m.rc) && !(c.exitTwo && m.rc === 2 && t.id !== 'floor')) {
        console.error(`${t.label} on ${c.id} exited ${m.rc}:\n${m.stderr}`);
        process.exitCode = 1;
      }
      samples.get(t.id).push(m);
      process.stderr.write(`  ${c.id.padEnd(7)} ${t.label.padEnd(15)} run ${i + 1}: ${(m.wall / 1000).toFixed(3)} s  ${(m.rss / 1024).toFixed(0)} MB\n`);
      if (t.id === 'dclint' && m.wall > dclintBudget && i + 1 < runs) {
        stopped.add(t.id);
        notes.push(`dclint on ${c.label}: one run only (${(m.wall / 1000).toFixed(0)} s, longer than --dclint-budget ${dclintBudget / 1000} s).`);
      }
    }
  }
  for (const t of active) results.push({ case: c.id, tool: t.id, runs: samples.get(t.id).map(({ stderr, ...rest }) => rest) });
}
const endLoad = loadavg();
closeSync(devNull);
rmSync(work, { recursive: true, force: true });

function splitScript([script, ...args]) {
  return [script, args];
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

const summary = results.map((r) => ({
  ...r,
  wall: stats(r.runs.map((x) => x.wall)),
  rss: stats(r.runs.map((x) => x.rss)),
  cpu: stats(r.runs.map((x) => x.cpu)),
}));
const find = (caseId, tool) => summary.find((s) => s.case === caseId && s.tool === tool);

const sec = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const mb = (kb) => `${Math.round(kb / 1024)} MB`;
const spreadTime = (s) => (s.min === s.max ? sec(s.median) : `${sec(s.median)} (${sec(s.min)}–${sec(s.max)})`);
const spreadMem = (s) => (s.min === s.max ? mb(s.median) : `${mb(s.median)} (${mb(s.min)}–${mb(s.max)})`);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '–');
const plural = (n, one, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

const lines = [];
lines.push(`### Results: median (min–max) of ${runs} run${runs > 1 ? 's' : ''}, whole processes`);
lines.push('');
lines.push(`Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${startLoad[0].toFixed(2)} at start and ${endLoad[0].toFixed(2)} at the end.`);
lines.push('');
lines.push('| case | tool | runs | wall | peak RSS | CPU (user+sys) |');
lines.push('|---|---|---:|---|---|---|');
const toolLabel = Object.fromEntries(tools.map((t) => [t.id, t.label]));
for (const s of summary) {
  const c = cases.find((x) => x.id === s.case);
  lines.push(`| ${c ? c.label : 'bare start-up'} | ${toolLabel[s.tool] ?? s.tool} | ${s.runs.length} | ${spreadTime(s.wall)} | ${spreadMem(s.rss)} | ${sec(s.cpu.median)} |`);
}
lines.push('');
lines.push(`### Cold start: median (min–max) of ${coldRuns} interleaved runs, spawned directly`);
lines.push('');
lines.push('| command | wall | / node -e "" (median) | / node -e "" (min) |');
lines.push('|---|---|---:|---:|');
for (const c of cold) lines.push(`| ${c.label} | ${spreadTime(c.wall)} | ${ratio(c.wall.median, cold[0].wall.median)} | ${ratio(c.wall.min, cold[0].wall.min)} |`);
const coldSmall = cold[1].wall.median / cold[0].wall.median;
lines.push('');
lines.push(`A small check starts in ${coldSmall.toFixed(2)}× a bare node start (target: at most 1.25×)${coldSmall <= 1.25 ? '.' : ': over the target.'}`);
lines.push('');
lines.push('### Ratios (medians of the same run)');
lines.push('');
lines.push('| case | size | check / floor (wall) | check / floor (RSS) | ports / floor (wall) | dclint / check (wall) | dclint / check (RSS) |');
lines.push('|---|---|---:|---:|---:|---:|---:|');
for (const c of selected) {
  const check = find(c.id, 'check');
  const ports = find(c.id, 'ports');
  const floor = find(c.id, 'floor');
  const dclint = find(c.id, 'dclint');
  const size =
    c.services !== undefined
      ? `${plural(c.services, 'service')}, ${plural(c.portEntries, 'port entry', 'port entries')}, ${c.bytes < 1e5 ? `${(c.bytes / 1e3).toFixed(1)} kB` : `${(c.bytes / 1e6).toFixed(2)} MB`}`
      : c.files !== undefined
        ? `${c.files.toLocaleString('en')} compose files, ${(c.bytes / 1e6).toFixed(2)} MB`
        : '';
  const dclintCell = (v) => (dclint ? `${v}${dclint.runs.length < runs ? ` (${dclint.runs.length} run)` : ''}` : 'not run');
  lines.push(
    `| ${c.label} | ${size} | ${ratio(check?.wall.median, floor?.wall.median)} | ${ratio(check?.rss.median, floor?.rss.median)} | ${ratio(ports?.wall.median, floor?.wall.median)} | ${dclintCell(ratio(dclint?.wall.median, check?.wall.median))} | ${dclintCell(ratio(dclint?.rss.median, check?.rss.median))} |`,
  );
}
const scale = SCALE_SIZES.map((n) => ({ n, check: find(`s${n}`, 'check'), floor: find(`s${n}`, 'floor') })).filter((x) => x.check);
const small = find('small', 'check');
if (scale.length > 1) {
  lines.push('');
  lines.push('### Growth with the number of services (portlint check)');
  lines.push('');
  lines.push('| services | wall | wall per 1,000 services | marginal: added wall per 1,000 added services | floor per 1,000 services |');
  lines.push('|---:|---|---:|---:|---:|');
  scale.forEach((x, i) => {
    const prev = i > 0 ? scale[i - 1] : undefined;
    const marginal = prev ? sec(((x.check.wall.median - prev.check.wall.median) / (x.n - prev.n)) * 1000) : small ? `${sec(((x.check.wall.median - small.wall.median) / (x.n - 1)) * 1000)} (from 1 service)` : '–';
    lines.push(`| ${x.n.toLocaleString('en')} | ${sec(x.check.wall.median)} | ${sec((x.check.wall.median / x.n) * 1000)} | ${marginal} | ${x.floor ? sec((x.floor.wall.median / x.n) * 1000) : '–'} |`);
  });
  if (scale.length > 1) {
    const a = scale[scale.length - 2];
    const b = scale[scale.length - 1];
    const first = small ? (scale[0].check.wall.median - small.wall.median) / (scale[0].n - 1) : undefined;
    const last = (b.check.wall.median - a.check.wall.median) / (b.n - a.n);
    lines.push('');
    lines.push(
      `Time grows linearly when the added cost per service stays flat: from ${a.n.toLocaleString('en')} to ${b.n.toLocaleString('en')} services it is ${sec(last * 1000)} per 1,000` +
        (first !== undefined ? `, against ${sec(first * 1000)} per 1,000 from 1 to ${scale[0].n.toLocaleString('en')} (ratio ${(last / first).toFixed(2)}; above 1 would mean superlinear growth).` : '.'),
    );
  }
}
// The language server's keystroke latency (bench/lsp.mjs), on the same inputs.
const lsp = spawnSync(process.execPath, [join(HERE, 'lsp.mjs'), '--portlint', portlintEntry, ...(quick ? ['--quick'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (lsp.status !== 0) {
  console.error(`bench/lsp.mjs exited ${lsp.status}`);
  process.exitCode = 1;
}
lines.push('', lsp.stdout.trimEnd());
if (notes.length) {
  lines.push('');
  for (const n of notes) lines.push(`- ${n}`);
}
const table = lines.join('\n');
console.log(table);

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(
  outFile,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadavg: { start: startLoad, end: endLoad },
      method: gnuTime ? 'wall: monotonic clock around spawn..exit; rss/cpu: GNU time (ru_maxrss of wait4)' : 'wall: monotonic clock around spawn..exit; rss/cpu: process.resourceUsage() at exit (preloaded module)',
      runs,
      portlint: relative(ROOT, portlintEntry),
      inputs: manifest,
      cases: cases.map(({ id, label, services, portEntries, bytes, files }) => ({ id, label, services, portEntries, files, bytes })),
      notes,
      coldStart: { runs: coldRuns, commands: cold.map(({ id, label, wall }) => ({ id, label, wall, samples: coldSamples.get(id) })) },
      results: summary,
      table,
    },
    null,
    2,
  ) + '\n',
);
console.error(`\nraw numbers: ${relative(process.cwd(), outFile)}`);
