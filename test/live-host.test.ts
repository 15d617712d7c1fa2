import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeProcAddress, parseNumber, parsePortRange, parseProcNet, readHostFacts, ufwEnabled } from '../src/live/host';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 812 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 9001 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 9002 1 0000000000000000 20 4 30 10 -1
   3: 3500007F:0035 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 700 1 0000000000000000 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 813 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 631 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9003 1 0000000000000000 100 0 0 10 0
   3: B80D0120000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9004 1 0000000000000000 100 0 0 10 0
`;
const UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  100: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 701 2 0000000000000000 0
  101: 0F02000A:C001 08080808:0035 01 00000000:00000000 00:00000000 00000000  1000        0 702 2 0000000000000000 0
`;

describe('/proc parsers', () => {
  it('reads the ephemeral range and the first unprivileged port', () => {
    expect(parsePortRange('32768\t60999\n')).toEqual({ start: 32768, end: 60999 });
    expect(parsePortRange('garbage')).toBeUndefined();
    expect(parsePortRange('60999 32768')).toBeUndefined();
    expect(parseNumber('1024\n')).toBe(1024);
    expect(parseNumber('x')).toBeUndefined();
  });

  it('decodes little-endian IPv4 and IPv6 words, v4-mapped as IPv4', () => {
    expect(decodeProcAddress('0100007F')).toEqual({ address: '127.0.0.1', family: 4 });
    expect(decodeProcAddress('00000000')).toEqual({ address: '0.0.0.0', family: 4 });
    expect(decodeProcAddress('00000000000000000000000000000000')).toEqual({ address: '::', family: 6 });
    expect(decodeProcAddress('00000000000000000000000001000000')).toEqual({ address: '::1', family: 6 });
    expect(decodeProcAddress('0000000000000000FFFF00000100007F')).toEqual({ address: '127.0.0.1', family: 4 });
    expect(decodeProcAddress('B80D0120000000000000000001000000')).toEqual({ address: '2001:db8::1', family: 6 });
    expect(decodeProcAddress('XYZ')).toBeUndefined();
  });

  it('keeps TCP sockets in LISTEN only, and bound unconnected UDP sockets', () => {
    expect(parseProcNet(TCP, 'tcp')).toEqual([
      { address: '0.0.0.0', family: 4, port: 22, protocol: 'tcp', inode: 812 },
      { address: '127.0.0.1', family: 4, port: 8080, protocol: 'tcp', inode: 9001 },
      { address: '127.0.0.53', family: 4, port: 53, protocol: 'tcp', inode: 700 },
    ]);
    expect(parseProcNet(TCP6, 'tcp').map((s) => `${s.address}:${s.port}/${s.family}`)).toEqual([':::22/6', '::1:631/6', '127.0.0.1:8081/4', '2001:db8::1:443/6']);
    expect(parseProcNet(UDP, 'udp')).toEqual([{ address: '127.0.0.53', family: 4, port: 53, protocol: 'udp', inode: 701 }]);
  });

  it('reads ufw from ufw.conf', () => {
    expect(ufwEnabled('# comment\nENABLED=yes\nLOGLEVEL=low\n')).toBe(true);
    expect(ufwEnabled('ENABLED=no\n')).toBe(false);
    expect(ufwEnabled('')).toBe(false);
  });
});

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A fake root: /proc with two processes (sshd owning inode 812, node owning 9001), /etc/ufw. */
function fakeRoot(opts: { ufw?: string; firewalld?: boolean; bindv6only?: string } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'portlint-live-host-'));
  roots.push(root);
  const file = (p: string, text: string) => {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  };
  file('proc/sys/net/ipv4/ip_local_port_range', '40000\t50000\n');
  file('proc/sys/net/ipv4/ip_unprivileged_port_start', '80\n');
  file('proc/sys/net/ipv6/bindv6only', opts.bindv6only ?? '0\n');
  file('proc/net/tcp', TCP);
  file('proc/net/tcp6', TCP6);
  file('proc/net/udp', UDP);
  file('proc/812/comm', 'sshd\n');
  mkdirSync(join(root, 'proc/812/fd'), { recursive: true });
  symlinkSync('/dev/null', join(root, 'proc/812/fd/0'));
  symlinkSync('socket:[812]', join(root, 'proc/812/fd/3'));
  symlinkSync('socket:[813]', join(root, 'proc/812/fd/4'));
  file('proc/4242/comm', 'node\n');
  mkdirSync(join(root, 'proc/4242/fd'), { recursive: true });
  symlinkSync('socket:[9001]', join(root, 'proc/4242/fd/21'));
  if (opts.firewalld) file('proc/77/comm', 'firewalld\n');
  if (opts.ufw !== undefined) file('etc/ufw/ufw.conf', opts.ufw);
  return root;
}

describe('readHostFacts on a fake root', () => {
  it('reads ranges, sockets with their owners, and the firewalls', () => {
    const facts = readHostFacts({ root: fakeRoot({ ufw: 'ENABLED=yes\n' }), sockets: true });
    expect(facts.ephemeralRange).toEqual({ start: 40000, end: 50000 });
    expect(facts.unprivilegedPortStart).toBe(80);
    expect(facts.ufw).toBe(true);
    expect(facts.firewalld).toBe(false);
    const ssh = facts.sockets!.filter((s) => s.port === 22);
    expect(ssh).toEqual([
      { address: '0.0.0.0', family: 4, port: 22, protocol: 'tcp', inode: 812, process: { pid: 812, name: 'sshd' } },
      { address: '::', family: 6, port: 22, protocol: 'tcp', inode: 813, dualStack: true, process: { pid: 812, name: 'sshd' } },
    ]);
    expect(facts.sockets!.find((s) => s.inode === 9001)?.process).toEqual({ pid: 4242, name: 'node' });
    // No readable owner: no process.
    expect(facts.sockets!.find((s) => s.inode === 700)?.process).toBeUndefined();
  });

  it('firewalld by its process; bindv6only=1 makes :: sockets IPv6-only; no sockets unless asked', () => {
    const facts = readHostFacts({ root: fakeRoot({ firewalld: true, bindv6only: '1\n' }), sockets: true });
    expect(facts.firewalld).toBe(true);
    expect(facts.ufw).toBe(false);
    expect(facts.sockets!.find((s) => s.inode === 813)?.dualStack).toBeUndefined();
    expect(readHostFacts({ root: fakeRoot() }).sockets).toBeUndefined();
  });

  it('an empty root gives nothing, without throwing', () => {
    const root = mkdtempSync(join(tmpdir(), 'portlint-live-host-'));
    roots.push(root);
    expect(readHostFacts({ root, sockets: true })).toEqual({ ephemeralRange: undefined, unprivilegedPortStart: undefined, ufw: false, firewalld: false });
  });

  it('reads this machine when it has /proc', () => {
    const facts = readHostFacts({ sockets: true });
    if (process.platform !== 'linux') return;
    expect(facts.ephemeralRange!.start).toBeGreaterThan(0);
    expect(Array.isArray(facts.sockets)).toBe(true);
  });
});
