/**
 * Real Docker Engines for the tests and the fleet benchmark (plain Node: no test runner here;
 * ./docker.ts adds what vitest needs). The CI engine is started by scripts/docker-up.sh (with the
 * image portlint-busybox:latest). Fleet tests start more engines here, each a dockerd of its own
 * in a network namespace of its own (its own docker0, iptables and port space: a host), reached
 * through a unix socket, through dockerd's own TLS listener (certificates made with openssl
 * here), or through a real sshd running `docker system dial-stdio`. Everything is torn down by
 * `stop()`. Root only: without the tools the tests skip with the reason, or fail under
 * PORTLINT_REQUIRE_DOCKER=1.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export const IMAGE = process.env.PORTLINT_DOCKER_IMAGE ?? 'portlint-busybox:latest';
export const REQUIRE_DOCKER = process.env.PORTLINT_REQUIRE_DOCKER === '1';
const DOCKERD = process.env.PORTLINT_DOCKERD_BIN ?? '/usr/sbin/dockerd';
const SSHD = '/usr/sbin/sshd';

/** Why the CI engine cannot be used, or undefined when it can. */
export function engineProblem(): string | undefined {
  const v = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 20_000 });
  if (v.error) return `no docker client (${(v.error as NodeJS.ErrnoException).code})`;
  if (v.status !== 0) return `no Docker engine answers (${(v.stderr || '').trim().split('\n')[0]}); run scripts/docker-up.sh`;
  const i = spawnSync('docker', ['image', 'inspect', IMAGE], { encoding: 'utf8', timeout: 20_000 });
  if (i.status !== 0) return `image ${IMAGE} is missing; run scripts/docker-up.sh`;
  return undefined;
}

/** Why engines of our own cannot be started here, or undefined. */
export function fleetProblem(): string | undefined {
  const base = engineProblem();
  if (base) return base;
  if (process.getuid?.() !== 0) return 'starting engines of its own needs root';
  for (const [tool, path] of [['dockerd', DOCKERD], ['sshd (Debian openssh-server)', SSHD]] as const) if (!existsSync(path)) return `${tool} is not installed (${path})`;
  for (const tool of ['ip', 'nsenter', 'openssl', 'ssh', 'ssh-keygen']) {
    const r = spawnSync(tool, ['-V'], { encoding: 'utf8' });
    if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return `${tool} is not installed`;
  }
  return undefined;
}

export async function sh(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<string> {
  const p = exec(cmd, args, { maxBuffer: 1 << 26, env: opts.env ?? process.env });
  if (opts.input !== undefined) {
    p.child.stdin?.end(opts.input);
  }
  const { stdout } = await p;
  return stdout.trim();
}

// ---------------------------------------------------------------------------- certificates

export interface Certificate {
  cert: string;
  key: string;
}

export interface Ca extends Certificate {
  dir: string;
}

/** A CA of our own (openssl), in `dir`. */
export async function makeCa(dir: string, name: string): Promise<Ca> {
  mkdirSync(dir, { recursive: true });
  const key = join(dir, `${name}-key.pem`);
  const cert = join(dir, `${name}.pem`);
  await sh('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${name}`]);
  return { dir, cert, key };
}

/**
 * A certificate signed by `ca` (with `openssl ca`, which can date it in the past): a server
 * certificate for an IP address, or a client certificate. `expired` makes it valid only in 2020.
 */
export async function makeCert(ca: Ca, name: string, opts: { serverIp?: string; expired?: boolean }): Promise<Certificate> {
  const dir = join(ca.dir, name);
  mkdirSync(join(dir, 'new'), { recursive: true });
  const key = join(dir, 'key.pem');
  const csr = join(dir, 'req.csr');
  const cert = join(dir, 'cert.pem');
  writeFileSync(join(dir, 'index.txt'), '');
  const ext = opts.serverIp ? `subjectAltName=IP:${opts.serverIp}\nextendedKeyUsage=serverAuth` : 'extendedKeyUsage=clientAuth';
  writeFileSync(join(dir, 'ext.cnf'), `${ext}\n`);
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = d\n[d]\ndir = ${dir}\ndatabase = ${dir}/index.txt\nnew_certs_dir = ${dir}/new\nrand_serial = yes\ndefault_md = sha256\npolicy = p\nunique_subject = no\ncopy_extensions = none\n[p]\ncommonName = supplied\n`,
  );
  await sh('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
  const dates = opts.expired ? ['-startdate', '20200101000000Z', '-enddate', '20200201000000Z'] : ['-days', '30'];
  await sh('openssl', ['ca', '-batch', '-notext', '-config', join(dir, 'ca.cnf'), '-cert', ca.cert, '-keyfile', ca.key, '-in', csr, '-out', cert, '-extfile', join(dir, 'ext.cnf'), ...dates]);
  return { cert, key };
}

/** A folder the docker CLI reads as DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem. */
export function certPath(dir: string, ca: string, client: Certificate): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.pem'), readFileSync(ca));
  writeFileSync(join(dir, 'cert.pem'), readFileSync(client.cert));
  writeFileSync(join(dir, 'key.pem'), readFileSync(client.key));
  return dir;
}

// ---------------------------------------------------------------------------- engines

export interface TestEngine {
  name: string;
  /** The engine's own unix socket (on this machine's file system). */
  socket: string;
  /** The namespace's address on its link to this machine. */
  ip: string;
  /** With `tls`: dockerd's TLS listener, and the CA and a client certificate it trusts. */
  tls?: { url: string; ca: Ca; server: Certificate; client: Certificate };
  /** With `ssh`: the sshd of the namespace; logins run the docker CLI against this engine. */
  ssh?: { url: string; hostKey: string; user: string };
  /** docker CLI against this engine. */
  docker(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** Short, unique within the run (it names the namespace and the link). */
  name: string;
  /** A folder of the test run (short: unix socket paths are limited to 107 bytes). */
  root: string;
  tls?: boolean;
  /**
   * Route between this namespace and the others started with `routed` (through this machine,
   * with a FORWARD rule for the links, which Docker's FORWARD policy would drop): for a swarm of
   * several nodes.
   */
  routed?: boolean;
  /** Public keys that may log in over ssh; a login gets DOCKER_HOST of this engine, or the `env` of its key (a recording proxy, an empty PATH). */
  sshKeys?: Array<{ publicKey: string; env?: Record<string, string> }>;
}

function freeSubnet(): number {
  const used = spawnSync('ip', ['-o', 'addr'], { encoding: 'utf8' }).stdout;
  for (let k = 0; k < 200; k++) {
    const n = 1 + Math.floor(Math.random() * 250);
    if (!used.includes(`10.251.${n}.`)) return n;
  }
  throw new Error('no free 10.251.x.0/30 link');
}

async function waitFor(what: string, ok: () => Promise<boolean> | boolean, seconds: number, log?: string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = log && existsSync(log) ? `\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}` : '';
  throw new Error(`${what} did not come up within ${seconds} s${tail}`);
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

let savedImage: Promise<string> | undefined;

/** The test image, saved once from the CI engine, to load into engines of our own. */
function imageTar(root: string): Promise<string> {
  savedImage ??= (async () => {
    const tar = join(root, 'image.tar');
    await sh('docker', ['-H', 'unix:///var/run/docker.sock', 'save', '-o', tar, IMAGE]);
    return tar;
  })();
  return savedImage;
}

/** Starts a dockerd of its own in a network namespace of its own (see the module comment). */
export async function startEngine(o: EngineOptions): Promise<TestEngine> {
  const n = freeSubnet();
  const ns = `plt${n}${o.name}`.slice(0, 15);
  const hostIf = `plh${n}${o.name}`.slice(0, 15);
  const nsIf = `pln${n}${o.name}`.slice(0, 15);
  const hostIp = `10.251.${n}.1`;
  const ip = `10.251.${n}.2`;
  const dir = join(o.root, o.name);
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, 'docker.sock');
  const log = join(dir, 'dockerd.log');
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    await sh('ip', ['netns', 'add', ns]);
    cleanups.push(() => sh('ip', ['netns', 'del', ns]));
    await sh('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    await sh('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    cleanups.push(() => sh('ip', ['link', 'del', hostIf]));
    await sh('ip', ['link', 'set', nsIf, 'netns', ns]);
    await sh('ip', ['addr', 'add', `${hostIp}/30`, 'dev', hostIf]);
    await sh('ip', ['link', 'set', hostIf, 'up']);
    await sh('ip', ['netns', 'exec', ns, 'ip', 'addr', 'add', `${ip}/30`, 'dev', nsIf]);
    await sh('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up']);
    if (o.routed) {
      // The other links only: with a default route, the engine would wait on registries it cannot reach.
      await sh('ip', ['netns', 'exec', ns, 'ip', 'route', 'add', '10.251.0.0/16', 'via', hostIp]);
      const rule = ['FORWARD', '-i', 'plh+', '-o', 'plh+', '-j', 'ACCEPT'];
      if (spawnSync('iptables', ['-C', ...rule]).status !== 0) await sh('iptables', ['-I', ...rule]);
    }

    const args = ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'dockerd.pid'), '--shutdown-timeout', '1', '-H', `unix://${socket}`];
    let tls: TestEngine['tls'];
    if (o.tls) {
      const ca = await makeCa(join(dir, 'tls'), 'ca');
      const server = await makeCert(ca, 'server', { serverIp: ip });
      const client = await makeCert(ca, 'client', {});
      args.push('-H', `tcp://${ip}:2376`, '--tlsverify', '--tlscacert', ca.cert, '--tlscert', server.cert, '--tlskey', server.key);
      tls = { url: `tcp://${ip}:2376`, ca, server, client };
    }
    // nsenter --net, not `ip netns exec`: that one also remounts /sys, and dockerd needs the cgroup mount.
    const daemon = spawnSync('sh', ['-c', `setsid nsenter --net=/var/run/netns/${ns} ${DOCKERD} ${args.join(' ')} </dev/null >>${log} 2>&1 & echo $!`], { encoding: 'utf8' });
    const pid = Number(daemon.stdout.trim());
    cleanups.push(async () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return;
      }
      await waitFor(`dockerd ${o.name} to stop`, () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      }, 30).catch(() => process.kill(pid, 'SIGKILL'));
      // What a dockerd killed in the middle leaves: its containerd and shims, and mounts (its
      // netns files) that would keep the folder from being removed.
      spawnSync('pkill', ['-KILL', '-f', join(dir, 'exec')]);
      spawnSync('sh', ['-c', `grep -o ' ${dir}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l`]);
    });
    await waitFor(`dockerd ${o.name}`, () => ping(socket), 60, log);
    const docker = (...a: string[]) => sh('docker', ['-H', `unix://${socket}`, ...a]);
    await docker('load', '-q', '-i', await imageTar(o.root));

    let ssh: TestEngine['ssh'];
    if (o.sshKeys) {
      const sshDir = join(dir, 'sshd');
      mkdirSync(sshDir, { recursive: true });
      const hostKey = join(sshDir, 'host_ed25519');
      await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
      const authorized = o.sshKeys
        .map((k) => {
          const env = { DOCKER_HOST: `unix://${socket}`, ...k.env };
          return `${Object.entries(env).map(([name, value]) => `environment="${name}=${value}"`).join(',')} ${k.publicKey.trim()}`;
        })
        .join('\n');
      writeFileSync(join(sshDir, 'authorized_keys'), `${authorized}\n`);
      chmodSync(join(sshDir, 'authorized_keys'), 0o600);
      const pidFile = join(sshDir, 'sshd.pid');
      writeFileSync(
        join(sshDir, 'sshd_config'),
        [
          `ListenAddress ${ip}:22`,
          `HostKey ${hostKey}`,
          `AuthorizedKeysFile ${join(sshDir, 'authorized_keys')}`,
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PermitRootLogin prohibit-password',
          'PermitUserEnvironment DOCKER_HOST,PATH',
          'UsePAM no',
          'StrictModes no',
          `PidFile ${pidFile}`,
          '',
        ].join('\n'),
      );
      mkdirSync('/run/sshd', { recursive: true });
      await sh('nsenter', [`--net=/var/run/netns/${ns}`, SSHD, '-f', join(sshDir, 'sshd_config'), '-E', join(sshDir, 'sshd.log')]);
      cleanups.push(async () => process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM'));
      await waitFor(`sshd ${o.name}`, () => existsSync(pidFile), 10, join(sshDir, 'sshd.log'));
      ssh = { url: `ssh://root@${ip}`, hostKey: `${readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')}`, user: 'root' };
    }
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return { name: o.name, socket, ip, ...(tls && { tls }), ...(ssh && { ssh }), docker, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// ---------------------------------------------------------------------------- ssh client

export interface SshClient {
  /** A folder for PATH whose `ssh` runs the system ssh with this client's configuration. */
  bin: string;
  key: string;
  publicKey: string;
  /** Writes known_hosts with these lines (host key lines "ip keytype base64"). */
  knownHosts(lines: string[]): void;
}

/**
 * An ssh client identity: a key and a configuration (known_hosts, identity), used through a
 * wrapper named `ssh` first on PATH, as a user's ~/.ssh/config would be. The wrapper reads
 * PORTLINT_TEST_SSH_KEY to log in with another key (a refused one).
 */
export async function sshClient(root: string): Promise<SshClient> {
  const dir = join(root, 'ssh-client');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const key = join(dir, 'id_ed25519');
  await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, '');
  writeFileSync(
    join(dir, 'config'),
    `Host *\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n`,
  );
  writeFileSync(join(dir, 'bin', 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, 'config')} -i "\${PORTLINT_TEST_SSH_KEY:-${key}}" "$@"\n`);
  chmodSync(join(dir, 'bin', 'ssh'), 0o755);
  return {
    bin: join(dir, 'bin'),
    key,
    publicKey: readFileSync(`${key}.pub`, 'utf8'),
    knownHosts: (lines) => writeFileSync(knownHosts, lines.map((l) => `${l}\n`).join('')),
  };
}

// ---------------------------------------------------------------------------- recording proxy

export interface RecordingProxy {
  /** "METHOD /path?query" of every request, in order. */
  calls: string[];
  close(): void;
}

/** An HTTP proxy on `listenOn` (a unix socket path, or a server to attach to) forwarding to an engine socket, recording every request. */
export function recordingHandler(engineSocket: string, calls: string[]) {
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    calls.push(`${req.method} ${req.url}`);
    const up = request({ socketPath: engineSocket, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  };
}

export async function recordingProxy(socketPath: string, engineSocket: string): Promise<RecordingProxy> {
  const calls: string[] = [];
  const server: Server = createServer(recordingHandler(engineSocket, calls));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return { calls, close: () => server.close() };
}
