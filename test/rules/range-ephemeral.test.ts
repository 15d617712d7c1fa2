import { describe, expect, it } from 'vitest';
import rule from '../../rules/range/ephemeral';
import { check, checkFixture, loadCompose } from '../helpers';
import type { Rule } from '../../src/engine/rule';

const r = rule as unknown as Rule<never>;

function ports(...entries: string[]): string {
  return `services:\n  api:\n    image: x\n    ports:\n${entries.map((e) => `      - "${e}"\n`).join('')}`;
}

describe('range/ephemeral', () => {
  it('reports fixed host ports inside the ephemeral ranges, naming the platform', () => {
    const f = checkFixture(r, 'rules/range/ephemeral/hit');
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service, x.severity])).toEqual([
      [6, 9, 'api', 'warning'],
      [10, 9, 'gateway', 'warning'],
      [14, 9, 'workers', 'warning'],
    ]);
    expect(f[0].message).toBe(
      'host port 32768 is inside the ephemeral port range of Linux (32768-60999), so the binding fails when an outgoing connection holds it; choose a host port below 32768',
    );
    expect(f[1].message).toContain('ephemeral port ranges of Linux (32768-60999) and macOS and Windows (49152-65535)');
    expect(f[1].binding).toEqual({ hostIp: '127.0.0.1', hostPort: '50051', containerPort: 50051, protocol: 'tcp', count: 1 });
    expect(f[2].message).toContain('host ports 60990-61010 are inside');
    expect(f[2].message).toContain('when an outgoing connection holds them;');
    expect(f[2].message).toContain('Linux (32768-60999, for 60990-60999)');
  });

  it('does not report 32767 nor engine-chosen host ports', () => {
    expect(checkFixture(r, 'rules/range/ephemeral/miss')).toEqual([]);
  });

  it('linux: 32768 and 60999 are in, 61000 is out', () => {
    const f = check(r, loadCompose(ports('32768:80', '60999:81', '61000:82', '65535:83')), {}, { platform: 'linux' });
    expect(f.map((x) => x.loc.line)).toEqual([5, 6]);
    expect(f[0].message).toContain('Linux (32768-60999)');
    expect(f[0].message).not.toContain('macOS');
  });

  it('macos: 49151 is out, 49152 is in, and 32768 is fine', () => {
    const f = check(r, loadCompose(ports('49151:80', '49152:81', '32768:82')), {}, { platform: 'macos' });
    expect(f).toHaveLength(1);
    expect(f[0].loc.line).toBe(6);
    expect(f[0].message).toContain('ephemeral port range of macOS (49152-65535)');
    expect(f[0].message).toContain('choose a host port below 49152');
    expect(f[0].message).not.toContain('Linux');
  });

  it('windows names Windows only', () => {
    const f = check(r, loadCompose(ports('50000:80')), {}, { platform: 'windows' });
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('ephemeral port range of Windows (49152-65535)');
  });

  it('all (default): 61000 is only in the macOS/Windows range', () => {
    const f = check(r, loadCompose(ports('61000:80')));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('ephemeral port range of macOS and Windows (49152-65535)');
    expect(f[0].message).toContain('choose a host port below 32768');
  });

  it('a host range overlapping the range counts and names the overlapping ports', () => {
    const f = check(r, loadCompose(ports('32760-32770:80')), {}, { platform: 'linux' });
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('host ports 32768-32770 of 32760-32770 are inside');
  });

  it('applies to udp as well', () => {
    expect(check(r, loadCompose(ports('40000:53/udp')), {}, { platform: 'linux' })).toHaveLength(1);
  });
});
