/**
 * Engines that fail: fake servers on unix sockets in this process, and the real binary
 * spawned against them. Every fault is exit 2 with a message, never a stack trace.
 * Also: `check` without --live never loads the Engine client (nor node's TLS stack).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portableBinary, runAsync as spawnPortlint, type RunAsyncOptions, type RunResult } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'portlint-live-faults-'));
const servers: Server[] = [];
const sockets = new Set<Socket>();
afterAll(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

type Result = RunResult;

/** The binary, with the engine chosen only by what the test passes. */
function runAsync(args: string[], opts: RunAsyncOptions = {}): Promise<Result> {
  return spawnPortlint(args, { ...opts, env: { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, ...opts.env } });
}

let count = 0;
async function listen(server: Server): Promise<string> {
  const path = join(dir, `s${++count}.sock`);
  servers.push(server);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A fake Engine: routes by path prefix; anything else is 404. */
function fakeEngine(routes: Record<string, Handler>): Promise<string> {
  return listen(
    createHttpServer((req, res) => {
      const path = (req.url ?? '').replace(/^\/v[\d.]+/, '').split('?')[0];
      const key = Object.keys(routes).find((k) => path === k || (k.endsWith('*') && path.startsWith(k.slice(0, -1))));
      if (key) return routes[key](req, res);
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"page not found"}');
    }),
  );
}

const json = (body: unknown, status = 200): Handler => (_req, res) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
const VERSION = { Version: '20.10.24', ApiVersion: '1.41', MinAPIVersion: '1.12', Os: 'linux' };
const INFO = { Name: 'fake', OSType: 'linux', SecurityOptions: [] };

function expectCleanFailure(r: Result, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toContain('internal error');
}

describe('engine faults: exit 2 with a clear message', () => {
  it('no socket: "Is Docker running?"', async () => {
    const r = await runAsync(['audit', '--host', `unix://${join(dir, 'missing.sock')}`]);
    expectCleanFailure(r, /the socket .*missing\.sock does not exist \(engine chosen by --host\)\. Is Docker running\?/);
  });

  it('the default socket, chosen through DOCKER_HOST, is named as such', async () => {
    const r = await runAsync(['audit'], { env: { DOCKER_HOST: `unix://${join(dir, 'gone.sock')}` } });
    expectCleanFailure(r, /gone\.sock does not exist \(engine chosen by DOCKER_HOST\)/);
  });

  it('a socket that accepts and never answers: the --timeout', async () => {
    const path = await listen(createNetServer(() => undefined));
    const started = Date.now();
    const r = await runAsync(['audit', '--host', `unix://${path}`, '--timeout', '0.5']);
    expectCleanFailure(r, /did not answer GET \/version within 0\.5 s; .*--timeout <seconds> \(now 0\.5\)/);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('HTTP 500 with the engine message', async () => {
    const path = await fakeEngine({ '/version': json({ message: 'boom: daemon is shutting down' }, 500) });
    const r = await runAsync(['audit', '--host', `unix://${path}`]);
    expectCleanFailure(r, /answered GET \/version with HTTP 500: boom: daemon is shutting down/);
  });

  it('HTTP 500 on the container list', async () => {
    const path = await fakeEngine({ '/version': json(VERSION), '/info': json(INFO), '/containers/json': json({ message: 'database is locked' }, 500) });
    const r = await runAsync(['audit', '--host', `unix://${path}`]);
    expectCleanFailure(r, /answered GET \/containers\/json with HTTP 500: database is locked/);
  });

  const MANAGER = { ...INFO, Swarm: { NodeID: 'n1', LocalNodeState: 'active', ControlAvailable: true, Cluster: { ID: 'c1' } } };

  it('a swarm manager whose services fail (HTTP 503): one clear line', async () => {
    const path = await fakeEngine({ '/version': json(VERSION), '/info': json(MANAGER), '/containers/json': json([]), '/services': json({ message: 'rpc error: code = Unknown desc = The swarm does not have a leader' }, 503), '/tasks': json([]), '/nodes': json([]) });
    const r = await runAsync(['audit', '--host', `unix://${path}`]);
    expectCleanFailure(r, /answered GET \/services with HTTP 503: rpc error: code = Unknown desc = The swarm does not have a leader/);
  });

  it('an inspect that fails while the swarm is still being read: that error, no crash', async () => {
    const listed = [{ Id: 'a'.repeat(64), Names: ['/web'], State: 'running', Labels: {}, Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }], HostConfig: { NetworkMode: 'default' } }];
    const late = (status: number): Handler => (_q, res) => setTimeout(() => json({ message: 'too late' }, status)(_q, res), 300);
    const path = await fakeEngine({ '/version': json(VERSION), '/info': json(MANAGER), '/containers/json': json(listed), '/containers/*': json({ message: 'inspect broke' }, 500), '/services': late(503), '/tasks': json([]), '/nodes': json([]) });
    const r = await runAsync(['audit', '--host', `unix://${path}`]);
    expectCleanFailure(r, /answered GET \/containers\/a+\/json with HTTP 500: inspect broke/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('two managers of one swarm: its services are judged once, under the first', async () => {
    const service = { ID: 's1', Spec: { Name: 'shop_db', Labels: { 'com.docker.stack.namespace': 'shop' }, EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 5432, PublishedPort: 5432 }] } }, Endpoint: { Ports: [{ Protocol: 'tcp', TargetPort: 5432, PublishedPort: 5432, PublishMode: 'ingress' }] } };
    const node = (id: string) => ({ ID: id, Spec: { Role: 'manager', Availability: 'active' }, Description: { Hostname: id }, Status: { State: 'ready' } });
    const manager = (id: string) => fakeEngine({ '/version': json(VERSION), '/info': json({ ...INFO, ID: id, Name: id, Swarm: { ...MANAGER.Swarm, NodeID: id } }), '/containers/json': json([]), '/services': json([service]), '/tasks': json([]), '/nodes': json([node('m1'), node('m2')]) });
    const [a, b] = await Promise.all([manager('m1'), manager('m2')]);
    const r = await runAsync(['audit', '--host', `unix://${a}`, '--host', `unix://${b}`, '--format', 'json']);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; engine: { name: string } }>; engines: Array<{ name: string; services?: number; swarmReportedBy?: string }> };
    expect(report.findings.filter((f) => f.ruleId === 'swarm/sensitive-port-public').map((f) => f.engine.name)).toEqual([`unix://${a}`]);
    expect(report.engines.map((e) => [e.services, e.swarmReportedBy])).toEqual([
      [1, undefined],
      [undefined, `unix://${a}`],
    ]);
  });

  describe('answers that misbehave: exit 2 within --timeout, memory bounded', () => {
    /** The binary, timed, with its peak resident memory (the kernel's maxRSS, written at exit). */
    const timed = async (args: string[]) => {
      const hook = join(dir, 'rss.js');
      const out = join(dir, `rss-${++count}.txt`);
      writeFileSync(hook, `process.on('exit', () => require('fs').writeFileSync(process.env.PORTLINT_RSS_OUT, String(process.resourceUsage().maxRSS)));\n`);
      const started = Date.now();
      const r = await runAsync(args, { nodeArgs: ['--require', hook], env: { PORTLINT_RSS_OUT: out } });
      return { r, seconds: (Date.now() - started) / 1000, rssMb: Number(readFileSync(out, 'utf8')) / 1024 };
    };

    it('headers that never finish', async () => {
      const path = await listen(createNetServer((s) => s.once('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n'))));
      const { r, seconds } = await timed(['audit', '--host', `unix://${path}`, '--timeout', '1']);
      expectCleanFailure(r, /did not answer GET \/version within 1 s/);
      expect(seconds).toBeLessThan(4);
    });

    it('a body that never ends', async () => {
      const path = await fakeEngine({ '/version': (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"Version":"20.10.24",');
        const t = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(t));
      } });
      const { r, seconds } = await timed(['audit', '--host', `unix://${path}`, '--timeout', '1']);
      expectCleanFailure(r, /did not answer GET \/version within 1 s/);
      expect(seconds).toBeLessThan(4);
    });

    it('a 1 GB answer is cut off at the 64 MiB cap: peak memory stays under 200 MB', async () => {
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const path = await fakeEngine({ '/version': (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        let sent = 0;
        const more = () => {
          while (sent < 1024 && res.write(chunk)) sent++;
          if (sent < 1024) res.once('drain', more);
          else res.end();
        };
        res.on('close', () => (sent = 1024));
        more();
      } });
      const { r, rssMb } = await timed(['audit', '--host', `unix://${path}`, '--timeout', '30']);
      expectCleanFailure(r, /answered GET \/version with more than 64 MiB/);
      expect(rssMb).toBeLessThan(200);
      console.log(`1 GB answer: cut at 64 MiB, peak RSS ${Math.round(rssMb)} MB`);
    });

    it('truncated JSON, and a body shorter than its Content-Length', async () => {
      const cut = await fakeEngine({ '/version': (_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"Version":"20.10.24","ApiVer') });
      expectCleanFailure(await runAsync(['audit', '--host', `unix://${cut}`]), /answered GET \/version with text that is not JSON/);
      const short = await listen(createNetServer((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"Version":'))));
      expectCleanFailure(await runAsync(['audit', '--host', `unix://${short}`]), /closed the connection/);
    });

    it('invalid UTF-8 in the answer', async () => {
      const body = Buffer.concat([Buffer.from('{"Version":"20.10.24","ApiVersion":"1.41","Os":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
      const path = await fakeEngine({ '/version': (_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(body), '/info': json(INFO), '/containers/json': json([]) });
      const r = await runAsync(['audit', '--host', `unix://${path}`]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it('a redirect is not followed: it says where it pointed', async () => {
      const path = await fakeEngine({ '/version': (_q, res) => res.writeHead(301, { Location: 'https://login.example/' }).end() });
      expectCleanFailure(await runAsync(['audit', '--host', `unix://${path}`]), /answered GET \/version with a redirect \(HTTP 301\) to https:\/\/login\.example\/: portlint does not follow redirects \(they are no Docker Engine API\); point --host at the engine itself/);
    });
  });

  it('garbage: text that is not JSON', async () => {
    const path = await fakeEngine({ '/version': (_q, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>hello</html>') });
    const r = await runAsync(['audit', '--host', `unix://${path}`]);
    expectCleanFailure(r, /answered GET \/version with text that is not JSON \("<html>hello<\/html>"\), not what the Docker Engine API documents; is this a Docker Engine\?/);
  });

  it('garbage: JSON of the wrong shape', async () => {
    const path = await fakeEngine({ '/version': json(VERSION), '/info': json(INFO), '/containers/json': json({ containers: [] }) });
    const r = await runAsync(['audit', '--host', `unix://${path}`]);
    expectCleanFailure(r, /answered GET \/containers\/json with JSON that is not a list of containers/);
  });

  it('garbage: bytes that are not HTTP', async () => {
    const path = await listen(createNetServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n')));
    const r = await runAsync(['audit', '--host', `unix://${path}`]);
    expectCleanFailure(r, /(not HTTP|closed the connection without answering)/);
  });

  it('a server that closes the connection without answering', async () => {
    const path = await listen(createNetServer((s) => s.destroy()));
    const r = await runAsync(['audit', '--host', `unix://${path}`]);
    expectCleanFailure(r, /closed the connection without answering GET \/version/);
  });

  it('an API version that is too old', async () => {
    const path = await fakeEngine({ '/version': json({ Version: '1.7.1', ApiVersion: '1.19' }) });
    const r = await runAsync(['audit', '--host', `unix://${path}`]);
    expectCleanFailure(r, /speaks API 1\.19 \(Engine 1\.7\.1\), older than the API 1\.24 \(Docker 1\.12\) portlint reads; upgrade the Engine/);
  });

  it('a 404 on /version: not a Docker Engine API', async () => {
    const path = await fakeEngine({});
    const r = await runAsync(['audit', '--host', `unix://${path}`]);
    expectCleanFailure(r, /answered GET \/version with HTTP 404; it does not look like a Docker Engine API/);
  });

  it('permission denied names the socket and the usual fix', async () => {
    const path = await fakeEngine({ '/version': json(VERSION) });
    chmodSync(dir, 0o755);
    let r: Result;
    if (process.getuid?.() === 0) {
      chmodSync(path, 0o600); // root-owned: another user may not connect
      // A copy of the binary that user can read, wherever this checkout lies.
      const bin = portableBinary(join(dir, 'portable'));
      r = await runAsync(['audit', '--host', `unix://${path}`], { uid: 65534, gid: 65534, cwd: '/', bin });
    } else {
      chmodSync(path, 0o000);
      r = await runAsync(['audit', '--host', `unix://${path}`]);
    }
    expectCleanFailure(r, new RegExp(`permission denied on the Docker socket ${path.replace(/[.]/g, '\\.')} .*docker group`));
  });

  it('a bad --host and an unknown context are usage errors', async () => {
    expectCleanFailure(await runAsync(['audit', '--host', 'ftp://x']), /unsupported scheme ftp/);
    expectCleanFailure(await runAsync(['audit', '--filter', 'label']), /--filter label: expected key=value/);
    expectCleanFailure(await runAsync(['audit', '--timeout', '0']), /--timeout.*greater than 0/);
    const home = mkdtempSync(join(dir, 'home-'));
    writeFileSync(join(home, 'config.json'), '{"currentContext":"nowhere"}');
    expectCleanFailure(await runAsync(['audit'], { env: { DOCKER_CONFIG: home } }), /docker context "nowhere" \(from currentContext in .*config\.json\) does not exist/);
  });

  it('check --live fails the same way, exit 2', async () => {
    const r = await runAsync(['check', 'fixtures/basic', '--live', '--host', `unix://${join(dir, 'missing.sock')}`]);
    expectCleanFailure(r, /does not exist .*Is Docker running\?/);
  });

  it('a fake engine with no containers: audit succeeds with exactly version, info and the list', async () => {
    const seen: string[] = [];
    const path = await fakeEngine({
      '/version': (q, res) => (seen.push(`${q.method} ${q.url}`), json(VERSION)(q, res)),
      '/info': (q, res) => (seen.push(`${q.method} ${q.url}`), json(INFO)(q, res)),
      '/containers/json': (q, res) => (seen.push(`${q.method} ${q.url}`), json([])(q, res)),
    });
    const r = await runAsync(['audit', '--host', `unix://${path}`, '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(seen.sort()).toEqual(['GET /containers/json', 'GET /info', 'GET /version']);
  });
});

describe("the live client and node's TLS stack load only on the live paths", () => {
  const hook = join(dir, 'hook.js');
  // Node's own modules are not in require.cache; process.moduleLoadList names them.
  writeFileSync(
    hook,
    `process.on('exit', () => { require('fs').writeFileSync(process.env.PORTLINT_HOOK_OUT, JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (https|tls|_tls_wrap)$/.test(m)))); });\n`,
  );
  const loaded = async (args: string[]) => {
    const out = join(dir, `hook-${++count}.json`);
    const r = await runAsync(args, { nodeArgs: ['--require', hook], env: { PORTLINT_HOOK_OUT: out } });
    return { r, modules: JSON.parse(readFileSync(out, 'utf8')) as string[] };
  };

  it('check (without --live), ports and rules do not load it', async () => {
    for (const args of [['check', 'fixtures/basic'], ['check', 'fixtures/basic', '--format', 'json'], ['ports', 'fixtures/basic'], ['rules']]) {
      const { r, modules } = await loaded(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBeLessThan(2);
      expect(modules, args.join(' ')).toEqual([]);
    }
  });

  it('audit and check --live do load it (so the check above can fail)', async () => {
    const path = await fakeEngine({ '/version': json(VERSION), '/info': json(INFO), '/containers/json': json([]) });
    for (const args of [['audit', '--host', `unix://${path}`], ['check', 'fixtures/basic', '--live', '--host', `unix://${path}`]]) {
      const { r, modules } = await loaded(args);
      expect(r.status, r.stderr).toBeLessThan(2);
      expect(modules, args.join(' ')).toContain('NativeModule https');
    }
  });
});
