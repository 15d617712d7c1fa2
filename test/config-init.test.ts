/** `portlint init`: a commented starter configuration that loads, validates and lists every rule. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../rules';
import { parseConfig } from '../src/config/load';
import { REPO, run, tempProject } from './helpers';

describe('portlint init', () => {
  it('writes .portlintrc.yaml that loads and validates, pointing editors at the shipped schema', () => {
    const dir = tempProject({});
    const r = run(['init'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('wrote .portlintrc.yaml\n');
    const file = join(dir, '.portlintrc.yaml');
    const text = readFileSync(file, 'utf8');
    const first = text.split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=./node_modules/portlint/schemas/portlintrc.schema.json');
    // The path is where the package ships it.
    expect(existsSync(join(REPO, first.split('$schema=./node_modules/portlint/')[1]))).toBe(true);
    const config = parseConfig(file, text);
    expect(config.rules).toEqual({});
    expect(config.projects).toBeUndefined();
    expect(config.allow).toEqual([]);
  });

  it('lists every rule with its default severity, commented, and the other settings', () => {
    const dir = tempProject({});
    run(['init'], { cwd: dir });
    const text = readFileSync(join(dir, '.portlintrc.yaml'), 'utf8');
    for (const r of catalogue) expect(text).toMatch(new RegExp(`^  # ${r.meta.id}: +${r.meta.defaultSeverity}\\b`, 'm'));
    for (const key of ['platform', 'rootless', 'reportUnusedDisable']) expect(text).toMatch(new RegExp(`^# ${key}: `, 'm'));
    for (const key of ['rules', 'ignore', 'projects', 'allow']) expect(text).toMatch(new RegExp(`^${key}:$`, 'm'));
  });

  it('its commented examples are valid settings once uncommented', () => {
    const dir = tempProject({});
    run(['init'], { cwd: dir });
    const text = readFileSync(join(dir, '.portlintrc.yaml'), 'utf8');
    const [head, tail] = text.split('\nrules:\n');
    const lines = tail.split('\n');
    const example = lines.findIndex((l) => l.includes('For example'));
    lines.splice(example, 2); // the rule example repeats a rule listed above
    const uncommented = `${head}\nrules:\n${lines.join('\n').replace(/^(\s*)# (\s*)(?=- |[a-zA-Z$][\w/$-]*: )/gm, '$1$2')}`;
    expect(uncommented).toMatch(/^ {4}files: \[shop\/compose.yaml/m);
    expect(uncommented).toMatch(/^ {2}exposure\/unbound-publish: +warning/m);
    const config = parseConfig(join(dir, '.portlintrc.yaml'), uncommented);
    expect(Object.keys(config.rules)).toEqual(catalogue.map((r) => r.meta.id));
    expect(config.platform).toBe('all');
    expect(config.projects?.map((p) => p.name)).toEqual(['shop', 'monitoring']);
    expect(config.allow.map((a) => a.service)).toEqual(['proxy', 'grafana']);
    expect(config.ignore.map((g) => g.source)).toEqual(['legacy/', '**/*.example.yaml']);
  });

  it('refuses to overwrite an existing file unless --force', () => {
    const dir = tempProject({ '.portlintrc.yaml': 'rules: {}\n' });
    const r = run(['init'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('.portlintrc.yaml already exists; portlint init --force overwrites it');
    expect(readFileSync(join(dir, '.portlintrc.yaml'), 'utf8')).toBe('rules: {}\n');
    const forced = run(['init', '--force'], { cwd: dir });
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, '.portlintrc.yaml'), 'utf8')).toMatch(/^# yaml-language-server/);
  });

  it('a check right after init runs with it', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  web:\n    ports: ["127.0.0.1:8080:80"]\n' });
    run(['init'], { cwd: dir });
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    ports: ["8080:80"]\n');
    const r = run(['--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['exposure/unbound-publish']);
  });
});
