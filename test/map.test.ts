/**
 * `portlint map` through the binary: the terminal map, the JSON map data, the HTML file, and the
 * map of a real Docker Engine's containers (--live), alone and beside the compose files.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, run, runAsync, tempProject } from './helpers';
import { describeDocker, engineProblem, IMAGE } from './docker';

const SESSION = join(FIXTURES, 'session');
interface Block { id: number; start: number; end: number; protocol: string; exposure: string; service: string; project: string; container?: string; file: string; line: number; collidesWith: number[]; findings: number[] }
interface PortMapJson {
  hosts: Array<{ name: string; kind: string; lanes: Array<{ address: string; family: number; wildcard: boolean; blocks: Block[] }>; engineChosen: unknown[] }>;
  findings: Array<{ ruleId: string; blocks: number[] }>;
  summary: { hosts: number; lanes: number; blocks: number; collisions: number; public: number };
}
const mapOf = (args: string[], cwd?: string) => {
  const r = run(['map', '--format', 'json', ...args], { cwd });
  return { ...r, map: JSON.parse(r.stdout) as PortMapJson };
};
const blocksOf = (m: PortMapJson) => m.hosts.flatMap((h) => h.lanes.flatMap((l) => l.blocks.map((b) => ({ ...b, address: l.address, host: h.name }))));

describe('portlint map', () => {
  it('the terminal map of the README session: per address, holders, collisions marked both ways', () => {
    const r = run(['map'], { cwd: SESSION });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(
      [
        'compose files',
        '  0.0.0.0  every IPv4 address',
        '    5432/tcp  public    db (session)   compose.yaml:13',
        '    8080/tcp  public    web (session)  compose.yaml:5   ✖ collides with api at 127.0.0.1:8080/tcp',
        '  127.0.0.1',
        '    8080/tcp  loopback  api (session)  compose.yaml:9   ✖ collides with web at 0.0.0.0:8080/tcp',
        '  [::]  every IPv6 address',
        '    5432/tcp  public    db (session)   compose.yaml:13',
        '    8080/tcp  public    web (session)  compose.yaml:5',
        '',
        '3 addresses, 5 port blocks (4 public), 1 collision',
        '',
      ].join('\n'),
    );
  });

  it('the JSON map: lanes, blocks with their place, collisions linked both ways, findings linked to blocks', () => {
    const { status, map } = mapOf([SESSION]);
    expect(status).toBe(0);
    expect(map.hosts.map((h) => [h.name, h.kind, h.lanes.map((l) => [l.address, l.family, l.wildcard])])).toEqual([['compose files', 'files', [['0.0.0.0', 4, true], ['127.0.0.1', 4, false], ['::', 6, true]]]]);
    expect(map.summary).toEqual({ hosts: 1, lanes: 3, blocks: 5, collisions: 1, public: 4 });
    const blocks = blocksOf(map);
    const web = blocks.find((b) => b.service === 'web' && b.address === '0.0.0.0')!;
    const api = blocks.find((b) => b.service === 'api')!;
    expect([web.collidesWith, api.collidesWith]).toEqual([[api.id], [web.id]]);
    expect(api).toMatchObject({ start: 8080, end: 8080, protocol: 'tcp', exposure: 'loopback', project: 'session', line: 9 });
    expect(api.file).toMatch(/fixtures\/session\/compose\.yaml$/);
    const collision = map.findings.find((f) => f.ruleId === 'collision/host-port')!;
    expect(collision.blocks).toEqual([api.id]);
    expect(map.findings.find((f) => f.ruleId === 'exposure/sensitive-port-public')!.blocks.sort()).toEqual(blocks.filter((b) => b.service === 'db').map((b) => b.id).sort());
  });

  it('a range is one block however wide; an engine-chosen host port is listed apart; a broken file is exit 2 and the rest is mapped', () => {
    const dir = tempProject({
      'ok/compose.yaml': 'services:\n  all:\n    image: x\n    ports:\n      - "1-65535:1-65535/udp"\n      - "9000"\n',
      'broken/compose.yaml': 'services:\n  web: [\n',
    });
    const { status, map, stderr } = mapOf([dir]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/broken\/compose\.yaml:\d+:\d+: not valid YAML/);
    const blocks = blocksOf(map);
    expect(blocks.map((b) => [b.address, b.start, b.end, b.protocol])).toEqual([
      ['0.0.0.0', 1, 65535, 'udp'],
      ['::', 1, 65535, 'udp'],
    ]);
    expect(map.hosts[0].engineChosen).toEqual([expect.objectContaining({ service: 'all', containerPort: 9000, protocol: 'tcp', line: 6 })]);
  });

  it('--format html -o: one file, no network allowed, the data safe inside its script element', () => {
    const dir = tempProject({ '</script><b>x/compose.yaml': 'services:\n  web:\n    image: x\n    ports:\n      - "8080:80"\n' });
    const out = join(mkdtempSync(join(tmpdir(), 'portlint-map-html-')), 'ports.html');
    const r = run(['map', '--format', 'html', '-o', out, dir]);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    const page = readFileSync(out, 'utf8');
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">/);
    expect(page).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    const data = JSON.parse(/<script type="application\/json" id="portlint-map">([\s\S]*?)<\/script>/.exec(page)![1]) as PortMapJson;
    expect(blocksOf(data)[0].file).toContain('</script><b>x/compose.yaml');
  });
});

const problem = engineProblem();
const exec = promisify(execFile);
describeDocker('portlint map --live on a real engine', problem, () => {
  const name = `portlint-map-${process.pid}`;
  const port = 21000 + Math.floor(Math.random() * 900) * 10;
  beforeAll(async () => {
    await exec('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:80`, '-p', `${port + 1}:81/udp`, IMAGE, 'sleep', '600']);
  }, 60_000);
  afterAll(async () => {
    await exec('docker', ['rm', '-f', name]).catch(() => undefined);
  });

  it('maps the running container: its addresses, ports and name, on the engine', async () => {
    const r = await runAsync(['map', '--live', '--format', 'json']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const map = JSON.parse(r.stdout) as PortMapJson;
    expect(map.hosts.map((h) => h.kind)).toEqual(['engine']);
    const mine = blocksOf(map).filter((b) => b.container === name);
    expect(mine.map((b) => [b.address, b.start, b.protocol, b.exposure]).sort()).toEqual([
      ['0.0.0.0', port + 1, 'udp', 'public'],
      ['127.0.0.1', port, 'tcp', 'loopback'],
      ['::', port + 1, 'udp', 'public'],
    ]);
  });

  it('with paths, the compose files too, as a host of their own beside the engine', async () => {
    const dir = tempProject({ 'compose.yaml': `services:\n  web:\n    image: x\n    ports:\n      - "127.0.0.1:${port}:80"\n` });
    const r = await runAsync(['map', '--live', '--format', 'json', dir]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const map = JSON.parse(r.stdout) as PortMapJson;
    expect(map.hosts.map((h) => h.kind)).toEqual(['files', 'engine']);
    const text = await runAsync(['map', '--live', dir]);
    expect(text.stdout).toMatch(new RegExp(`compose files\\n  127\\.0\\.0\\.1\\n    ${port}/tcp\\s+loopback\\s+web`));
    expect(text.stdout).toMatch(new RegExp(`engine \\S+\\n[\\s\\S]*${port}/tcp\\s+loopback\\s+${name}`));
  });
});
