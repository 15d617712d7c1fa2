/**
 * `portlint audit` over a fleet: three real engines read in one run, over the three transports
 * (the CI engine over its unix socket, a second dockerd over its own TLS listener, a third over
 * a real sshd running `docker system dial-stdio`), each engine a host of its own (a network
 * namespace). Then the ways an engine cannot be read, each one clear line and exit 2, and a
 * recording proxy on each transport to show that portlint only sends GET requests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsync, type RunResult } from './helpers';
import { HAVE_SCHEMA, validateSarif } from './sarif-schema';
import {
  certPath,
  describeDocker,
  fleetProblem,
  IMAGE,
  makeCa,
  makeCert,
  recordingHandler,
  recordingProxy,
  sh,
  sshClient,
  startEngine,
  type RecordingProxy,
  type SshClient,
  type TestEngine,
} from './docker';

const PREFIX = `plf${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const LABEL = `portlint.test=${PREFIX}`;
const PROJECT = `${PREFIX}shop`;
/** A port the CI engine publishes: below the ephemeral range, apart from the other suites' 20000-29099. */
const MAIN_PORT = 15000 + Math.floor(Math.random() * 900);

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  engine?: { name: string; endpoint: string };
  container?: { name: string };
  binding?: { hostIp: string; hostPort: string };
  related?: Array<{ message: string }>;
}
interface JsonEngine {
  name: string;
  endpoint: string;
  host?: string;
  containers?: number;
  calls?: number;
  error?: string;
  sameAs?: string;
}
interface JsonReport {
  findings: JsonFinding[];
  engines: JsonEngine[];
  summary: { enginesNotRead: number };
}

const problem = fleetProblem();

describeDocker('audit of a fleet: unix, TLS and ssh engines in one run', problem, () => {
  let root: string;
  let tls: TestEngine;
  let ssh: TestEngine;
  let client: SshClient;
  let certs: string;
  let proxyKey: string;
  let refusedKey: string;
  let noDockerKey: string;
  let sshProxy: RecordingProxy;
  const servers: Server[] = [];
  const mainIds: string[] = [];

  /** The three engines, as --host flags. */
  const hosts = () => ['--host', 'unix:///var/run/docker.sock', '--host', tls.tls!.url, '--host', ssh.ssh!.url];
  const env = (extra: Record<string, string | undefined> = {}) => ({
    DOCKER_HOST: undefined,
    DOCKER_CONTEXT: undefined,
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: certs,
    PATH: `${client.bin}:${process.env.PATH}`,
    ...extra,
  });
  const audit = (args: string[], extra: Record<string, string | undefined> = {}) => runAsync(['audit', '--filter', `label=${LABEL}`, ...args], { env: env(extra) });
  const json = (r: RunResult): JsonReport => JSON.parse(r.stdout);
  const oneLine = (r: RunResult) => {
    expect(r.status, r.stdout + r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    return lines[0];
  };

  /** A container of the compose service `db` of PROJECT (labels as compose writes them). */
  const db = (run: (...a: string[]) => Promise<string>, publish: string) =>
    run('run', '-d', '--label', LABEL, '--label', `com.docker.compose.project=${PROJECT}`, '--label', 'com.docker.compose.service=db', '-p', publish, IMAGE, 'sleep', '600');

  beforeAll(async () => {
    root = mkdtempSync('/tmp/plf-');
    client = await sshClient(root);
    proxyKey = join(root, 'proxy_ed25519');
    refusedKey = join(root, 'refused_ed25519');
    noDockerKey = join(root, 'nodocker_ed25519');
    await Promise.all([proxyKey, refusedKey, noDockerKey].map((k) => sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', k])));
    const sshProxySocket = join(root, 'ssh-proxy.sock');
    [tls, ssh] = await Promise.all([
      startEngine({ name: 'tls', root, tls: true }),
      startEngine({
        name: 'ssh',
        root,
        sshKeys: [
          { publicKey: client.publicKey },
          { publicKey: readFileSync(`${proxyKey}.pub`, 'utf8'), env: { DOCKER_HOST: `unix://${sshProxySocket}` } },
          { publicKey: readFileSync(`${noDockerKey}.pub`, 'utf8'), env: { PATH: '/nonexistent' } },
        ],
      }),
    ]);
    sshProxy = await recordingProxy(sshProxySocket, ssh.socket);
    client.knownHosts([`${ssh.ip} ${ssh.ssh!.hostKey}`]);
    certs = certPath(join(root, 'certs'), tls.tls!.ca.cert, tls.tls!.client);
    const main = (...a: string[]) => sh('docker', ['-H', 'unix:///var/run/docker.sock', ...a]);
    mainIds.push(await db(main, `127.0.0.1:${MAIN_PORT}:5432`));
    await Promise.all([db(tls.docker, '5432:5432'), db(ssh.docker, '5432:5432')]);
  }, 240_000);

  afterAll(async () => {
    for (const s of servers) s.close();
    sshProxy?.close();
    if (mainIds.length) await sh('docker', ['-H', 'unix:///var/run/docker.sock', 'rm', '-f', ...mainIds]).catch(() => undefined);
    await Promise.all([tls?.stop(), ssh?.stop()]);
    if (root) rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('reads the three engines at once and names the engine of every finding', async () => {
    const r = await audit([...hosts(), '--format', 'json']);
    expect(r.status, r.stderr).toBe(1);
    const report = json(r);
    expect(report.engines.map((e) => [e.name, e.containers, e.error])).toEqual([
      ['unix:///var/run/docker.sock', 1, undefined],
      [tls.tls!.url, 1, undefined],
      [ssh.ssh!.url, 1, undefined],
    ]);
    expect(report.findings.every((f) => f.engine !== undefined)).toBe(true);
    const on = (name: string) => report.findings.filter((f) => f.engine!.name === name).map((f) => f.ruleId);
    expect(on(tls.tls!.url)).toContain('exposure/sensitive-port-public');
    expect(on(ssh.ssh!.url)).toContain('exposure/sensitive-port-public');
    expect(on('unix:///var/run/docker.sock')).toEqual(['daemon/loopback-leak-engine']);
    expect(report.findings.find((f) => f.engine!.name === tls.tls!.url)!.engine!.endpoint).toBe(tls.tls!.url);
  });

  it('reports what holds across engines: the same service public on two hosts, and published differently on the third', async () => {
    const r = await audit([...hosts(), '--format', 'json']);
    const fleet = json(r).findings.filter((f) => f.ruleId.startsWith('fleet/'));
    expect(fleet.map((f) => [f.ruleId, f.severity, f.engine!.name])).toEqual([
      ['fleet/exposed-on-several-engines', 'warning', tls.tls!.url],
      ['fleet/inconsistent-publish', 'warning', tls.tls!.url],
    ]);
    const [exposed, inconsistent] = fleet;
    expect(exposed.message).toContain(`service db of project ${PROJECT} publishes port 5432 on every interface on 2 engines (${tls.tls!.url} and ${ssh.ssh!.url})`);
    expect(exposed.related!.map((x) => x.message)).toEqual([`engine ${ssh.ssh!.url}: publishes "5432:5432"`]);
    expect(inconsistent.message).toContain(`"127.0.0.1:${MAIN_PORT}:5432" on unix:///var/run/docker.sock; "5432:5432" on ${tls.tls!.url} and ${ssh.ssh!.url}`);
    expect(inconsistent.message).toContain('reachable on loopback only on unix:///var/run/docker.sock but every interface on');
  });

  it('reads the docker CLI context store: --all-contexts, with the TLS material the CLI stored', async () => {
    const config = join(root, 'docker-config');
    const cli = (...a: string[]) => execFileSync('docker', a, { env: { ...process.env, DOCKER_CONFIG: config, DOCKER_HOST: '' } });
    const t = tls.tls!;
    cli('context', 'create', 'fleet-tls', '--docker', `host=${t.url},ca=${t.ca.cert},cert=${t.client.cert},key=${t.client.key}`);
    cli('context', 'create', 'fleet-ssh', '--docker', `host=${ssh.ssh!.url}`);
    const r = await audit(['--all-contexts', '--format', 'json'], { DOCKER_CONFIG: config, DOCKER_TLS_VERIFY: undefined, DOCKER_CERT_PATH: undefined });
    expect(r.status, r.stderr).toBe(1);
    const report = json(r);
    expect(report.engines.map((e) => [e.name, e.endpoint, e.containers])).toEqual([
      ['default', 'unix:///var/run/docker.sock', 1],
      ['fleet-ssh', ssh.ssh!.url, 1],
      ['fleet-tls', t.url, 1],
    ]);
    const one = await audit(['--context', 'fleet-tls', '--format', 'json'], { DOCKER_CONFIG: config, DOCKER_TLS_VERIFY: undefined, DOCKER_CERT_PATH: undefined });
    expect(json(one).findings.map((f) => f.engine!.name)).toContain('fleet-tls');
  });

  it('one engine hung and one refusing: the reachable one is still checked, then exit 2 naming both', async () => {
    const pid = Number(readFileSync(join(root, 'tls', 'dockerd.pid'), 'utf8'));
    process.kill(pid, 'SIGSTOP');
    let r: RunResult;
    const started = Date.now();
    try {
      r = await audit(['--host', 'unix:///var/run/docker.sock', '--host', tls.tls!.url, '--host', ssh.ssh!.url, '--host', `tcp://${ssh.ip}:2399`, '--timeout', '2', '--format', 'json'], { DOCKER_TLS_VERIFY: undefined });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.status, r.stderr).toBe(2);
    const report = json(r);
    expect(report.summary.enginesNotRead).toBe(2);
    expect(report.engines[1].error).toMatch(/did not answer GET \/version within 2 s/);
    expect(report.engines[3].error).toMatch(/connection refused/);
    expect(report.findings.map((f) => f.engine!.name)).toContain(ssh.ssh!.url);
    expect(report.findings.map((f) => f.engine!.name)).toContain('unix:///var/run/docker.sock');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^portlint: engine ${tls.tls!.url.replace(/[.]/g, '\\.')}: `));
  });

  it('stylish groups by engine and lists an engine that was not read', async () => {
    const r = await audit(['--host', ssh.ssh!.url, '--host', `tcp://${ssh.ip}:2399`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^engine ${ssh.ssh!.url.replace(/[.]/g, '\\.')}  Docker Engine \\S+ on \\S+, 1 container\\n  project ${PROJECT}\\n`));
    expect(r.stdout).toContain(`engine tcp://${ssh.ip}:2399\n  ✖ not read: cannot connect to the Docker engine at tcp://${ssh.ip}:2399`);
    expect(r.stdout.trim().split('\n').pop()).toMatch(/^✖ \d+ problems? \(.*\) on 1 engine read \(1 container\), 1 engine not read$/);
  });

  it('the CI formats carry the engine of each finding, and an engine not read', async () => {
    const down = `tcp://${ssh.ip}:2399`;
    const args = ['--host', ssh.ssh!.url, '--host', down];
    const [sarif, github, gitlab, junit] = await Promise.all(['sarif', 'github', 'gitlab', 'junit'].map((format) => audit([...args, '--format', format])));
    const log = JSON.parse(sarif.stdout);
    if (HAVE_SCHEMA) expect(validateSarif(log) ? null : validateSarif.errors).toBeNull();
    const run = log.runs[0];
    const notes = run.invocations[0].toolExecutionNotifications;
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(notes.filter((n: { properties?: { engine?: { name: string } } }) => n.properties?.engine?.name === ssh.ssh!.url).length).toBeGreaterThan(0);
    expect(notes.some((n: { descriptor?: { id: string }; message: { text: string } }) => n.descriptor?.id === 'engine-error' && n.message.text.startsWith(`engine ${down} (${down}) was not read: `))).toBe(true);
    expect(github.stdout).toMatch(new RegExp(`^::error title=exposure/sensitive-port-public::engine ${ssh.ssh!.url.replace(/[.]/g, '\\.')}: `, 'm'));
    expect(github.stdout).toMatch(/^::error title=portlint%3A engine not read::engine tcp:/m);
    const issues = JSON.parse(gitlab.stdout);
    expect(issues.find((i: { check_name: string }) => i.check_name === 'portlint/engine-error').severity).toBe('critical');
    expect(issues.find((i: { check_name: string }) => i.check_name === 'exposure/sensitive-port-public').description).toMatch(/^engine ssh:/);
    expect(junit.stdout).toContain(`<error type="engine-error"`);
    expect(junit.stdout).toMatch(new RegExp(`<testcase classname="portlint" name="engine ${ssh.ssh!.url.replace(/[.]/g, '\\.')} container `));
  });

  it('the same engine reached through two addresses is reported once', async () => {
    const r = await audit(['--host', `unix://${ssh.socket}`, '--host', ssh.ssh!.url, '--format', 'json']);
    const report = json(r);
    expect(report.engines[1]).toMatchObject({ name: ssh.ssh!.url, sameAs: `unix://${ssh.socket}` });
    expect(report.findings.some((f) => f.engine!.name === ssh.ssh!.url)).toBe(false);
    expect(report.findings.some((f) => f.ruleId.startsWith('fleet/'))).toBe(false);
  });

  describe('TLS that fails: one line, exit 2', () => {
    it('a CA that did not sign the engine certificate', async () => {
      const other = await makeCa(join(root, 'other-ca'), 'other');
      const dir = certPath(join(root, 'wrong-ca'), other.cert, tls.tls!.client);
      const line = oneLine(await audit(['--host', tls.tls!.url], { DOCKER_CERT_PATH: dir }));
      expect(line).toMatch(/TLS with the Docker engine at tcp:\S+ \(engine chosen by --host\) failed: the engine's certificate is not signed by the CA portlint was given \(.*wrong-ca\/ca\.pem\)/);
    });

    it('an expired client certificate, which the engine refuses', async () => {
      const expired = await makeCert(tls.tls!.ca, 'expired-client', { expired: true });
      const dir = certPath(join(root, 'expired-client'), tls.tls!.ca.cert, expired);
      expect(oneLine(await audit(['--host', tls.tls!.url], { DOCKER_CERT_PATH: dir }))).toMatch(/failed: the engine refused portlint's client certificate \(.*expired-client\/cert\.pem\) with the TLS alert "(bad certificate|certificate expired)"/);
    });

    it('an expired engine certificate', async () => {
      const expired = await makeCert(tls.tls!.ca, 'expired-server', { serverIp: '127.0.0.1', expired: true });
      const server = createHttpsServer({ key: readFileSync(expired.key), cert: readFileSync(expired.cert) }, (_req, res) => res.end('{}'));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(oneLine(await audit(['--host', url]))).toMatch(/failed: the engine's certificate has expired/);
    });

    it('no client certificate at all', async () => {
      const dir = join(root, 'ca-only');
      certPath(dir, tls.tls!.ca.cert, tls.tls!.client);
      rmSync(join(dir, 'cert.pem'));
      rmSync(join(dir, 'key.pem'));
      expect(oneLine(await audit(['--host', tls.tls!.url], { DOCKER_CERT_PATH: dir }))).toMatch(/failed: the engine refused the connection: portlint sent no client certificate/);
    });

    it('TLS to a port that speaks plain HTTP, and plain HTTP to the TLS port', async () => {
      const plain = createHttpServer((_req, res) => res.end('{}'));
      servers.push(plain);
      await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
      expect(oneLine(await audit(['--host', `tcp://127.0.0.1:${(plain.address() as AddressInfo).port}`]))).toMatch(/does not speak TLS on that port/);
      expect(oneLine(await audit(['--host', tls.tls!.url], { DOCKER_TLS_VERIFY: undefined }))).toMatch(/expects TLS/);
    });
  });

  describe('ssh that fails: one line, exit 2', () => {
    it('a key the host does not accept', async () => {
      expect(oneLine(await audit(['--host', ssh.ssh!.url], { PORTLINT_TEST_SSH_KEY: refusedKey }))).toMatch(
        new RegExp(`cannot reach the Docker engine at ssh://root@${ssh.ip.replace(/\./g, '\\.')} \\(engine chosen by --host\\): ssh to root@\\S+ was refused: permission denied \\(ssh: "root@\\S+: Permission denied \\(publickey\\)\\."\\); portlint runs ssh in batch mode`),
      );
    });

    it('a host key that does not match known_hosts', async () => {
      const impostor = join(root, 'impostor');
      await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', impostor]);
      client.knownHosts([`${ssh.ip} ${readFileSync(`${impostor}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}`]);
      try {
        expect(oneLine(await audit(['--host', ssh.ssh!.url]))).toMatch(/its host key does not match the one in known_hosts .*ssh-keygen -R /);
        client.knownHosts([]);
        expect(oneLine(await audit(['--host', ssh.ssh!.url]))).toMatch(/its host key is not in known_hosts, and portlint runs ssh in batch mode/);
      } finally {
        client.knownHosts([`${ssh.ip} ${ssh.ssh!.hostKey}`]);
      }
    });

    it('a host with no sshd, a remote without the docker CLI, and a remote engine that is not there', async () => {
      expect(oneLine(await audit(['--host', `ssh://root@${tls.ip}`]))).toMatch(/over ssh: connection refused; is sshd running there\?/);
      expect(oneLine(await audit(['--host', ssh.ssh!.url], { PORTLINT_TEST_SSH_KEY: noDockerKey }))).toMatch(/has no docker command on its PATH: the ssh transport runs "docker system dial-stdio" there/);
      expect(oneLine(await audit(['--host', `${ssh.ssh!.url}/no/such.sock`]))).toMatch(/cannot reach the Docker engine at ssh:\S+\/no\/such\.sock .*: (the docker CLI on root@\S+ cannot reach its engine|ssh to root@\S+ failed)/);
    });
  });

  it('read-only on every transport: a recording proxy sees only GET requests, and the counts the report gives', async () => {
    const mainProxySocket = join(root, 'main-proxy.sock');
    const mainProxy = await recordingProxy(mainProxySocket, '/var/run/docker.sock');
    const tlsCalls: string[] = [];
    const front = await makeCert(tls.tls!.ca, 'proxy-server', { serverIp: '127.0.0.1' });
    const tlsProxy = createHttpsServer(
      { key: readFileSync(front.key), cert: readFileSync(front.cert), ca: readFileSync(tls.tls!.ca.cert), requestCert: true, rejectUnauthorized: true },
      recordingHandler(tls.socket, tlsCalls),
    );
    servers.push(tlsProxy);
    await new Promise<void>((resolve) => tlsProxy.listen(0, '127.0.0.1', resolve));
    const tlsUrl = `tcp://127.0.0.1:${(tlsProxy.address() as AddressInfo).port}`;
    sshProxy.calls.length = 0;
    try {
      const r = await audit(['--all', '--host', `unix://${mainProxySocket}`, '--host', tlsUrl, '--host', ssh.ssh!.url, '--format', 'json'], { PORTLINT_TEST_SSH_KEY: proxyKey });
      expect(r.status, r.stderr).toBe(1);
      const report = json(r);
      for (const [calls, engine] of [
        [mainProxy.calls, report.engines[0]],
        [tlsCalls, report.engines[1]],
        [sshProxy.calls, report.engines[2]],
      ] as const) {
        // Over ssh, the remote `docker system dial-stdio` itself pings the engine once per
        // connection (HEAD /_ping, read-only) before it relays portlint's requests.
        const relayed = engine === report.engines[2] ? calls.filter((c) => c !== 'HEAD /_ping') : calls;
        expect(calls.length - relayed.length, engine.name).toBeLessThanOrEqual(2);
        expect(relayed.length, engine.name).toBeGreaterThanOrEqual(4);
        expect(relayed.filter((c) => !c.startsWith('GET ')), engine.name).toEqual([]);
        expect(engine.calls, engine.name).toBe(relayed.length);
        expect(relayed.map((c) => c.replace(/^GET (\/v[\d.]+)?/, '').split('?')[0]).slice(0, 1)).toEqual(['/version']);
      }
      console.log(`fleet audit through recording proxies: ${report.engines.map((e) => `${e.name.split(':')[0]} ${e.calls} GET`).join(', ')}`);
    } finally {
      mainProxy.close();
    }
  });
});
