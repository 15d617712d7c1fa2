/**
 * Binding semantics: which host sockets the Engine opens for a binding (listeners),
 * and when two of those sockets collide (conflicts).
 *
 * Pure and allocation-light: it runs for every binding on the linter's hot path.
 *
 * Reference: docs of the project, "port semantics" §4.1–4.3 (listeners and conflicts).
 */

import type { Listener } from './types';
import { memoize } from '../util/memo';
import { parseIp } from './ip';
import { picksHostPort } from './port-grammar';

// ---------------------------------------------------------------------------
// 5. Listeners (§4.1)
// ---------------------------------------------------------------------------

export interface ListenerSource {
  hostIp: string;
  hostPorts?: { start: number; end: number };
  protocol: string;
  count: number;
}

/**
 * The sockets the Engine opens on the host for a binding (§4.1):
 * - host IP "" → 0.0.0.0 and ::, unless the network sets host_binding_ipv4:
 *   an IPv4 default → that address only; an IPv6 default → that address only;
 *   0.0.0.0 (or ::ffff:0.0.0.0) → both again;
 * - explicit 0.0.0.0 → IPv4 only; explicit :: → IPv6 only;
 * - ::ffff:a.b.c.d → IPv4 a.b.c.d; any other address → that address.
 * A host IP that is not an IP (only possible through the raw API) is treated as
 * unspecified, as Engine 20.10 does. An unparsable network default is ignored.
 * Listener `ports` is the binding's own hostPorts object (not copied); `picksOne` is set
 * when the Engine picks one port of it.
 */
export function listenersFor(b: ListenerSource, networkDefaultIp?: string): Listener[] {
  const ports = b.hostPorts;
  const protocol = b.protocol;
  const pick = picksHostPort(b);
  const mk = (address: string, family: 4 | 6): Listener => {
    const l: Listener = { address, family, protocol };
    if (ports !== undefined) l.ports = ports;
    if (pick) l.picksOne = true;
    return l;
  };
  const hostIp = b.hostIp;
  if (hostIp !== '') {
    if (hostIp === '0.0.0.0') return [mk('0.0.0.0', 4)];
    if (hostIp === '::') return [mk('::', 6)];
    const ip = parseIp(hostIp);
    if (ip !== undefined) {
      if (ip.family === 4) return [mk(ip.canonical, 4)];
      if (ip.v4mapped !== undefined) return [mk(ip.v4mapped, 4)];
      return [mk(ip.canonical, 6)];
    }
  }
  if (networkDefaultIp !== undefined && networkDefaultIp !== '' && networkDefaultIp !== '0.0.0.0') {
    const d = parseIp(networkDefaultIp);
    if (d !== undefined) {
      const v4 = d.family === 4 ? d.canonical : d.v4mapped;
      if (v4 !== undefined) {
        if (!d.unspecified) return [mk(v4, 4)];
      } else {
        return [mk(d.canonical, 6)];
      }
    }
  }
  return [mk('0.0.0.0', 4), mk('::', 6)];
}

/** `0.0.0.0:8080/tcp`, `[::]:8080/tcp`, `0.0.0.0:8000-8010/tcp`, `0.0.0.0:*\/tcp` (ephemeral). */
export function formatListener(l: Listener): string {
  const addr = l.family === 6 ? `[${l.address}]` : l.address;
  const p = l.ports;
  const ports = p === undefined ? '*' : p.start === p.end ? String(p.start) : `${p.start}-${p.end}`;
  return `${addr}:${ports}/${l.protocol}`;
}

// ---------------------------------------------------------------------------
// 6. Conflicts (§4.3)
// ---------------------------------------------------------------------------

/** Canonical address text (cached), or the input itself when it is not an IP. */
const canonicalAddress = memoize((a: string): string => {
  const ip = parseIp(a);
  return ip === undefined ? a : ip.unspecified ? (ip.family === 4 || ip.v4mapped !== undefined ? '0.0.0.0' : '::') : ip.v4mapped ?? ip.canonical;
});

/** Same socket address, or either side is the unspecified address of the family. */
function addressesOverlap(a: Listener, b: Listener): boolean {
  const x = a.address;
  const y = b.address;
  if (x === y) return true;
  const unspec = a.family === 4 ? '0.0.0.0' : '::';
  if (x === unspec || y === unspec) return true;
  const cx = canonicalAddress(x);
  const cy = canonicalAddress(y);
  return cx === cy || cx === unspec || cy === unspec;
}

/**
 * Whether two listeners certainly collide (§4.3): same protocol, same family, the same
 * address or either side the family's unspecified address (0.0.0.0 / ::), and a host port
 * both hold (their intervals overlap: single ports, or runs of a range mapping).
 * 0.0.0.0 vs :: never collide (v6-only sockets); tcp vs udp never.
 *
 * Rule for engine-chosen ports:
 * - ephemeral listeners (no `ports`) never collide statically;
 * - a listener with `picksOne` comes from a binding whose host port the Engine picks from
 *   the range at start ("8000-8010:80", or long syntax published "8000-8010"). The Engine
 *   takes a free port of the range, so against any ONE other listener (fixed port or range)
 *   it can always avoid the collision: a pairwise check never reports it. It fails only
 *   when every port of the range is taken, which needs the whole set of listeners: see
 *   `exhaustedRanges`. Whether it may still grab a port that a later fixed binding needs
 *   depends on start order: see `listenersMayConflict`.
 */
export function listenersConflict(a: Listener, b: Listener): boolean {
  if (a.picksOne || b.picksOne) return false;
  return listenersMayConflict(a, b);
}

/**
 * Whether two listeners can collide in some start order: like `listenersConflict`, but a
 * range the Engine picks from counts too (it may pick the port a fixed binding or another
 * range needs, when it is started first). Ephemeral listeners never.
 */
export function listenersMayConflict(a: Listener, b: Listener): boolean {
  const pa = a.ports;
  const pb = b.ports;
  if (pa === undefined || pb === undefined) return false;
  if (pa.start > pb.end || pb.start > pa.end) return false;
  if (a.protocol !== b.protocol || a.family !== b.family) return false;
  return addressesOverlap(a, b);
}

/**
 * The lowest port of [start, end] that none of the intervals contains, or end + 1 when they
 * cover it all. Intervals are never expanded port by port.
 */
export function firstPortOutside(start: number, end: number, intervals: ReadonlyArray<{ start: number; end: number }>): number {
  let port = start;
  for (const iv of [...intervals].sort((x, y) => x.start - y.start)) {
    if (iv.start > port) break;
    if (iv.end >= port) port = iv.end + 1;
    if (port > end) return end + 1;
  }
  return port;
}

/**
 * Indices of the listeners that pick a port (`picksOne`) and cannot get one: listeners
 * that hold their ports keep them, then each picking listener, in the given order, takes
 * the lowest port of its range not held by an overlapping listener (same protocol and
 * family, same or unspecified address), as the Engine's allocator does. "8000-8001:80"
 * three times: the third is exhausted. This models Engine >= 27 (which retries within the
 * range); it treats the v4 and v6 listeners of one binding independently. Held intervals
 * are never expanded port by port.
 */
export function exhaustedRanges(listeners: readonly Listener[]): number[] {
  const n = listeners.length;
  const held: Array<{ l: Listener; start: number; end: number }> = [];
  for (let i = 0; i < n; i++) {
    const l = listeners[i];
    const p = l.ports;
    if (p !== undefined && !l.picksOne) held.push({ l, start: p.start, end: p.end });
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = listeners[i];
    const p = l.ports;
    if (p === undefined || !l.picksOne) continue;
    const taken: Array<{ start: number; end: number }> = [];
    for (const h of held) {
      if (h.end < p.start || h.start > p.end) continue;
      if (h.l.protocol !== l.protocol || h.l.family !== l.family) continue;
      if (addressesOverlap(h.l, l)) taken.push(h);
    }
    const port = firstPortOutside(p.start, p.end, taken);
    if (port > p.end) out.push(i);
    else held.push({ l, start: port, end: port });
  }
  return out;
}
