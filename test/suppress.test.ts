/**
 * Suppression comments: `portlint-disable-next-line`, `portlint-disable-line`, `portlint-disable`,
 * on the exact port item line (block, flow, long syntax, anchors), unknown rule ids, and
 * --report-unused-disable.
 */
import { describe, expect, it } from 'vitest';
import { applySuppressions, parseDirectives, scanComments } from '../src/engine/suppress';
import type { Finding } from '../src/engine/run';
import { run, tempProject } from './helpers';

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  service?: string;
  file: string;
  line: number;
  column: number;
  endColumn: number;
  also?: Array<{ ruleId: string }>;
}

/** Runs the binary on one compose file; returns its findings as "line ruleId". */
function lint(compose: string, args: string[] = [], others: Record<string, string> = {}): { rows: string[]; findings: JsonFinding[]; status: number } {
  const dir = tempProject({ 'compose.yaml': compose, ...others });
  const r = run(['--format', 'json', '--no-config', ...args], { cwd: dir });
  expect(r.stderr).toBe('');
  const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
  return { rows: findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`), findings, status: r.status };
}

const UNBOUND = 'exposure/unbound-publish';
const SENSITIVE = 'exposure/sensitive-port-public';

describe('scanning comments', () => {
  it('a # starts a comment at the start of a line or after whitespace, outside quotes', () => {
    const text = [
      '# top',
      'a: "x # not a comment" # one',
      "b: 'it''s # not' #two",
      'c: x#y',
      '  - "8080:80"   # three',
      'd: [ "a#b", \'#c\' ]  # four',
    ].join('\n');
    expect(scanComments(text).comments.map((c) => `${c.line}:${c.column} ${c.text.trim()}`)).toEqual(['1:1 top', '2:24 one', '3:18 two', '5:17 three', '6:21 four']);
  });

  it('quoted scalars across lines and block scalars hide what looks like comments', () => {
    const text = [
      'a: "first line',
      '  # portlint-disable inside a string"',
      'b: |',
      '  # portlint-disable inside a block scalar',
      '  more',
      'c: 1 # portlint-disable-line range/ephemeral',
      "d: it's plain # real",
    ].join('\n');
    expect(scanComments(text).comments.map((c) => `${c.line} ${c.text.trim()}`)).toEqual(['6 portlint-disable-line range/ephemeral', '7 real']);
  });

  it('parses kind, rules, reason and the target line (the next line with content)', () => {
    const text = [
      'services:',
      '  web:',
      '    ports:',
      '      # portlint-disable-next-line exposure/unbound-publish, range/ephemeral -- behind a proxy',
      '',
      '      # another comment',
      '      - "8080:80" # portlint-disable-line -- all of them',
      '# portlint-disable range/privileged-host-port',
      '#portlint-disabled is not a directive',
    ].join('\n');
    const ds = parseDirectives('/f.yaml', text);
    expect(ds.map((d) => ({ kind: d.kind, target: d.target, rules: d.rules.map((r) => `${r.id}@${r.loc.column}`), reason: d.reason, at: `${d.loc.line}:${d.loc.column}` }))).toEqual([
      { kind: 'disable-next-line', target: 7, rules: ['exposure/unbound-publish@36', 'range/ephemeral@62'], reason: 'behind a proxy', at: '4:7' },
      { kind: 'disable-line', target: 7, rules: [], reason: 'all of them', at: '7:19' },
      { kind: 'disable', target: undefined, rules: ['range/privileged-host-port@20'], reason: undefined, at: '8:1' },
    ]);
  });

  it('files without the marker are not scanned at all', () => {
    expect(parseDirectives('/f.yaml', 'a: 1 # portlint-enable x\n')).toEqual([]);
  });

  it('findings elsewhere in the file or in other files are untouched', () => {
    const f = (file: string, line: number): Finding => ({
      ruleId: UNBOUND,
      severity: 'warning',
      message: 'm',
      project: 'p',
      loc: { file, line, column: 1, endLine: line, endColumn: 2, offset: 0, endOffset: 1 },
    });
    const texts = new Map([['/a.yaml', 'x: 1\ny: 2 # portlint-disable-line\n']]);
    const r = applySuppressions([f('/a.yaml', 1), f('/a.yaml', 2), f('/b.yaml', 2)], texts, { knownRules: new Set([UNBOUND]), reportUnused: true, projectOf: () => 'p' });
    expect(r.suppressed).toBe(1);
    expect(r.findings.map((x) => `${x.loc.file}:${x.loc.line}`)).toEqual(['/a.yaml:1', '/b.yaml:2']);
  });
});

describe('suppression comments in compose files', () => {
  const two = (comment4: string, comment5 = '') =>
    `services:\n  web:\n    ports:\n      - "8080:80"${comment4}\n      - "9090:90"${comment5}\n`;

  it('control: both items are reported without comments', () => {
    expect(lint(two('')).rows).toEqual([`compose.yaml:4 ${UNBOUND}`, `compose.yaml:5 ${UNBOUND}`]);
  });

  it('portlint-disable-line at the end of the item line suppresses that item only', () => {
    expect(lint(two(` # portlint-disable-line ${UNBOUND} -- behind the proxy`)).rows).toEqual([`compose.yaml:5 ${UNBOUND}`]);
  });

  it('portlint-disable-next-line suppresses the next item only', () => {
    const compose = `services:\n  web:\n    ports:\n      # portlint-disable-next-line ${UNBOUND}\n      - "8080:80"\n      - "9090:90"\n`;
    expect(lint(compose).rows).toEqual([`compose.yaml:6 ${UNBOUND}`]);
  });

  it('a directive naming another rule suppresses nothing', () => {
    expect(lint(two(' # portlint-disable-line range/ephemeral')).rows).toEqual([`compose.yaml:4 ${UNBOUND}`, `compose.yaml:5 ${UNBOUND}`]);
  });

  it('several rules in one directive, with a reason; rules it does not name still report', () => {
    const compose = `services:\n  db:\n    ports:\n      # portlint-disable-next-line ${UNBOUND}, ${SENSITIVE} -- firewalled VPC\n      - "5432:5432"\n      - "6379:6379"\n`;
    const second = lint(compose);
    // The entry the directive does not cover keeps both findings, as one voice.
    expect(second.rows).toEqual([`compose.yaml:6 ${SENSITIVE}`]);
    expect(second.findings[0].also?.map((a) => a.ruleId)).toEqual([UNBOUND]);
    const one = `services:\n  db:\n    ports:\n      - "5432:5432" # portlint-disable-line ${UNBOUND}\n`;
    expect(lint(one).rows).toEqual([`compose.yaml:4 ${SENSITIVE}`]);
  });

  it('portlint-disable without rules suppresses every rule on that line', () => {
    expect(lint(`services:\n  db:\n    ports:\n      - "5432:5432" # portlint-disable-line\n`).rows).toEqual([]);
  });

  it('flow style: the comment after the list covers every item on that line', () => {
    const compose = `services:\n  web:\n    ports: ["8080:80", "5432:5432"] # portlint-disable-line ${UNBOUND}\n  api:\n    ports: ["8081:80"]\n`;
    expect(lint(compose).rows).toEqual([`compose.yaml:3 ${SENSITIVE}`, `compose.yaml:5 ${UNBOUND}`]);
  });

  it('long syntax: the line where the item starts', () => {
    const compose = `services:\n  web:\n    ports:\n      # portlint-disable-next-line ${UNBOUND}\n      - target: 80\n        published: "8080"\n      - target: 90\n        published: "9090"\n`;
    expect(lint(compose).rows).toEqual([`compose.yaml:7 ${UNBOUND}`]);
  });

  it('long syntax: the directive covers the whole entry, a finding on its host_ip line too; not the next entry', () => {
    const entry = (port: number) => `      - target: 80\n        published: "${port}"\n        host_ip: 0.0.0.0\n`;
    const compose = `services:\n  web:\n    ports:\n      # portlint-disable-next-line exposure/explicit-wildcard\n${entry(8080)}${entry(9090)}`;
    expect(lint(compose, ['--report-unused-disable']).rows).toEqual(['compose.yaml:10 exposure/explicit-wildcard']);
    const alone = `services:\n  web:\n    ports:\n${entry(8080)}`;
    expect(lint(alone).rows).toEqual(['compose.yaml:6 exposure/explicit-wildcard']);
  });

  it('anchors: a comment on the anchored item line covers every service that uses it', () => {
    const base = (comment: string) =>
      `x-ports: &web-ports\n  - "8080:80"${comment}\nservices:\n  a:\n    ports: *web-ports\n  b:\n    ports: *web-ports\n`;
    expect(lint(base('')).rows).toEqual(['compose.yaml:2 collision/host-port', `compose.yaml:2 ${UNBOUND}`, `compose.yaml:2 ${UNBOUND}`]);
    expect(lint(base(` # portlint-disable-line ${UNBOUND}`)).rows).toEqual(['compose.yaml:2 collision/host-port']);
  });

  it('portlint-disable <rule> covers the whole file, wherever it stands; without a rule, every rule', () => {
    const body = 'services:\n  db:\n    ports:\n      - "5432:5432"\n      - "21:21"\n';
    expect(lint(`${body}# portlint-disable ${UNBOUND} -- legacy file\n`).rows).toEqual([`compose.yaml:4 ${SENSITIVE}`, 'compose.yaml:5 range/privileged-host-port']);
    expect(lint(`# portlint-disable\n${body}`).rows).toEqual([]);
  });

  it('a comment in another file of the project covers findings located there only', () => {
    const r = lint('services:\n  web:\n    ports: ["8080:80"]\n', [], {
      'compose.override.yaml': `services:\n  web:\n    ports:\n      - "9090:90" # portlint-disable-line ${UNBOUND}\n      - "7070:70"\n`,
    });
    expect(r.rows).toEqual([`compose.override.yaml:5 ${UNBOUND}`, `compose.yaml:3 ${UNBOUND}`]);
  });

  it('text that only looks like a directive (in a string) suppresses nothing', () => {
    const compose = `services:\n  web:\n    command: "echo # portlint-disable"\n    ports:\n      - "8080:80"\n`;
    expect(lint(compose).rows).toEqual([`compose.yaml:5 ${UNBOUND}`]);
  });
});

describe('unknown rules and unused directives', () => {
  it('an unknown rule id is a warning at the id; the known ids of the directive still apply', () => {
    const compose = `services:\n  web:\n    ports:\n      - "8080:80" # portlint-disable-line exposure/unbound-publsh, ${UNBOUND}\n`;
    const r = lint(compose);
    expect(r.findings.map((f) => `${f.line}:${f.column}-${f.endColumn} ${f.ruleId} ${f.severity}`)).toEqual(['4:43-66 portlint/unknown-rule warning']);
    expect(r.findings[0].message).toContain('"exposure/unbound-publsh", which is not a portlint rule');
    expect(r.status).toBe(0);
  });

  it('--report-unused-disable reports a directive that suppressed nothing, at the comment', () => {
    const compose = `services:\n  web:\n    ports:\n      # portlint-disable-next-line ${SENSITIVE}\n      - "8080:80" # portlint-disable-line ${UNBOUND}\n`;
    expect(lint(compose).rows).toEqual([]);
    const r = lint(compose, ['--report-unused-disable']);
    expect(r.findings.map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.severity}`)).toEqual(['4:7 portlint/unused-disable warning']);
    expect(r.findings[0].message).toBe(`unused portlint-disable-next-line: no ${SENSITIVE} finding on line 5 to suppress`);
    const dir = tempProject({ 'compose.yaml': compose });
    expect(run(['--report-unused-disable', '--max-warnings', '0'], { cwd: dir }).status).toBe(1);
    expect(run(['--max-warnings', '0'], { cwd: dir }).status).toBe(0);
  });

  it('only the unused rule of a directive is reported; a directive for a rule that is off is not', () => {
    const compose = `services:\n  web:\n    ports:\n      - "8080:80" # portlint-disable-line ${UNBOUND}, ${SENSITIVE}, range/k8s-nodeport\n`;
    const r = lint(compose, ['--report-unused-disable']);
    expect(r.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`)).toEqual(['4:69 portlint/unused-disable']);
    expect(r.findings[0].message).toContain(`unused ${SENSITIVE} in portlint-disable-line`);
  });

  it('unused whole-file and all-rules directives are reported too', () => {
    const compose = `# portlint-disable range/ephemeral\nservices:\n  web:\n    ports:\n      - "127.0.0.1:8080:80" # portlint-disable-line\n`;
    const r = lint(compose, ['--report-unused-disable']);
    expect(r.findings.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([
      '1:1 unused portlint-disable: no range/ephemeral finding in this file to suppress',
      '5:29 unused portlint-disable-line: no finding on line 5 to suppress',
    ]);
  });

  it('reportUnusedDisable in the configuration file does the same', () => {
    const dir = tempProject({
      '.portlintrc.yaml': 'reportUnusedDisable: true\n',
      'compose.yaml': `services:\n  web:\n    ports:\n      - "127.0.0.1:8080:80" # portlint-disable-line ${UNBOUND}\n`,
    });
    const r = run(['--format', 'json'], { cwd: dir });
    expect((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.ruleId)).toEqual(['portlint/unused-disable']);
  });
});
