/**
 * Property-based and mutation fuzzing (fast-check, seeded): compose documents generated from the
 * grammar Compose accepts and beyond, and the fixtures (and the corpus, with PORTLINT_CORPUS)
 * mutated byte by byte and line by line, each run through the loader, every rule, every output
 * format, `ports` and `--fix`, in this process; a sample also through the real binary. Properties:
 *   - nothing throws, in any stage;
 *   - every load error and every problem is located (line and column from 1);
 *   - whenever the fast YAML reader accepts a text, the library reads the same tree;
 *   - `--fix` output loads, has no finding the text did not have, and a second --fix changes nothing;
 *   - the binary exits 0, 1 or 2, with no stack trace.
 * Bounded for `npm test` (PORTLINT_FUZZ_RUNS, default 150 per property); `npm run fuzz` runs long.
 * The number of inputs each property ran is printed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogue } from '../rules';
import { runRules } from '../src/engine/run';
import { planFixes } from '../src/fix/fixer';
import { loadSelection } from '../src/load';
import { FileCache } from '../src/load/project';
import { formatJson, formatStylish } from '../src/report/format';
import { formatGithub } from '../src/report/github';
import { formatGitlab } from '../src/report/gitlab';
import { formatJunit } from '../src/report/junit';
import { portsJson, portsTable } from '../src/report/ports';
import { formatSarif } from '../src/report/sarif';
import { FIXTURES, run, yamlFilesUnder } from './helpers';
import { compareReaders } from './yaml-compare';

const RUNS = Number(process.env.PORTLINT_FUZZ_RUNS ?? 150);
const SEED = Number(process.env.PORTLINT_FUZZ_SEED ?? 20261202);
const DIR = '/nonexistent/portlint-fuzz';
const FILE = join(DIR, 'compose.yaml');
const counts: Record<string, number> = {};
const note = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);

afterAll(() => console.log(`fuzz (seed ${SEED}): ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}`));

/** Everything `check`, `ports` and `--fix` do with one text, in this process; fails on any broken property. */
function exercise(text: string, swarm = false): void {
  const lint = (cache: FileCache) => {
    const outcome = loadSelection({ specs: [{ files: [FILE], projectDir: DIR, ...(swarm && { swarm: true }) }], errors: [] }, {}, cache);
    const findings = runRules(outcome.projects, catalogue, { rules: {}, settings: { platform: 'all', rootless: false } });
    return { outcome, findings, errors: outcome.errors };
  };
  const cache = new FileCache();
  cache.inject(FILE, text);
  const first = lint(cache);
  for (const e of first.errors) {
    expect(e.line, e.message).toBeGreaterThanOrEqual(1);
    expect(e.column, e.message).toBeGreaterThanOrEqual(1);
  }
  for (const p of first.outcome.projects) for (const problem of p.problems) expect(problem.loc.line, problem.message).toBeGreaterThanOrEqual(1);
  for (const f of first.findings) expect(f.loc.line, `${f.ruleId}: ${f.message}`).toBeGreaterThanOrEqual(1);
  const report = { findings: first.findings, errors: first.errors, files: 1, cwd: DIR, checked: [FILE] };
  const ctx = { root: DIR };
  for (const text of [formatJson(report), formatStylish(report, true), formatSarif(report, { ...ctx, toolVersion: '0', rules: [] }), formatGithub(report, ctx), formatGitlab(report, ctx), formatJunit(report, ctx)]) {
    expect(typeof text).toBe('string');
  }
  portsJson(first.outcome.projects, first.errors, DIR);
  portsTable(first.outcome.projects, DIR);

  const plan = planFixes(lint, { cache, run: first });
  const fixed = plan.files.find((f) => f.file === FILE)?.after;
  if (fixed === undefined) return;
  note('fixed texts');
  const again = new FileCache();
  again.inject(FILE, fixed);
  const after = lint(again);
  expect(after.errors, fixed).toEqual([]);
  const key = (f: (typeof first.findings)[number]) => `${f.ruleId}|${f.service ?? ''}|${f.binding ? `${f.binding.containerPort}/${f.binding.protocol}` : ''}`;
  const before = new Set(first.findings.map(key));
  expect(after.findings.map(key).filter((k) => !before.has(k)), fixed).toEqual([]);
  expect(planFixes(lint, { cache: again, run: after }).files, `a second --fix changes ${fixed}`).toEqual([]);
}

// ---------------------------------------------------------------------------- generated documents

const octet = fc.integer({ min: 0, max: 255 });
const port = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 1, 22, 80, 443, 1023, 1024, 5000, 5432, 30000, 32767, 32768, 60999, 65535, 65536, 99999));
const hostIp = fc.oneof(
  fc.constant(''),
  fc.constantFrom('127.0.0.1', '0.0.0.0', '::', '::1', '[::1]', '[]', '[::]', '::ffff:127.0.0.1', 'localhost', '127.0.1', 'fe80::1%eth0', '${HOST_IP}', '${HOST_IP:-127.0.0.1}', '${HOST_IP:?}'),
  fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')),
);
const range = (p: fc.Arbitrary<number>) => fc.oneof(p.map(String), fc.tuple(p, fc.integer({ min: 0, max: 20 })).map(([a, n]) => `${a}-${a + n}`), fc.constantFrom('${PORT}', '${PORT:-8080}', '+80', '080', ''));
const protocol = fc.constantFrom('', '/tcp', '/udp', '/sctp', '/UDP', '/icmp', '/tcp/x');
const shortSpec = fc.tuple(hostIp, range(port), range(port), protocol, fc.integer({ min: 0, max: 2 })).map(([ip, host, ctr, proto, shape]) =>
  shape === 0 ? `${ctr}${proto}` : shape === 1 ? `${host}:${ctr}${proto}` : `${ip}:${host}:${ctr}${proto}`,
);
const scalar = fc.oneof(
  shortSpec.map((s) => JSON.stringify(s)),
  shortSpec.map((s) => `'${s.replace(/'/g, "''")}'`),
  shortSpec.filter((s) => /^[\w.:/\-[\]]+$/.test(s) && !/^[-[]/.test(s)),
  port.map(String),
  fc.constantFrom('22:22', '0120', '80.5', 'true', '~', '1e3', '2001-12-14', '0x50', '8_080', '[]', '{}'),
);
const longEntry = fc
  .record(
    {
      target: fc.oneof(port.map(String), fc.constantFrom('"80"', '"8080-8081"', '${T}')),
      published: fc.oneof(range(port).map((r) => JSON.stringify(r)), port.map(String)),
      host_ip: hostIp.map((ip) => JSON.stringify(ip)),
      protocol: fc.constantFrom('tcp', 'udp', 'UDP', 'icmp', '${PROTO}'),
      mode: fc.constantFrom('host', 'ingress', 'HOST', 'bogus'),
      'x-note': fc.constant('yes'),
    },
    { requiredKeys: [] },
  )
  .map((fields) => Object.entries(fields));
const entry = fc.oneof({ weight: 3, arbitrary: scalar.map((s) => ({ kind: 'short' as const, s })) }, { weight: 1, arbitrary: longEntry.map((fields) => ({ kind: 'long' as const, fields })) });
const service = fc.record({
  name: fc.constantFrom('web', 'db', 'api', 'cache', 'a b', 'é'),
  ports: fc.array(entry, { maxLength: 6 }),
  flow: fc.boolean(),
  extra: fc.subarray(['network_mode: host', 'network_mode: "service:db"', 'profiles: [debug]', 'scale: 2', 'deploy:\n      replicas: 3\n      mode: global', 'extends: db', 'ports: !reset []', '<<: *base'], { maxLength: 2 }),
});
const document = fc.record({ services: fc.array(service, { minLength: 1, maxLength: 4 }), anchor: fc.boolean(), env: fc.boolean() }).map(({ services, anchor }) => {
  const out: string[] = [];
  if (anchor) out.push('x-base: &base', '  ports:', '    - "9000:9000"');
  out.push('services:');
  const names = new Set<string>();
  for (const s of services) {
    const name = names.has(s.name) ? `${s.name}${names.size}` : s.name;
    names.add(name);
    out.push(`  ${name.includes(' ') ? JSON.stringify(name) : name}:`, '    image: x');
    for (const e of s.extra) if (!e.startsWith('<<') || anchor) out.push(`    ${e}`);
    if (!s.ports.length) continue;
    if (s.flow && s.ports.every((p) => p.kind === 'short')) {
      out.push(`    ports: [${s.ports.map((p) => (p.kind === 'short' ? p.s : '')).join(', ')}]`);
      continue;
    }
    out.push('    ports:');
    for (const p of s.ports) {
      if (p.kind === 'short') out.push(`      - ${p.s}`);
      else if (!p.fields.length) out.push('      - {}');
      else p.fields.forEach(([k, v], i) => out.push(`${i === 0 ? '      - ' : '        '}${k}: ${v}`));
    }
  }
  return `${out.join('\n')}\n`;
});

// ---------------------------------------------------------------------------- mutations

const SEEDS = [...yamlFilesUnder(FIXTURES), ...(process.env.PORTLINT_CORPUS ? yamlFilesUnder(process.env.PORTLINT_CORPUS) : [])].map((f) => readFileSync(f, 'utf8'));
const ODD = ['\uFEFF', '\u2028', '\u0301', '\u202E', '\u0000', '\uFFFD', '\uD83D', 'é', '\t', '\r', '\r\n', '\u00A0', '😀'];

type Mutation = (text: string) => string;
const at = (text: string, f: number) => Math.floor(f * (text.length + 1));
const lineAt = (text: string, f: number) => {
  const lines = text.split('\n');
  return { lines, i: Math.floor(f * lines.length) % Math.max(1, lines.length) };
};
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), octet).map(([f, b]): Mutation => (t) => {
    const i = at(t, f);
    return t.slice(0, i) + String.fromCharCode(b) + t.slice(i + 1);
  }),
  fc.double({ min: 0, max: 1, noNaN: true }).map((f): Mutation => (t) => t.slice(0, at(t, f))),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: -3, max: 3 })).map(([f, d]): Mutation => (t) => {
    const { lines, i } = lineAt(t, f);
    lines[i] = d >= 0 ? ' '.repeat(d) + lines[i] : lines[i].slice(Math.min(-d, lines[i].length - lines[i].trimStart().length));
    return lines.join('\n');
  }),
  fc.double({ min: 0, max: 1, noNaN: true }).map((f): Mutation => (t) => {
    const { lines, i } = lineAt(t, f);
    lines[i] = lines[i].replace(/^( *)/, (s) => `${s.slice(1)}\t`);
    return lines.join('\n');
  }),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('&a ', '*a', '<<: *a', '!reset ', '!override ', '&a [', '*b')).map(([f, s]): Mutation => (t) => {
    const i = at(t, f);
    return t.slice(0, i) + s + t.slice(i);
  }),
  fc.constant<Mutation>((t) => t.replace(/\n(\s+)ports:\n((?:\1\s+- .*\n)+)/, (_m, indent: string, items: string) => `\n${indent}ports: [${items.trim().split('\n').map((l) => l.trim().slice(2)).join(', ')}]\n`)),
  fc.constant<Mutation>((t) => t.replace(/ports: \[([^\]\n]*)\]/, (_m, inner: string) => `ports:\n${inner.split(',').map((x) => `      - ${x.trim()}`).join('\n')}`)),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...ODD)).map(([f, s]): Mutation => (t) => {
    const i = at(t, f);
    return t.slice(0, i) + s + t.slice(i);
  }),
);
const mutated = fc.tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => ms.reduce((t, m) => m(t), text));

// ---------------------------------------------------------------------------- properties

describe(`fuzzing (fast-check, seed ${SEED}, ${RUNS} runs per property)`, () => {
  it('generated compose documents: check, ports and --fix hold every property', () => {
    fc.assert(
      fc.property(document, (text) => {
        note('generated documents');
        exercise(text);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 900_000);

  it('generated documents read as stack files (--swarm) too', () => {
    fc.assert(
      fc.property(document, (text) => {
        note('generated stack files');
        exercise(text, true);
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  }, 900_000);

  it(`mutated fixtures${process.env.PORTLINT_CORPUS ? ' and corpus files' : ''}: every property, and the fast reader agrees with the library`, () => {
    fc.assert(
      fc.property(mutated, (text) => {
        note('mutated documents');
        if (compareReaders(text, 'mutated') === 'same') note('fast-reader agreements');
        exercise(text);
      }),
      { seed: SEED + 2, numRuns: RUNS * 2 },
    );
  }, 900_000);

  it('the binary on a sample: exit 0, 1 or 2, never a stack trace', () => {
    const sample = fc.sample(fc.oneof(document, mutated), { seed: SEED + 3, numRuns: Math.max(10, Math.round(RUNS / 10)) });
    const dir = mkdtempSync(join(tmpdir(), 'portlint-fuzz-'));
    for (const text of sample) {
      writeFileSync(join(dir, 'compose.yaml'), text);
      for (const args of [['check', '--format', 'json'], ['ports'], ['check', '--fix-dry-run']]) {
        const r = run([...args, 'compose.yaml'], { cwd: dir });
        note('binary runs');
        expect([0, 1, 2], `${args.join(' ')}: ${r.stderr}\n${text}`).toContain(r.status);
        expect(r.stderr, text).not.toMatch(/\n\s+at |internal error/);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }, 900_000);
});
