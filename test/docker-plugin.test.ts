/**
 * portlint as a docker CLI plugin: the argument and environment mapping of a plugin run, and
 * `docker portlint ...` through the real docker CLI on this machine, with `portlint plugin
 * install` in a DOCKER_CONFIG of the test's own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pluginInvocation, pluginMetadata, PluginUsageError } from '../src/cli/docker-plugin';
import { describeDocker, engineProblem } from './docker';
import { BIN, FIXTURES, run } from './helpers';

const VERSION: string = require('../package.json').version;
const work = mkdtempSync(join(tmpdir(), 'portlint-plugin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const plugin = (...args: string[]) => pluginInvocation(['/usr/bin/node', '/x/cli-plugins/docker-portlint', ...args]);

describe('a plugin run: docker-portlint [GLOBAL OPTIONS] portlint ARGS', () => {
  it('drops the global options and the plugin name, and keeps the rest as given', () => {
    expect(plugin('portlint', 'check', '-f', 'a.yaml', '--context', 'x').argv).toEqual(['/usr/bin/node', '/x/cli-plugins/docker-portlint', 'check', '-f', 'a.yaml', '--context', 'x']);
    expect(plugin('portlint').argv.slice(2)).toEqual([]);
  });

  it.each([
    [['--context', 'prod'], { DOCKER_CONTEXT: 'prod', DOCKER_HOST: undefined }],
    [['-c', 'prod'], { DOCKER_CONTEXT: 'prod', DOCKER_HOST: undefined }],
    [['-cprod'], { DOCKER_CONTEXT: 'prod', DOCKER_HOST: undefined }],
    [['--context=prod'], { DOCKER_CONTEXT: 'prod', DOCKER_HOST: undefined }],
    [['-H', 'tcp://10.0.0.2:2376'], { DOCKER_HOST: 'tcp://10.0.0.2:2376' }],
    [['--host=ssh://me@box'], { DOCKER_HOST: 'ssh://me@box' }],
    [['--config', '/etc/dc'], { DOCKER_CONFIG: '/etc/dc' }],
    [['--tlsverify', '-H', 'tcp://h:2376', '--tlscacert', '/c/ca.pem', '--tlscert', '/c/cert.pem', '--tlskey', '/c/key.pem'], { DOCKER_TLS_VERIFY: '1', DOCKER_HOST: 'tcp://h:2376', DOCKER_CERT_PATH: '/c' }],
    [['--tls'], { DOCKER_TLS: '1' }],
    [['--tls=false'], {}],
    [['-D', '-l', 'debug', '--log-level=warn'], { PORTLINT_DEBUG: '1' }],
  ])('docker %j portlint ...: %j', (globals, env) => {
    expect(plugin(...globals, 'portlint', 'audit').env).toEqual(env);
  });

  it('refuses what the docker CLI refuses, and TLS files portlint cannot read as given', () => {
    expect(() => plugin('-H', 'tcp://h:1', '-c', 'prod', 'portlint')).toThrow(/either specify --host or --context/);
    expect(() => plugin('--tlscacert', '/a/ca.pem', '--tlscert', '/b/cert.pem', 'portlint')).toThrow(/more than one folder/);
    expect(() => plugin('--tlscacert', '/a/my-ca.crt', 'portlint')).toThrow(/--tlscacert \/a\/my-ca\.crt is not named so.*DOCKER_CERT_PATH/);
    expect(() => plugin('--bogus', 'portlint')).toThrow(PluginUsageError);
  });

  it('describes itself as the plugin protocol asks', () => {
    const meta = JSON.parse(pluginMetadata());
    expect(meta).toMatchObject({ SchemaVersion: '0.1.0', Vendor: 'portlint', Version: VERSION });
    expect(meta.ShortDescription.length).toBeGreaterThan(10);
  });
});

describe('portlint plugin install / uninstall', () => {
  const dir = join(work, 'install-dir');
  const link = join(dir, 'docker-portlint');

  it('links docker-portlint to this portlint, once, and removes only its own link', () => {
    const first = run(['plugin', 'install', '--dir', dir]);
    expect(first.status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(realpathSync(link)).toBe(realpathSync(BIN));
    expect(run(['plugin', 'install', '--dir', dir]).stdout).toMatch(/already links to/);
    writeFileSync(join(dir, 'other'), '#!/bin/sh\n');
    rmSync(link);
    writeFileSync(link, '#!/bin/sh\necho another plugin\n');
    const refused = run(['plugin', 'install', '--dir', dir]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/exists \(a file that is not a link\); --force replaces it/);
    expect(run(['plugin', 'uninstall', '--dir', dir]).status).toBe(2);
    expect(run(['plugin', 'install', '--dir', dir, '--force']).status).toBe(0);
    expect(readlinkSync(link)).toBe(realpathSync(BIN));
    expect(run(['plugin', 'uninstall', '--dir', dir]).status).toBe(0);
    expect(existsSync(link)).toBe(false);
    expect(run(['plugin', 'uninstall', '--dir', dir]).stdout).toMatch(/nothing to remove/);
  });
});

function dockerCliProblem(): string | undefined {
  const engine = engineProblem();
  if (engine) return engine;
  const v = spawnSync('docker', ['version', '--format', '{{.Client.Version}}'], { encoding: 'utf8' });
  return v.status === 0 ? undefined : 'the docker CLI does not run';
}

describeDocker('docker portlint, through the real docker CLI', dockerCliProblem(), () => {
  const config = join(work, 'docker-config');
  mkdirSync(config, { recursive: true });
  const env = { ...process.env, DOCKER_CONFIG: config, NO_COLOR: '1' };
  delete env.DOCKER_HOST;
  delete env.DOCKER_CONTEXT;
  const docker = (args: string[], extra: Record<string, string> = {}) => {
    const r = spawnSync('docker', args, { encoding: 'utf8', env: { ...env, ...extra }, cwd: work, timeout: 60_000 });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const engineName = (r: { stdout: string }) => JSON.parse(r.stdout).engines[0].name;

  it('is installed by portlint plugin install and listed by docker --help', () => {
    expect(run(['plugin', 'install'], { env: { DOCKER_CONFIG: config } }).status).toBe(0);
    expect(docker(['--help']).stdout).toMatch(/^\s+portlint\*?\s+Lint port publishing/m);
    expect(docker(['portlint', '--version']).stdout.trim()).toBe(VERSION);
    expect(docker(['portlint', '--help']).stdout).toMatch(/^Usage: docker portlint /m);
  });

  it('docker portlint check: the same findings and exit code as portlint check', () => {
    const viaDocker = docker(['portlint', 'check', '--format', 'json', join(FIXTURES, 'session')]);
    const direct = run(['check', '--format', 'json', join(FIXTURES, 'session')], { cwd: work });
    expect(viaDocker.status).toBe(1);
    expect(viaDocker.status).toBe(direct.status);
    expect(JSON.parse(viaDocker.stdout)).toEqual(JSON.parse(direct.stdout));
  });

  it('docker portlint audit reads the engine of the CLI: current context, --context over DOCKER_HOST, -H', () => {
    expect(docker(['context', 'create', 'portlint-test', '--docker', 'host=unix:///var/run/docker.sock']).status).toBe(0);
    expect(engineName(docker(['portlint', 'audit', '--format', 'json']))).toBe('default');
    expect(docker(['context', 'use', 'portlint-test']).status).toBe(0);
    const current = docker(['portlint', 'audit', '--format', 'json']);
    expect([0, 1]).toContain(current.status);
    expect(engineName(current)).toBe('portlint-test');
    const overHost = docker(['--context', 'portlint-test', 'portlint', 'audit', '--format', 'json'], { DOCKER_HOST: 'tcp://127.0.0.1:1' });
    expect(engineName(overHost)).toBe('portlint-test');
    const byHost = docker(['-H', 'tcp://127.0.0.1:1', 'portlint', 'audit']);
    expect(byHost.status).toBe(2);
    expect(byHost.stderr).toMatch(/127\.0\.0\.1:1/);
    expect(byHost.stderr).not.toMatch(/\n\s+at /);
  });

  it('is gone after portlint plugin uninstall', () => {
    expect(run(['plugin', 'uninstall'], { env: { DOCKER_CONFIG: config } }).status).toBe(0);
    const r = docker(['portlint', 'check']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/'portlint' is not a docker command|unknown command/);
  });
});
