/**
 * Inputs at the edge of size: an entry over the whole port range expands to one binding per
 * port (65,535), and nothing on the way may pass such a list as call arguments or compare
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
    const out = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; line: number }> };
    expect(out.findings.some((f) => f.ruleId === 'collision/host-port' && f.line === 10)).toBe(true);
  }, 60_000);

  it('ports lists every binding', () => {
    const dir = tempProject({ 'compose.yaml': FULL_RANGE });
    // The table is about 10 MB: more than run() buffers.
    const r = spawnSync(process.execPath, [BIN, 'ports', dir], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // 65,535 tcp and 65,535 udp bindings, one web binding, one header line.
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(65_535 * 2 + 2);
  }, 60_000);
});
