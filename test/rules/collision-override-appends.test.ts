import { describe, expect, it } from 'vitest';
import rule from '../../rules/collision/override-appends';
import { check, checkFixture, load, loadCompose, tempProject } from '../helpers';

const R = rule as never;

const BASE = 'name: shop\nservices:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n';

function override(ports: string, tag = ''): string {
  return `services:\n  web:\n    ports:${tag ? ` ${tag}` : ''}\n${ports}`;
}

describe('collision/override-appends', () => {
  it('is a warning', () => {
    expect(rule.meta.defaultSeverity).toBe('warning');
  });

  it('hit fixture: reported at the override item, naming the base item', () => {
    const f = checkFixture(R, 'rules/collision/override-appends/hit');
    expect(f.map((x) => [x.service, x.loc.line, x.loc.column])).toEqual([
      ['web', 4, 9],
      ['db', 7, 9],
    ]);
    expect(f.every((x) => x.severity === 'warning' && x.loc.file.endsWith('compose.override.yaml'))).toBe(true);
    expect(f[0].message).toBe(
      'Compose publishes both "8080:80" (compose.yaml:6:9) and "127.0.0.1:8081:80" for container port 80/tcp of service web; write `ports: !override` in compose.override.yaml to replace the first',
    );
    expect(f[0].binding).toEqual({ hostIp: '127.0.0.1', hostPort: '8081', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(f[0].related![0].loc.line).toBe(6);
    expect(f[0].related![0].loc.file).toMatch(/[/\\]compose\.yaml$/);
    expect(f[1].message).toContain('for container port 5432/tcp of service db');
  });

  it('miss fixture: !override, an identical entry, another protocol, a new container port', () => {
    expect(checkFixture(R, 'rules/collision/override-appends/miss')).toEqual([]);
  });

  it('an override repeating the identical entry is de-duplicated: no finding', () => {
    const r = loadCompose(BASE, { 'compose.override.yaml': override('      - "8080:80"\n') });
    expect(r.projects[0].bindings).toHaveLength(1);
    expect(check(R, r)).toEqual([]);
  });

  it('"0.0.0.0:8080:80" replaces "8080:80" (same de-duplication key): no finding', () => {
    const r = loadCompose(BASE, { 'compose.override.yaml': override('      - "0.0.0.0:8080:80"\n') });
    expect(r.projects[0].bindings).toHaveLength(1);
    expect(check(R, r)).toEqual([]);
  });

  it('a numeric published is not de-duplicated against the string form: finding', () => {
    const r = loadCompose(BASE, { 'compose.override.yaml': override('      - target: 80\n        published: 8080\n') });
    const f = check(R, r);
    expect(f).toHaveLength(1);
    expect(f[0].loc.line).toBe(4);
    expect(f[0].message).toContain('Compose publishes both "8080:80" (compose.yaml:6:9) and {target: 80, published: 8080} for container port 80/tcp');
  });

  it('!override and !reset in the override file: no finding', () => {
    expect(check(R, loadCompose(BASE, { 'compose.override.yaml': override('      - "9090:80"\n', '!override') }))).toEqual([]);
    const reset = loadCompose(BASE, { 'compose.override.yaml': 'services:\n  web:\n    ports: !reset []\n' });
    expect(check(R, reset)).toEqual([]);
  });

  it('several mappings in one file are not this rule', () => {
    const r = loadCompose('name: shop\nservices:\n  web:\n    image: x\n    ports:\n      - "8080:80"\n      - "127.0.0.1:9090:80"\n');
    expect(check(R, r)).toEqual([]);
  });

  it('three files: every later file is compared with all earlier ones', () => {
    const dir = tempProject({
      'compose.yaml': BASE,
      'compose.dev.yaml': override('      - "9090:80"\n'),
      'compose.debug.yaml': override('      - "127.0.0.1:7070:80"\n      - "9229:9229"\n'),
    });
    const r = load({ cwd: dir, files: ['compose.yaml', 'compose.dev.yaml', 'compose.debug.yaml'] });
    const f = check(R, r);
    expect(f.map((x) => [x.loc.file.split(/[/\\]/).pop(), x.loc.line])).toEqual([
      ['compose.debug.yaml', 4],
      ['compose.dev.yaml', 4],
    ]);
    expect(f[0].message).toContain('Compose publishes both "8080:80" (compose.yaml:6:9) and "127.0.0.1:7070:80" for container port 80/tcp');
    expect(f[0].message).toContain('`ports: !override` in compose.debug.yaml');
  });

  it('a container range in the override: names the container ports that repeat', () => {
    const base = 'name: shop\nservices:\n  web:\n    image: x\n    ports:\n      - "8000-8002:8000-8002"\n';
    const r = loadCompose(base, { 'compose.override.yaml': override('      - "127.0.0.1:9001-9004:8001-8004"\n') });
    const f = check(R, r);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('for container ports 8001-8002/tcp of service web');
    expect(f[0].binding).toMatchObject({ hostPort: '9001-9004', containerPort: 8001, count: 4 });
  });

  it('disabled services publish nothing', () => {
    const base = 'name: shop\nservices:\n  web:\n    image: x\n    profiles: [web]\n    ports:\n      - "8080:80"\n';
    expect(check(R, loadCompose(base, { 'compose.override.yaml': override('      - "9090:80"\n') }))).toEqual([]);
    expect(check(R, loadCompose(base, { 'compose.override.yaml': override('      - "9090:80"\n') }, { profiles: ['web'] }))).toHaveLength(1);
  });
});
