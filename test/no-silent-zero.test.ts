/**
 * Zero findings must never mean "nothing was checked" without saying so, and a project Compose
 * would refuse must not pass: symlinked compose files in directory searches, notices for paths
 * with no compose file and projects with no active service (--strict makes them exit 2), the
 * configuration's include globs, and required variables anywhere Compose interpolates.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempProject } from './helpers';

const WEB = 'services:\n  web:\n    image: shop/web:2.3\n    ports:\n      - "8080:80"\n';
const json = (r: { stdout: string }) => JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; line: number; message: string; service?: string; also?: Array<{ ruleId: string }> }>; notices?: Array<{ kind: string; file: string; message: string }> };

describe('what a directory search finds', () => {
  it('a compose.yaml that is a symlink is checked, as docker compose reads it; a dangling one is no file, as for docker compose, and said so', () => {
    const dir = tempProject({ 'shared/base.yml': WEB });
    mkdirSync(join(dir, 'app'));
    symlinkSync('../shared/base.yml', join(dir, 'app', 'compose.yaml'));
    const r = json(run(['check', '--format', 'json', '--no-config', join(dir, 'app')]));
    expect(r.findings.map((f) => f.ruleId)).toEqual(['exposure/unbound-publish']);
    mkdirSync(join(dir, 'broken'));
    symlinkSync('../shared/missing.yml', join(dir, 'broken', 'compose.yaml'));
    const broken = run(['check', '--no-config', join(dir, 'broken')]);
    expect(broken.status).toBe(0);
    expect(broken.stderr).toMatch(/^portlint: notice: no compose file in .*broken or below it/);
  });

  it('a path with no compose file: a notice on stderr and in JSON, exit 0; --strict: exit 2', () => {
    const dir = tempProject({ 'docs/values.yaml': 'replicas: 3\n' });
    const r = run(['check', '--format', 'json', '--no-config', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^portlint: notice: no compose file in .* or below it \(looked for compose\.yaml, compose\.yml, docker-compose\.yml, docker-compose\.yaml/);
    expect(json(r).notices).toEqual([{ kind: 'no-compose-file', file: expect.stringContaining('portlint-test-'), message: expect.stringMatching(/include in the configuration$/) }]);
    expect(run(['check', '--strict', '--no-config', dir]).status).toBe(2);
    // A path that holds a project says nothing.
    const full = tempProject({ 'compose.yaml': WEB });
    expect(run(['check', '--strict', '--no-config', full]).stderr).toBe('');
  });

  it("a project whose every service sits in an inactive profile says so and names them; --profile '*' checks them", () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  web:\n    image: x\n    profiles: [dev]\n    ports: ["8080:80"]\n  debug:\n    image: y\n    profiles: [debug]\n    ports: ["9229:9229"]\n' });
    const r = run(['check', '--format', 'json', '--no-config', dir]);
    expect(r.status).toBe(0);
    expect(json(r).findings).toEqual([]);
    expect(json(r).notices).toEqual([{ kind: 'no-active-service', file: expect.stringMatching(/compose\.yaml$/), message: expect.stringContaining("every service is in a profile (debug, dev) and none is active, so docker compose up starts nothing and no port was checked; check them with --profile '*' or --profile debug") }]);
    const all = json(run(['check', '--format', 'json', '--no-config', '--profile', '*', dir]));
    expect(all.notices).toBeUndefined();
    // 9229 is the Node.js inspector: sensitive-port-public, which speaks for unbound-publish too.
    expect(all.findings.map((f) => f.line).sort()).toEqual([5, 9]);
    expect(all.findings.find((f) => f.line === 9)?.also?.map((a) => a.ruleId)).toEqual(['exposure/unbound-publish']);
    // One active service is enough: nothing to say.
    expect(json(run(['check', '--format', 'json', '--no-config', '--profile', 'dev', dir])).notices).toBeUndefined();
  });

  it('include globs in the configuration: files of other names that directory searches take, each alone', () => {
    const dir = tempProject({ 'deploy/quickstart-dev.yml': WEB, 'deploy/docker-compose_v3_prod.yaml': WEB.replace('8080', '8081'), 'deploy/notes.yml': 'a: 1\n' });
    const before = run(['check', '--format', 'json', '--no-config', join(dir, 'deploy')]);
    expect(json(before).findings).toEqual([]);
    expect(json(before).notices?.[0].kind).toBe('no-compose-file');
    writeFileSync(join(dir, '.portlintrc.yaml'), 'include:\n  - "quickstart*.yml"\n  - "docker-compose_v3_*.yaml"\n');
    const after = run(['check', '--format', 'json', join(dir, 'deploy')], { cwd: dir });
    expect(json(after).notices).toBeUndefined();
    expect(json(after).findings.map((f) => f.message.match(/port (\d+)/)![1]).sort()).toEqual(['8080', '8081']);
  });
});

describe('required variables anywhere Compose interpolates', () => {
  const text = [
    'x-common: &common',
    '  environment:',
    '    TOKEN: ${TOKEN:?set TOKEN}',
    'services:',
    '  web:',
    '    <<: *common',
    '    image: "shop/web:${TAG:?a release tag}"',
    '    ports: ["127.0.0.1:8080:80"]',
    '    labels:',
    '      - "flag=${FLAG?}"',
    '',
  ].join('\n');

  it('a missing one is an error at its place, naming the variable: docker compose up would refuse the project', () => {
    const dir = tempProject({ 'compose.yaml': text });
    const r = run(['check', '--format', 'json', '--no-config', dir], { env: { TOKEN: undefined, TAG: undefined, FLAG: undefined } });
    expect(r.status).toBe(1);
    expect(json(r).findings.map((f) => [f.ruleId, f.line, f.service ?? ''])).toEqual([
      ['syntax/invalid-compose', 3, ''],
      ['syntax/invalid-compose', 7, 'web'],
      ['syntax/invalid-compose', 10, 'web'],
    ]);
    expect(json(r).findings[1].message).toBe('required variable TAG is missing a value: a release tag (services.web.image): docker compose refuses the whole project; set the variable in the environment or in .env');
  });

  it('set (in the environment or .env), or empty for `?`: nothing to say', () => {
    const dir = tempProject({ 'compose.yaml': text, '.env': 'TAG=2.3\n' });
    const r = run(['check', '--format', 'json', '--no-config', dir], { env: { TOKEN: 'x', FLAG: '', TAG: undefined } });
    expect([r.status, json(r).findings]).toEqual([0, []]);
  });
});

describe('a port entry emptied by unset variables', () => {
  it('reads as such: what was written, what Compose made of it, which variables to set', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  a:\n    image: x\n    ports:\n      - "${HPORT}:${CPORT}/udp"\n      - "127.0.0.1:${WEB_PORT:-8080}:80"\n' });
    const r = run(['check', '--format', 'json', '--no-config', dir], { env: { HPORT: undefined, CPORT: undefined, WEB_PORT: undefined } });
    const broken = json(r).findings.filter((f) => f.ruleId === 'syntax/invalid-port');
    expect(broken.map((f) => [f.line, f.message])).toEqual([
      [5, 'port entry "${HPORT}:${CPORT}/udp" is ":/udp" after interpolation because HPORT and CPORT are not set (Compose replaces them with an empty string), so Compose refuses it (no port specified: :/udp<empty>); set them in the environment or in .env, or write a default such as ${HPORT:-8080}'],
    ]);
    // Set, the same entry is a port like any other.
    const set = run(['check', '--format', 'json', '--no-config', dir], { env: { HPORT: '5353', CPORT: '53', WEB_PORT: undefined } });
    expect(json(set).findings.filter((f) => f.ruleId === 'syntax/invalid-port')).toEqual([]);
  });
});
