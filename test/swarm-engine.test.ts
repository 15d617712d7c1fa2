/**
 * Swarm on real engines: a dockerd of its own (a network namespace of its own) made a swarm
 * with `docker swarm init`, a stack deployed with the real `docker stack deploy`, then
 * `portlint audit` over its services (and `check --swarm` over the same stack file before
 * deploy: the same findings); at the end a second engine joins as a worker, a node of its own.
 * This kernel has no IPVS, so the ingress mesh is not programmed; allocation, service specs,
 * tasks, scheduling and the API work, and those are what portlint reads. The swarm is left and
 * the engines removed afterwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLive } from '../src/live/collect';
import { parseHost } from '../src/live/endpoint';
import { runAsync, type RunResult } from './helpers';
import { describeDocker, fleetProblem, IMAGE, recordingProxy, sh, startEngine, type TestEngine } from './docker';

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file?: string;
  line?: number;
  service?: string;
  swarm?: { stack: string; service: string; id?: string };
  container?: { name: string };
}

const STACK = 'shop';
/** Lines of the port entries below, for the assertions. */
const LINE = { db: 6, web: 11, webRange: 12, cache: 16 };
const stackFile = `services:
  db:
    image: ${IMAGE}
    command: sleep 600
    ports:
      - "5432:5432"
  web:
    image: ${IMAGE}
    command: sleep 600
    ports:
      - "127.0.0.1:18080:80"
      - "19000-19002:90"
      - "80"
  cache:
    ports:
      - { target: 443, published: 18443, mode: host }
    image: ${IMAGE}
    command: sleep 600
    deploy:
      replicas: 2
`;

const problem = fleetProblem();

describeDocker('swarm services on a real swarm (one node, then two)', problem, () => {
  let root: string;
  let engine: TestEngine;
  /** A second engine, joined to the swarm as a worker by the last tests. */
  let worker: TestEngine;
  let file: string;
  let audit: RunResult;
  let check: RunResult;
  let host: string;

  const findings = (r: RunResult): JsonFinding[] => JSON.parse(r.stdout).findings;
  const run = (args: string[]) => runAsync(args, { env: { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined } });

  beforeAll(async () => {
    root = mkdtempSync('/tmp/pls-');
    [engine, worker] = await Promise.all([startEngine({ name: 'swarm', root, routed: true }), startEngine({ name: 'worker', root, routed: true })]);
    host = `unix://${engine.socket}`;
    file = join(root, 'stack.yml');
    writeFileSync(file, stackFile);
    check = await run(['check', '--swarm', '-p', STACK, file, '--format', 'json']);
    await engine.docker('swarm', 'init', '--advertise-addr', engine.ip);
    // A standalone container that already publishes what the stack's web publishes through the mesh.
    await engine.docker('run', '-d', '--name', 'legacy-web', '-p', '18080:80', IMAGE, 'sleep', '600');
    await engine.docker('stack', 'deploy', '-c', file, STACK);
    // Until the scheduler has placed what it can: db, web and one cache task run, the other waits.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const tasks = (await engine.docker('service', 'ps', '--no-trunc', '--format', '{{.Name}} {{.CurrentState}} {{.Error}}', `${STACK}_db`, `${STACK}_web`, `${STACK}_cache`)).split('\n');
      if (tasks.filter((t) => / Running /.test(t)).length >= 3 && tasks.some((t) => /host-mode port already in use/.test(t))) break;
      if (Date.now() > deadline) throw new Error(`the stack did not settle:\n${tasks.join('\n')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    audit = await run(['audit', '--host', host, '--stack', `${STACK}=${file}`, '--format', 'json']);
  }, 240_000);

  afterAll(async () => {
    for (const e of [worker, engine]) {
      if (!e) continue;
      await e.docker('swarm', 'leave', '--force').catch(() => undefined);
      await e.stop();
    }
    if (root) rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('reads the services of the manager and judges them with the swarm rules, at the stack file lines', () => {
    expect(audit.status, audit.stderr).toBe(1);
    const swarm = findings(audit).filter((f) => f.ruleId.startsWith('swarm/'));
    expect(swarm.map((f) => [f.ruleId, f.line, f.swarm?.service]).sort()).toEqual(
      [
        ['swarm/host-ip-ignored', LINE.web, `${STACK}_web`],
        ['swarm/host-mode-replicas', LINE.cache, `${STACK}_cache`],
        ['swarm/ingress-port-conflict', LINE.web, `${STACK}_web`],
        ['swarm/sensitive-port-public', LINE.db, `${STACK}_db`],
      ].sort(),
    );
    expect(swarm.every((f) => f.file === file && f.swarm?.stack === STACK && /^[a-z0-9]{25}$/.test(f.swarm.id ?? ''))).toBe(true);
  });

  it('host-mode replicas: error on the live swarm, with the pending task', () => {
    const f = findings(audit).find((x) => x.ruleId === 'swarm/host-mode-replicas')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain(`service cache of stack ${STACK} publishes port 18443 in host mode with 2 replicas, but only 1 node of the swarm can run them: 1 stay pending (1 task is pending now: "no suitable node (host-mode port already in use on 1 node)")`);
  });

  it('an ingress port that a standalone container on the node also publishes', () => {
    const f = findings(audit).find((x) => x.ruleId === 'swarm/ingress-port-conflict')!;
    expect(f.message).toContain(`service web of stack ${STACK} publishes port 18080 on every node of the swarm, on every address, through the ingress routing mesh, and container legacy-web publishes it too on node `);
  });

  it('check --swarm gives the same findings before deploy (the live facts aside)', () => {
    expect(check.status, check.stderr).toBe(1);
    const key = (f: JsonFinding) => `${f.ruleId} ${f.line} ${f.service}`;
    const before = findings(check).filter((f) => f.ruleId.startsWith('swarm/'));
    expect(before.map(key).sort()).toEqual(['swarm/host-ip-ignored 11 web', 'swarm/host-mode-replicas 16 cache', 'swarm/sensitive-port-public 6 db']);
    const after = new Map(findings(audit).map((f) => [key(f), f]));
    for (const f of before) {
      expect(after.has(key(f)), key(f)).toBe(true);
      // What does not depend on the live swarm is said the same way.
      if (f.ruleId !== 'swarm/host-mode-replicas') expect(after.get(key(f))!.message).toBe(f.message);
    }
  });

  it('the Compose rules leave swarm services and task containers alone', () => {
    const rules = findings(audit).filter((f) => !f.swarm).map((f) => `${f.ruleId} ${f.container?.name}`);
    // legacy-web is an ordinary container: judged as one. Task containers are not.
    expect(rules.every((r) => r.endsWith(' legacy-web'))).toBe(true);
    expect(rules).toContain('exposure/unbound-publish legacy-web');
  });

  it('the live model: no host IP, every port of a host range, Swarm-allocated ports from 30000-32767', async () => {
    const { live } = await collectLive({ endpoint: parseHost(host, 'test'), name: 'swarm', timeoutMs: 10_000, all: false, filters: {}, inspect: true, compose: false, hostSockets: false, swarm: true, cwd: root, env: {} });
    expect(live.engine.swarm).toMatchObject({ manager: true, nodeId: expect.any(String) });
    const web = live.projects.find((p) => p.stack?.name === STACK && !p.stack.task)!.bindings.filter((b) => b.service === 'web');
    expect(web.every((b) => b.hostIp === '' && b.swarm?.mode === 'ingress')).toBe(true);
    expect(web.filter((b) => b.containerPort === 90).map((b) => b.hostPort)).toEqual(['19000', '19001', '19002']);
    const auto = web.find((b) => b.containerPort === 80 && b.hostPort === '')!;
    expect(auto.listeners[0].ports!.start).toBeGreaterThanOrEqual(30000);
    expect(auto.listeners[0].ports!.start).toBeLessThanOrEqual(32767);
    expect(live.swarm!.nodes).toHaveLength(1);
  });

  it('without --stack the findings name the service and have no line', async () => {
    const r = await run(['audit', '--host', host, '--format', 'json']);
    const f = findings(r).find((x) => x.ruleId === 'swarm/sensitive-port-public')!;
    expect(f.file).toBeUndefined();
    expect(f.message).toContain(`service db of stack ${STACK} publishes PostgreSQL (5432)`);
    const stylish = await run(['audit', '--host', host]);
    expect(stylish.stdout).toMatch(new RegExp(`swarm stack ${STACK}\\n  service ${STACK}_cache  [a-z0-9]{12}\\n    error  service cache`));
  });

  it('a stack check --swarm reports as conflicting is one docker stack deploy refuses', async () => {
    const bad = join(root, 'conflict.yml');
    writeFileSync(bad, `services:\n  a:\n    image: ${IMAGE}\n    command: sleep 600\n    ports: ["18500:80"]\n  b:\n    image: ${IMAGE}\n    command: sleep 600\n    ports: ["18500:81"]\n`);
    const r = await run(['check', '--swarm', '-p', 'clash', bad, '--format', 'json']);
    const f = findings(r).filter((x) => x.ruleId === 'swarm/ingress-port-conflict');
    expect(f).toHaveLength(1);
    const deploy = await sh('docker', ['-H', host, 'stack', 'deploy', '-c', bad, 'clash']).then(
      () => 'deployed',
      (e: Error & { stderr?: string }) => e.stderr ?? e.message,
    );
    expect(deploy).toMatch(/port '18500' is already in use by service 'clash_[ab]'/);
    // The rule names the same port; which service Swarm creates first is random (the CLI deploys in map order).
    expect(f[0].message).toContain("port '18500' is already in use by service 'clash_a' as an ingress port");
    await engine.docker('stack', 'rm', 'clash').catch(() => undefined);
  });

  it('read-only on a manager: services, tasks and nodes are GET requests too', async () => {
    const proxy = await recordingProxy(join(root, 'proxy.sock'), engine.socket);
    try {
      const r = await run(['audit', '--host', `unix://${join(root, 'proxy.sock')}`, '--format', 'json']);
      expect(r.status, r.stderr).toBe(1);
      expect(proxy.calls.filter((c) => !c.startsWith('GET '))).toEqual([]);
      const paths = proxy.calls.map((c) => c.slice(4).replace(/^\/v[\d.]+/, '').split('?')[0]);
      for (const p of ['/services', '/tasks', '/nodes']) expect(paths.filter((x) => x === p)).toHaveLength(1);
    } finally {
      proxy.close();
    }
  });

  describe('a second node', () => {
    beforeAll(async () => {
      // A standalone container on the worker that publishes the stack's ingress port 5432.
      await worker.docker('run', '-d', '--name', 'stray-db', '-p', '5432:5432', IMAGE, 'sleep', '600');
      const token = await engine.docker('swarm', 'join-token', '-q', 'worker');
      await worker.docker('swarm', 'join', '--token', token, '--advertise-addr', worker.ip, `${engine.ip}:2377`);
      // The second cache task now has a node to run on.
      const deadline = Date.now() + 60_000;
      while (!/Running.*\n.*Running/s.test(await engine.docker('service', 'ps', '--format', '{{.CurrentState}}', '--filter', 'desired-state=running', `${STACK}_cache`))) {
        if (Date.now() > deadline) throw new Error('the second cache task did not start on the worker');
        await new Promise((r) => setTimeout(r, 500));
      }
    }, 120_000);

    it('host-mode replicas fit on two nodes: no finding any more', async () => {
      const r = await run(['audit', '--host', host, '--stack', `${STACK}=${file}`, '--format', 'json']);
      expect(findings(r).filter((f) => f.ruleId === 'swarm/host-mode-replicas')).toEqual([]);
    });

    it('auditing the manager and the worker: the ingress port against the standalone container on the worker', async () => {
      const workerHost = `unix://${worker.socket}`;
      const r = await run(['audit', '--host', host, '--host', workerHost, '--stack', `${STACK}=${file}`, '--format', 'json']);
      const report = JSON.parse(r.stdout) as { engines: Array<{ name: string; services?: number }>; findings: Array<JsonFinding & { engine: { name: string } }> };
      // A worker cannot answer for the swarm: its services come from the manager only.
      expect(report.engines.map((e) => [e.name, e.services])).toEqual([
        [host, 3],
        [workerHost, undefined],
      ]);
      const conflicts = report.findings.filter((f) => f.ruleId === 'swarm/ingress-port-conflict' && f.message.includes('stray-db'));
      expect(conflicts.map((f) => [f.engine.name, f.line, f.swarm?.service])).toEqual([[host, LINE.db, `${STACK}_db`]]);
      expect(conflicts[0].message).toContain(`and container stray-db publishes it too on node vm (engine ${workerHost})`);
      // Without the worker in the run, its container is not seen.
      expect(findings(await run(['audit', '--host', host, '--format', 'json'])).some((f) => f.message.includes('stray-db'))).toBe(false);
    });
  });
});
