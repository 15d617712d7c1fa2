/**
 * Inputs at the edge of size: an entry over the whole port range stands for one Engine
 * binding per port (65,535). The model keeps it as one run; only `ports --format json`
 * expands it, and nothing on the way may pass such a list as call arguments or compare
 * bindings all against all. Runs the real binary.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, run, tempProject } from './helpers';

const FULL_RANGE = [
  'services:',
  '  all:',
  '    image: example/all:1',
  '    ports:',
  '      - "1-65535:1-65535"',
  '      - "1-65535:1-65535/udp"',
  '  web:',
  '    image: nginx:1.27',
  '    ports:',
  '      - "8080:80"',
  '',
].join('\n');

describe('a full port range (65,535 bindings per entry)', () => {
  it('check reports the collision and does not overflow the stack', () => {
    const dir = tempProject({ 'compose.yaml': FULL_RANGE });
    const r = run(['check', '--format', 'json', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; line: number; message: string }> };
    // web's 8080 meets the tcp run, once; the two runs (tcp and udp) never collide with each other
    const collisions = out.findings.filter((f) => f.ruleId.startsWith('collision/'));
    expect(collisions.map((f) => [f.ruleId, f.line])).toEqual([['collision/host-port', 10]]);
    expect(collisions[0].message).toMatch(/^8080\/tcp on 0\.0\.0\.0 and \[::\] /);
  }, 60_000);

  it('ports lists every binding: one table row per run', () => {
    const dir = tempProject({ 'compose.yaml': FULL_RANGE });
    const r = spawnSync(process.execPath, [BIN, 'ports', dir], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // One header line, the tcp run, the udp run and the web binding.
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const cells = (line: string) => line.trim().split(/\s{2,}/);
    expect(cells(lines[0])).toEqual(['PROJECT', 'SERVICE', 'HOST', 'CONTAINER', 'SOURCE']);
    expect(cells(lines[1]).slice(1)).toEqual(['all', '0.0.0.0:1-65535, [::]:1-65535', '1-65535/tcp', expect.stringMatching(/compose\.yaml:5:9$/)]);
    expect(cells(lines[2]).slice(1)).toEqual(['all', '0.0.0.0:1-65535, [::]:1-65535', '1-65535/udp', expect.stringMatching(/compose\.yaml:6:9$/)]);
    expect(cells(lines[3]).slice(1)).toEqual(['web', '0.0.0.0:8080, [::]:8080', '80/tcp', expect.stringMatching(/compose\.yaml:10:9$/)]);
  }, 60_000);

  it('ports --format json lists every Engine binding: one entry per port of a run', () => {
    const dir = tempProject({ 'compose.yaml': FULL_RANGE });
    // The JSON is tens of MB: more than run() buffers.
    const r = spawnSync(process.execPath, [BIN, 'ports', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 1 << 29 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    type Entry = { service: string; hostIp: string; hostPort: string; containerPort: number; protocol: string; listeners: string[]; line: number; spec: string };
    const out = JSON.parse(r.stdout) as { projects: Array<{ bindings: Entry[] }> };
    expect(out.projects).toHaveLength(1);
    const bindings = out.projects[0].bindings;
    // 65,535 tcp and 65,535 udp bindings, one web binding.
    expect(bindings).toHaveLength(65_535 * 2 + 1);
    // host port i → container port i, with the listeners of that one port, in port order
    for (const [offset, protocol, line] of [
      [0, 'tcp', 5],
      [65_535, 'udp', 6],
    ] as const) {
      for (let i = 0; i < 65_535; i++) {
        const b = bindings[offset + i];
        const port = i + 1;
        if (b.hostPort !== String(port) || b.containerPort !== port || b.protocol !== protocol || b.line !== line) {
          expect({ index: offset + i, ...b }).toMatchObject({ hostPort: String(port), containerPort: port, protocol, line });
        }
      }
    }
    expect(bindings[0]).toMatchObject({ service: 'all', hostIp: '', hostPort: '1', containerPort: 1, protocol: 'tcp', listeners: ['0.0.0.0:1/tcp', '[::]:1/tcp'], line: 5, spec: '1-65535:1-65535' });
    expect(bindings[65_534]).toMatchObject({ hostPort: '65535', containerPort: 65_535, listeners: ['0.0.0.0:65535/tcp', '[::]:65535/tcp'] });
    expect(bindings[65_535 + 79]).toMatchObject({ hostPort: '80', containerPort: 80, protocol: 'udp', listeners: ['0.0.0.0:80/udp', '[::]:80/udp'], spec: '1-65535:1-65535/udp' });
    expect(bindings[65_535 * 2]).toMatchObject({ service: 'web', hostPort: '8080', containerPort: 80, protocol: 'tcp', listeners: ['0.0.0.0:8080/tcp', '[::]:8080/tcp'], line: 10 });
  }, 60_000);
});
