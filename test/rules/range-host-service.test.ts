import { describe, expect, it } from 'vitest';
import rule from '../../rules/range/host-service';
import { check, checkFixture, loadCompose } from '../helpers';
import type { Rule } from '../../src/engine/rule';

const r = rule as unknown as Rule<never>;

function ports(...entries: string[]): string {
  return `services:\n  svc:\n    image: x\n    ports:\n${entries.map((e) => `      - "${e}"\n`).join('')}`;
}

describe('range/host-service', () => {
  it('reports bindings that collide with host daemons, naming the daemon', () => {
    const f = checkFixture(r, 'rules/range/host-service/hit');
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service, x.severity])).toEqual([
      [6, 9, 'pihole', 'info'],
      [7, 9, 'pihole', 'info'],
      [11, 9, 'cups', 'info'],
      [15, 9, 'mdns', 'info'],
      [19, 9, 'git', 'info'],
    ]);
    // Only the IPv4 wildcard half of "53:53/udp" meets systemd-resolved's 127.0.0.53.
    expect(f[0].message).toBe(
      '0.0.0.0:53/udp collides with systemd-resolved (Linux) on 127.0.0.53:53 and 127.0.0.54:53, so the container fails to start; ' +
        'bind a specific address (e.g. "192.168.1.10:53:53/udp") or set DNSStubListener=no',
    );
    expect(f[1].message).toContain('"192.168.1.10:53:53/tcp"');
    expect(f[2].message).toMatch(/^0\.0\.0\.0:631\/tcp and \[::\]:631\/tcp collide with cupsd \(Linux and macOS\) on localhost:631, /);
    // two daemons on the same sockets: one sentence naming both
    expect(f[3].message).toBe(
      '0.0.0.0:5353/udp and [::]:5353/udp collide with avahi-daemon (Linux) and mDNSResponder (macOS) on *:5353/udp, so the container fails to start; publish another host port',
    );
    expect(f[4].message).toMatch(/^127\.0\.0\.1:22\/tcp collides with sshd \(Linux\) on 0\.0\.0\.0:22 and \[::\]:22, /);
    expect(f[4].binding).toEqual({ hostIp: '127.0.0.1', hostPort: '22', containerPort: 22, protocol: 'tcp', count: 1 });
  });

  it('does not report 127.0.0.1:53, another address for 53 and 631, 5353/tcp or another port', () => {
    expect(checkFixture(r, 'rules/range/host-service/miss')).toEqual([]);
  });

  it('a loopback 631 binding collides with cupsd on localhost:631', () => {
    const f = check(r, loadCompose(ports('127.0.0.1:631:631')));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('127.0.0.1:631/tcp collides with cupsd');
    expect(check(r, loadCompose(ports('[::1]:631:631')))[0].message).toContain('[::1]:631/tcp collides with cupsd');
  });

  it('631/udp meets cups-browsed on Linux, not cupsd', () => {
    const f = check(r, loadCompose(ports('631:631/udp')), {}, { platform: 'linux' });
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('0.0.0.0:631/udp collides with cups-browsed');
    expect(f[0].message).not.toContain('cupsd');
  });

  it('127.0.0.53:53 itself collides; an explicit :: does not meet the IPv4 stub', () => {
    expect(check(r, loadCompose(ports('127.0.0.53:53:53/udp')))).toHaveLength(1);
    expect(check(r, loadCompose(ports('[::]:53:53/udp')))).toEqual([]);
  });

  it('a host range that includes a daemon port counts and says which port', () => {
    const f = check(r, loadCompose(ports('20-30:8000')), {}, { platform: 'linux' });
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('0.0.0.0:20-30/tcp and [::]:20-30/tcp (the range includes 22) collide with sshd');
    // The example moves the entry's own container port, keeping its address.
    expect(f[0].message).toContain('; publish another host port (e.g. "2222:8000")');
    expect(check(r, loadCompose(ports('127.0.0.1:22:22')), {}, { platform: 'linux' })[0].message).toContain('(e.g. "127.0.0.1:2222:22")');
  });

  it('a run over several daemons moves the port that meets each, as its per-port binding would', () => {
    const f = check(r, loadCompose(ports('1-65535:1-65535/udp')), {}, { platform: 'linux' });
    expect(f).toHaveLength(1);
    // 631/udp and 5353/udp (cups-browsed, avahi) suggest no port of their own; 53/udp has its own advice.
    expect(f[0].message).toMatch(/collide with systemd-resolved .+; publish another host port$/);
    expect(f[0].binding).toMatchObject({ hostPort: '1-65535', count: 65535 });
  });

  it('a range that meets two daemons names both in one sentence, with a fix that suits both', () => {
    const f = check(r, loadCompose(ports('20-60:8000')), {}, { platform: 'linux' });
    expect(f).toHaveLength(1);
    expect(f[0].message).toBe(
      '0.0.0.0:20-60/tcp and [::]:20-60/tcp (the range includes 22 and 53) collide with sshd (Linux) on 0.0.0.0:22 and [::]:22, ' +
        'and systemd-resolved (Linux) on 127.0.0.53:53 and 127.0.0.54:53, so the container fails to start; publish another host port',
    );
  });

  it('follows the platform: Linux-only daemons are silent under macos; nothing under windows', () => {
    const result = loadCompose(ports('53:53/udp', '22:22', '5353:5353/udp', '631:631'));
    expect(check(r, result, {}, { platform: 'linux' })).toHaveLength(4);
    const mac = check(r, result, {}, { platform: 'macos' });
    expect(mac.map((x) => x.binding?.hostPort)).toEqual(['5353', '631']);
    expect(mac[0].message).toContain('mDNSResponder');
    expect(mac[0].message).not.toContain('avahi');
    expect(check(r, result, {}, { platform: 'windows' })).toEqual([]);
  });

  it('ignores engine-chosen host ports', () => {
    expect(check(r, loadCompose(ports('22', '127.0.0.1::53/udp')))).toEqual([]);
  });
});
