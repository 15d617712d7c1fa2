import { describe, expect, it } from 'vitest';
import { run, tempProject } from './helpers';

describe('portlint ports', () => {
  it('prints the model as JSON with the public field names', () => {
    const r = run(['ports', 'fixtures/example', '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toEqual([]);
    expect(out.projects).toHaveLength(1);
    const p = out.projects[0];
    expect(p.name).toBe('shop');
    expect(p.files).toEqual(['fixtures/example/compose.yaml', 'fixtures/example/compose.override.yaml']);
    expect(p.bindings[0]).toMatchObject({
      service: 'proxy', hostIp: '', hostPort: '80', containerPort: 80, protocol: 'tcp',
      listeners: ['0.0.0.0:80/tcp', '[::]:80/tcp'], file: 'fixtures/example/compose.yaml', line: 7, column: 9,
    });
    expect(p.bindings.find((b: { service: string; hostPort: string }) => b.service === 'metrics')).toMatchObject({ hostPort: '5000', containerPort: 9090, line: 20 });
    expect(p.bindings.map((b: { file: string }) => b.file)).toContain('fixtures/example/compose.override.yaml');
  });

  it('prints a table with project, service, host, container and source', () => {
    const r = run(['ports', 'fixtures/example']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^PROJECT\s+SERVICE\s+HOST\s+CONTAINER\s+SOURCE$/);
    expect(r.stdout).toMatch(/shop\s+proxy\s+0\.0\.0\.0:80, \[::\]:80\s+80\/tcp\s+fixtures\/example\/compose\.yaml:7:9/);
  });

  it('reports a broken file with line and column, exits 2, and still loads the other projects', () => {
    const r = run(['ports', 'fixtures/broken', '--format', 'json']);
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ file: 'fixtures/broken/compose.yaml', line: 6 });
    expect(out.errors[0].column).toBeGreaterThan(0);
    expect(out.projects.flatMap((p: { bindings: unknown[] }) => p.bindings)).toContainEqual(expect.objectContaining({ service: 'api', hostIp: '127.0.0.1', hostPort: '9000' }));
    expect(r.stderr).toContain('fixtures/broken/compose.yaml:6:');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('does not claim a broken file publishes nothing', () => {
    const r = run(['ports', 'fixtures/broken/compose.yaml']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('No published ports in the files that loaded.\n');
    expect(r.stderr).toMatch(/compose\.yaml:6:\d+: not valid YAML/);
  });

  it('exits 2 with a clear message when there is nothing to check', () => {
    const dir = tempProject({ 'README.md': 'no compose here' });
    const r = run(['ports'], { cwd: dir, env: { COMPOSE_FILE: undefined } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no compose file found/);
  });

  it('exits 2 for a path that does not exist', () => {
    const r = run(['ports', 'fixtures/does-not-exist']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no such file or directory');
  });
});

describe('portlint check', () => {
  it('exits 0 when only warnings and infos are found', () => {
    const r = run(['fixtures/example']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('fixtures/example/compose.yaml');
    // nginx publishing 80 is public by design: a note, not a warning.
    expect(r.stdout).toMatch(/7:9\s+info\s+.*HTTP is meant to be public.*exposure\/unbound-publish/);
    expect(r.stdout).toMatch(/problems \(0 errors, \d+ warnings, \d+ infos\)/);
  });

  it('exits 1 on error findings, with stylish lines line:col severity service message rule', () => {
    const r = run(['check', 'fixtures/session']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/\n\s+9:9\s+error\s+api\s+.+collision\/host-port\n/);
    // The unbound-publish finding of the same entry speaks through this one, and is named with it.
    expect(r.stdout).toMatch(/\n\s+13:9\s+error\s+db\s+publishes PostgreSQL.+exposure\/sensitive-port-public \(also exposure\/unbound-publish\)\n/);
    expect(r.stdout).not.toMatch(/\n\s+13:9\s+warning/);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('JSON output has the public contract fields', () => {
    const r = run(['check', 'fixtures/session', '--format', 'json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['findings', 'errors', 'summary']);
    const collision = out.findings.find((f: { ruleId: string }) => f.ruleId === 'collision/host-port');
    expect(collision).toMatchObject({
      severity: 'error', project: 'session', service: 'api', file: 'fixtures/session/compose.yaml', line: 9, column: 9,
      binding: { hostIp: '127.0.0.1', hostPort: '8080', containerPort: 4000, protocol: 'tcp', count: 1 },
    });
    expect(out.summary).toMatchObject({ errors: 2, loadErrors: 0, files: 1 });
    expect(out.summary.warnings).toBeGreaterThan(0);
  });

  it('--rule changes severities for one run', () => {
    const r = run(['fixtures/session', '--rule', 'collision/host-port=warning', '--rule', 'exposure/sensitive-port-public=off', '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.findings.some((f: { ruleId: string }) => f.ruleId === 'exposure/sensitive-port-public')).toBe(false);
    expect(out.findings.find((f: { ruleId: string }) => f.ruleId === 'collision/host-port').severity).toBe('warning');
  });

  it('--max-warnings turns too many warnings into exit 1', () => {
    expect(run(['fixtures/example', '--max-warnings', '100']).status).toBe(0);
    const r = run(['fixtures/example', '--max-warnings', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/warnings, more than --max-warnings 0/);
  });

  it('--quiet reports errors only', () => {
    const r = run(['fixtures/session', '--quiet', '--format', 'json']);
    const out = JSON.parse(r.stdout);
    expect(out.findings.length).toBeGreaterThan(0);
    expect(out.findings.every((f: { severity: string }) => f.severity === 'error')).toBe(true);
  });

  it('--platform selects platform ranges', () => {
    const linux = JSON.parse(run(['fixtures/example', '--platform', 'linux', '--format', 'json']).stdout);
    const macos = JSON.parse(run(['fixtures/example', '--platform', 'macos', '--format', 'json']).stdout);
    expect(linux.findings.some((f: { ruleId: string }) => f.ruleId === 'range/macos-reserved')).toBe(false);
    expect(macos.findings.some((f: { ruleId: string }) => f.ruleId === 'range/macos-reserved')).toBe(true);
  });

  it('bad usage exits 2 with a message and no stack trace', () => {
    for (const args of [['--rule', 'exposure/nope=off', 'fixtures/example'], ['--rule', 'exposure/unbound-publish=loud', 'fixtures/example'], ['--platform', 'beos'], ['--max-warnings', 'many'], ['--no-such-flag']]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a broken file is exit 2 while the other files are still checked', () => {
    const r = run(['fixtures/broken', '--format', 'json']);
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.errors[0].file).toBe('fixtures/broken/compose.yaml');
    expect(out.summary.loadErrors).toBe(1);
  });

  it('lists the catalogue', () => {
    const r = run(['rules', '--format', 'json']);
    expect(r.status).toBe(0);
    const rules = JSON.parse(r.stdout);
    expect(rules.find((x: { id: string }) => x.id === 'exposure/unbound-publish')).toMatchObject({ defaultSeverity: 'warning' });
    expect(rules.find((x: { id: string }) => x.id === 'range/k8s-nodeport')).toMatchObject({ defaultSeverity: 'off' });
  });
});
