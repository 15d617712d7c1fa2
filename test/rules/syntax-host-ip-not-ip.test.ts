import { describe, expect, it } from 'vitest';
import rule from '../../rules/syntax/host-ip-not-ip';
import { check, checkFixture, loadCompose } from '../helpers';
import type { Rule } from '../../src/engine/rule';

const r = rule as unknown as Rule<never>;

const count = (s: string, sub: string) => s.split(sub).length - 1;

describe('syntax/host-ip-not-ip', () => {
  it('reports hostnames in short and long syntax, suggesting 127.0.0.1 once', () => {
    const f = checkFixture(r, 'rules/syntax/host-ip-not-ip/hit');
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service, x.severity])).toEqual([
      [6, 9, 'web', 'error'],
      [12, 18, 'db', 'error'],
    ]);
    expect(f[0].message).toContain('invalid IP address: localhost in port entry "localhost:8080:80"');
    expect(f[1].message).toContain('invalid ip address: db.internal');
    for (const x of f) expect(count(x.message, '127.0.0.1')).toBe(1);
  });

  it('does not report IPv4, bracketed IPv6 or a long-syntax IPv6 host_ip', () => {
    expect(checkFixture(r, 'rules/syntax/host-ip-not-ip/miss')).toEqual([]);
  });

  it('reports an IPv4 address with a missing field, and a zone', () => {
    const f = check(r, loadCompose('services:\n  web:\n    image: x\n    ports:\n      - "127.0.1:8080:80"\n      - "fe80::1%eth0:8081:80"\n'));
    expect(f.map((x) => x.loc.line)).toEqual([5, 6]);
    for (const x of f) expect(count(x.message, '127.0.0.1')).toBe(1);
  });

  it('does not report other problems', () => {
    expect(check(r, loadCompose('services:\n  web:\n    image: x\n    ports:\n      - "80/icmp"\n'))).toEqual([]);
  });
});
