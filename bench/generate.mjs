#!/usr/bin/env node
/**
 * Writes the benchmark inputs under bench/out/ (git-ignored). Deterministic: the same
 * seed gives byte-identical files, so numbers from different runs compare.
 *
 *   corpus/pNNN/       200 projects of 5–40 services: compose.yaml, sometimes .env and
 *                      compose.override.yaml; ports mix every short form, ranges, udp,
 *                      long syntax, interpolation and about 5 % reused host ports.
 *   scale/sN/          one compose.yaml of N services, N = 250, 1000, 2000, 5000.
 *   wide/              10000-60000:10000-60000 (tcp and udp, 50,001 bindings each) and a
 *                      runtime-picked host range, next to 2,000 services with single ports.
 *   small/             one service.
 *
 * Usage: node bench/generate.mjs [--out DIR] [--seed N]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT = join(HERE, 'out');
export const DEFAULT_SEED = 20240601;
export const SCALE_SIZES = [250, 1000, 2000, 5000];

/** mulberry32: small, fast, good enough for test data. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

const IMAGES = [
  ['nginx', '1.27-alpine', 80],
  ['postgres', '16.4', 5432],
  ['redis', '7.4', 6379],
  ['mysql', '8.4', 3306],
  ['mongo', '7.0', 27017],
  ['rabbitmq', '3.13-management', 5672],
  ['grafana/grafana', '11.2.0', 3000],
  ['prom/prometheus', 'v2.54.1', 9090],
  ['traefik', 'v3.1', 8080],
  ['node', '20-alpine', 3000],
  ['python', '3.12-slim', 8000],
  ['elasticsearch', '8.15.0', 9200],
  ['memcached', '1.6', 11211],
  ['minio/minio', 'RELEASE.2024-08-29T01-40-52Z', 9000],
  ['jaegertracing/all-in-one', '1.60', 16686],
  ['httpd', '2.4', 80],
  ['coredns/coredns', '1.11.3', 53],
  ['ghcr.io/example/api', 'latest', 8080],
  ['example/worker', '', 8081],
];
const ROLES = ['web', 'api', 'db', 'cache', 'queue', 'worker', 'proxy', 'auth', 'search', 'metrics', 'logs', 'mail', 'files', 'admin', 'billing', 'report', 'gateway', 'scheduler'];

/**
 * Host port picker: mostly fresh ports, `reuse` of the time one already used in the same
 * project, so that a realistic share of entries collide.
 */
function portPicker(r, reuse) {
  const used = [];
  const taken = new Set();
  return (preferred) => {
    if (used.length && r.chance(reuse)) return r.pick(used);
    let p = preferred !== undefined && !taken.has(preferred) ? preferred : r.int(2000, 29999);
    while (taken.has(p) || taken.has(p + 1) || taken.has(p + 2) || taken.has(p + 3)) p = r.int(2000, 29999);
    taken.add(p);
    used.push(p);
    return p;
  };
}

/** One port entry, as a YAML list item (lines, indented under `ports:`). */
function portEntry(r, hostPort, container, ctx) {
  const k = r.next();
  const pad = '      ';
  if (k < 0.22) return [`${pad}- "${hostPort}:${container}"`];
  if (k < 0.34) return [`${pad}- "127.0.0.1:${hostPort}:${container}"`];
  if (k < 0.40) return [`${pad}- "0.0.0.0:${hostPort}:${container}"`];
  if (k < 0.44) return [`${pad}- "[::1]:${hostPort}:${container}"`];
  if (k < 0.52) {
    const v = `PORT_${ctx.varCount++}`;
    if (ctx.env && r.chance(0.6)) ctx.env.push(`${v}=${hostPort}`);
    return [`${pad}- "\${${v}:-${hostPort}}:${container}"`];
  }
  if (k < 0.57) return [`${pad}- "${hostPort}-${hostPort + 3}:${container}-${container + 3}"`];
  if (k < 0.62) return [`${pad}- "${hostPort}:${container}/udp"`];
  if (k < 0.70) return [`${pad}- ${hostPort}:${container}`];
  if (k < 0.72) return [`${pad}- ${container}`];
  const lines = [`${pad}- target: ${container}`, `${pad}  published: "${hostPort}"`];
  if (r.chance(0.5)) lines.push(`${pad}  host_ip: ${r.pick(['127.0.0.1', '0.0.0.0', '10.0.0.5'])}`);
  if (r.chance(0.2)) lines.push(`${pad}  protocol: udp`);
  lines.push(`${pad}  mode: host`);
  return lines;
}

/** A realistic service: image, env, volumes, healthcheck, labels, 1–3 port entries. */
function service(r, name, index, names, pickPort, ctx) {
  const [image, tag, container] = r.pick(IMAGES);
  const out = [];
  if (r.chance(0.5)) out.push('');
  if (r.chance(0.3)) out.push(`  # ${name}: ${r.pick(['serves the front end', 'internal only', 'see docs/ops.md', 'TODO: pin the image'])}`);
  out.push(`  ${name}:`, `    image: ${tag ? `${image}:${tag}` : image}`);
  if (ctx.features?.merge && r.chance(0.5)) out.push('    <<: *common');
  if (r.chance(0.5)) out.push(`    container_name: ${ctx.prefix}-${name}`);
  if (r.chance(0.3)) out.push('    restart: unless-stopped');
  if (index > 0 && r.chance(0.5)) {
    out.push('    depends_on:');
    const n = r.int(1, Math.min(3, index));
    const deps = new Set();
    for (let i = 0; i < n; i++) deps.add(names[r.int(0, index - 1)]);
    for (const d of deps) out.push(`      - ${d}`);
  }
  if (r.chance(0.4)) out.push(`    command: ["${name}", "--port", "${container}", "--workers", "${r.int(1, 8)}"]`);
  out.push('    environment:');
  for (let i = 0, n = r.int(3, 8); i < n; i++) out.push(`      ${r.pick(['LOG_LEVEL', 'TZ', 'APP_ENV', 'DB_HOST', 'CACHE_URL', 'WORKERS', 'FEATURE_FLAGS'])}_${i}: "${r.pick(['info', 'UTC', 'production', 'db', 'redis://cache:6379', '4', 'a,b,c'])}"`);
  if (r.chance(0.6)) {
    out.push('    volumes:');
    for (let i = 0, n = r.int(1, 3); i < n; i++) out.push(`      - ${r.pick(['./data', 'appdata', './config', 'logs'])}${i}:/var/lib/${name}/${i}`);
  }
  const nPorts = r.chance(0.9) ? r.int(1, 3) : 0;
  if (nPorts) {
    out.push('    ports:');
    for (let i = 0; i < nPorts; i++) {
      const entry = portEntry(r, pickPort(), container + i, ctx);
      if (r.chance(0.1)) entry[entry.length - 1] += `  # ${r.pick(['public', 'admin', 'metrics'])}`;
      out.push(...entry);
      if (r.chance(0.08)) out.push(`      # - "${r.int(2000, 29999)}:${container + i}"`);
      ctx.portEntries++;
    }
  }
  if (r.chance(0.3)) {
    out.push('    expose:');
    out.push(`      - "${container + 100}"`);
  }
  if (r.chance(0.4)) out.push('    networks:', `      - ${r.pick(['front', 'back'])}`);
  if (r.chance(0.5)) {
    out.push(
      '    healthcheck:',
      `      test: ["CMD", "wget", "-q", "--spider", "http://localhost:${container}/health"]`,
      '      interval: 30s',
      '      timeout: 5s',
      '      retries: 3',
    );
  }
  if (r.chance(0.5)) {
    out.push('    labels:', `      com.example.team: "${r.pick(['core', 'data', 'edge', 'ops'])}"`, `      com.example.service: "${name}"`);
  }
  if (ctx.features?.anchors && r.chance(0.6)) out.push('    logging: *default-logging');
  else if (ctx.features?.block && r.chance(0.3)) out.push('    entrypoint: >', '      sh -c "until nc -z db 5432; do sleep 1; done;', `      exec ${name} --port ${container}"`);
  else if (r.chance(0.4)) {
    out.push('    logging:', '      driver: json-file', '      options:', `        max-size: "${r.int(1, 50)}m"`, '        max-file: "3"');
  }
  if (r.chance(0.3)) out.push('    deploy:', '      resources:', '        limits:', `          memory: ${r.pick(['256M', '512M', '1G'])}`);
  return out;
}

/** One compose file of `n` services; returns its text and counts. */
function composeFile(r, n, { prefix, env, reuse = 0.05, name, features }) {
  const ctx = { prefix, env, varCount: 0, portEntries: 0, features };
  const pickPort = portPicker(r, reuse);
  const names = [];
  for (let i = 0; i < n; i++) names.push(n > ROLES.length ? `${r.pick(ROLES)}-${String(i).padStart(5, '0')}` : `${ROLES[i % ROLES.length]}${i >= ROLES.length ? i : ''}`);
  const lines = [`# ${prefix}: ${n} services`];
  if (name) lines.push(`name: ${name}`);
  if (features?.anchors || features?.merge) {
    lines.push('', 'x-logging: &default-logging', '  driver: json-file', '  options:', '    max-size: "10m"');
    lines.push('x-common: &common', '  restart: unless-stopped', '  init: true', '');
  }
  lines.push('services:');
  for (let i = 0; i < n; i++) lines.push(...service(r, names[i], i, names, pickPort, ctx));
  lines.push('networks:', '  front: {}', '  back:', '    internal: true', 'volumes:', '  appdata: {}', '  logs: {}');
  return { text: lines.join('\n') + '\n', services: n, portEntries: ctx.portEntries, names };
}

function write(path, text, stats) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  stats.files++;
  stats.bytes += Buffer.byteLength(text);
  stats.lines += text.split('\n').length - 1;
}

const newStats = () => ({ files: 0, bytes: 0, lines: 0, services: 0, portEntries: 0 });

function genCorpus(root, seed) {
  const r = rng(seed);
  const stats = newStats();
  for (let p = 0; p < 200; p++) {
    const dir = join(root, `p${String(p).padStart(3, '0')}`);
    const env = r.chance(0.3) ? [] : undefined;
    // About one project in ten uses anchors and merge keys or a block scalar, as real files do.
    const k = r.next();
    const features = k < 0.07 ? { anchors: true, merge: true } : k < 0.1 ? { block: true } : undefined;
    const file = composeFile(r, r.int(5, 40), { prefix: `p${p}`, env, name: r.chance(0.3) ? `proj${p}` : undefined, features });
    write(join(dir, 'compose.yaml'), file.text, stats);
    stats.services += file.services;
    stats.portEntries += file.portEntries;
    if (env) write(join(dir, '.env'), `# ports for project ${p}\nCOMPOSE_PROJECT_NAME=bench${p}\n${env.join('\n')}\n`, stats);
    if (r.chance(0.15)) {
      // An override file that adds ports to a few services (Compose appends them).
      const lines = ['services:'];
      for (let i = 0, n = r.int(1, 3); i < n; i++) {
        const svc = file.names[r.int(0, file.names.length - 1)];
        if (lines.includes(`  ${svc}:`)) continue;
        lines.push(`  ${svc}:`, '    ports:', `      - "127.0.0.1:${r.int(30000, 32000)}:${r.int(1, 9000)}"`);
        stats.portEntries++;
      }
      write(join(dir, 'compose.override.yaml'), lines.join('\n') + '\n', stats);
    }
  }
  return stats;
}

function genScale(root, seed) {
  const out = {};
  for (const n of SCALE_SIZES) {
    const r = rng(seed + n);
    const stats = newStats();
    const file = composeFile(r, n, { prefix: `s${n}`, reuse: 0.05 });
    write(join(root, `s${n}`, 'compose.yaml'), file.text, stats);
    stats.services = file.services;
    stats.portEntries = file.portEntries;
    out[n] = stats;
  }
  return out;
}

/**
 * Equal-length ranges expand pairwise (one binding per port, as Docker does): each wide
 * entry is 50,001 bindings. The single ports next to them mostly fall inside the range.
 */
function genWide(root, seed) {
  const r = rng(seed + 7);
  const stats = newStats();
  const lines = ['services:', '  wide:', '    image: example/gateway:2.1', '    ports:', '      - "10000-60000:10000-60000"', '      - "10000-60000:10000-60000/udp"'];
  lines.push('  picker:', '    image: example/game:1.0', '    ports:', '      - "30000-40000:7777"', '      - "127.0.0.1:30000-40000:7778/udp"');
  let entries = 4;
  for (let i = 0; i < 2000; i++) {
    lines.push(`  single-${String(i).padStart(4, '0')}:`, '    image: nginx:1.27-alpine', '    ports:');
    for (let j = 0, n = r.int(1, 2); j < n; j++) {
      const host = r.chance(0.8) ? r.int(10000, 60000) : r.int(1024, 9999);
      lines.push(`      - "${r.chance(0.3) ? '127.0.0.1:' : ''}${host}:${r.int(1, 9999)}${r.chance(0.1) ? '/udp' : ''}"`);
      entries++;
    }
  }
  write(join(root, 'compose.yaml'), lines.join('\n') + '\n', stats);
  stats.services = 2002;
  stats.portEntries = entries;
  return stats;
}

function genSmall(root) {
  const stats = newStats();
  write(join(root, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27-alpine\n    ports:\n      - "8080:80"\n      - "127.0.0.1:8443:443"\n', stats);
  stats.services = 1;
  stats.portEntries = 2;
  return stats;
}

/** Regenerates every input under `out` and returns a manifest (also written as inputs.json). */
export function generate(out = DEFAULT_OUT, seed = DEFAULT_SEED) {
  const inputs = join(out, 'inputs');
  rmSync(inputs, { recursive: true, force: true });
  const manifest = {
    seed,
    corpus: genCorpus(join(inputs, 'corpus'), seed),
    scale: genScale(join(inputs, 'scale'), seed),
    wide: genWide(join(inputs, 'wide'), seed),
    small: genSmall(join(inputs, 'small')),
  };
  writeFileSync(join(out, 'inputs.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { inputs, manifest };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const { inputs, manifest } = generate(opt('--out') ? resolve(opt('--out')) : DEFAULT_OUT, Number(opt('--seed') ?? DEFAULT_SEED));
  const c = manifest.corpus;
  console.log(`inputs in ${inputs}`);
  console.log(`corpus: ${c.files} files, ${c.services} services, ${c.portEntries} port entries, ${c.lines} lines, ${(c.bytes / 1e6).toFixed(2)} MB`);
  for (const [n, s] of Object.entries(manifest.scale)) console.log(`scale ${n}: ${s.portEntries} port entries, ${s.lines} lines, ${(s.bytes / 1e6).toFixed(2)} MB`);
  console.log(`wide: ${manifest.wide.services} services, ${manifest.wide.portEntries} port entries; small: 1 service`);
}
