import { describe, expect, it } from 'vitest';
import rule from '../../rules/range/macos-reserved';
import { check, checkFixture, loadCompose } from '../helpers';
import type { Rule } from '../../src/engine/rule';

const r = rule as unknown as Rule<never>;

function ports(...entries: string[]): string {
  return `services:\n  web:\n    image: x\n    ports:\n${entries.map((e) => `      - "${e}"\n`).join('')}`;
}

describe('range/macos-reserved', () => {
  it('reports host ports 5000 and 7000 (any address, long and short syntax)', () => {
    const f = checkFixture(r, 'rules/range/macos-reserved/hit');
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service, x.severity])).toEqual([
      [6, 9, 'flask', 'warning'],
      [10, 9, 'worker-ui', 'warning'],
    ]);
    expect(f[0].message).toBe(
      'host port 5000 on 0.0.0.0 and [::] is held by AirPlay Receiver on macOS 12+, so Docker Desktop cannot publish it; use another host port (e.g. 5001) or turn AirPlay Receiver off',
    );
    expect(f[1].message).toContain('host port 7000 on 127.0.0.1 is held by AirPlay Receiver');
    expect(f[1].message).toContain('(e.g. 7001)');
    expect(f[1].binding).toEqual({ hostIp: '127.0.0.1', hostPort: '7000', containerPort: 7000, protocol: 'tcp', count: 1 });
  });

  it('does not report 5001, udp 7000, or 5000 on the container side', () => {
    expect(checkFixture(r, 'rules/range/macos-reserved/miss')).toEqual([]);
  });

  it('is silent for --platform linux and windows, active for macos', () => {
    const result = loadCompose(ports('5000:5000'));
    expect(check(r, result, {}, { platform: 'linux' })).toEqual([]);
    expect(check(r, result, {}, { platform: 'windows' })).toEqual([]);
    expect(check(r, result, {}, { platform: 'macos' })).toHaveLength(1);
  });

  it('a range covering both ports names both', () => {
    const f = check(r, loadCompose(ports('4990-7010:4990-7010')));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('host ports 5000 and 7000 of 4990-7010 on 0.0.0.0 and [::] are held by AirPlay Receiver');
    expect(f[0].message).toContain('cannot publish them;');
  });

  it('4999 and 7001 are fine', () => {
    expect(check(r, loadCompose(ports('4999:5000', '7001:7000')))).toEqual([]);
  });
});
