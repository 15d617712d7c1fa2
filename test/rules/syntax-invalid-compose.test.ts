import { describe, expect, it } from 'vitest';
import rule from '../../rules/syntax/invalid-compose';
import { join } from 'node:path';
import { check, checkFixture, load, loadCompose, tempProject } from '../helpers';
import type { Rule } from '../../src/engine/rule';

const r = rule as unknown as Rule<never>;

describe('syntax/invalid-compose', () => {
  it('reports ports that is not a list, a service that is not a mapping, extends to a missing service', () => {
    const f = checkFixture(r, 'rules/syntax/invalid-compose/hit');
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service, x.severity])).toEqual([
      [5, 12, 'web', 'error'],
      [6, 11, 'worker', 'error'],
      [8, 14, 'admin', 'error'],
    ]);
    expect(f[0].message).toContain('services.web.ports must be a list of port entries');
    expect(f[1].message).toContain('service "worker" must be a mapping');
    expect(f[2].message).toContain('service "admin" extends "base", which is not defined');
  });

  it('reports a required variable without a value wherever Compose interpolates it (docker compose refuses the project)', () => {
    const f = checkFixture(r, 'rules/syntax/invalid-compose/required-hit');
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service])).toEqual([
      [3, 12, 'web'],
      [5, 21, 'web'],
    ]);
    expect(f[0].message).toBe('required variable TAG is missing a value: set TAG to the release to deploy (services.web.image): docker compose refuses the whole project; set the variable in the environment or in .env');
    expect(f[1].message).toMatch(/^required variable DATABASE_URL is missing a value \(services\.web\.environment\.DATABASE_URL\)/);
  });

  it('does not report required variables that .env sets', () => {
    expect(checkFixture(r, 'rules/syntax/invalid-compose/required-miss')).toEqual([]);
  });

  it('does not report a valid file with extends', () => {
    expect(checkFixture(r, 'rules/syntax/invalid-compose/miss')).toEqual([]);
  });

  it('reports unknown long-syntax keys and a top level that is not a mapping', () => {
    const f = check(r, loadCompose('services:\n  web:\n    image: x\n    ports:\n      - target: 80\n        hostport: 8080\n'));
    expect(f).toHaveLength(1);
    expect(f[0].loc.line).toBe(6);
    expect(f[0].message).toContain('additional property hostport is not allowed');
    const g = check(r, loadCompose('- a\n- b\n'));
    expect(g).toHaveLength(1);
    expect(g[0].message).toContain('must be a mapping at the top level');
  });

  it('reports one place once even when two projects include the same file', () => {
    const dir = tempProject({
      'common.yaml': 'services:\n  shared:\n    image: x\n    ports: "80:80"\n',
      'a/compose.yaml': 'include:\n  - ../common.yaml\nservices:\n  a:\n    image: x\n',
      'b/compose.yaml': 'include:\n  - ../common.yaml\nservices:\n  b:\n    image: x\n',
    });
    const result = load({ cwd: dir, paths: [dir] });
    expect(result.projects).toHaveLength(2);
    expect(result.projects.every((p) => p.problems.length === 1)).toBe(true);
    const f = check(r, result);
    expect(f).toHaveLength(1);
    expect(f[0].loc.file).toBe(join(dir, 'common.yaml'));
    expect(f[0].loc.line).toBe(4);
  });

  it('does not report the shared-netns problem, which another rule owns', () => {
    const result = loadCompose('services:\n  a:\n    image: x\n  b:\n    image: x\n    network_mode: "service:a"\n    ports: ["80:80"]\n');
    expect(result.projects[0].problems.map((p) => p.kind)).toEqual(['ports-with-shared-netns']);
    expect(check(r, result)).toEqual([]);
  });
});
