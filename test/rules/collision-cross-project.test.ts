import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/collision/cross-project';
import hostPort from '../../rules/collision/host-port';
import { placeOnHosts } from '../../src/cli/config-run';
import { sameHostGroups } from '../../src/engine/hosts';
import { loadSelection } from '../../src/load';
import { selectProjects } from '../../src/load/select';
import { lint } from '../../src/api';
import { check, FIXTURES, run, tempProject } from '../helpers';

const R = rule as never;
const FIXTURE = 'fixtures/rules/collision/cross-project';

/** Loads the projects below `dir`, all on one host as --same-host places them (or none, with `sameHost` false). */
function loadDir(dir: string, sameHost = true) {
  const opts = { cwd: dir, env: {}, paths: [dir], files: [], envFiles: [], profiles: [] };
  return loadSelection(placeOnHosts(selectProjects(opts), undefined, sameHost), {});
}

const checkFixture = (fixture: string) => check(R, loadDir(join(FIXTURES, fixture)));

function compose(name: string | undefined, ports: string[], service = 'web'): string {
  return `${name ? `name: ${name}\n` : ''}services:\n  ${service}:\n    image: x\n    ports:\n${ports.map((p) => `      - ${p}\n`).join('')}`;
}

function loadTree(files: Record<string, string>, sameHost = true) {
  return loadDir(tempProject(files), sameHost);
}

describe('collision/cross-project', () => {
  it('is a warning', () => {
    expect(rule.meta.defaultSeverity).toBe('warning');
  });

  it('hit fixture: reported at the project loaded later, naming the other project', () => {
    const f = checkFixture('rules/collision/cross-project/hit');
    // projects load in directory order: blog, then shop
    expect(f.map((x) => [x.project, x.service, x.loc.line, x.loc.column])).toEqual([
      ['shop', 'web', 6, 9],
      ['shop', 'db', 10, 9],
    ]);
    expect(f.every((x) => x.severity === 'warning' && x.loc.file.endsWith('shop/compose.yaml'))).toBe(true);
    expect(f[0].message).toBe(
      '8080/tcp on 0.0.0.0 is also published by service ghost of project blog at ../blog/compose.yaml:6:9 (on 127.0.0.1), ' +
        'so the projects cannot run on one host at once; change the host port in one of them',
    );
    expect(f[0].binding).toEqual({ hostIp: '', hostPort: '8080', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(f[0].related![0].loc.file).toMatch(/blog\/compose\.yaml$/);
    expect(f[0].related![0].loc.line).toBe(6);
    expect(f[1].message).toContain('5432/tcp on 127.0.0.1 is also published by service db of project blog at ../blog/compose.yaml:10:9 (on 0.0.0.0),');
  });

  it('miss fixture: same-named alternatives, other addresses, other protocols', () => {
    expect(checkFixture('rules/collision/cross-project/miss')).toEqual([]);
  });

  it('projects with the same name are alternatives, also when the name comes from the directory', () => {
    const r = loadTree({
      'one/app/compose.yaml': compose(undefined, ['"8080:80"']),
      'two/app/compose.yaml': compose(undefined, ['"8080:80"']),
    });
    expect(r.projects.map((p) => p.name)).toEqual(['app', 'app']);
    expect(check(R, r)).toEqual([]);
  });

  it('a third project is reported once per binding, naming the first project and counting the others', () => {
    const r = loadTree({
      'a/compose.yaml': compose('alpha', ['"127.0.0.1:8080:80"']),
      'b/compose.yaml': compose('beta', ['"127.0.0.2:8080:80"']),
      'c/compose.yaml': compose('gamma', ['"8080:80"']),
    });
    const f = check(R, r);
    expect(f).toHaveLength(1);
    expect(f[0].project).toBe('gamma');
    expect(f[0].message).toContain('8080/tcp on 0.0.0.0 is also published by service web of project alpha at ../a/compose.yaml:6:9 (on 127.0.0.1) and 1 other entry in 2 projects, so');
    expect(f[0].related!.map((x) => x.message)).toEqual([
      'published here by project alpha, service web ("127.0.0.1:8080:80")',
      'published here by project beta, service web ("127.0.0.2:8080:80")',
    ]);
  });

  it('leaves conflicts inside one project to collision/host-port, and host-port leaves these alone', () => {
    const r = loadTree({
      'a/compose.yaml': compose('alpha', ['"8080:80"', '"8080:81"']),
      'b/compose.yaml': compose('beta', ['"9090:80"']),
      'c/compose.yaml': compose('gamma', ['"9090:80"']),
    });
    const cross = check(R, r);
    expect(cross.map((x) => [x.project, x.binding!.hostPort])).toEqual([['gamma', '9090']]);
    const inside = check(hostPort as never, r);
    expect(inside.map((x) => [x.project, x.binding!.hostPort])).toEqual([['alpha', '8080']]);
  });

  it('near misses across projects: 0.0.0.0 vs ::, tcp vs udp, ephemeral, disabled profiles', () => {
    const r = loadTree({
      'a/compose.yaml': compose('alpha', ['"0.0.0.0:8200:8200"', '"53:53/tcp"', '"80"']),
      'b/compose.yaml': compose('beta', ['"[::]:8200:8200"', '"53:53/udp"', '"80"']),
      'c/compose.yaml': 'name: gamma\nservices:\n  debug:\n    image: x\n    profiles: [debug]\n    ports:\n      - "8200:8200"\n',
    });
    expect(check(R, r)).toEqual([]);
  });

  it('compares the ranges of a container range item as intervals', () => {
    const r = loadTree({
      'a/compose.yaml': compose('alpha', ['"3000-3009:3000-3009"']),
      'b/compose.yaml': compose('beta', ['"127.0.0.1:3005-3014:4005-4014"']),
    });
    const f = check(R, r);
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/^3005-3009\/tcp on 127\.0\.0\.1 is also published by service web of project alpha at /);
    expect(f[0].binding).toMatchObject({ hostPort: '3005-3014', containerPort: 4005, count: 10 });
  });

  it('compares only projects that share a host: none, or different hosts, are not compared', () => {
    const files = { 'a/compose.yaml': compose('alpha', ['"8080:80"']), 'b/compose.yaml': compose('beta', ['"8080:80"']) };
    expect(check(R, loadTree(files))).toHaveLength(1);
    const apart = loadTree(files, false);
    expect(apart.projects.map((p) => p.host)).toEqual([undefined, undefined]);
    expect(check(R, apart)).toEqual([]);
    // One with a host, one without; two different hosts.
    apart.projects[0].host = 'h1';
    expect(check(R, apart)).toEqual([]);
    apart.projects[1].host = 'h2';
    expect(check(R, apart)).toEqual([]);
    apart.projects[1].host = 'h1';
    expect(check(R, apart).map((f) => f.project)).toEqual(['beta']);
  });

  it('sameHostGroups: per host, in load order, only with two project names, stacks left out', () => {
    const r = loadTree({
      'a/compose.yaml': compose('alpha', ['"8080:80"']),
      'b/compose.yaml': compose('beta', ['"8080:80"']),
      'c/compose.yaml': compose('gamma', ['"8080:80"']),
      'd/app/compose.yaml': compose(undefined, ['"8080:80"']),
      'e/app/compose.yaml': compose(undefined, ['"8080:80"']),
    });
    const [alpha, beta, gamma, app1, app2] = r.projects;
    alpha.host = gamma.host = 'one';
    beta.host = 'two';
    app1.host = app2.host = 'three';
    const names = (groups: ReturnType<typeof sameHostGroups>) => groups.map((g) => g.map((p) => p.name));
    expect(names(sameHostGroups(r.projects))).toEqual([['alpha', 'gamma']]);
    app2.host = 'two';
    expect(names(sameHostGroups(r.projects))).toEqual([['alpha', 'gamma'], ['beta', 'app']]);
    beta.stack = { name: 'beta' };
    expect(names(sameHostGroups(r.projects))).toEqual([['alpha', 'gamma']]);
  });
});

interface Json {
  findings: Array<{ ruleId: string; project: string; file: string; line: number }>;
  summary: { projects?: { checked: number; compared?: number } };
}

const cross = (stdout: string) => {
  const r = JSON.parse(stdout) as Json;
  return { hits: r.findings.filter((f) => f.ruleId === 'collision/cross-project').map((f) => `${f.project} ${f.file}:${f.line}`), projects: r.summary.projects };
};

describe('collision/cross-project: which projects a run compares', () => {
  it('plain check over a tree: projects checked separately, and the summary says so', () => {
    const r = run(['check', `${FIXTURE}/hit`, '--format', 'json']);
    expect(cross(r.stdout)).toEqual({ hits: [], projects: { checked: 2, compared: 0 } });
    const stylish = run(['check', `${FIXTURE}/hit`]);
    expect(stylish.stdout).not.toContain('collision/cross-project  ');
    expect(stylish.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      expect.stringMatching(/^✖ \d+ problems \(/),
      '2 projects checked separately; collision/cross-project compares projects on one host (--same-host, sameHost or projects: in the configuration)',
    ]);
  });

  it('--same-host compares every project of the run', () => {
    const r = run(['check', `${FIXTURE}/hit`, '--format', 'json', '--same-host']);
    expect(cross(r.stdout)).toEqual({
      hits: [`shop ${FIXTURE}/hit/shop/compose.yaml:6`, `shop ${FIXTURE}/hit/shop/compose.yaml:10`],
      projects: { checked: 2, compared: 2 },
    });
    expect(run(['check', `${FIXTURE}/hit`, '--same-host']).stdout).toMatch(/\n2 of 2 projects compared for host-port collisions across projects\n$/);
  });

  it('sameHost: true in the configuration compares every project it checks', () => {
    const r = run(['check', '.', '--format', 'json'], { cwd: join(FIXTURES, 'rules/collision/cross-project/same-host') });
    expect(cross(r.stdout)).toEqual({ hits: ['api api/compose.yaml:6'], projects: { checked: 2, compared: 2 } });
    // Without the file, the same tree is checked project by project.
    const none = run(['check', '.', '--format', 'json', '--no-config'], { cwd: join(FIXTURES, 'rules/collision/cross-project/same-host') });
    expect(cross(none.stdout)).toEqual({ hits: [], projects: { checked: 2, compared: 0 } });
  });

  it('configured projects are one host unless an entry names another; --same-host puts them all on one', () => {
    const cwd = join(FIXTURES, 'rules/collision/cross-project/configured');
    expect(cross(run(['--format', 'json'], { cwd }).stdout)).toEqual({ hits: ['shop shop/compose.yaml:5'], projects: { checked: 3, compared: 2 } });
    expect(run([], { cwd }).stdout).toMatch(/\n2 of 3 projects compared for host-port collisions across projects\n$/);
    expect(cross(run(['--format', 'json', '--same-host'], { cwd }).stdout)).toEqual({
      hits: ['docs docs/compose.yaml:5', 'shop shop/compose.yaml:5'],
      projects: { checked: 3, compared: 3 },
    });
  });

  it('two configured entries on different hosts are not compared', () => {
    const dir = tempProject({
      '.portlintrc.yaml': 'projects:\n  - name: a\n    files: [a.yaml]\n    host: one\n  - name: b\n    files: [b.yaml]\n    host: two\n',
      'a.yaml': compose(undefined, ['"127.0.0.1:8080:80"']),
      'b.yaml': compose(undefined, ['"127.0.0.1:8080:80"']),
    });
    expect(cross(run(['--format', 'json'], { cwd: dir }).stdout)).toEqual({ hits: [], projects: { checked: 2, compared: 0 } });
    // --same-host and sameHost win over the entries' hosts.
    expect(cross(run(['--format', 'json', '--same-host'], { cwd: dir }).stdout)).toEqual({ hits: ['b b.yaml:5'], projects: { checked: 2, compared: 2 } });
    writeFileSync(join(dir, '.portlintrc.yaml'), `sameHost: true\n${readFileSync(join(dir, '.portlintrc.yaml'), 'utf8')}`);
    expect(cross(run(['--format', 'json'], { cwd: dir }).stdout)).toEqual({ hits: ['b b.yaml:5'], projects: { checked: 2, compared: 2 } });
  });

  it('with the rule off, nothing is said about comparing', () => {
    const r = run(['check', `${FIXTURE}/hit`, '--format', 'json', '--same-host', '--rule', 'collision/cross-project=off']);
    expect(cross(r.stdout)).toEqual({ hits: [], projects: { checked: 2 } });
    const stylish = run(['check', `${FIXTURE}/hit`, '--rule', 'collision/cross-project=off']);
    expect(stylish.stdout).toMatch(/problems \([^)]*\)\n$/);
  });

  it('a clean run stays silent, and one project says nothing about comparing', () => {
    const clean = tempProject({ 'a/compose.yaml': compose('alpha', ['"127.0.0.1:8080:80"']), 'b/compose.yaml': compose('beta', ['"127.0.0.1:8081:80"']) });
    const r = run(['check', '.'], { cwd: clean });
    expect([r.status, r.stdout]).toEqual([0, '']);
    const one = tempProject({ 'compose.yaml': compose('alpha', ['"8080:80"']) });
    const s = run(['check', '.'], { cwd: one });
    expect(s.stdout).toMatch(/problems? \([^)]*\)\n$/);
    expect(s.stdout).not.toContain('compared');
    expect(s.stdout).not.toContain('separately');
  });

  it('the API: summary.projects, and sameHost like --same-host', () => {
    const cwd = join(FIXTURES, 'rules/collision/cross-project/hit');
    const apart = lint({ cwd, paths: ['.'], config: false });
    expect(apart.findings.filter((f) => f.ruleId === 'collision/cross-project')).toEqual([]);
    expect(apart.summary.projects).toEqual({ checked: 2, compared: 0 });
    const together = lint({ cwd, paths: ['.'], config: false, sameHost: true });
    expect(together.findings.filter((f) => f.ruleId === 'collision/cross-project').map((f) => `${f.project} ${f.file}:${f.line}`)).toEqual(['shop shop/compose.yaml:6', 'shop shop/compose.yaml:10']);
    expect(together.summary.projects).toEqual({ checked: 2, compared: 2 });
  });
});
