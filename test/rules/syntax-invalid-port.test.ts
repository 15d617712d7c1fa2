import { describe, expect, it } from 'vitest';
import rule from '../../rules/syntax/invalid-port';
import { check, checkFixture, loadCompose } from '../helpers';
import type { Rule } from '../../src/engine/rule';

const r = rule as unknown as Rule<never>;

describe('syntax/invalid-port', () => {
  it('reports what Compose or the Engine rejects, at the entry', () => {
    const f = checkFixture(r, 'rules/syntax/invalid-port/hit');
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service, x.severity])).toEqual([
      [6, 9, 'web', 'error'],
      [7, 9, 'web', 'error'],
      [8, 9, 'web', 'error'],
      [12, 9, 'db', 'error'],
      [14, 9, 'db', 'error'],
    ]);
    expect(f[0].message).toContain('invalid proto: icmp');
    expect(f[0].message).toContain('use tcp, udp or sctp');
    expect(f[1].message).toContain('invalid ranges specified for container and host Ports: 80-82 and 8000-8001');
    expect(f[2].message).toContain('invalid type float64 for port (8080.0)');
    expect(f[3].message).toContain('invalid port specification: "70000"');
    expect(f[4].message).toContain('required variable DB_PORT is missing a value: set DB_PORT');
    expect(f.every((x) => x.binding === undefined)).toBe(true);
  });

  it('does not report valid entries (ranges, 65535, defaults)', () => {
    expect(checkFixture(r, 'rules/syntax/invalid-port/miss')).toEqual([]);
  });

  it('reports malformed interpolation', () => {
    const f = check(r, loadCompose('services:\n  web:\n    image: x\n    ports:\n      - "${PORT:80"\n'));
    expect(f).toHaveLength(1);
    expect(f[0].loc.line).toBe(5);
    expect(f[0].message).toContain('invalid interpolation format');
  });

  it('reports a disabled service too (Compose validates every service)', () => {
    const f = check(r, loadCompose('services:\n  web:\n    image: x\n    profiles: [debug]\n    ports:\n      - "65536:80"\n'));
    expect(f).toHaveLength(1);
    expect(f[0].service).toBe('web');
    expect(f[0].message).toContain('invalid hostPort: 65536');
  });

  it('leaves the other problem kinds to their rules', () => {
    const text =
      'services:\n  web:\n    image: x\n    ports:\n      - "localhost:80:80"\n  side:\n    image: x\n    network_mode: "service:web"\n    ports: ["81:81"]\n  bad: 3\n';
    const result = loadCompose(text);
    expect(result.projects[0].problems.map((p) => p.kind).sort()).toEqual(['host-ip-not-ip', 'invalid-compose', 'ports-with-shared-netns']);
    expect(check(r, result)).toEqual([]);
  });
});
