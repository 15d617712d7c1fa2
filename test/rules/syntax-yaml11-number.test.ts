import { describe, expect, it } from 'vitest';
import rule, { yaml11Int, yaml12Int } from '../../rules/syntax/yaml11-number';
import { check, checkFixture, loadCompose } from '../helpers';
import type { Rule } from '../../src/engine/rule';

const r = rule as unknown as Rule<never>;

function plain(...entries: string[]): string {
  return `services:\n  web:\n    image: x\n    ports:\n${entries.map((e) => `      - ${e}\n`).join('')}`;
}

describe('syntax/yaml11-number', () => {
  it('reports base-60 and leading-zero octal plain scalars, with the quoted form', () => {
    const f = checkFixture(r, 'rules/syntax/yaml11-number/hit');
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service, x.severity])).toEqual([
      [6, 9, 'gitea', 'warning'],
      [7, 9, 'gitea', 'warning'],
      [11, 9, 'web', 'warning'],
    ]);
    expect(f[0].message).toContain('unquoted 2222:22 is the base-60 number 133342');
    expect(f[0].message).toContain('reject it as a port');
    expect(f[0].message).toContain('quote it: "2222:22"');
    expect(f[1].message).toContain('unquoted 22:22 is the base-60 number 1342 to YAML 1.1 tools (docker-compose v1, PyYAML)');
    expect(f[1].message).toContain('container port 1342 on a random host port');
    expect(f[1].message).toContain('quote it: "22:22"');
    expect(f[1].binding).toEqual({ hostIp: '', hostPort: '22', containerPort: 22, protocol: 'tcp', count: 1 });
    expect(f[2].message).toContain('Compose v2 and YAML 1.1 tools (docker-compose v1, PyYAML) read container port 80 (octal), YAML 1.2 tools read 120');
    expect(f[2].message).toContain('quote the port you mean: "80" (what Compose publishes now) or "120"');
  });

  it('does not report quoted "22:22", 3000:3000 (not base 60), 0x50 or 443', () => {
    expect(checkFixture(r, 'rules/syntax/yaml11-number/miss')).toEqual([]);
  });

  it('reports when only one reader differs: 0o120 (a string to YAML 1.1) and 8_080 (a string to YAML 1.2)', () => {
    const f = check(r, loadCompose(plain('0o120', '8_080')));
    expect(f).toHaveLength(2);
    expect(f[0].message).toContain('Compose v2 reads container port 80, YAML 1.1 tools (docker-compose v1, PyYAML) read the string "0o120", which is not a port');
    expect(f[0].message).toMatch(/quote the port you mean: "80"$/);
    expect(f[1].message).toContain('YAML 1.2 tools read the string "8_080"');
    expect(f[1].message).toMatch(/quote the port you mean: "8080"$/);
  });

  it('does not report 07 (octal and decimal agree) nor 1:60 (not base 60)', () => {
    expect(check(r, loadCompose(plain('07', '"1:60"', '8080:80')))).toEqual([]);
  });

  it('reports items of disabled services too (the text is the problem)', () => {
    const f = check(r, loadCompose('services:\n  ssh:\n    image: x\n    profiles: [debug]\n    ports:\n      - 22:22\n'));
    expect(f).toHaveLength(1);
    expect(f[0].binding).toBeUndefined();
    expect(f[0].service).toBe('ssh');
  });

  it('reports an item of a file merged through an override, even when Compose drops it as a duplicate', () => {
    // The override's quoted "22:22" replaces the base's plain 22:22 (same de-duplication key).
    const result = loadCompose(plain('22:22'), { 'compose.override.yaml': plain('"22:22"') });
    const web = result.projects[0].services[0];
    expect(web.ports.map((i) => i.raw)).toEqual(['"22:22"']);
    const f = check(r, result);
    expect(f).toHaveLength(1);
    expect(f[0].loc.file.endsWith('/compose.yaml')).toBe(true);
    expect(f[0].loc.line).toBe(5);
  });

  it('reads integers as PyYAML and a YAML 1.2 core parser do', () => {
    expect([yaml11Int('0120'), yaml11Int('0x50'), yaml11Int('0b1010000'), yaml11Int('8_080'), yaml11Int('0o120'), yaml11Int('22:22'), yaml11Int('080')]).toEqual([
      80, 80, 80, 8080, undefined, 1342, undefined,
    ]);
    expect([yaml12Int('0120'), yaml12Int('0x50'), yaml12Int('0o120'), yaml12Int('8_080'), yaml12Int('0b1')]).toEqual([120, 80, 80, undefined, undefined]);
  });
});
