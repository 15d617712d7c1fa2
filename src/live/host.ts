/**
 * Facts about the machine the Engine runs on, when that is this machine: the ephemeral port
 * range, the first unprivileged port, the listening sockets (with their process where
 * /proc/<pid>/fd can be read), and whether ufw or firewalld is active. Parsers are pure and
 * take the file text; `readHostFacts` reads them under a root folder ("/" normally), so tests
 * can hand it a fake /proc and /etc.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { HostFacts, HostSocket } from './types';

/** "32768\t60999\n" → { start: 32768, end: 60999 }. */
export function parsePortRange(text: string): { start: number; end: number } | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return start <= end && end <= 65535 ? { start, end } : undefined;
}

/** A single number file ("1024\n"). */
export function parseNumber(text: string): number | undefined {
  const m = /^\s*(\d+)\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07';

/**
 * Decodes a /proc/net address: IPv4 is one 32-bit word in host (little-endian) byte order,
 * IPv6 four such words. v4-mapped IPv6 comes back as the IPv4 address with family 4.
 */
export function decodeProcAddress(hex: string): { address: string; family: 4 | 6 } | undefined {
  if (hex.length === 8) {
    const b = wordBytes(hex);
    return b && { address: b.join('.'), family: 4 };
  }
  if (hex.length !== 32) return undefined;
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const b = wordBytes(hex.slice(w * 8, w * 8 + 8));
    if (!b) return undefined;
    bytes.push(...b);
  }
  if (bytes.slice(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return { address: bytes.slice(12).join('.'), family: 4 };
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  return { address: formatV6(groups), family: 6 };
}

/** One little-endian 32-bit hex word → its four bytes in network order. */
function wordBytes(word: string): number[] | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(word)) return undefined;
  const out: number[] = [];
  for (let i = 6; i >= 0; i -= 2) out.push(parseInt(word.slice(i, i + 2), 16));
  return out;
}

/** RFC 5952 text: the longest run of two or more zero groups becomes "::". */
function formatV6(groups: number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * Listening sockets of one /proc/net table: TCP sockets in LISTEN, UDP sockets that are bound
 * and unconnected. `protocol` names the table (tcp for tcp and tcp6, udp for udp and udp6).
 */
export function parseProcNet(text: string, protocol: 'tcp' | 'udp'): HostSocket[] {
  const out: HostSocket[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].trim().split(/\s+/);
    if (f.length < 10) continue;
    const [local, remote, state, , , , , , inode] = f.slice(1);
    if (protocol === 'tcp' ? state !== TCP_LISTEN : state !== UDP_UNCONNECTED || !/^0+:0000$/.test(remote)) continue;
    const colon = local.lastIndexOf(':');
    const addr = decodeProcAddress(local.slice(0, colon));
    const port = parseInt(local.slice(colon + 1), 16);
    if (!addr || !Number.isFinite(port) || port === 0) continue;
    out.push({ address: addr.address, family: addr.family, port, protocol, inode: Number(inode) });
  }
  return out;
}

/** "ENABLED=yes" in /etc/ufw/ufw.conf (what `ufw enable` writes and the boot script reads). */
export function ufwEnabled(conf: string): boolean {
  return /^\s*ENABLED\s*=\s*["']?yes["']?\s*$/im.test(conf);
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function numericDirs(dir: string): number[] {
  try {
    return readdirSync(dir)
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Owning process of each socket inode: one pass over /proc/<pid>/fd (links "socket:[inode]").
 * Processes whose fd folder cannot be read (another user's, without root) are skipped.
 */
export function socketOwners(root: string, inodes: ReadonlySet<number>): Map<number, { pid: number; name: string }> {
  const owners = new Map<number, { pid: number; name: string }>();
  if (!inodes.size) return owners;
  const proc = join(root, 'proc');
  for (const pid of numericDirs(proc)) {
    const fdDir = join(proc, String(pid), 'fd');
    let fds: string[];
    try {
      fds = readdirSync(fdDir);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(join(fdDir, fd));
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (!m) continue;
      const inode = Number(m[1]);
      if (!inodes.has(inode) || owners.has(inode)) continue;
      const name = (read(join(proc, String(pid), 'comm')) ?? '').trim() || `pid ${pid}`;
      owners.set(inode, { pid, name });
    }
    if (owners.size === inodes.size) break;
  }
  return owners;
}

/** Whether a process named `name` runs (by /proc/<pid>/comm). */
function processRuns(root: string, name: string): boolean {
  const proc = join(root, 'proc');
  for (const pid of numericDirs(proc)) if ((read(join(proc, String(pid), 'comm')) ?? '').trim() === name) return true;
  return false;
}

export interface HostReadOptions {
  /** "/" normally; a fake tree in tests. */
  root?: string;
  /** Read the listening sockets (and their owners). */
  sockets?: boolean;
  /** Which sockets need their owning process (default: all); the fd scan stops once they are found. */
  ownerWanted?: (s: HostSocket) => boolean;
}

/** Reads the host facts under `root`; anything unreadable is simply absent. */
export function readHostFacts(opts: HostReadOptions = {}): HostFacts {
  const root = opts.root ?? '/';
  const sys = (p: string) => read(join(root, 'proc/sys', p));
  const rangeText = sys('net/ipv4/ip_local_port_range');
  const unprivText = sys('net/ipv4/ip_unprivileged_port_start');
  const facts: HostFacts = {
    ephemeralRange: rangeText === undefined ? undefined : parsePortRange(rangeText),
    unprivilegedPortStart: unprivText === undefined ? undefined : parseNumber(unprivText),
    ufw: ufwEnabled(read(join(root, 'etc/ufw/ufw.conf')) ?? ''),
    firewalld: processRuns(root, 'firewalld'),
  };
  if (opts.sockets) {
    const dualStack = parseNumber(sys('net/ipv6/bindv6only') ?? '0') === 0;
    const sockets: HostSocket[] = [];
    let readAny = false;
    for (const [file, protocol] of [
      ['tcp', 'tcp'],
      ['tcp6', 'tcp'],
      ['udp', 'udp'],
      ['udp6', 'udp'],
    ] as const) {
      const text = read(join(root, 'proc/net', file));
      if (text === undefined) continue;
      readAny = true;
      for (const s of parseProcNet(text, protocol)) {
        if (dualStack && file.endsWith('6') && s.family === 6 && s.address === '::') s.dualStack = true;
        sockets.push(s);
      }
    }
    if (readAny) {
      const wanted = opts.ownerWanted ?? (() => true);
      const owners = socketOwners(root, new Set(sockets.filter((s) => s.inode > 0 && wanted(s)).map((s) => s.inode)));
      for (const s of sockets) {
        const o = owners.get(s.inode);
        if (o) s.process = o;
      }
      facts.sockets = sockets;
    }
  }
  return facts;
}
