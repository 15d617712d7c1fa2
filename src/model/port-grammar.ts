/**
 * Port grammar: how Compose parses `ports` entries, short syntax (go-connections
 * `nat.ParsePortSpec`) and long syntax (compose-go), into the host bindings Compose
 * sends to the Engine, and the helpers that read and slice those bindings.
 *
 * Everything here is pure and allocation-light: it runs once per port entry on the
 * linter's hot path. No regular expressions are used per character.
 *
 * Reference: docs of the project, "port semantics" §1 (grammar).
 */

import type { ComposeFeature, Listener } from './types';
import { parseIp } from './ip';
import { C_0, C_COLON, C_MINUS, C_PLUS, isDigit } from './yaml-scalar';

// ---------------------------------------------------------------------------
// Shared result types
// ---------------------------------------------------------------------------

/** One host binding, as Compose would send it to the Engine (Binding adds what portlint knows of it). */
export interface RawBinding {
  /** "" when unspecified; brackets stripped. */
  hostIp: string;
  /**
   * "" or "0" for an engine-chosen port, "8080", "8000-8010" when the engine picks one port of a
   * range, or, for a run (count > 1), the run's host ports "10000-10099".
   */
  hostPort: string;
  /** The container port (the first one, for a run). */
  containerPort: number;
  /** Lower-cased: tcp, udp or sctp. */
  protocol: string;
  /** Parsed host port interval; undefined when the Engine chooses (hostPort "" or "0"). */
  hostPorts?: { start: number; end: number };
  /**
   * How many Engine bindings this one stands for (HostConfig.PortBindings gets one per port):
   * the i-th maps host port hostPorts.start + i (engine-chosen when hostPorts is absent) to
   * containerPort + i. 1 for a single mapping. An equal-length range "10000-60000:10000-60000"
   * is one binding with count 50,001, so no part of portlint ever works port by port.
   */
  count: number;
}

export type PortSpecErrorKind = 'invalid-port' | 'host-ip-not-ip';

/** Short-syntax spellings older docker compose releases refuse (see compose-releases.ts). */
export type ShortSyntaxFeature = Extract<ComposeFeature, 'raw-ipv6' | 'plus-sign'>;

export type PortSpecResult =
  | { ok: true; bindings: RawBinding[]; features?: ShortSyntaxFeature[] }
  | { ok: false; kind: PortSpecErrorKind; message: string };

function fail(message: string, kind: PortSpecErrorKind = 'invalid-port'): PortSpecResult {
  return { ok: false, kind, message };
}

// ---------------------------------------------------------------------------
// 2. Short syntax (go-connections v0.7.0 nat.ParsePortSpec)
// ---------------------------------------------------------------------------

/** Result slot of parsePortRange (avoids an allocation per call). */
const rangeOut = { start: 0, end: 0 };

/** Go `ParseInt(s[from, to), 10, 0)` limited to 0..65535 (sign allowed, "-0" is 0); -1 on error. */
function parsePortNumber(s: string, from: number, to: number): number {
  if (from >= to) return -1;
  let i = from;
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === C_PLUS || c0 === C_MINUS) {
    neg = c0 === C_MINUS;
    i++;
    if (i >= to) return -1;
  }
  let v = 0;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    if (v <= 65535) v = v * 10 + (c - C_0);
  }
  if (neg && v !== 0) return -1;
  return v > 65535 ? -1 : v;
}

/**
 * A port or range, as nat's parsePortRange: cut at the first "-" (so "-1" and "-0" have an
 * empty start and fail); each side a port number; end >= start. Writes into rangeOut.
 */
function parsePortRange(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const dash = s.indexOf('-');
  if (dash < 0) {
    const p = parsePortNumber(s, 0, n);
    if (p < 0) return false;
    rangeOut.start = p;
    rangeOut.end = p;
    return true;
  }
  const start = parsePortNumber(s, 0, dash);
  if (start < 0) return false;
  const end = parsePortNumber(s, dash + 1, n);
  if (end < 0 || end < start) return false;
  rangeOut.start = start;
  rangeOut.end = end;
  return true;
}

/**
 * Go net.SplitHostPort(ip + ":") host part, for an ip that starts with "[".
 * Returns the host, or an error text in the Go wording.
 */
function stripBrackets(ip: string): { host: string } | { error: string } {
  const hp = ip + ':';
  const last = hp.length - 1; // position of the last ':'
  const addrErr = (why: string) => ({ error: `invalid IP address ${ip}: address ${hp}: ${why}` });
  const end = hp.indexOf(']');
  if (end < 0) return addrErr("missing ']' in address");
  if (end + 1 !== last) {
    if (hp.charCodeAt(end + 1) === C_COLON) return addrErr('too many colons in address');
    return addrErr('missing port in address');
  }
  if (hp.indexOf('[', 1) >= 0) return addrErr("unexpected '[' in address");
  // No ']' can follow end+1: only the final ':' is there.
  return { host: hp.slice(1, end) };
}

/**
 * Parse a short-syntax port entry exactly as go-connections v0.7.0 `nat.ParsePortSpec`
 * (compose v5.2+), as runs: one binding stands for the consecutive ports of an equal-length
 * range (see `RawBinding.count`; `engineBindings` expands it), so the cost never grows
 * with the width of a range. Only a run whose host range starts at 0 comes out as two.
 *
 * Errors keep the parser's wording; kind is 'host-ip-not-ip' for the IP field errors
 * (`invalid IP address: …`, and the bracket form `invalid IP address [… : address …`).
 */
export function parseShortSpec(spec: string): PortSpecResult {
  // Split on every ':': IP = everything before the second-to-last ':'.
  const c2 = spec.lastIndexOf(':');
  let ip = '';
  let hostPort = '';
  let ctrPart: string;
  if (c2 < 0) {
    ctrPart = spec;
  } else {
    ctrPart = spec.slice(c2 + 1);
    const c1 = c2 === 0 ? -1 : spec.lastIndexOf(':', c2 - 1);
    if (c1 < 0) {
      hostPort = spec.slice(0, c2);
    } else {
      hostPort = spec.slice(c1 + 1, c2);
      ip = spec.slice(0, c1);
    }
  }
  // Container port and protocol: cut at the first '/'.
  const slash = ctrPart.indexOf('/');
  let ctr = ctrPart;
  let proto = 'tcp';
  if (slash >= 0) {
    ctr = ctrPart.slice(0, slash);
    const p = ctrPart.slice(slash + 1);
    if (p !== '') proto = p;
  }
  if (ctr === '') return fail(`no port specified: ${spec}<empty>`);
  if (proto !== 'tcp') {
    proto = proto.toLowerCase();
    if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') return fail(`invalid proto: ${proto}`);
  }
  // go-connections before v0.5.0 split the IP field with net.SplitHostPort: only brackets pass.
  const rawIpv6 = ip !== '' && ip.charCodeAt(0) !== 0x5b /* [ */ && ip.includes(':');
  if (ip !== '' && ip.charCodeAt(0) === 0x5b /* [ */) {
    const r = stripBrackets(ip);
    if ('error' in r) return fail(r.error, 'host-ip-not-ip');
    ip = r.host;
  }
  if (ip !== '' && parseIp(ip) === undefined) return fail(`invalid IP address: ${ip}`, 'host-ip-not-ip');

  if (!parsePortRange(ctr)) return fail(`invalid containerPort: ${ctr}`);
  const start = rangeOut.start;
  const end = rangeOut.end;
  let hStart = 0;
  let hEnd = 0;
  if (hostPort !== '') {
    if (!parsePortRange(hostPort)) return fail(`invalid hostPort: ${hostPort}`);
    hStart = rangeOut.start;
    hEnd = rangeOut.end;
    if (end - start !== hEnd - hStart && end !== start) {
      return fail(`invalid ranges specified for container and host Ports: ${ctr} and ${hostPort}`);
    }
  }
  // Only v0.7.0 parses port numbers with a sign.
  let features: ShortSyntaxFeature[] | undefined;
  if (rawIpv6) features = ['raw-ipv6'];
  if (ctr.includes('+') || hostPort.includes('+')) (features ??= []).push('plus-sign');
  const bindings = shortBindings({ hostIp: ip, containerPort: start, protocol: proto }, end - start + 1, hostPort !== '', hStart, hEnd);
  return features ? { ok: true, bindings, features } : { ok: true, bindings };
}

function shortBindings(base: Pick<RawBinding, 'hostIp' | 'containerPort' | 'protocol'>, count: number, hasHost: boolean, hStart: number, hEnd: number): RawBinding[] {
  if (!hasHost) return [{ ...base, hostPort: '', count }];
  // Host range with one container port: one binding; the Engine picks one port of the range.
  if (count === 1 && hStart !== hEnd) return [{ ...base, hostPort: `${hStart}-${hEnd}`, hostPorts: { start: hStart, end: hEnd }, count }];
  const run: RawBinding = { ...base, hostPort: count === 1 ? String(hStart) : `${hStart}-${hEnd}`, hostPorts: { start: hStart, end: hEnd }, count };
  if (hStart !== 0) return [run];
  // Host port 0 is engine-chosen; a run that starts at 0 goes on from host port 1.
  const zero: RawBinding = { ...base, hostPort: '0', count: 1 };
  return count === 1 ? [zero] : [zero, runSlice(run, 1, count - 1)];
}

/** The container ports of a binding: one port, or the interval of a run. */
export function containerPorts(b: { containerPort: number; count: number }): { start: number; end: number } {
  return { start: b.containerPort, end: b.containerPort + b.count - 1 };
}

/** Whether the Engine picks one free port of the binding's host range at start ("8000-8010:80"). */
export function picksHostPort(b: { hostPorts?: { start: number; end: number }; count: number }): boolean {
  const p = b.hostPorts;
  return p !== undefined && p.end - p.start + 1 > b.count;
}

/**
 * Ports `offset` to `offset + count - 1` of a run, as a run of their own (a copy; the
 * other fields are kept, and listeners, when the binding has them, narrowed to those ports).
 */
export function runSlice<T extends RawBinding & { listeners?: Listener[] }>(b: T, offset: number, count: number): T {
  if (offset === 0 && count === b.count) return b;
  const out: T = { ...b, containerPort: b.containerPort + offset, count };
  if (b.hostPorts !== undefined) {
    const start = b.hostPorts.start + offset;
    const ports = { start, end: start + count - 1 };
    out.hostPorts = ports;
    out.hostPort = count === 1 ? String(start) : `${start}-${ports.end}`;
    if (b.listeners !== undefined) out.listeners = b.listeners.map((l) => (l.ports === undefined ? l : { ...l, ports }));
  }
  return out;
}

/**
 * The bindings the Engine receives for a run, one per port ("10000-10002:80-82" gives
 * 10000→80, 10001→81, 10002→82), each with count 1. A single binding comes back as is.
 */
export function engineBindings<T extends RawBinding & { listeners?: Listener[] }>(b: T): T[] {
  return Array.from({ length: b.count }, (_, i) => runSlice(b, i, 1));
}

// ---------------------------------------------------------------------------
// 3. Long syntax
// ---------------------------------------------------------------------------

export interface LongSpecFields {
  target?: unknown;
  published?: unknown;
  host_ip?: unknown;
  protocol?: unknown;
  mode?: unknown;
}

/** Go strconv.Atoi: optional sign, decimal digits only; the error text of Go. */
function goAtoi(s: string): number | string {
  const n = s.length;
  const syntax = `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`;
  if (n === 0) return syntax;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === C_PLUS || c0 === C_MINUS) {
    neg = c0 === C_MINUS;
    i = 1;
    if (n === 1) return syntax;
  }
  const first = i;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return syntax;
    v = v * 10 + (c - C_0);
  }
  if (n - first >= 19) {
    // Beyond float precision: check the int64 range exactly.
    const digits = BigInt(s.slice(first));
    if (neg ? digits > 9223372036854775808n : digits > 9223372036854775807n) {
      return `strconv.Atoi: parsing ${goQuote(s)}: value out of range`;
    }
  }
  return neg && v !== 0 ? -v : v;
}

/** Go %q for the ASCII-printable common case; JSON escaping otherwise. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * A long-syntax port mapping (values already interpolated), as compose-go loads it and
 * the Engine accepts it:
 * - target: required (`missing a target port`); an integer, or a string cast with Go
 *   Atoi (`failed to cast to expected type: strconv.Atoi: parsing "…": invalid syntax`);
 *   0..65535 (else the Engine's `invalid port specification: "<target>"`);
 * - published: int or string; missing, null, "" and "0" mean engine-chosen; "a" or "a-b"
 *   (decimal digits, 0..65535, b >= a); else `invalid port specification: "<published>"`;
 * - host_ip: missing/null = unspecified; otherwise it must satisfy net.ParseIP (no brackets,
 *   "" refused): `invalid ip address: <value>` (kind host-ip-not-ip);
 * - protocol: missing/null/"" = tcp; lower-cased; tcp, udp or sctp, else `invalid proto: <p>`;
 * - mode is ignored outside swarm.
 */
export function parseLongSpec(fields: LongSpecFields): PortSpecResult {
  // target
  const t = fields.target;
  let target: number;
  if (t === undefined || t === null) return fail('missing a target port');
  if (typeof t === 'number') {
    if (!Number.isInteger(t)) return fail(`target must be an integer or a string: ${String(t)}`);
    target = t;
  } else if (typeof t === 'string') {
    const r = goAtoi(t);
    if (typeof r === 'string') return fail(`failed to cast to expected type: ${r}`);
    target = r;
  } else {
    return fail(`target must be an integer or a string: ${String(t)}`);
  }
  if (target < 0 || target > 65535) return fail(`invalid port specification: "${target}"`);

  // host_ip
  let hostIp = '';
  const h = fields.host_ip;
  if (h !== undefined && h !== null) {
    const text = typeof h === 'string' ? h : String(h);
    if (typeof h !== 'string' || parseIp(h) === undefined) {
      return fail(`invalid ip address: ${text}`, 'host-ip-not-ip');
    }
    hostIp = h;
  }

  // published
  let hostPort = '';
  let hostPorts: { start: number; end: number } | undefined;
  const p = fields.published;
  if (p !== undefined && p !== null) {
    if (typeof p === 'number') {
      if (!Number.isInteger(p) || p < 0 || p > 65535) {
        return fail(`invalid port specification: ${goQuote(String(p))}`);
      }
      hostPort = String(p);
      if (p !== 0) hostPorts = { start: p, end: p };
    } else if (typeof p === 'string') {
      hostPort = p;
      if (p !== '') {
        const r = parsePublishedRange(p);
        if (r === undefined) return fail(`invalid port specification: ${goQuote(p)}`);
        if (r.end !== 0) hostPorts = r;
      }
    } else {
      return fail(`invalid port specification: ${goQuote(String(p))}`);
    }
  }

  // protocol
  let protocol = 'tcp';
  const pr = fields.protocol;
  if (pr !== undefined && pr !== null) {
    const text = typeof pr === 'string' ? pr.toLowerCase() : String(pr);
    if (text !== '') {
      if (text !== 'tcp' && text !== 'udp' && text !== 'sctp') return fail(`invalid proto: ${text}`);
      protocol = text;
    }
  }

  const b: RawBinding = { hostIp, hostPort, containerPort: target, protocol, count: 1 };
  if (hostPorts !== undefined) b.hostPorts = hostPorts;
  return { ok: true, bindings: [b] };
}

/** "a" or "a-b": decimal digits only (leading zeros allowed), 0..65535, b >= a. */
function parsePublishedRange(s: string): { start: number; end: number } | undefined {
  const dash = s.indexOf('-');
  const a = parseUnsignedPort(s, 0, dash < 0 ? s.length : dash);
  if (a < 0) return undefined;
  if (dash < 0) return { start: a, end: a };
  const b = parseUnsignedPort(s, dash + 1, s.length);
  if (b < 0 || b < a) return undefined;
  return { start: a, end: b };
}

function parseUnsignedPort(s: string, from: number, to: number): number {
  if (from >= to) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    if (v <= 65535) v = v * 10 + (c - C_0);
  }
  return v > 65535 ? -1 : v;
}
