/**
 * `portlint audit` and `portlint check --live` against a real Docker Engine (scripts/docker-up.sh
 * starts one and builds the image portlint-busybox:latest). Without an engine these tests are
 * skipped with the reason in their name; with PORTLINT_REQUIRE_DOCKER=1 they fail instead.
 * Everything they create carries the label portlint.test=<run prefix> and is removed in afterAll.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsync, type RunResult } from './helpers';
import { describeDocker, engineProblem, IMAGE, recordingHandler } from './docker';

const exec = promisify(execFile);

const problem = engineProblem();
const composeProblem = problem ?? (spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0 ? undefined : 'docker-compose (v1) is not installed; run scripts/docker-up.sh');

/** Unix socket of the engine the docker client uses (for the recording proxy). */
function engineSocket(): string {
  const h = process.env.DOCKER_HOST;
  return h && h.startsWith('unix://') ? h.slice('unix://'.length) : '/var/run/docker.sock';
}

const PREFIX = `plt${process.pid.toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const LABEL = `portlint.test=${PREFIX}`;
const BASE = 20000 + Math.floor(Math.random() * 90) * 100;
const dir = mkdtempSync(join(tmpdir(), `portlint-live-engine-${PREFIX}-`));
const composeProject = `${PREFIX}c`;
const composeDir = join(dir, 'compose');
let hostProcess: ChildProcess | undefined;
let proxy: Server | undefined;

type Result = RunResult;
const portlint = runAsync;

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await exec('docker', args, { maxBuffer: 1 << 24 });
  return stdout.trim();
}

/** `docker run -d` of a sleeping container with the run label. */
function runContainer(name: string, args: string[], create = false): Promise<string> {
  return docker(create ? 'create' : 'run', ...(create ? [] : ['-d']), '--name', `${PREFIX}-${name}`, '--label', LABEL, ...args, IMAGE, 'sleep', '600');
}

async function cleanup(): Promise<void> {
  hostProcess?.kill('SIGKILL');
  proxy?.close();
  if (problem) return;
  if (!composeProblem) await exec('docker-compose', ['-p', composeProject, 'down', '-t', '0'], { cwd: composeDir }).catch(() => undefined);
  const ids = (await docker('ps', '-aq', '--filter', `label=${LABEL}`).catch(() => '')).split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids).catch(() => undefined);
  await docker('network', 'rm', `${composeProject}_default`).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  project: string;
  service?: string;
  container?: { id: string; name: string; project?: string };
  file?: string;
  line?: number;
  column?: number;
  binding?: { hostIp: string; hostPort: string; containerPort: number; protocol: string };
}

const of = (fs: JsonFinding[], name: string) => fs.filter((f) => f.container?.name === `${PREFIX}-${name}`);
const rules = (fs: JsonFinding[]) => fs.map((f) => f.ruleId).sort();

if (problem) rmSync(dir, { recursive: true, force: true }); // nothing will use it

describeDocker('real Docker Engine', problem, () => {
  afterAll(cleanup, 60_000);

  describe('portlint audit on a real engine: the -p matrix', () => {
    let json: JsonFinding[];
    let result: Result;
    beforeAll(async () => {
      await Promise.all([
        runContainer('unspec', ['-p', `${BASE}:80`]),
        runContainer('any4', ['-p', `0.0.0.0:${BASE + 1}:80`]),
        runContainer('any6', ['-p', `[::]:${BASE + 2}:80`]),
        runContainer('lo4', ['-p', `127.0.0.1:${BASE + 3}:80`]),
        runContainer('lo6', ['-p', `[::1]:${BASE + 4}:80`]),
        runContainer('udp', ['-p', `${BASE + 5}:53/udp`]),
        runContainer('hostnet', ['--network', 'host', '-p', `${BASE + 6}:80`]),
        runContainer('pg', ['-p', `127.0.0.2:${BASE + 7}:5432`, '-p', `${BASE + 9}:5432`]),
        runContainer('created', ['-p', `${BASE + 8}:80`], true),
        runContainer('range', ['-p', `${BASE + 10}-${BASE + 12}:80`]),
        runContainer('crange', ['-p', `${BASE + 20}-${BASE + 21}:80-81`]),
        runContainer('publishall', ['-P', '--expose', '80', '--expose', '81/udp']),
        runContainer('ephemeral', ['-p', '80']),
      ]);
      result = await portlint(['audit', '--filter', `label=${LABEL}`, '--format', 'json']);
      json = JSON.parse(result.stdout).findings;
    }, 120_000);

    it('exits 1 (an error finding) and reads only the labelled running containers', () => {
      expect(result.status, result.stderr).toBe(1);
      expect(json.every((f) => f.container?.name.startsWith(`${PREFIX}-`))).toBe(true);
      expect(of(json, 'created')).toEqual([]);
      expect(json.every((f) => f.file === undefined)).toBe(true); // no compose file describes them
    });

    it('unspecified host IP: unbound-publish on 0.0.0.0 and ::', () => {
      const fs = of(json, 'unspec');
      expect(rules(fs)).toEqual(['exposure/unbound-publish']);
      expect(fs[0].binding).toEqual({ hostIp: '', hostPort: String(BASE), containerPort: 80, protocol: 'tcp', count: 1 });
      expect(fs[0].message).toContain('every interface (0.0.0.0 and ::)');
      expect(fs[0].container!.id).toMatch(/^[0-9a-f]{64}$/);
    });

    it('0.0.0.0 and :: are explicit wildcards of one family each', () => {
      expect(rules(of(json, 'any4'))).toEqual(['exposure/explicit-wildcard']);
      expect(of(json, 'any4')[0].message).toContain('every IPv4 interface (0.0.0.0)');
      expect(rules(of(json, 'any6'))).toEqual(['exposure/explicit-wildcard']);
      expect(of(json, 'any6')[0].message).toContain('every IPv6 interface (::)');
    });

    it('127.0.0.1 on Engine 20.10 leaks to neighbours; ::1 is clean', () => {
      const fs = of(json, 'lo4');
      expect(rules(fs)).toEqual(['daemon/loopback-leak-engine']);
      expect(fs[0].message).toContain('(before 28.0.0) lets hosts on the same network segment reach it');
      expect(fs[0].binding).toMatchObject({ hostIp: '127.0.0.1', hostPort: String(BASE + 3) });
      expect(of(json, 'lo6')).toEqual([]);
    });

    it('udp, host ranges and container ranges keep what was requested', () => {
      expect(of(json, 'udp')[0].binding).toEqual({ hostIp: '', hostPort: String(BASE + 5), containerPort: 53, protocol: 'udp', count: 1 });
      const range = of(json, 'range');
      expect(rules(range)).toEqual(['exposure/unbound-publish']);
      expect(range[0].binding!.hostPort).toBe(`${BASE + 10}-${BASE + 12}`);
      expect(range[0].message).toContain(`a port the Engine picks from ${BASE + 10}-${BASE + 12}`);
      expect(of(json, 'crange').map((f) => f.binding!.hostPort).sort()).toEqual([String(BASE + 20), String(BASE + 21)]);
    });

    it('-P: publish-all, and its ports are engine-chosen (no range/ephemeral finding)', () => {
      const fs = of(json, 'publishall');
      expect(rules(fs)).toEqual(['exposure/publish-all', 'exposure/unbound-publish', 'exposure/unbound-publish']);
      expect(fs.find((f) => f.ruleId === 'exposure/publish-all')!.message).toContain('80/tcp and 81/udp');
      expect(json.some((f) => f.ruleId === 'range/ephemeral')).toBe(false);
      expect(of(json, 'ephemeral')[0].binding).toEqual({ hostIp: '', hostPort: '', containerPort: 80, protocol: 'tcp', count: 1 });
    });

    it('--network host: netmode/host and the discarded -p', () => {
      expect(rules(of(json, 'hostnet'))).toEqual(['netmode/host', 'netmode/ports-discarded']);
    });

    it('a datastore port on a non-loopback address is an error; on 127.0.0.2 (loopback) it is not', () => {
      const fs = of(json, 'pg').filter((f) => f.ruleId === 'exposure/sensitive-port-public');
      expect(fs.map((f) => [f.severity, f.binding!.hostIp, f.binding!.hostPort])).toEqual([['error', '', String(BASE + 9)]]);
      expect(fs[0].message).toContain('PostgreSQL (5432)');
    });

    it('--all includes the created container, with predicted listeners', async () => {
      const r = await portlint(['audit', '--all', '--filter', `label=${LABEL}`, '--filter', `name=${PREFIX}-created`, '--format', 'json']);
      expect(r.status, r.stderr).toBe(0);
      const fs: JsonFinding[] = JSON.parse(r.stdout).findings;
      expect(rules(fs), r.stdout).toEqual(['exposure/unbound-publish']);
      expect(fs[0].binding!.hostPort).toBe(String(BASE + 8));
    });

    it('stylish output groups by project, then container', async () => {
      const r = await portlint(['audit', '--filter', `label=${LABEL}`, '--filter', `name=${PREFIX}-lo4`]);
      expect(r.stdout.split('\n').slice(0, 3).join('\n')).toMatch(new RegExp(`^containers outside compose projects\\n  ${PREFIX}-lo4  [0-9a-f]{12}\\n    warning  container ${PREFIX}-lo4 publishes port ${BASE + 3} on 127\\.0\\.0\\.1 only`));
      expect(r.stdout).toMatch(/✖ 1 problem \(0 errors, 1 warning, 0 infos\) on Docker Engine \S+ at unix:\/\/\S+, 1 container read/);
    });

    it('writes the formats check writes: SARIF (container findings as notifications) to -o, github annotations', async () => {
      const out = join(dir, 'audit.sarif');
      const sarif = await portlint(['audit', '--filter', `label=${LABEL}`, '--filter', `name=${PREFIX}-lo4`, '--format', 'sarif', '-o', out]);
      expect(sarif.stdout).toBe('');
      const doc = JSON.parse(readFileSync(out, 'utf8'));
      expect(doc.version).toBe('2.1.0');
      const notes = doc.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text).join('\n');
      expect(notes).toContain(`${PREFIX}-lo4`);
      const gh = await portlint(['audit', '--filter', `label=${LABEL}`, '--filter', `name=${PREFIX}-lo4`, '--format', 'github']);
      expect(gh.stdout).toMatch(/^::warning title=daemon\/loopback-leak-engine::/m);
    });

    it('read-only: every request through a recording proxy is a GET, and few of them', async () => {
      const calls: string[] = [];
      const proxySocket = join(dir, 'proxy.sock');
      proxy = createServer(recordingHandler(engineSocket(), calls));
      await new Promise<void>((resolve) => proxy!.listen(proxySocket, resolve));
      const r = await portlint(['audit', '--all', '--host', `unix://${proxySocket}`, '--filter', `label=${LABEL}`, '--format', 'json']);
      expect(r.status, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(10);
      expect(calls.length).toBeGreaterThan(3);
      expect(calls.filter((c) => !c.startsWith('GET '))).toEqual([]);
      const paths = calls.map((c) => c.slice(4).replace(/^\/v[\d.]+/, '').split('?')[0]);
      expect(paths.filter((p) => p === '/version')).toHaveLength(1);
      expect(paths.filter((p) => p === '/info')).toHaveLength(1);
      expect(paths.filter((p) => p === '/containers/json')).toHaveLength(1);
      const inspects = paths.filter((p) => /^\/containers\/[0-9a-f]+\/json$/.test(p));
      expect(inspects.length).toBeLessThanOrEqual(13); // at most one per container, only those the list cannot judge
      expect(paths.filter((p) => p === '/networks').length).toBeLessThanOrEqual(1);
      expect(paths.length).toBe(3 + inspects.length + paths.filter((p) => p === '/networks').length);
      console.log(`audit of 13 containers through the proxy: ${calls.length} API calls, all GET (${inspects.length} inspects)`);
    });
  });

  describe.skipIf(!!composeProblem)(`a docker-compose (v1) project${composeProblem ? `: skipped, ${composeProblem}` : ''}`, () => {
    const file = join(composeDir, 'docker-compose.yml');
    const compose = (port: number) => `version: "2.4"
services:
  web:
    image: ${IMAGE}
    command: sleep 600
    labels:
      portlint.test: ${PREFIX}
    ports:
      - "${port}:80"
      - "127.0.0.1:${BASE + 31}:81"
`;
    beforeAll(async () => {
      rmSync(composeDir, { recursive: true, force: true });
      mkdirSync(composeDir, { recursive: true });
      writeFileSync(file, compose(BASE + 30));
      await exec('docker-compose', ['-p', composeProject, 'up', '-d'], { cwd: composeDir });
    }, 120_000);

    it('maps the container to the file and line of each port item (labels → file:line)', async () => {
      const r = await portlint(['audit', '--project', composeProject, '--format', 'json']);
      const fs: JsonFinding[] = JSON.parse(r.stdout).findings;
      const unbound = fs.find((f) => f.ruleId === 'exposure/unbound-publish')!;
      expect(unbound).toMatchObject({ project: composeProject, service: 'web', file, line: 9, column: 9, container: { name: `${composeProject}_web_1`, project: composeProject } });
      expect(fs.find((f) => f.ruleId === 'daemon/loopback-leak-engine')).toMatchObject({ file, line: 10 });
      expect(fs.some((f) => f.ruleId === 'audit/drift')).toBe(false);
      const stylish = await portlint(['audit', '--project', composeProject], { cwd: composeDir });
      expect(stylish.stdout).toMatch(new RegExp(`^project ${composeProject}\\n  ${composeProject}_web_1  [0-9a-f]{12}\\n    docker-compose\\.yml:9:9 `));
    });

    it('reports drift after the file is edited, with both sides', async () => {
      writeFileSync(file, compose(BASE + 32));
      const r = await portlint(['audit', '--project', composeProject, '--format', 'json']);
      const fs: JsonFinding[] = JSON.parse(r.stdout).findings;
      const drift = fs.filter((f) => f.ruleId === 'audit/drift');
      expect(drift).toHaveLength(1);
      expect(drift[0]).toMatchObject({ file, line: 9, severity: 'warning' });
      expect(drift[0].message).toContain(`docker-compose.yml now says "${BASE + 32}:80"`);
      expect(drift[0].message).toContain(`publishes "${BASE + 30}:80" and`);
      expect(drift[0].message).toContain(`and "127.0.0.1:${BASE + 31}:81" but docker-compose.yml now says "${BASE + 32}:80" and "127.0.0.1:${BASE + 31}:81"`);
      // The running binding no longer in the file has no line to point at.
      const stale = fs.find((f) => f.ruleId === 'exposure/unbound-publish')!;
      expect(stale.binding!.hostPort).toBe(String(BASE + 30));
      expect(stale.file).toBeUndefined();
    });
  });

  describe('portlint check --live on a real engine', () => {
    let result: Result;
    let stylish: Result;
    beforeAll(async () => {
      hostProcess = spawn(process.execPath, ['-e', `require('net').createServer().listen(${BASE + 40}, '0.0.0.0', () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => hostProcess!.stdout!.once('data', () => resolve()));
      await Promise.all([
        runContainer('other', ['--label', `com.docker.compose.project=${PREFIX}other`, '--label', 'com.docker.compose.service=db', '-p', `${BASE + 41}:80`]),
        runContainer('mine', ['--label', `com.docker.compose.project=${PREFIX}m`, '--label', 'com.docker.compose.service=web', '-p', `${BASE + 42}:80`]),
      ]);
      const project = join(dir, 'mine');
      mkdirSync(project, { recursive: true });
      writeFileSync(
        join(project, 'compose.yaml'),
        `name: ${PREFIX}m\nservices:\n  web:\n    image: ${IMAGE}\n    ports:\n      - "${BASE + 40}:80"\n      - "${BASE + 41}:81"\n      - "${BASE + 42}:82"\n      - "${BASE + 43}:83"\n`,
      );
      [result, stylish] = await Promise.all([portlint(['check', '--live', '--format', 'json'], { cwd: project }), portlint(['check', '--live'], { cwd: project })]);
    }, 120_000);

    it('names the host process and the other project\'s container, not the container up replaces', () => {
      expect(result.status, result.stderr).toBe(1);
      const fs: JsonFinding[] = JSON.parse(result.stdout).findings.filter((f: JsonFinding) => f.ruleId === 'collision/live');
      expect(fs.map((f) => [f.line, f.severity])).toEqual([
        [6, 'error'],
        [7, 'error'],
      ]);
      expect(fs[0].message).toContain(`host port ${BASE + 40}/tcp on 0.0.0.0 is held by node (pid ${hostProcess!.pid}) on 0.0.0.0:${BASE + 40}`);
      expect(fs[0].message).toContain(`so service web will not start; stop node or publish another host port`);
      expect(fs[1].message).toContain(`by container ${PREFIX}-other (project ${PREFIX}other, service db) on 0.0.0.0:${BASE + 41}`);
      expect(fs[1].message).toContain(`so service web will not start; stop that container or publish another host port`);
      expect(stylish.stdout).toMatch(/compose\.yaml\n\s+6:9\s+error\s+web\s+host port/);
    });

    it('without --live the same project has no collision/live finding', async () => {
      const r = await portlint(['check', '--format', 'json'], { cwd: join(dir, 'mine') });
      expect(JSON.parse(r.stdout).findings.some((f: JsonFinding) => f.ruleId === 'collision/live')).toBe(false);
    });
  });

  describe('a host range whose first free port another address holds', () => {
    it('the Engine does what the rule predicts for its version, and check --live says so exactly', async () => {
      const version = await docker('version', '--format', '{{.Server.Version}}');
      const old = Number(version.split('.')[0]) < 27;
      // The Engine itself: a fixed port on every interface, then a range on 127.0.0.1 that starts with it.
      await runContainer('held', ['-p', `${BASE + 60}:80`]);
      const started = await runContainer('range', ['-p', `127.0.0.1:${BASE + 60}-${BASE + 62}:80`]).then(
        () => true,
        () => false,
      );
      expect(started, `Engine ${version}`).toBe(!old);
      const project = join(dir, 'first-port');
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, 'compose.yaml'), `name: ${PREFIX}fp\nservices:\n  a:\n    image: ${IMAGE}\n    ports:\n      - "${BASE + 70}:80"\n  b:\n    image: ${IMAGE}\n    ports:\n      - "127.0.0.1:${BASE + 70}-${BASE + 72}:80"\n`);
      const r = await portlint(['check', '--live', '--format', 'json'], { cwd: project });
      const fs = (JSON.parse(r.stdout).findings as JsonFinding[]).filter((f) => f.ruleId === 'collision/host-port');
      if (old) {
        expect(fs.map((f) => [f.severity, f.line])).toEqual([['error', 10]]);
        expect(fs[0].message).toContain(`Engine ${version} (before 27.0) takes port ${BASE + 70}, the first free one on that address`);
      } else expect(fs).toEqual([]);
    });
  });

  describe('a service recognised by its image', () => {
    it('audit reads the image each container was created from: a datastore image is sensitive on any port', async () => {
      // The test image under a datastore's name (a tag of the local image: nothing is pulled).
      const tagged = `${PREFIX}/mariadb:11`;
      await docker('tag', IMAGE, tagged);
      try {
        await docker('run', '-d', '--name', `${PREFIX}-byimage`, '--label', LABEL, '-p', `${BASE + 80}:4001`, tagged, 'sleep', '600');
        await runContainer('plainimage', ['-p', `${BASE + 81}:4001`]);
        const r = await portlint(['audit', '--filter', `label=${LABEL}`, '--format', 'json']);
        const fs: JsonFinding[] = JSON.parse(r.stdout).findings;
        const sensitive = of(fs, 'byimage').filter((f) => f.ruleId === 'exposure/sensitive-port-public');
        expect(sensitive).toHaveLength(1);
        expect(sensitive[0].message).toContain(`publishes MySQL/MariaDB (image ${tagged}, port 4001) as port ${BASE + 80} on every interface`);
        // The same port from the plain image is only an unbound publish.
        expect(rules(of(fs, 'plainimage'))).toEqual(['exposure/unbound-publish']);
      } finally {
        await docker('rm', '-f', `${PREFIX}-byimage`, `${PREFIX}-plainimage`).catch(() => undefined);
        await docker('rmi', tagged).catch(() => undefined);
      }
    }, 60_000);
  });
});
