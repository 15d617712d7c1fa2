import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/syntax/compose-version';
import { compareReleases, parseComposeRelease, type ComposeRelease } from '../../src/model/compose-releases';
import { parseShortSpec } from '../../src/model/port-grammar';
import { check, checkFixture, FIXTURES, loadCompose, run } from '../helpers';
import type { Rule } from '../../src/engine/rule';

const r = rule as unknown as Rule<never>;
const release = (text: string) => parseComposeRelease(text) as ComposeRelease;
const at = (text: string) => ({ compose: release(text) });
const rows = (f: ReturnType<typeof check>) => f.map((x) => `${x.loc.file.split('/').pop()}:${x.loc.line}:${x.loc.column} ${x.severity}`);

describe('syntax/compose-version', () => {
  it('with compose 2.20: raw IPv6, a plus sign, a repeated entry, app_protocol (errors) and !override over earlier ports (a warning)', () => {
    const f = checkFixture(r, 'rules/syntax/compose-version/hit', {}, at('2.20'));
    expect(rows(f)).toEqual(['compose.override.yaml:4:7 warning', 'compose.yaml:6:9 error', 'compose.yaml:7:9 error', 'compose.yaml:9:9 error', 'compose.yaml:16:9 error']);
    expect(f[0].message).toBe(
      'docker compose before 2.24.4 knows no !override: the ports earlier files give web stay, and these are added to them; you target 2.20.0 (the compose setting): give web its ports in one file instead, or target 2.24.4 or later',
    );
    expect(f[1].message).toContain('docker compose before 2.24.0 refuses "::1:1053:53/udp": its port parser (go-connections v0.4.0) takes an IPv6 address in brackets only ("too many colons in address")');
    expect(f[1].message).toContain('write "[::1]:1053:53/udp", which every release reads, or target 2.24.0 or later');
    expect(f[2].message).toContain('docker compose before 5.2.0 refuses "127.0.0.1:+8053:8053" ("invalid hostPort: +8053")');
    expect(f[2].message).toContain('write "127.0.0.1:8053:8053"');
    expect(f[3].message).toContain('("services.dns.ports array items[2,3] must be unique", compose-go v1\'s schema); later releases drop the repeat silently');
    expect(f[4].message).toContain('docker compose before 2.26.0 refuses app_protocol in a port entry');
  });

  it('reports only what releases older than the target lack: 2.24.0, 2.24.4, 2.26.0, 5.2.0', () => {
    const lines = (v: string) => checkFixture(r, 'rules/syntax/compose-version/hit', {}, at(v)).map((x) => x.loc.line);
    expect(lines('2.24.0')).toEqual([4, 7, 16]);
    expect(lines('2.24.4')).toEqual([7, 16]);
    expect(lines('v2.26.0')).toEqual([7]);
    expect(lines('5.2.0')).toEqual([]);
  });

  it('says nothing without a target (it is opt-in), and nothing on the same ports spelt for every release', () => {
    expect(checkFixture(r, 'rules/syntax/compose-version/hit')).toEqual([]);
    expect(checkFixture(r, 'rules/syntax/compose-version/miss', {}, at('2.0'))).toEqual([]);
  });

  it('the plus sign in the container port, and an entry whose IPv6 address comes from a variable', () => {
    const f = check(r, loadCompose('services:\n  web:\n    image: x\n    ports:\n      - "8083:+83"\n      - "${IP:-::1}:8081:81"\n'), {}, at('2.23.3'));
    expect(f.map((x) => x.message.split(';')[0])).toEqual([
      'docker compose before 5.2.0 refuses "8083:+83" ("invalid containerPort: +83"): only go-connections v0.7.0 reads a port number with a plus sign',
      'docker compose before 2.24.0 refuses "::1:8081:81": its port parser (go-connections v0.4.0) takes an IPv6 address in brackets only ("too many colons in address")',
    ]);
    expect(f[1].message).toContain('the entry comes from ${IP}; make it "[::1]:8081:81" where that is set');
    expect(f[1].fix).toEqual({ reason: 'the entry comes from ${IP}; make it "[::1]:8081:81" where that is set' });
  });

  it('a repeat is the same JSON value: the number 80 and the string "80" are two entries', () => {
    const f = check(r, loadCompose('services:\n  web:\n    image: x\n    ports:\n      - 80\n      - "80"\n      - 80\n'), {}, at('2.23.3'));
    expect(f.map((x) => [x.loc.line, x.message.match(/items\[\d,\d\]/)?.[0]])).toEqual([[7, 'items[0,2]']]);
  });

  it('--fix brackets the address and drops the sign, quoting a plain scalar that would open a flow list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portlint-compose-version-'));
    try {
      writeFileSync(join(dir, 'compose.yaml'), 'services:\n  dns:\n    image: x\n    ports:\n      - ::1:1053:53/udp\n      - "127.0.0.1:+8053:8053"\n      - \'::::81\'\n');
      const fixed = run(['check', '--compose', '2.20', '--fix', '--rule', 'exposure/explicit-wildcard=off', '.'], { cwd: dir });
      expect(fixed.stderr).toContain('fixed 3 entries in 1 file');
      expect(fixed.status).toBe(0);
      expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe('services:\n  dns:\n    image: x\n    ports:\n      - "[::1]:1053:53/udp"\n      - "127.0.0.1:8053:8053"\n      - \'[::]::81\'\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the setting: compose in the configuration file, --compose on the command line (which wins), both validated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portlint-compose-version-'));
    try {
      cpSync(join(FIXTURES, 'rules/syntax/compose-version/hit'), dir, { recursive: true });
      const count = (out: string) => out.split('\n').filter((l) => l.endsWith('syntax/compose-version')).length;
      expect(count(run(['check', '.'], { cwd: dir }).stdout)).toBe(0);
      writeFileSync(join(dir, '.portlintrc.yaml'), 'compose: "2.24.0"\n');
      expect(count(run(['check', '.'], { cwd: dir }).stdout)).toBe(3);
      expect(count(run(['check', '.', '--compose', '2.20'], { cwd: dir }).stdout)).toBe(5);
      writeFileSync(join(dir, '.portlintrc.yaml'), 'compose: "1.29.2"\n');
      const old = run(['check', '.'], { cwd: dir });
      expect(old.status).toBe(2);
      expect(old.stderr).toContain('.portlintrc.yaml:1:10: compose: "1.29.2" is docker-compose 1.x, another program (Python) that reads files its own way; portlint targets docker compose 2.0 and later');
      const flag = run(['check', '.', '--no-config', '--compose', 'latest'], { cwd: dir });
      expect(flag.status).toBe(2);
      expect(flag.stderr).toContain('"latest" is not a docker compose release; write one such as 2.20 or 2.24.4');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses releases as people write them', () => {
    expect(['2', '2.20', 'v2.20.3', '2.24.0-rc.1', ' 5.2.0 '].map((t) => parseComposeRelease(t))).toEqual([
      { major: 2, minor: 0, patch: 0 },
      { major: 2, minor: 20, patch: 0 },
      { major: 2, minor: 20, patch: 3 },
      { major: 2, minor: 24, patch: 0 },
      { major: 5, minor: 2, patch: 0 },
    ]);
    expect(['1.29.2', 'latest', '2.x', '', '2.20.3.1'].map((t) => parseComposeRelease(t))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(compareReleases(release('2.9'), release('2.10'))).toBeLessThan(0);
    expect(compareReleases(release('2.24.4'), release('2.24.4'))).toBe(0);
  });

  it('the parser records the spellings as it parses, and nothing for the portable ones', () => {
    const features = (spec: string) => {
      const p = parseShortSpec(spec);
      return p.ok ? (p.features ?? []) : p.message;
    };
    expect(features('::1:8080:80')).toEqual(['raw-ipv6']);
    expect(features('::::80')).toEqual(['raw-ipv6']);
    expect(features('fe80::1:+80:80')).toEqual(['raw-ipv6', 'plus-sign']);
    expect(features('8080:+80/udp')).toEqual(['plus-sign']);
    for (const spec of ['[::1]:8080:80', '::80', ':8080:80', '[]:8080:80', '127.0.0.1:8080:80', '80']) expect(features(spec), spec).toEqual([]);
  });
});
