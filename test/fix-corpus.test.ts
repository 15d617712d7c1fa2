/**
 * Autofix round trip over a copy of the third-party corpus (PORTLINT_CORPUS): the real binary
 * runs `--fix` on every compose file of a temporary copy, then
 *   - no exposure/unbound-publish finding remains, except those that say why they were not fixed
 *     and the public-by-design ports (mail, DNS, HTTP(S), VPN), which --fix leaves alone by default;
 *   - every project loads to the same bindings, apart from the host IP (and so the listeners)
 *     of the bindings the fix bound to 127.0.0.1;
 *   - the text diff of each changed file touches only the lines of the port entries that had a
 *     fixable finding, plus inserted `host_ip: 127.0.0.1` lines.
 * The corpus itself is never written: only the temporary copy is.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffLines, splitLines } from '../src/fix/diff';
import type { LintFinding, PortsProject as JsonProject } from '../src/report/json-types';
import { run, yamlFilesUnder } from './helpers';

const CORPUS = process.env.PORTLINT_CORPUS;
const FIXABLE = new Set(['exposure/unbound-publish', 'syntax/yaml11-number']);

type JsonFinding = LintFinding & Required<Pick<LintFinding, 'file' | 'line' | 'column' | 'endLine'>>;

const suite = CORPUS ? describe : describe.skip;

/** The rules a finding speaks for: its own and those folded into it. */
const rulesOf = (f: JsonFinding) => [f.ruleId, ...(f.also ?? []).map((a) => a.ruleId)];

suite(CORPUS ? `autofix round trip over a copy of the corpus at ${CORPUS}` : 'autofix corpus round trip (skipped: set PORTLINT_CORPUS to the corpus directory to run)', () => {
  let dir = '';
  let files: string[] = [];
  const originals = new Map<string, string>();
  let before: { findings: JsonFinding[]; projects: JsonProject[] };
  let after: { findings: JsonFinding[]; projects: JsonProject[]; errors: number; beforeErrors: number };
  let fixRun: { stdout: string; stderr: string; status: number };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portlint-fix-corpus-'));
    cpSync(CORPUS!, dir, { recursive: true });
    files = yamlFilesUnder(dir).map((f) => relative(dir, f));
    // The corpus is read-only and its copy keeps the modes; --fix refuses read-only files, so the
    // copy is made writable, as a working tree is.
    spawnSync('chmod', ['-R', 'u+w', dir]);
    for (const f of files) originals.set(f, readFileSync(join(dir, f), 'utf8'));
    const check = run(['check', '--format', 'json', ...files], { cwd: dir });
    const ports = run(['ports', '--format', 'json', ...files], { cwd: dir });
    const checked = JSON.parse(check.stdout);
    before = { findings: checked.findings, projects: JSON.parse(ports.stdout).projects };
    fixRun = run(['check', '--fix', '--format', 'json', ...files], { cwd: dir });
    const fixed = JSON.parse(fixRun.stdout);
    const portsAfter = run(['ports', '--format', 'json', ...files], { cwd: dir });
    after = { findings: fixed.findings, projects: JSON.parse(portsAfter.stdout).projects, errors: fixed.errors.length, beforeErrors: checked.errors.length };
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no exposure/unbound-publish finding, except those that say why they were not fixed and public-by-design ports', () => {
    const left = after.findings.filter((f) => rulesOf(f).includes('exposure/unbound-publish'));
    const publicByDesign = left.filter((f) => f.severity === 'info' && / is meant to be public on /.test(f.message));
    expect(publicByDesign.length).toBeGreaterThan(0);
    const unexplained = left.filter((f) => !/not fixed automatically/i.test(f.message) && !publicByDesign.includes(f));
    expect(unexplained.map((f) => `${f.file}:${f.line}: ${f.message}`)).toEqual([]);
    expect(after.findings.filter((f) => f.ruleId === 'syntax/yaml11-number').map((f) => `${f.file}:${f.line}`)).toEqual([]);
    const fixedLine = /fixed (\d+) entr(?:y|ies) in (\d+) files?/.exec(fixRun.stderr);
    const changed = files.filter((f) => readFileSync(join(dir, f), 'utf8') !== originals.get(f));
    const counts = {
      'files fixed': changed.length,
      'entries fixed': fixedLine ? Number(fixedLine[1]) : 0,
      'unbound-publish before': before.findings.filter((f) => f.ruleId === 'exposure/unbound-publish').length,
      'yaml11-number before': before.findings.filter((f) => f.ruleId === 'syntax/yaml11-number').length,
      'entries explained, not fixed': left.length,
    };
    console.log(`autofix corpus round trip: ${JSON.stringify(counts)}`);
    expect(fixedLine?.[2]).toBe(String(changed.length));
    expect(counts['entries fixed']).toBeGreaterThan(0);
    expect(fixRun.stderr).not.toMatch(/not fixed: /);
  });

  it('loads every project to the same bindings, apart from the host IPs it bound to 127.0.0.1', () => {
    expect(after.errors).toBe(after.beforeErrors);
    expect(after.projects.map((p) => [p.name, p.files])).toEqual(before.projects.map((p) => [p.name, p.files]));
    let rebound = 0;
    before.projects.forEach((p, i) => {
      const a = after.projects[i].bindings;
      expect(a.length, `${p.name}: number of bindings`).toBe(p.bindings.length);
      p.bindings.forEach((b, j) => {
        const x = a[j];
        const where = `${p.name} ${b.file} ${b.service} ${b.spec}`;
        expect([x.file, x.service, x.hostPort, x.containerPort, x.protocol], where).toEqual([b.file, b.service, b.hostPort, b.containerPort, b.protocol]);
        if (b.hostIp === '' && x.hostIp === '127.0.0.1') {
          rebound++;
          expect(x.listeners.every((l) => l.startsWith('127.0.0.1:')), where).toBe(true);
        } else {
          expect([x.hostIp, x.listeners, x.spec], where).toEqual([b.hostIp, b.listeners, b.spec]);
        }
      });
    });
    expect(rebound).toBeGreaterThan(0);
  });

  it('changes only the lines of fixable port entries, and inserts only host_ip lines', () => {
    // Lines of the entries that had a fixable finding, per file (an entry may span lines).
    const itemLines = new Map<string, Set<number>>();
    for (const f of before.findings) {
      // A fixable finding may speak through another rule's on the same entry (one voice per concern).
      if (!rulesOf(f).some((id) => FIXABLE.has(id))) continue;
      const set = itemLines.get(f.file) ?? new Set<number>();
      for (let l = f.line; l <= f.endLine; l++) set.add(l);
      itemLines.set(f.file, set);
    }
    const problems: string[] = [];
    for (const file of files) {
      const old = originals.get(file)!;
      const now = readFileSync(join(dir, file), 'utf8');
      if (old === now) continue;
      const ops = diffLines(splitLines(old), splitLines(now));
      let oldLine = 0;
      let removed = 0;
      let replacements = 0;
      for (const op of ops) {
        if (op.kind !== '+') oldLine++;
        if (op.kind === '-') {
          removed++;
          if (!itemLines.get(file)?.has(oldLine)) problems.push(`${file}:${oldLine}: changed a line that holds no fixable port entry: ${JSON.stringify(op.line)}`);
        } else if (op.kind === '+') {
          if (/^\s*host_ip: 127\.0\.0\.1\r?\n?$/.test(op.line)) continue;
          replacements++;
          if (!op.line.includes('127.0.0.1') && !/^\s*-?\s*.*["']\d/.test(op.line)) problems.push(`${file}: unexpected new line ${JSON.stringify(op.line)}`);
        }
      }
      if (removed !== replacements) problems.push(`${file}: ${removed} lines changed but ${replacements} lines written in their place`);
      // Line endings: a CRLF file stays CRLF.
      if (old.includes('\r\n') && /[^\r]\n/.test(now) && !/[^\r]\n/.test(old)) problems.push(`${file}: lost its CRLF line endings`);
    }
    expect(problems).toEqual([]);
  });

  it('a second --fix changes nothing', () => {
    const snapshot = files.map((f) => readFileSync(join(dir, f), 'utf8'));
    const again = run(['check', '--fix', '--format', 'json', ...files], { cwd: dir });
    expect(again.stderr).not.toMatch(/fixed \d+ entr/);
    expect(files.map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(snapshot);
  });
});
