/**
 * The CI output formats (sarif, github, gitlab, junit) and -o/--output, from the real binary
 * on fixtures/formats: findings of every severity, a collision, a file that is not valid YAML
 * and a clean file. Every SARIF output is validated against the official SARIF 2.1.0 schema;
 * JUnit output is checked with a real XML parser (xmllint).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HAVE_SCHEMA, SCHEMA_PATH, validateSarif } from './sarif-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../rules';
import type { Finding } from '../src/engine/run';
import { escapeData, escapeProperty, formatGithub } from '../src/report/github';
import { formatGitlab } from '../src/report/gitlab';
import { formatJunit } from '../src/report/junit';
import { DOCS_BASE_URL, formatSarif } from '../src/report/sarif';
import type { Report } from '../src/report/format';
import { REPO, run, type RunResult } from './helpers';

const FIX = 'fixtures/formats';
const FORMATS = ['stylish', 'json', 'sarif', 'github', 'gitlab', 'junit'] as const;
const CI_FORMATS = ['sarif', 'github', 'gitlab', 'junit'] as const;
const FP = 'portlint/v1';

// ---------- SARIF schema ----------
if (!HAVE_SCHEMA) console.warn(`formats.test: SARIF schema validation skipped: no schema at ${SCHEMA_PATH} (set PORTLINT_SARIF_SCHEMA)`);
/** How many SARIF documents were validated against the schema (asserted at the end). */
let sarifValidated = 0;

function expectValidSarif(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  if (HAVE_SCHEMA) {
    const ok = validateSarif(log);
    expect(ok ? null : validateSarif.errors).toBeNull();
    sarifValidated++;
  }
  return log;
}

// ---------- xmllint ----------
const XMLLINT = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;
const REQUIRE_XMLLINT = process.env.PORTLINT_REQUIRE_XMLLINT === '1';
if (!XMLLINT && !REQUIRE_XMLLINT) console.warn('formats.test: JUnit XML parsing skipped: xmllint is not installed (Debian: apt-get install libxml2-utils)');

function xmllint(args: string[], xml: string) {
  return spawnSync('xmllint', [...args, '-'], { input: xml, encoding: 'utf8' });
}

// ---------- shapes ----------
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }>;
  relatedLocations?: Array<{ id: number; physicalLocation: { artifactLocation: { uri: string } }; message: { text: string } }>;
  partialFingerprints: Record<string, string>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: string; enabled?: boolean };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Array<{ level: string; message: { text: string }; locations?: unknown[] }> }>;
    originalUriBaseIds: Record<string, { uri: string }>;
    results: SarifResult[];
  }>;
}
interface JsonFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
interface JsonReport {
  findings: JsonFinding[];
  errors: Array<{ file: string; line: number; column: number; message: string }>;
}
interface GitlabIssue {
  type: string;
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  categories: string[];
  location: { path: string; lines: { begin: number; end?: number } };
}

function json(args: string[], opts: Parameters<typeof run>[1] = {}): JsonReport {
  return JSON.parse(run([...args, '--format', 'json'], opts).stdout) as JsonReport;
}

const temps: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'portlint-formats-'));
  temps.push(d);
  return d;
}
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});


/** A finding's message as the CI formats show it: with its service. */
const shownMessage = (f: { service?: string; message: string }) => (f.service !== undefined ? `service ${f.service}: ${f.message}` : f.message);

describe('fixtures/formats', () => {
  it('has findings of every severity, a collision, a load error and a clean file', () => {
    const all = json(['check', FIX]);
    expect(new Set(all.findings.map((f) => f.severity))).toEqual(new Set(['error', 'warning', 'info']));
    expect(all.findings.some((f) => f.ruleId === 'collision/host-port')).toBe(true);
    expect(all.errors.map((e) => e.file)).toEqual([`${FIX}/broken/compose.yaml`]);
    expect(all.findings.some((f) => f.file.includes('/clean/'))).toBe(false);
  });
});

describe('exit codes do not depend on the format', () => {
  const cases: Array<[string, number]> = [
    [FIX, 2],
    [`${FIX}/app`, 1],
    [`${FIX}/clean`, 0],
  ];
  for (const [path, code] of cases) {
    it(`${path} exits ${code} in every format, with and without -o`, () => {
      for (const format of FORMATS) {
        expect(run(['check', path, '--format', format]).status, format).toBe(code);
        const out = join(tempDir(), `report.${format}`);
        expect(run(['check', path, '--format', format, '-o', out]).status, `${format} -o`).toBe(code);
      }
    });
  }

  it('an unknown format is a usage error (exit 2) that lists the formats', () => {
    const r = run(['check', FIX, '--format', 'xml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/stylish.*json.*sarif.*github.*gitlab.*junit/);
  });
});

describe('--output', () => {
  it('writes the report to the file, prints nothing on stdout, and leaves no temporary file', () => {
    for (const format of FORMATS) {
      const dir = tempDir();
      const out = join(dir, 'nested', 'dir', `report.${format}`);
      const r = run(['check', FIX, '--format', format, '--output', out]);
      expect(r.stdout, format).toBe('');
      const written = readFileSync(out, 'utf8');
      expect(written, format).toBe(run(['check', FIX, '--format', format]).stdout);
      expect(readdirSync(join(dir, 'nested', 'dir'))).toEqual([`report.${format}`]);
      if (format === 'sarif') expectValidSarif(written);
    }
  });

  it('replaces an existing file', () => {
    const out = join(tempDir(), 'r.json');
    writeFileSync(out, 'old content that is longer than nothing');
    expect(run(['check', `${FIX}/clean`, '--format', 'json', '-o', out]).status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).findings).toEqual([]);
  });

  it('a file that cannot be written is exit 2 with the reason', () => {
    const dir = tempDir();
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    const r = run(['check', `${FIX}/clean`, '--format', 'sarif', '-o', join(blocker, 'r.sarif')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot write the report to .*r\.sarif/);
  });
});

describe('formatters are loaded only when asked for', () => {
  const probe = () => {
    const dir = tempDir();
    const file = join(dir, 'probe.js');
    writeFileSync(
      file,
      `process.on('exit', () => { process.stderr.write('LOADED:' + JSON.stringify(Object.keys(require.cache).filter((k) => /report[\\\\/](sarif|github|gitlab|junit)\\.js$/.test(k)).map((k) => k.replace(/^.*[\\\\/]/, '')))); });\n`,
    );
    return file;
  };
  const loaded = (r: RunResult) => JSON.parse(/LOADED:(.*)$/.exec(r.stderr)![1]) as string[];

  it('stylish loads none of the CI formatters; sarif loads only sarif', () => {
    const p = probe();
    // The modules build: the bundle (dist/portlint.js) initializes formatters lazily too, but not through require.cache.
    const env = { NODE_OPTIONS: `--require ${p}`, PORTLINT_NO_BUNDLE: '1' };
    expect(loaded(run(['check', `${FIX}/app`], { env }))).toEqual([]);
    expect(loaded(run(['check', `${FIX}/app`, '--format', 'json'], { env }))).toEqual([]);
    expect(loaded(run(['check', `${FIX}/app`, '--format', 'sarif'], { env }))).toEqual(['sarif.js']);
    expect(loaded(run(['check', `${FIX}/app`, '--format', 'junit'], { env }))).toEqual(['junit.js']);
  });
});

describe('sarif', () => {
  let log: SarifLog;
  let r: RunResult;
  let all: JsonReport;
  beforeAll(() => {
    r = run(['check', FIX, '--format', 'sarif']);
    all = json(['check', FIX]);
    log = JSON.parse(r.stdout) as SarifLog;
  });

  it.skipIf(!HAVE_SCHEMA)(`validates against the SARIF 2.1.0 schema${HAVE_SCHEMA ? '' : ` (skipped: no schema at ${SCHEMA_PATH})`}`, () => {
    expectValidSarif(r.stdout);
    expectValidSarif(run(['check', `${FIX}/clean`, '--format', 'sarif']).stdout);
    expectValidSarif(run(['check', `${FIX}/app`, '--format', 'sarif']).stdout);
    expectValidSarif(run(['check', 'fixtures/basic', '--format', 'sarif']).stdout);
    expectValidSarif(run(['check', `${FIX}/app`, '--format', 'sarif', '--quiet', '--rule', 'range/k8s-nodeport=error']).stdout);
  });

  it.skipIf(!HAVE_SCHEMA)(`the schema check is not vacuous: it rejects a broken log${HAVE_SCHEMA ? '' : ' (skipped: no schema)'}`, () => {
    const broken = JSON.parse(r.stdout) as SarifLog;
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validateSarif(broken)).toBe(false);
    const badLevel = JSON.parse(r.stdout) as SarifLog;
    badLevel.runs[0].results[0].level = 'info';
    expect(validateSarif(badLevel)).toBe(false);
  });

  it('has $schema, version 2.1.0 and one run of portlint', () => {
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('portlint');
    expect(driver.version).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
    expect(driver.informationUri).toMatch(/^https:\/\//);
  });

  it('describes every rule of the catalogue, with help from its doc page and a link to it', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((x) => x.id)).toEqual(catalogue.map((x) => x.meta.id));
    for (const [i, rule] of rules.entries()) {
      const meta = catalogue[i].meta;
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(rule.shortDescription.text).toBe(meta.description);
      expect(rule.fullDescription.text.length).toBeGreaterThan(20);
      // Every page exists (the docs tests check that); a missing one falls back to a link.
      const pagePath = join(REPO, meta.docs);
      if (existsSync(pagePath)) {
        expect(rule.help.markdown).toBe(readFileSync(pagePath, 'utf8'));
        expect(rule.help.text).toContain('How to fix');
        expect(rule.help.text).not.toMatch(/^#/m);
      } else {
        expect(rule.help.markdown).toContain(DOCS_BASE_URL + meta.docs);
      }
      expect(rule.helpUri).toBe(DOCS_BASE_URL + meta.docs);
      expect(rule.helpUri).toMatch(/^https:\/\/github\.com\/portlint\/portlint\/blob\/main\/docs\/rules\/[a-z]+\/[a-z0-9-]+\.md$/);
      const level = { error: 'error', warning: 'warning', info: 'note', off: 'note' }[meta.defaultSeverity];
      expect(rule.defaultConfiguration.level, rule.id).toBe(level);
      if (meta.defaultSeverity === 'off') expect(rule.defaultConfiguration.enabled).toBe(false);
    }
  });

  it('has one result per finding with rule, level, message and a repository-relative region', () => {
    const results = log.runs[0].results;
    const rules = log.runs[0].tool.driver.rules;
    expect(results).toHaveLength(all.findings.length);
    for (const [i, res] of results.entries()) {
      const f = all.findings[i];
      expect(res.ruleId).toBe(f.ruleId);
      expect(rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(res.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[f.severity]);
      // CI systems show the service with the message: services sharing an anchor share its lines.
      expect(res.message.text).toBe(shownMessage(f));
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: f.file, uriBaseId: '%SRCROOT%' });
      expect(loc.artifactLocation.uri).not.toMatch(/^\/|\\|^\.\.?\//);
      expect(loc.region).toEqual({ startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn });
    }
    expect(new Set(results.map((x) => x.level))).toEqual(new Set(['error', 'warning', 'note']));
    // A file URI: a space in the checkout's path is %20.
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`${pathToFileURL(REPO).href}/`);
  });

  it('a collision points at the earlier binding in relatedLocations', () => {
    const collision = log.runs[0].results.find((x) => x.ruleId === 'collision/host-port')!;
    expect(collision.relatedLocations).toHaveLength(1);
    const rel = collision.relatedLocations![0] as unknown as SarifResult['locations'][0] & { message: { text: string } };
    expect(rel.physicalLocation.artifactLocation.uri).toBe(`${FIX}/app/compose.yaml`);
    expect(rel.physicalLocation.region.startLine).toBe(8);
    expect(rel.message.text).toMatch(/service web/);
  });

  it('a file that could not be loaded is a tool execution notification, and the run is not successful', () => {
    const inv = log.runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications).toHaveLength(1);
    const n = inv.toolExecutionNotifications![0];
    expect(n.level).toBe('error');
    expect(n.message.text).toMatch(/not valid YAML/);
    expect(JSON.stringify(n.locations)).toContain(`"uri":"${FIX}/broken/compose.yaml"`);
    const clean = JSON.parse(run(['check', `${FIX}/clean`, '--format', 'sarif']).stdout) as SarifLog;
    expect(clean.runs[0].invocations[0]).toEqual({ executionSuccessful: true });
    expect(clean.runs[0].results).toEqual([]);
  });

  it('every result has a distinct fingerprint', () => {
    const prints = log.runs[0].results.map((x) => x.partialFingerprints[FP]);
    expect(prints.every((p) => /^[0-9a-f]{64}$/.test(p))).toBe(true);
    expect(new Set(prints).size).toBe(prints.length);
  });
});

describe('fingerprints (sarif partialFingerprints, gitlab fingerprint)', () => {
  const sarifPrints = (cwd: string) => {
    const out = run(['check', '--format', 'sarif'], { cwd }).stdout;
    const res = expectValidSarif(out).runs[0].results;
    return res.map((x) => ({ rule: x.ruleId, line: x.locations[0].physicalLocation.region.startLine, fp: x.partialFingerprints[FP] }));
  };
  const copyApp = () => {
    const dir = tempDir();
    cpSync(join(REPO, FIX, 'app'), dir, { recursive: true });
    return dir;
  };

  it('are identical across runs, and across checkouts in different folders', () => {
    const a = copyApp();
    const b = copyApp();
    const first = sarifPrints(a);
    expect(first.length).toBeGreaterThan(4);
    expect(sarifPrints(a)).toEqual(first);
    expect(sarifPrints(b)).toEqual(first);
  });

  it('do not change when lines are inserted above the findings (messages with file:line references included)', () => {
    const dir = copyApp();
    const before = sarifPrints(dir);
    const file = join(dir, 'compose.yaml');
    const text = readFileSync(file, 'utf8');
    const moved = text
      .replace(/^name: shop$/m, '# two lines\n# inserted at the top\nname: shop')
      .replace(/^ {2}admin:$/m, '  # and one above admin\n  admin:');
    writeFileSync(file, moved);
    const after = sarifPrints(dir);
    expect(after.map((x) => x.line)).not.toEqual(before.map((x) => x.line));
    expect(after.map((x) => [x.rule, x.fp])).toEqual(before.map((x) => [x.rule, x.fp]));
    // The collision message names the earlier entry as compose.yaml:<line>:<column>, which moved.
    const msg = (cwd: string) => json(['check'], { cwd }).findings.find((f) => f.ruleId === 'collision/host-port')!.message;
    expect(msg(dir)).toMatch(/compose\.yaml:10:9/);
  });

  it('change when the finding changes (another port)', () => {
    const dir = copyApp();
    const before = sarifPrints(dir);
    const file = join(dir, 'compose.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"localhost:6380:6379"', '"localhost:6381:6379"'));
    const after = sarifPrints(dir);
    const pick = (xs: typeof before) => xs.find((x) => x.rule === 'syntax/host-ip-not-ip')!.fp;
    expect(pick(after)).not.toBe(pick(before));
    expect(after.filter((x) => x.rule !== 'syntax/host-ip-not-ip')).toEqual(before.filter((x) => x.rule !== 'syntax/host-ip-not-ip'));
  });

  it('gitlab uses the same fingerprints as sarif', () => {
    const dir = copyApp();
    const issues = JSON.parse(run(['check', '--format', 'gitlab'], { cwd: dir }).stdout) as GitlabIssue[];
    expect(issues.map((x) => x.fingerprint)).toEqual(sarifPrints(dir).map((x) => x.fp));
  });
});

// ---------- github ----------
const PROP = '[A-Za-z]+=[^,:\\r\\n]*';
const WORKFLOW_COMMAND = new RegExp(`^::(error|warning|notice)(?: ${PROP}(?:,${PROP})*)?::[^\\r\\n]*$`);
const decodeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const decodeProperty = (s: string) => decodeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

interface Annotation {
  command: string;
  props: Record<string, string>;
  message: string;
}
function parseCommands(out: string): Annotation[] {
  const lines = out.split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((line) => {
    expect(line).toMatch(WORKFLOW_COMMAND);
    const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line)!;
    const props: Record<string, string> = {};
    for (const p of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = p.indexOf('=');
      props[p.slice(0, eq)] = decodeProperty(p.slice(eq + 1));
    }
    return { command: m[1], props, message: decodeData(m[3]) };
  });
}

describe('github', () => {
  it('prints one workflow command per finding and load error, in the workflow-command grammar', () => {
    const r = run(['check', FIX, '--format', 'github']);
    const all = json(['check', FIX]);
    expect(r.status).toBe(2);
    const cmds = parseCommands(r.stdout);
    expect(cmds).toHaveLength(all.findings.length + all.errors.length);
    const load = cmds.filter((c) => c.props.title === 'portlint: file not loaded');
    expect(load).toHaveLength(1);
    expect(load[0]).toMatchObject({ command: 'error', props: { file: `${FIX}/broken/compose.yaml` } });
    const findings = cmds.filter((c) => c.props.title !== 'portlint: file not loaded');
    for (const [i, c] of findings.entries()) {
      const f = all.findings[i];
      expect(c.command).toBe({ error: 'error', warning: 'warning', info: 'notice' }[f.severity]);
      expect(c.props.title).toBe(f.ruleId);
      expect(c.props.file).toBe(f.file);
      expect(Number(c.props.line)).toBe(f.line);
      expect(c.message).toBe(shownMessage(f));
      if (f.endLine === f.line) {
        expect(Number(c.props.col)).toBe(f.column);
        expect(Number(c.props.endLine)).toBe(f.line);
        expect(Number(c.props.endColumn)).toBe(f.endColumn - 1);
      } else {
        // Columns only on one line: a multi-line span (long syntax) gives lines only.
        expect(c.props.col).toBeUndefined();
        expect(Number(c.props.endLine)).toBeGreaterThan(f.line);
      }
    }
    expect(new Set(cmds.map((c) => c.command))).toEqual(new Set(['error', 'warning', 'notice']));
  });

  it('escapes %, :, and , in properties and % in messages (a folder named "odd,dir:100%", an IPv6 zone)', () => {
    const dir = tempDir();
    const sub = join(dir, 'odd,dir:100%');
    mkdirSync(sub);
    writeFileSync(join(sub, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    ports:\n      - "fe80::1%eth0:8080:80"\n      - "8080:80"\n');
    const r = run(['check', '.', '--format', 'github'], { cwd: dir });
    expect(r.stdout).toContain('file=odd%2Cdir%3A100%25/compose.yaml');
    const cmds = parseCommands(r.stdout);
    expect(cmds.length).toBeGreaterThan(1);
    for (const c of cmds) expect(c.props.file).toBe('odd,dir:100%/compose.yaml');
    const zone = cmds.find((c) => c.message.includes('fe80::1%eth0'));
    expect(zone).toBeDefined();
    expect(r.stdout).toContain('fe80::1%25eth0');
  });

  it('escaping functions follow the runner: data %, CR, LF; properties also : and ,', () => {
    expect(escapeData('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext: a,b');
    expect(escapeProperty('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext%3A a%2Cb');
    expect(escapeData('%0A')).toBe('%250A');
  });
});

// ---------- gitlab ----------
describe('gitlab', () => {
  it('is a Code Quality JSON array with description, check_name, fingerprint, severity and location', () => {
    const r = run(['check', FIX, '--format', 'gitlab']);
    const all = json(['check', FIX]);
    expect(r.status).toBe(2);
    const issues = JSON.parse(r.stdout) as GitlabIssue[];
    expect(Array.isArray(issues)).toBe(true);
    expect(issues).toHaveLength(all.findings.length + all.errors.length);
    for (const i of issues) {
      expect(Object.keys(i).sort()).toEqual(['categories', 'check_name', 'description', 'fingerprint', 'location', 'severity', 'type']);
      expect(i.type).toBe('issue');
      expect(i.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(i.severity);
      expect(i.location.path).not.toMatch(/^\/|^\.\.?\//);
      expect(Number.isInteger(i.location.lines.begin) && i.location.lines.begin >= 1).toBe(true);
      expect(i.categories.length).toBe(1);
    }
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    const load = issues.filter((i) => i.check_name === 'portlint/load-error');
    expect(load).toHaveLength(1);
    expect(load[0]).toMatchObject({ severity: 'critical', location: { path: `${FIX}/broken/compose.yaml` } });
    const findings = issues.filter((i) => i.check_name !== 'portlint/load-error');
    for (const [n, i] of findings.entries()) {
      const f = all.findings[n];
      expect(i).toMatchObject({ check_name: f.ruleId, description: shownMessage(f), location: { path: f.file, lines: { begin: f.line } } });
      expect(i.severity).toBe({ error: 'major', warning: 'minor', info: 'info' }[f.severity]);
      if (f.ruleId.startsWith('exposure/')) expect(i.categories).toEqual(['Security']);
      if (f.ruleId.startsWith('collision/')) expect(i.categories).toEqual(['Bug Risk']);
      if (f.ruleId.startsWith('range/')) expect(i.categories).toEqual(['Compatibility']);
    }
  });

  it('is an empty array when there is nothing to report', () => {
    const r = run(['check', `${FIX}/clean`, '--format', 'gitlab']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

// ---------- junit ----------
describe('junit', () => {
  const needParser = !XMLLINT && !REQUIRE_XMLLINT;
  const title = (t: string) => `${t}${needParser ? ' (skipped: xmllint is not installed)' : ''}`;

  it.skipIf(needParser)(title('is well-formed XML (xmllint) with a test case per file, a failure per finding, load errors as errors'), () => {
    expect(XMLLINT, 'PORTLINT_REQUIRE_XMLLINT=1 but xmllint is not installed (apt-get install libxml2-utils)').toBe(true);
    const r = run(['check', FIX, '--format', 'junit']);
    const all = json(['check', FIX]);
    expect(r.status).toBe(2);
    const lint = xmllint(['--noout'], r.stdout);
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    const xpath = (q: string) => xmllint(['--xpath', q], r.stdout).stdout.trim();
    expect(xpath('count(/testsuites/testsuite)')).toBe('1');
    expect(xpath('count(//testcase)')).toBe('3');
    expect(xpath('count(//testcase/failure)')).toBe(String(all.findings.length));
    expect(xpath(`count(//testcase[@name="${FIX}/app/compose.yaml"]/failure)`)).toBe(String(all.findings.length));
    expect(xpath(`count(//testcase[@name="${FIX}/clean/compose.yaml"]/*)`)).toBe('0');
    expect(xpath(`count(//testcase[@name="${FIX}/broken/compose.yaml"]/error)`)).toBe('1');
    expect(xpath('string(/testsuites/@tests)')).toBe('3');
    expect(xpath('string(/testsuites/@failures)')).toBe('1');
    expect(xpath('string(/testsuites/@errors)')).toBe('1');
    expect(xpath('string(//failure[@type="collision/host-port"]/@message)')).toBe(all.findings.find((f) => f.ruleId === 'collision/host-port')!.message);
    const first = all.findings[0];
    expect(xpath(`string(//failure[1])`)).toContain(`${first.file}:${first.line}:${first.column} ${first.severity} ${first.ruleId}`);
    // Attribute values carry quotes and apostrophes from the messages intact.
    expect(xpath('string(//failure[@type="exposure/unbound-publish"][1]/@message)')).toContain(`"127.0.0.1:21:80"`);
  });

  it.skipIf(needParser)(title('escapes markup and control characters (a folder named with & < > " \' and U+0001)'), () => {
    expect(XMLLINT, 'PORTLINT_REQUIRE_XMLLINT=1 but xmllint is not installed (apt-get install libxml2-utils)').toBe(true);
    const dir = tempDir();
    const name = `a&b<c>"d'e\u0001f`;
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n');
    const r = run(['check', '.', '--format', 'junit'], { cwd: dir });
    expect(r.status).toBe(0);
    const lint = xmllint(['--noout'], r.stdout);
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    expect(r.stdout).not.toContain('\u0001');
    const got = xmllint(['--xpath', 'string(//testcase/@name)'], r.stdout).stdout.replace(/\n$/, '');
    expect(got).toBe(`a&b<c>"d'e\\u0001f/compose.yaml`);
  });

  it('lists files without findings as passing test cases', () => {
    const r = run(['check', `${FIX}/clean`, '--format', 'junit']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(r.stdout).toContain(`<testcase classname="portlint" name="${FIX}/clean/compose.yaml" file="${FIX}/clean/compose.yaml" time="0"/>`);
    expect(r.stdout).toContain('tests="1" failures="0" errors="0"');
  });
});

// ---------- findings without a file (a running container) ----------
describe('a finding without a file (live audit of a container)', () => {
  const root = '/repo';
  const loc = { file: '', line: 0, column: 0, endLine: 0, endColumn: 0, offset: 0, endOffset: 0 };
  const fileLoc = { file: '/repo/compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 18, offset: 40, endOffset: 49 };
  const findings: Finding[] = [
    { ruleId: 'exposure/unbound-publish', severity: 'warning', message: 'container publishes 8080 on every interface', project: 'shop', service: 'web', loc, container: { id: 'f00d', name: 'shop-web-1', project: 'shop' } },
    { ruleId: 'exposure/unbound-publish', severity: 'warning', message: 'publishes 8080, 100% open\nsecond line', project: 'shop', service: 'web', loc: fileLoc, related: [{ loc, message: 'running as shop-web-1' }] },
  ];
  const report: Report = { findings, errors: [], files: 1, cwd: root, checked: ['/repo/compose.yaml'] };
  const rules = catalogue.map((x) => ({ id: x.meta.id, description: x.meta.description, defaultSeverity: x.meta.defaultSeverity, docs: x.meta.docs }));

  it('sarif: a run notification naming the container (GitHub rejects results without a file); still schema-valid', () => {
    const text = formatSarif(report, { root, toolVersion: '1.0.0', rules });
    const log = expectValidSarif(text);
    expect(log.runs[0].results).toHaveLength(1);
    expect(log.runs[0].results[0].relatedLocations).toBeUndefined();
    const n = log.runs[0].invocations[0].toolExecutionNotifications!;
    expect(n).toHaveLength(1);
    expect(n[0]).toMatchObject({ level: 'warning', message: { text: 'shop-web-1: container publishes 8080 on every interface' } });
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  it('github: an annotation without file properties; message newlines and % escaped', () => {
    const cmds = parseCommands(formatGithub(report, { root }));
    expect(cmds[0]).toEqual({ command: 'warning', props: { title: 'exposure/unbound-publish' }, message: 'shop-web-1: container publishes 8080 on every interface' });
    expect(cmds[1].message).toBe('service web: publishes 8080, 100% open\nsecond line');
  });

  it('gitlab: the container stands as the path', () => {
    const issues = JSON.parse(formatGitlab(report, { root })) as GitlabIssue[];
    expect(issues[0].location).toEqual({ path: 'shop-web-1', lines: { begin: 1, end: 1 } });
    expect(issues[0].fingerprint).not.toBe(issues[1].fingerprint);
  });

  it.skipIf(!XMLLINT && !REQUIRE_XMLLINT)('junit: a test case for the container; well-formed', () => {
    const xml = formatJunit(report, { root });
    expect(xml).toContain('name="container shop-web-1"');
    expect(xml).toContain('name="compose.yaml"');
    expect(xmllint(['--noout'], xml).status).toBe(0);
  });
});

describe('schema validation ran', () => {
  it.skipIf(!HAVE_SCHEMA)('validated every SARIF output produced above', () => {
    expect(sarifValidated).toBeGreaterThanOrEqual(10);
  });
});
