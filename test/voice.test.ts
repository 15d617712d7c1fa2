import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, run, tempProject } from './helpers';
import type { LintFinding, LintReport } from '../src/report/json-types';

/** One port entry, several rules: one finding per concern, the right fix first (src/engine/voice.ts). */
function report(fixture: string, args: string[] = []): LintReport {
  const r = run(['check', '--format', 'json', '--no-config', ...args, `fixtures/voice/${fixture}`], { env: { API_PORT: undefined } });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as LintReport;
}

const row = (f: LintFinding) => `${f.line}:${f.column} ${f.service} ${f.severity} ${f.ruleId}${f.also ? ` + ${f.also.map((a) => a.ruleId).join(', ')}` : ''}`;

describe('one voice per port entry', () => {
  it('hit: 22:22 gives one finding per concern, worst first, the others folded in and named', () => {
    const f = report('hit').findings.filter((x) => x.service === 'bastion');
    expect(f.map(row)).toEqual([
      '6:9 bastion error exposure/sensitive-port-public + exposure/unbound-publish',
      '6:9 bastion warning syntax/yaml11-number',
      '6:9 bastion info range/host-service + range/privileged-host-port',
    ]);
    // What folded in is still there to read, with its own severity.
    expect(f[0].also).toEqual([{ ruleId: 'exposure/unbound-publish', severity: 'warning', message: expect.stringContaining('publishes port 22 on every interface') }]);
    // The first line read is a fix that works: loopback, and another port where sshd holds 22 on loopback too.
    expect(f[0].message).toContain('write 127.0.0.1:22:22 (on a Linux host, sshd holds 22 there too: "127.0.0.1:2222:22")');
  });

  it('hit: a long-syntax entry whose host_ip line has a finding of its own is still one entry', () => {
    const f = report('hit').findings.filter((x) => x.service === 'db');
    expect(f.map(row)).toEqual(['10:9 db error exposure/sensitive-port-public + exposure/explicit-wildcard']);
    // The same advice explicit-wildcard gives for a written host_ip.
    expect(f[0].message).toContain('set host_ip: 127.0.0.1');
  });

  it('hit: two concerns on one entry stay two findings, and their advice agrees', () => {
    const f = report('hit').findings.filter((x) => x.service === 'api');
    expect(f.map(row)).toEqual(['16:9 api warning exposure/unbound-publish', '16:9 api warning syntax/unresolved-variable']);
    expect(f[0].message).toContain('API_PORT=127.0.0.1:8081');
    expect(f[1].message).toContain('${API_PORT:-8081}');
  });

  it('hit: services sharing an anchor keep a finding each, and the plain text names the service', () => {
    const json = report('hit').findings.filter((x) => x.line === 19 && x.ruleId === 'exposure/unbound-publish');
    expect(json.map((x) => x.service)).toEqual(['blue', 'green']);
    const text = run(['check', '--no-config', 'fixtures/voice/hit'], { env: { API_PORT: undefined } }).stdout;
    const lines = text.split('\n').filter((l) => l.includes('exposure/unbound-publish') && l.trimStart().startsWith('19:13'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\s+19:13\s+warning\s+blue\s+publishes port 9000/);
    expect(lines[1]).toMatch(/^\s+19:13\s+warning\s+green\s+publishes port 9000/);
    expect(text).toMatch(/\n\s+6:9\s+error\s+bastion\s+publishes SSH \(22\).+exposure\/sensitive-port-public \(also exposure\/unbound-publish\)\n/);
  });

  it('near miss: entries on one line are one voice each; a single finding has nothing folded', () => {
    const f = report('miss').findings;
    expect(f.map(row)).toEqual([
      '5:13 cache error exposure/sensitive-port-public + exposure/unbound-publish',
      '5:26 cache error exposure/sensitive-port-public + exposure/unbound-publish',
      '10:9 web warning exposure/unbound-publish',
    ]);
    expect(f[2].also).toBeUndefined();
  });

  it('near miss: with the speaking rule off, the folded one speaks for itself', () => {
    const f = report('hit', ['--rule', 'exposure/sensitive-port-public=off']).findings.filter((x) => x.service === 'bastion' || x.service === 'db');
    expect(f.map(row)).toEqual([
      '6:9 bastion warning exposure/unbound-publish',
      '6:9 bastion warning syntax/yaml11-number',
      '6:9 bastion info range/host-service + range/privileged-host-port',
      '12:18 db warning exposure/explicit-wildcard',
    ]);
  });

  it('a user severity ranks: the worse finding speaks, whichever rule it comes from', () => {
    const f = report('hit', ['--rule', 'range/privileged-host-port=error']).findings.filter((x) => x.service === 'bastion' && x.ruleId.startsWith('range/'));
    expect(f.map(row)).toEqual(['6:9 bastion error range/privileged-host-port + range/host-service']);
  });

  it('--fix still makes the fix a folded finding offered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portlint-voice-'));
    cpSync(join(FIXTURES, 'voice', 'miss'), dir, { recursive: true });
    run(['check', '--fix', '--no-config'], { cwd: dir });
    const text = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    expect(text).toContain('ports: ["127.0.0.1:5432:5432", "127.0.0.1:6379:6379"]');
  });

  it('SARIF results carry what folded in', () => {
    const r = run(['check', '--format', 'sarif', '--no-config', 'fixtures/voice/miss']);
    const results = JSON.parse(r.stdout).runs[0].results as Array<{ ruleId: string; properties: { also?: Array<{ ruleId: string }> } }>;
    expect(results.map((x) => [x.ruleId, x.properties.also?.map((a) => a.ruleId)])).toEqual([
      ['exposure/sensitive-port-public', ['exposure/unbound-publish']],
      ['exposure/sensitive-port-public', ['exposure/unbound-publish']],
      ['exposure/unbound-publish', undefined],
    ]);
  });
});

describe('one path base in messages', () => {
  const files = {
    'app/compose.yaml': 'services:\n  web:\n    image: x\n    ports: ["127.0.0.1:8080:80"]\n  api:\n    image: x\n    ports: ["127.0.0.1:8080:81"]\n',
  };

  it('a file a message names is relative to the working directory, as the finding’s own file is', () => {
    const dir = tempProject(files);
    const fromRoot = JSON.parse(run(['check', '--format', 'json', '--no-config', 'app'], { cwd: dir }).stdout) as LintReport;
    expect(fromRoot.findings[0].file).toBe('app/compose.yaml');
    expect(fromRoot.findings[0].message).toContain('already published by service web at app/compose.yaml:4:13');
    const inside = JSON.parse(run(['check', '--format', 'json', '--no-config'], { cwd: join(dir, 'app') }).stdout) as LintReport;
    expect(inside.findings[0].message).toContain('at compose.yaml:4:13');
  });

  it('the loader names the files of include and extends problems the same way', () => {
    const dir = tempProject({
      'app/compose.yaml': 'include:\n  - parts/missing.yaml\nservices:\n  web:\n    extends: { file: base/common.yaml, service: web }\n',
    });
    const r = JSON.parse(run(['check', '--format', 'json', '--no-config', 'app'], { cwd: dir }).stdout) as LintReport;
    expect(r.findings.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        'included file app/parts/missing.yaml does not exist',
        expect.stringMatching(/^extends: cannot load app\/base\/common\.yaml: /),
      ]),
    );
  });
});
