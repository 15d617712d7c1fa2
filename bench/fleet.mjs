#!/usr/bin/env node
/**
 * The fleet benchmark: `portlint audit` over three engines at once, one per transport (a unix
 * socket, dockerd's own TLS listener, a real sshd running `docker system dial-stdio`), each a
 * dockerd of its own in a network namespace of its own (the test harness, test/engines.ts,
 * bundled here with esbuild), with the same number of running containers on each.
 *
 * Prints the median and spread of the wall time of the whole audit, of each engine alone, and
 * the API requests per engine (as the report counts them, every one a GET: a recording proxy
 * test in test/fleet-engines.test.ts holds portlint to that). Raw numbers: bench/out/fleet.json.
 *
 * Needs root, Debian's docker.io, openssh-server and openssl, and the CI engine with its image
 * (scripts/docker-up.sh). Usage: node bench/fleet.mjs [--containers N] [--runs N]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const argv = process.argv.slice(2);
const value = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const CONTAINERS = value('--containers', 200);
const RUNS = value('--runs', 5);

mkdirSync(OUT, { recursive: true });
const harness = join(OUT, 'engines.mjs');
buildSync({ entryPoints: [join(ROOT, 'test', 'engines.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: harness, logLevel: 'warning' });
const { IMAGE, certPath, fleetProblem, sh, sshClient, startEngine } = await import(pathToFileURL(harness).href);

const problem = fleetProblem();
if (problem) {
  console.error(`bench/fleet: cannot run: ${problem}`);
  process.exit(2);
}

/** Runs `fn` over `items`, `limit` at a time. */
async function pool(items, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

function audit(args, env) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'portlint.js'), 'audit', '--format', 'json', ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => done({ code, ms: Number(process.hrtime.bigint() - started) / 1e6, out, err }));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;

const root = mkdtempSync('/tmp/plb-');
const engines = [];
try {
  const client = await sshClient(root);
  const t0 = Date.now();
  const [local, tls, ssh] = await Promise.all([
    startEngine({ name: 'unix', root }),
    startEngine({ name: 'tls', root, tls: true }),
    startEngine({ name: 'ssh', root, sshKeys: [{ publicKey: client.publicKey }] }),
  ]);
  engines.push(local, tls, ssh);
  client.knownHosts([`${ssh.ip} ${ssh.ssh.hostKey}`]);
  const certs = certPath(join(root, 'certs'), tls.tls.ca.cert, tls.tls.client);
  console.error(`bench/fleet: 3 engines up in ${((Date.now() - t0) / 1000).toFixed(1)} s; starting ${CONTAINERS} containers on each`);

  // Containers like a real host's: compose services (some replicated), a quarter on loopback, one port each.
  const t1 = Date.now();
  await Promise.all(
    engines.map((e) =>
      pool([...Array(CONTAINERS).keys()], 6, (i) => {
        const service = `s${i % 40}`;
        const ip = i % 4 === 0 ? '127.0.0.1:' : '';
        return e.docker('run', '-d', '--label', 'portlint.bench=1', '--label', 'com.docker.compose.project=bench', '--label', `com.docker.compose.service=${service}`, '-p', `${ip}${20000 + i}:80`, IMAGE, 'sleep', '3600');
      }),
    ),
  );
  console.error(`bench/fleet: ${3 * CONTAINERS} containers running after ${((Date.now() - t1) / 1000).toFixed(1)} s`);

  const env = { DOCKER_HOST: '', DOCKER_CONTEXT: '', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs, PATH: `${client.bin}:${process.env.PATH}` };
  const targets = { unix: `unix://${local.socket}`, tls: tls.tls.url, ssh: ssh.ssh.url };
  const cases = [
    { id: 'fleet', label: 'three engines in one run', args: Object.values(targets).flatMap((t) => ['--host', t]) },
    ...Object.entries(targets).map(([id, t]) => ({ id, label: `${id} alone`, args: ['--host', t] })),
  ];
  const results = Object.fromEntries(cases.map((c) => [c.id, { ms: [], engines: undefined }]));
  for (let r = 0; r < RUNS; r++) {
    for (const c of cases) {
      const res = await audit(c.args, env);
      if (res.code !== 0 && res.code !== 1) throw new Error(`${c.label}: exit ${res.code}: ${res.err}`);
      const report = JSON.parse(res.out);
      results[c.id].ms.push(res.ms);
      results[c.id].engines = report.engines.map((e) => ({ name: e.name, containers: e.containers, calls: e.calls }));
      results[c.id].findings = report.findings.length;
    }
  }
  console.log(`\n## portlint audit of a fleet: ${CONTAINERS} running containers on each of 3 engines (${RUNS} runs, medians)\n`);
  console.log('| run | wall (ms) | spread | engines: containers, API requests (all GET) | findings |');
  console.log('|---|---:|---|---|---:|');
  for (const c of cases) {
    const x = results[c.id];
    const per = x.engines.map((e) => `${e.name.split(':')[0]}: ${e.containers}, ${e.calls}`).join('; ');
    console.log(`| ${c.label} | ${Math.round(median(x.ms))} | ${spread(x.ms)} | ${per} | ${x.findings} |`);
  }
  writeFileSync(join(OUT, 'fleet.json'), JSON.stringify({ containers: CONTAINERS, runs: RUNS, results }, null, 2));
} finally {
  await Promise.all(engines.map((e) => e.stop()));
  rmSync(root, { recursive: true, force: true });
  rmSync(harness, { force: true });
}
