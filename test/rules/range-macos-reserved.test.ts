import { describe, expect, it } from 'vitest';
import rule from '../../rules/range/macos-reserved';
import { check, checkFixture, defaultSettings, loadCompose } from '../helpers';
import { runRules, type Finding } from '../../src/engine/run';
import type { Rule } from '../../src/engine/rule';

const r = rule as unknown as Rule<never>;

function ports(...entries: string[]): string {
  return `services:\n  web:\n    image: x\n    ports:\n${entries.map((e) => `      - "${e}"\n`).join('')}`;
}

/** Where each finding stands, for whom, and how severe. */
function rows(findings: Finding[]): unknown[] {
  return findings.map((x) => [x.loc.line, x.loc.column, x.service, x.severity]);
}

describe('range/macos-reserved', () => {
  it('reports host ports 5000 and 7000 on a wildcard address as unpublishable (IPv4 and IPv6)', () => {
    const f = checkFixture(r, 'rules/range/macos-reserved/hit');
    expect(rows(f)).toEqual([
      [7, 9, 'flask', 'warning'],
      [12, 9, 'docs', 'warning'],
    ]);
    expect(f[0].message).toBe(
      'host port 5000 on 0.0.0.0 and [::] is held by AirPlay Receiver on macOS 12+, so Docker Desktop cannot publish it; use another host port (e.g. 5001) or turn AirPlay Receiver off',
    );
    expect(f[1].message).toContain('host port 7000 on [::] is held by AirPlay Receiver');
    expect(f[1].message).toContain('(e.g. 7001)');
  });

  it('a loopback binding publishes: info that localhost may reach AirPlay on the other loopback address', () => {
    const f = checkFixture(r, 'rules/range/macos-reserved/loopback');
    expect(rows(f)).toEqual([
      [7, 9, 'worker-ui', 'info'],
      [14, 9, 'api', 'info'],
    ]);
    expect(f[0].message).toBe(
      'host port 7000 on 127.0.0.1 is published, but AirPlay Receiver (macOS 12+) still answers on [::1]: clients that try localhost as ::1 first (browsers, curl) reach AirPlay (403 Forbidden, Server: AirTunes), not the container; write http://127.0.0.1:7000 rather than localhost, or use another host port (e.g. 7001)',
    );
    expect(f[0].binding).toEqual({ hostIp: '127.0.0.1', hostPort: '7000', containerPort: 7000, protocol: 'tcp', count: 1 });
    expect(f[1].message).toContain('host port 5000 on [::1] is published, but AirPlay Receiver (macOS 12+) still answers on 127.0.0.1: clients that use 127.0.0.1');
    expect(f[1].message).toContain('write http://[::1]:5000 rather than localhost');
  });

  it('does not report 5001, udp 7000, 5000 on the container side, a non-loopback address, or both loopback addresses', () => {
    expect(checkFixture(r, 'rules/range/macos-reserved/miss')).toEqual([]);
  });

  it('one loopback address per port is enough for the info; the other one published as well silences it per port', () => {
    const one = check(r, loadCompose(ports('127.0.0.1:5000:5000', '127.0.0.1:7000:7000', '[::1]:7000:7000')));
    expect(one.map((x) => [x.loc.line, x.severity])).toEqual([[5, 'info']]);
    expect(check(r, loadCompose(ports('[::1]:5000:5000', '127.0.0.1:5000:5001')))).toEqual([]);
    // Another loopback address is not what localhost names, so nothing reaches AirPlay by surprise.
    expect(check(r, loadCompose(ports('127.0.0.2:5000:5000')))).toEqual([]);
  });

  it('a severity set for the rule wins over the info default of a loopback finding', () => {
    const result = loadCompose(ports('127.0.0.1:5000:5000'));
    const config = { rules: { [r.meta.id]: { severity: 'error' as const } }, settings: defaultSettings };
    expect(runRules(result.projects, [r], config).map((x) => x.severity)).toEqual(['error']);
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
    const loop = check(r, loadCompose(ports('127.0.0.1:4990-7010:4990-7010')));
    expect(loop[0].message).toContain('host ports 5000 and 7000 of 4990-7010 on 127.0.0.1 are published, but AirPlay');
  });

  it('4999 and 7001 are fine', () => {
    expect(check(r, loadCompose(ports('4999:5000', '7001:7000')))).toEqual([]);
  });
});
