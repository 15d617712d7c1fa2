import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../rules';
import { REPO, run } from './helpers';

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

describe('documentation', () => {
  it('has a doc page for every rule, with the sections the project asks for', () => {
    for (const rule of catalogue) {
      const page = join(REPO, rule.meta.docs);
      expect(existsSync(page), rule.meta.docs).toBe(true);
      const text = readFileSync(page, 'utf8');
      expect(text.startsWith(`# ${rule.meta.id}`), `${rule.meta.docs} title`).toBe(true);
      expect(text.toLowerCase()).toMatch(/#+ .*why/);
      expect(text.toLowerCase()).toMatch(/#+ .*fix/);
      expect(text.toLowerCase()).toMatch(/#+ .*options/);
    }
  });

  it('lists exactly the catalogue in the README rule table, with default severities', () => {
    const rows = [...readme.matchAll(/^\| \[`([a-z]+\/[a-z0-9-]+)`\]\(([^)]+)\) \| (\w+) \|/gm)].map((m) => ({ id: m[1], docs: m[2], severity: m[3] }));
    expect(rows).toEqual(catalogue.map((r) => ({ id: r.meta.id, docs: r.meta.docs, severity: r.meta.defaultSeverity })));
  });

  it('has unique rule ids of the form category/name whose file path matches the id', () => {
    const ids = catalogue.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
      expect(existsSync(join(REPO, 'rules', `${id}.ts`)), id).toBe(true);
    }
  });
});

describe('README sessions are real output', () => {
  /** The lines after `$ <command>` in the README, up to the next prompt or the end of the block. */
  const shown = (command: string) => {
    const start = readme.indexOf(`$ ${command}\n`);
    expect(start, command).toBeGreaterThanOrEqual(0);
    const rest = readme.slice(start + command.length + 3);
    return rest.slice(0, rest.search(/\n(\$ |```)/) + 1);
  };

  it('shows what portlint prints for the session example', () => {
    const r = run(['fixtures/session']);
    expect(shown('npx portlint fixtures/session')).toBe(r.stdout);
  });

  it('shows what portlint ports prints for the example', () => {
    const r = run(['ports', 'fixtures/example']);
    expect(shown('npx portlint ports fixtures/example')).toBe(r.stdout);
  });
});
