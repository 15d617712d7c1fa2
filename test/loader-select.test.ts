/**
 * Loader, which files make up which project (spec §3.1, §2.2 project directory and
 * .env), project names, and positional paths.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProjects } from '../src/load';
import { DEFAULT_FILE_NAMES } from '../src/load/select';
import type { LoadResult } from '../src/model/types';
import { load, only, tempProject } from './helpers';

/** A compose file with one service `svc` publishing `port:port`. */
const svc = (port: number, service = 'svc') => `services:\n  ${service}:\n    ports: ["${port}:${port}"]\n`;

/** Each project as [working dir, files, host ports], paths relative to `dir`. */
const summary = (dir: string, r: LoadResult) =>
  r.projects.map((p) => [relative(dir, p.workingDir) || '.', p.files.map((f) => relative(dir, f)), p.bindings.map((b) => b.hostPort)]);

describe('-f files (§3.1)', () => {
  it('-f a -f b load in that order; the project directory is the directory of the first file', () => {
    const dir = tempProject({ 'x/a.yml': svc(1), 'y/b.yml': svc(2), 'compose.yaml': svc(9) });
    const r = load({ cwd: dir, files: ['y/b.yml', 'x/a.yml'] });
    expect(r.errors).toEqual([]);
    expect(summary(dir, r)).toEqual([['y', ['y/b.yml', 'x/a.yml'], ['2', '1']]]);
  });

  it('-f does not add the default override file', () => {
    const dir = tempProject({ 'compose.yaml': svc(1), 'compose.override.yaml': svc(2) });
    expect(summary(dir, load({ cwd: dir, files: ['compose.yaml'] }))).toEqual([['.', ['compose.yaml'], ['1']]]);
  });

  it('.env is read from the directory of the first -f file, not from the current directory', () => {
    const dir = tempProject({ 'app/compose.yaml': 'services:\n  svc:\n    ports: ["${P:-1}:1"]\n', 'app/.env': 'P=2\n', '.env': 'P=3\n' });
    expect(only(load({ cwd: dir, files: ['app/compose.yaml'] })).bindings.map((b) => b.hostPort)).toEqual(['2']);
  });

  it('-f paths are relative to the current directory, also with --project-directory', () => {
    const dir = tempProject({ 'a.yml': svc(1), 'proj/.env': 'X=1\n' });
    const p = only(load({ cwd: dir, files: ['a.yml'], projectDirectory: 'proj' }));
    expect(p.files).toEqual([join(dir, 'a.yml')]);
    expect(p.workingDir).toBe(join(dir, 'proj'));
  });
});

describe('default file names (§3.1)', () => {
  it.each([
    [['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'], 'compose.yaml'],
    [['compose.yml', 'docker-compose.yml', 'docker-compose.yaml'], 'compose.yml'],
    [['docker-compose.yml', 'docker-compose.yaml'], 'docker-compose.yml'],
    [['docker-compose.yaml'], 'docker-compose.yaml'],
  ])('among %j the first default name wins: %s', (names, winner) => {
    const dir = tempProject(Object.fromEntries(names.map((n, i) => [n, svc(i + 1)])));
    const p = only(load({ cwd: dir }));
    expect(p.files).toEqual([join(dir, winner)]);
  });

  it.each([
    [['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'], 'compose.override.yml'],
    [['compose.override.yaml', 'docker-compose.override.yml'], 'compose.override.yaml'],
    [['docker-compose.override.yml', 'docker-compose.override.yaml'], 'docker-compose.override.yml'],
    [['docker-compose.override.yaml'], 'docker-compose.override.yaml'],
  ])('the first override name of %j is added after the main file: %s', (names, winner) => {
    const dir = tempProject({ 'docker-compose.yml': svc(100), ...Object.fromEntries(names.map((n, i) => [n, svc(i + 1)])) });
    const p = only(load({ cwd: dir }));
    expect(p.files).toEqual([join(dir, 'docker-compose.yml'), join(dir, winner)]);
    expect(p.bindings.map((b) => b.hostPort)).toEqual(['100', String(names.indexOf(winner) + 1)]);
  });

  it('an override file alone is not a project (the search goes on upward)', () => {
    const dir = tempProject({ 'compose.yaml': svc(1), 'sub/compose.override.yaml': svc(2) });
    const p = only(load({ cwd: join(dir, 'sub') }));
    expect(p.files).toEqual([join(dir, 'compose.yaml')]);
    expect(p.workingDir).toBe(dir);
  });

  it('walking up: from a sub-directory the nearest default file and its override are found; that directory is the project directory and its .env counts', () => {
    const dir = tempProject({
      'proj/compose.yaml': 'services:\n  svc:\n    ports: ["${P:-1}:1"]\n',
      'proj/compose.override.yml': svc(2),
      'proj/.env': 'P=11\n',
      'proj/deep/er/.env': 'P=99\n',
    });
    const p = only(load({ cwd: join(dir, 'proj', 'deep', 'er') }));
    expect(p.files).toEqual([join(dir, 'proj/compose.yaml'), join(dir, 'proj/compose.override.yml')]);
    expect(p.workingDir).toBe(join(dir, 'proj'));
    expect(p.name).toBe('proj');
    expect(p.bindings.map((b) => b.hostPort)).toEqual(['11', '2']);
  });

  it('the nearest directory wins over a parent', () => {
    const dir = tempProject({ 'compose.yaml': svc(1), 'a/compose.yaml': svc(2), 'a/b/x.txt': '' });
    expect(only(load({ cwd: join(dir, 'a', 'b') })).files).toEqual([join(dir, 'a/compose.yaml')]);
  });

  it('--project-directory is where the search starts, and the project directory', () => {
    const dir = tempProject({ 'compose.yaml': svc(1), 'other/compose.yaml': 'services:\n  svc:\n    ports: ["${P}:2"]\n', 'other/.env': 'P=22\n' });
    const p = only(load({ cwd: dir, projectDirectory: 'other' }));
    expect(p.files).toEqual([join(dir, 'other/compose.yaml')]);
    expect(p.workingDir).toBe(join(dir, 'other'));
    expect(p.bindings.map((b) => b.hostPort)).toEqual(['22']);
  });

  it('no compose file anywhere up the tree is fatal, with a message naming the names looked for', () => {
    const dir = tempProject({ 'notes.txt': '' });
    const r = loadProjects({ cwd: dir, env: {}, paths: [], files: [], envFiles: [], profiles: [] });
    // A compose file in a parent of the temp directory would be found (that is the walk-up rule).
    const parents: string[] = [];
    for (let d = dirname(dir); ; d = dirname(d)) {
      parents.push(d);
      if (dirname(d) === d) break;
    }
    const stray = parents.some((d) => DEFAULT_FILE_NAMES.some((n) => existsSync(join(d, n))));
    expect(r.projects.length === 0).toBe(!stray);
    if (!stray) {
      expect(r.fatal).toContain('no compose file found');
      expect(r.fatal).toContain('compose.yaml');
    }
  });
});

describe('positional paths', () => {
  it('a directory is searched recursively: each folder\'s default project, other compose-named files alone; .git and node_modules are skipped', () => {
    const dir = tempProject({
      'tree/compose.yaml': svc(1),
      'tree/compose.override.yaml': svc(2),
      'tree/docker-compose.prod.yml': svc(3),
      'tree/notes.yml': 'a: 1\n',
      'tree/app/docker-compose.yml': svc(4),
      'tree/app/docker-compose.override.yml': svc(5),
      'tree/app/stack.compose.yaml': svc(6),
      'tree/.git/compose.yaml': svc(7),
      'tree/node_modules/pkg/compose.yaml': svc(8),
      'tree/app/node_modules/compose.yaml': svc(9),
    });
    const r = load({ cwd: dir, paths: ['tree'] });
    expect(r.errors).toEqual([]);
    expect(summary(dir, r)).toEqual([
      ['tree', ['tree/compose.yaml', 'tree/compose.override.yaml'], ['1', '2']],
      ['tree', ['tree/docker-compose.prod.yml'], ['3']],
      ['tree/app', ['tree/app/docker-compose.yml', 'tree/app/docker-compose.override.yml'], ['4', '5']],
      ['tree/app', ['tree/app/stack.compose.yaml'], ['6']],
    ]);
  });

  it('a positional override file pulls in its project (main file first)', () => {
    const dir = tempProject({ 'p/docker-compose.yml': svc(1), 'p/docker-compose.override.yml': svc(2), 'p/compose.prod.yaml': svc(3) });
    expect(summary(dir, load({ cwd: dir, paths: ['p/docker-compose.override.yml'] }))).toEqual([['p', ['p/docker-compose.yml', 'p/docker-compose.override.yml'], ['1', '2']]]);
  });

  it('a positional default file brings its override; another file stands alone', () => {
    const dir = tempProject({ 'p/compose.yaml': svc(1), 'p/compose.override.yaml': svc(2), 'p/compose.prod.yaml': svc(3) });
    expect(summary(dir, load({ cwd: dir, paths: ['p/compose.yaml', 'p/compose.prod.yaml'] }))).toEqual([
      ['p', ['p/compose.yaml', 'p/compose.override.yaml'], ['1', '2']],
      ['p', ['p/compose.prod.yaml'], ['3']],
    ]);
  });

  it('the same project named twice is loaded once', () => {
    const dir = tempProject({ 'p/compose.yaml': svc(1), 'p/compose.override.yaml': svc(2) });
    expect(load({ cwd: dir, paths: ['p', 'p/compose.yaml', 'p/compose.override.yaml'] }).projects).toHaveLength(1);
  });

  it('each positional project reads its own .env', () => {
    const body = 'services:\n  svc:\n    ports: ["${P}:1"]\n';
    const dir = tempProject({ 'a/compose.yaml': body, 'a/.env': 'P=1001\n', 'b/compose.yaml': body, 'b/.env': 'P=1002\n' });
    expect(summary(dir, load({ cwd: dir, paths: ['.'] }))).toEqual([
      ['a', ['a/compose.yaml'], ['1001']],
      ['b', ['b/compose.yaml'], ['1002']],
    ]);
  });

  it('an empty directory gives no project and no error', () => {
    const dir = tempProject({});
    mkdirSync(join(dir, 'empty'));
    const r = load({ cwd: dir, paths: ['empty'] });
    expect(r.projects).toEqual([]);
    expect(r.errors).toEqual([]);
  });
});

describe('project name', () => {
  it('defaults to the project directory name, normalized (lower case, [a-z0-9_-] only, no leading - or _)', () => {
    const dir = tempProject({ '_My App.V2/compose.yaml': svc(1) });
    expect(only(load({ cwd: join(dir, '_My App.V2') })).name).toBe('myappv2');
  });

  it('`name:` in the file beats the directory name, and is interpolated', () => {
    const dir = tempProject({ 'compose.yaml': `name: \${N:-shop}\n${svc(1)}` });
    expect(only(load({ cwd: dir })).name).toBe('shop');
    expect(only(load({ cwd: dir, env: { N: 'Other.Shop' } })).name).toBe('othershop');
  });

  it('a later file\'s `name:` wins', () => {
    const dir = tempProject({ 'compose.yaml': `name: first\n${svc(1)}`, 'compose.override.yaml': 'name: second\n' });
    expect(only(load({ cwd: dir })).name).toBe('second');
  });

  it('COMPOSE_PROJECT_NAME beats `name:`; -p beats both', () => {
    const dir = tempProject({ 'compose.yaml': `name: fromfile\n${svc(1)}` });
    expect(only(load({ cwd: dir, env: { COMPOSE_PROJECT_NAME: 'fromenv' } })).name).toBe('fromenv');
    expect(only(load({ cwd: dir, env: { COMPOSE_PROJECT_NAME: 'fromenv' }, projectName: 'fromflag' })).name).toBe('fromflag');
  });
});
