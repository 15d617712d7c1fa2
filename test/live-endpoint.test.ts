import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EndpointError, contextDirName, isLocalEndpoint, parseHost, selectEndpoint, type EndpointEnv } from '../src/live/endpoint';

const HOME = '/home/u';

function env(files: Record<string, string>, vars: Record<string, string | undefined> = {}, host?: string): EndpointEnv {
  return { host, env: vars, homedir: HOME, readFile: (p) => files[p], exists: (p) => p in files };
}

const meta = (name: string, host: string, skip = false) =>
  JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: skip } } });
const metaPath = (name: string, dir = `${HOME}/.docker`) => `${dir}/contexts/meta/${createHash('sha256').update(name).digest('hex')}/meta.json`;

describe('engine selection (docker CLI order)', () => {
  it('defaults to unix:///var/run/docker.sock', () => {
    expect(selectEndpoint(env({}))).toEqual({ kind: 'unix', url: 'unix:///var/run/docker.sock', source: 'the default socket', socketPath: '/var/run/docker.sock' });
  });

  it('--host wins over DOCKER_HOST and the context', () => {
    const e = selectEndpoint(env({ [`${HOME}/.docker/config.json`]: '{"currentContext":"remote"}' }, { DOCKER_HOST: 'tcp://10.0.0.1:2375' }, 'unix:///run/user/1000/docker.sock'));
    expect(e).toMatchObject({ kind: 'unix', socketPath: '/run/user/1000/docker.sock', source: '--host' });
  });

  it('DOCKER_HOST wins over the current context', () => {
    const e = selectEndpoint(env({ [`${HOME}/.docker/config.json`]: '{"currentContext":"remote"}' }, { DOCKER_HOST: 'tcp://10.0.0.1:2375' }));
    expect(e).toMatchObject({ kind: 'tcp', host: '10.0.0.1', port: 2375, source: 'DOCKER_HOST' });
    expect(e).not.toHaveProperty('tls');
  });

  it('tcp:// with DOCKER_TLS_VERIFY uses DOCKER_CERT_PATH and defaults to port 2376', () => {
    const files = { '/certs/ca.pem': 'x', '/certs/cert.pem': 'x', '/certs/key.pem': 'x' };
    const e = selectEndpoint(env(files, { DOCKER_HOST: 'tcp://docker.example', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }));
    expect(e).toEqual({
      kind: 'tcp',
      url: 'tcp://docker.example:2376',
      source: 'DOCKER_HOST',
      host: 'docker.example',
      port: 2376,
      tls: { verify: true, ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem' },
    });
  });

  it('DOCKER_TLS_VERIFY without DOCKER_CERT_PATH reads ~/.docker, and fails clearly without ca.pem', () => {
    const files = { [`${HOME}/.docker/ca.pem`]: 'x' };
    expect(selectEndpoint(env(files, { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1' }))).toMatchObject({ tls: { verify: true, ca: `${HOME}/.docker/ca.pem` } });
    expect(() => selectEndpoint(env({}, { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nope' }))).toThrow(/\/nope\/ca\.pem does not exist/);
  });

  it('ssh:// keeps user, host and port', () => {
    expect(selectEndpoint(env({}, { DOCKER_HOST: 'ssh://deploy@build.example:2222' }))).toMatchObject({ kind: 'ssh', host: 'build.example', port: 2222, username: 'deploy' });
    expect(parseHost('ssh://build.example', 'x')).toMatchObject({ kind: 'ssh', host: 'build.example', port: undefined, username: undefined });
  });

  it('the current context of ~/.docker/config.json, through its meta file named by the sha256 of the name', () => {
    const files = {
      [`${HOME}/.docker/config.json`]: '{"auths":{},"currentContext":"rootless"}',
      [metaPath('rootless')]: meta('rootless', 'unix:///run/user/1000/docker.sock'),
    };
    expect(selectEndpoint(env(files))).toMatchObject({ kind: 'unix', socketPath: '/run/user/1000/docker.sock', source: 'docker context "rootless"' });
    expect(contextDirName('rootless')).toBe(createHash('sha256').update('rootless').digest('hex'));
  });

  it('DOCKER_CONTEXT wins over currentContext; DOCKER_CONFIG moves the folder', () => {
    const files = {
      '/cfg/config.json': '{"currentContext":"a"}',
      [metaPath('a', '/cfg')]: meta('a', 'unix:///a.sock'),
      [metaPath('b', '/cfg')]: meta('b', 'tcp://b.example:2375'),
    };
    expect(selectEndpoint(env(files, { DOCKER_CONFIG: '/cfg' }))).toMatchObject({ socketPath: '/a.sock' });
    expect(selectEndpoint(env(files, { DOCKER_CONFIG: '/cfg', DOCKER_CONTEXT: 'b' }))).toMatchObject({ kind: 'tcp', host: 'b.example', source: 'docker context "b"' });
  });

  it('a context with TLS files uses them; SkipTLSVerify turns verification off', () => {
    const tls = `${HOME}/.docker/contexts/tls/${contextDirName('prod')}/docker`;
    const files = {
      [`${HOME}/.docker/config.json`]: '{"currentContext":"prod"}',
      [metaPath('prod')]: meta('prod', 'tcp://prod.example:2376', true),
      [`${tls}/ca.pem`]: 'x',
      [`${tls}/cert.pem`]: 'x',
      [`${tls}/key.pem`]: 'x',
    };
    expect(selectEndpoint(env(files))).toMatchObject({ kind: 'tcp', port: 2376, tls: { verify: false, ca: `${tls}/ca.pem`, cert: `${tls}/cert.pem`, key: `${tls}/key.pem` } });
  });

  it('the "default" context is the default socket', () => {
    expect(selectEndpoint(env({ [`${HOME}/.docker/config.json`]: '{"currentContext":"default"}' }))).toMatchObject({ socketPath: '/var/run/docker.sock' });
  });

  it('a missing context, a broken config.json and a bad address are clear errors', () => {
    expect(() => selectEndpoint(env({ [`${HOME}/.docker/config.json`]: '{"currentContext":"gone"}' }))).toThrow(EndpointError);
    expect(() => selectEndpoint(env({ [`${HOME}/.docker/config.json`]: '{"currentContext":"gone"}' }))).toThrow(/docker context "gone".*does not exist/);
    expect(() => selectEndpoint(env({ [`${HOME}/.docker/config.json`]: '{nope' }))).toThrow(/not valid JSON/);
    expect(() => selectEndpoint(env({}, {}, 'ftp://x'))).toThrow(/unsupported scheme ftp/);
    expect(() => selectEndpoint(env({}, {}, 'tcp://'))).toThrow(/not a docker host address/);
  });

  it('parses the spellings the docker CLI accepts', () => {
    expect(parseHost('unix://', 's')).toMatchObject({ socketPath: '/var/run/docker.sock' });
    expect(parseHost('localhost:2375', 's')).toMatchObject({ kind: 'tcp', host: 'localhost', port: 2375 });
    expect(parseHost('tcp://[::1]:2375', 's')).toMatchObject({ kind: 'tcp', host: '::1', port: 2375 });
    expect(parseHost('npipe:////./pipe/docker_engine', 's')).toMatchObject({ kind: 'npipe', socketPath: '//./pipe/docker_engine' });
  });

  it('knows which endpoints reach this machine', () => {
    expect(isLocalEndpoint(parseHost('unix:///var/run/docker.sock', 's'))).toBe(true);
    expect(isLocalEndpoint(parseHost('tcp://127.0.0.1:2375', 's'))).toBe(true);
    expect(isLocalEndpoint(parseHost('tcp://10.1.2.3:2375', 's'))).toBe(false);
    expect(isLocalEndpoint(parseHost('ssh://h', 's'))).toBe(false);
  });
});

describe('audit list filters', () => {
  it('--filter key=value (repeatable) and --project become Engine list filters', async () => {
    const { listFilters } = await import('../src/cli/commands/audit');
    expect(listFilters(['label=portlint.test=x', 'label=team', 'name=web', 'status=exited'], 'shop')).toEqual({
      label: ['portlint.test=x', 'team', 'com.docker.compose.project=shop'],
      name: ['web'],
      status: ['exited'],
    });
    expect(listFilters([], undefined)).toEqual({});
    expect(() => listFilters(['label'], undefined)).toThrow(/expected key=value/);
    expect(() => listFilters(['label='], undefined)).toThrow(/expected key=value/);
  });
});
