import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EndpointError, contextDirName, isLocalEndpoint, parseHost, selectEngines, storedContexts, type EndpointEnv } from '../src/live/endpoint';
import { describeSshFailure, sshArgs } from '../src/live/ssh';

const HOME = '/home/u';

/** The one engine of a run with at most one --host: the docker CLI's choice, or that address. */
function selectEndpoint(o: EndpointEnv & { host?: string }) {
  const r = selectEngines({ hosts: o.host ? [o.host] : [], contexts: [], allContexts: false }, o);
  if (r.errors.length) throw new EndpointError(r.errors[0].message);
  return r.targets[0].endpoint;
}

function env(files: Record<string, string>, vars: Record<string, string | undefined> = {}, host?: string): EndpointEnv & { host?: string } {
  const listDir = (dir: string) => [...new Set(Object.keys(files).filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1).split('/')[0]))];
  return { host, env: vars, homedir: HOME, readFile: (p) => files[p], exists: (p) => p in files, listDir };
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

describe('a fleet: several engines', () => {
  const store = {
    [metaPath('prod-1')]: meta('prod-1', 'ssh://deploy@prod-1'),
    [metaPath('prod-2')]: meta('prod-2', 'tcp://prod-2:2376'),
    [`${HOME}/.docker/contexts/tls/${contextDirName('prod-2')}/docker/ca.pem`]: 'x',
    [`${HOME}/.docker/contexts/meta/0123/meta.json`]: meta('misfiled', 'unix:///x.sock'), // not under the hash of its name
  };
  const none = { hosts: [], contexts: [], allContexts: false };

  it('with nothing asked for, the one engine the docker CLI would use, named after its context, DOCKER_HOST or "default"', () => {
    expect(selectEngines(none, env({})).targets.map((t) => [t.name, t.endpoint.url])).toEqual([['default', 'unix:///var/run/docker.sock']]);
    expect(selectEngines(none, env({}, { DOCKER_HOST: 'tcp://h:2375' })).targets[0].name).toBe('tcp://h:2375');
    expect(selectEngines(none, env(store, { DOCKER_CONTEXT: 'prod-1' })).targets[0]).toMatchObject({ name: 'prod-1', endpoint: { kind: 'ssh', host: 'prod-1' } });
  });

  it('--host and --context repeated, in order; the same address once, under its first name', () => {
    const r = selectEngines({ hosts: ['unix:///a.sock', 'ssh://deploy@prod-1'], contexts: ['prod-2', 'prod-1'], allContexts: false }, env(store));
    expect(r.targets.map((t) => [t.name, t.endpoint.url])).toEqual([
      ['unix:///a.sock', 'unix:///a.sock'],
      ['ssh://deploy@prod-1', 'ssh://deploy@prod-1'],
      ['prod-2', 'tcp://prod-2:2376'],
    ]);
    expect(r.targets[2].endpoint).toMatchObject({ tls: { verify: true, ca: `${HOME}/.docker/contexts/tls/${contextDirName('prod-2')}/docker/ca.pem` } });
  });

  it('a target that cannot be addressed is an error of its own; the others are still selected', () => {
    const r = selectEngines({ hosts: ['ftp://x'], contexts: ['gone', 'prod-1'], allContexts: false }, env(store));
    expect(r.targets.map((t) => t.name)).toEqual(['prod-1']);
    expect(r.errors.map((e) => e.name)).toEqual(['ftp://x', 'gone']);
    expect(r.errors[1].message).toMatch(/docker context "gone" \(from --context\) does not exist/);
  });

  it('--all-contexts: every stored context (by its meta file), and default only when it points somewhere', () => {
    expect(storedContexts(env(store))).toEqual(['prod-1', 'prod-2']);
    const all = { hosts: [], contexts: [], allContexts: true };
    expect(selectEngines(all, env(store)).targets.map((t) => t.name)).toEqual(['prod-1', 'prod-2']);
    expect(selectEngines(all, env({ ...store, '/var/run/docker.sock': '' })).targets.map((t) => t.name)).toEqual(['default', 'prod-1', 'prod-2']);
    const viaHost = selectEngines(all, env(store, { DOCKER_HOST: 'tcp://ci:2375' })).targets[0];
    expect(viaHost).toMatchObject({ name: 'default', endpoint: { url: 'tcp://ci:2375' } });
    expect(selectEngines(all, env(store, { DOCKER_CONFIG: '/elsewhere' })).targets).toEqual([]);
  });
});

describe('ssh, the docker CLI way', () => {
  it('the command line: batch mode, the connect timeout, user, port, and the remote socket as --host', () => {
    expect(sshArgs(parseHost('ssh://deploy@h:2222', 's') as never, 2500)).toEqual(['-o', 'ConnectTimeout=3', '-o', 'BatchMode=yes', '-T', '-l', 'deploy', '-p', '2222', '--', 'h', 'docker', 'system', 'dial-stdio']);
    expect(sshArgs(parseHost('ssh://h/run/user/1000/docker.sock', 's') as never, 10_000)).toEqual(['-o', 'ConnectTimeout=10', '-o', 'BatchMode=yes', '-T', '--', 'h', 'docker', '--host=unix:///run/user/1000/docker.sock', 'system', 'dial-stdio']);
  });

  it('the remote socket path is one word for the remote shell, whatever it holds', () => {
    expect(sshArgs(parseHost('ssh://h/x;id>%2Ftmp%2Fi', 's') as never, 1000).slice(-3, -2)).toEqual(["'--host=unix:///x;id>/tmp/i'"]);
    expect(sshArgs(parseHost("ssh://h/it's here", 's') as never, 1000).slice(-3, -2)).toEqual(["'--host=unix:///it'\\''s here'"]);
  });

  it('one line for what ssh says', () => {
    const e = parseHost('ssh://deploy@h', 's') as never;
    expect(describeSshFailure(e, 255, 'ssh: Could not resolve hostname h: Name or service not known\n')).toBe('cannot connect over ssh: the host name h does not resolve');
    expect(describeSshFailure(e, 255, 'ssh: connect to host h port 22: Connection timed out\n')).toBe('cannot connect to deploy@h over ssh: connection timed out');
    expect(describeSshFailure(e, 127, 'bash: line 1: docker: command not found\n')).toMatch(/^deploy@h has no docker command on its PATH/);
    expect(describeSshFailure(e, 1, 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n')).toBe(
      'the docker CLI on deploy@h cannot reach its engine (ssh: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"); is Docker running there?',
    );
    expect(describeSshFailure(e, 3, 'something else\n')).toBe('ssh to deploy@h failed (exit 3): something else');
  });
});
