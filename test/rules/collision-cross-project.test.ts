import { describe, expect, it } from 'vitest';
import rule from '../../rules/collision/cross-project';
import hostPort from '../../rules/collision/host-port';
import { check, checkFixture, load, tempProject } from '../helpers';

const R = rule as never;

function compose(name: string | undefined, ports: string[], service = 'web'): string {
  return `${name ? `name: ${name}\n` : ''}services:\n  ${service}:\n    image: x\n    ports:\n${ports.map((p) => `      - ${p}\n`).join('')}`;
}

function loadTree(files: Record<string, string>) {
  const dir = tempProject(files);
  return load({ cwd: dir, paths: [dir] });
}

describe('collision/cross-project', () => {
  it('is a warning', () => {
    expect(rule.meta.defaultSeverity).toBe('warning');
  });

  it('hit fixture: reported at the project loaded later, naming the other project', () => {
    const f = checkFixture(R, 'rules/collision/cross-project/hit');
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
    expect(checkFixture(R, 'rules/collision/cross-project/miss')).toEqual([]);
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
});
