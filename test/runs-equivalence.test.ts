/**
 * Ranges are runs in the model (one binding for "8000-8010:8000-8010"), while Docker receives one
 * binding per port. Every rule must judge a run exactly as it would judge the per-port bindings
 * it stands for: the same findings, at the same places, with the same messages. This test runs
 * the whole catalogue on loaded projects and on the same projects with every run expanded by
 * `engineBindings`, on every fixture, on generated files full of ranges and, when
 * PORTLINT_CORPUS is set, on every file of the third-party corpus, and compares.
 */
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../rules';
import { runRules, type Finding } from '../src/engine/run';
import type { Settings } from '../src/engine/rule';
import { engineBindings } from '../src/model/port-grammar';
import type { Project } from '../src/model/types';
import { FIXTURES, load, loadCompose, rng, yamlFilesUnder } from './helpers';

/** The projects with each run replaced by its per-port bindings, in place and in order. */
function expandRuns(projects: Project[]): Project[] {
  return projects.map((p) => ({
    ...p,
    bindings: p.bindings.flatMap((b) => engineBindings(b).map((e, i) => ({ ...e, order: b.order + i * 1e-7 }))),
  }));
}

/** Findings without the binding they point at (a run there, one of its ports in the expansion). */
function judged(projects: Project[], options: Record<string, Record<string, unknown>>, settings: Settings): string[] {
  const rules = Object.fromEntries(catalogue.map((r) => [r.meta.id, { severity: 'info' as const, options: options[r.meta.id] ?? {} }]));
  return runRules(projects, catalogue, { rules, settings }).map(
    (f: Finding) => `${f.ruleId} ${f.loc.file}:${f.loc.line}:${f.loc.column} ${f.service ?? ''} ${f.message} ${JSON.stringify(f.related ?? [])}`,
  );
}

const settings: Settings = { platform: 'all', rootless: false };
const options = {
  'exposure/unbound-publish': { allowedPorts: [8081, '9000-9003', 30005] },
  'exposure/sensitive-port-public': { additionalPorts: ['8500-8502', { port: 9001, name: 'Admin' }] },
};

function expectSameJudgement(projects: Project[], label: string): number {
  const asRuns = judged(projects, options, settings);
  const perPort = judged(expandRuns(projects), options, settings);
  expect(asRuns, label).toEqual(perPort);
  return asRuns.length;
}

/** A compose file of a few services whose ports are mostly ranges that meet each other. */
function generated(seed: number): string {
  const r = rng(seed);
  const ip = () => r.pick(['', '', '127.0.0.1:', '0.0.0.0:', '[::]:', '192.168.1.5:', '[::1]:']);
  const proto = () => r.pick(['', '', '', '/udp']);
  const base = () => r.pick([20, 1020, 5000, 8000, 8495, 8995, 30000, 32760, 49150, 60990]);
  const item = () => {
    const h = base() + r.int(0, 12);
    const c = r.int(1, 9000);
    const n = r.int(1, 12);
    switch (r.int(0, 6)) {
      case 0:
        return `"${ip()}${h}-${h + n - 1}:${c}-${c + n - 1}${proto()}"`; // a run
      case 1:
        return `"${ip()}${h}-${h + n}:${c}${proto()}"`; // a range the Engine picks from
      case 2:
        return `"${ip()}${c}-${c + n - 1}${proto()}"`; // container range, engine-chosen host ports
      case 3:
        return `"${ip()}${h}:${c}${proto()}"`;
      case 4:
        return `"${ip()}${h}-${h + n - 1}:${h}-${h + n - 1}${proto()}"`; // same ports both sides
      case 5:
        return `"0-${n}:${c}-${c + n}"`; // a run from host port 0
      default:
        return `{ target: ${c}, published: "${h}", protocol: ${r.pick(['tcp', 'udp'])} }`;
    }
  };
  const lines = ['services:'];
  const services = r.int(1, 5);
  for (let s = 0; s < services; s++) {
    lines.push(`  s${s}:`, '    image: x');
    if (r.chance(0.2)) lines.push(`    scale: ${r.int(0, 3)}`);
    lines.push('    ports:');
    const items = Array.from({ length: r.int(1, 6) }, item);
    // Repeat an item of this service now and then, so the loader's de-duplication cuts runs.
    if (r.chance(0.3)) items.push(items[r.int(0, items.length - 1)]);
    for (const i of items) lines.push(`      - ${i}`);
  }
  return lines.join('\n') + '\n';
}

describe('a run is judged like the per-port bindings it stands for', () => {
  it('on every fixture', () => {
    let findings = 0;
    const dirs = new Set(yamlFilesUnder(FIXTURES).map((f) => join(f, '..')));
    for (const dir of dirs) findings += expectSameJudgement(load({ cwd: dir, paths: [dir] }).projects, dir);
    expect(findings).toBeGreaterThan(100);
  });

  it('on generated files full of ranges that meet each other', () => {
    let findings = 0;
    let runs = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const { projects } = loadCompose(generated(seed));
      runs += projects.flatMap((p) => p.bindings).filter((b) => b.count > 1).length;
      findings += expectSameJudgement(projects, generated(seed));
    }
    // The generator must really produce runs and findings, or the comparison proves nothing.
    expect(runs).toBeGreaterThan(200);
    expect(findings).toBeGreaterThan(1000);
  });

  const corpus = process.env.PORTLINT_CORPUS;
  it.skipIf(!corpus)(corpus ? `on every file of the corpus at ${corpus}` : 'on the corpus (skipped: set PORTLINT_CORPUS)', () => {
    let findings = 0;
    for (const file of yamlFilesUnder(corpus!)) findings += expectSameJudgement(load({ cwd: dirname(file), files: [file] }).projects, file);
    expect(findings).toBeGreaterThan(500);
  });
});
