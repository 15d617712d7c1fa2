/**
 * Port grammar and binding semantics: how Compose types and parses `ports`
 * entries, which host sockets the Engine opens for a binding, and when two
 * of those sockets collide.
 *
 * Everything here is pure and allocation-light: it runs once per port entry
 * on the linter's hot path. No regular expressions are used per character.
 *
 * Reference: docs of the project, "port semantics" §1 (grammar), §4.1–4.3
 * (listeners and conflicts).
 */

import type { Listener } from './types';
import { memoize } from '../util/memo';

// ---------------------------------------------------------------------------
// Shared result types
// ---------------------------------------------------------------------------

/** One host binding, as Compose would send it to the Engine. */
export interface RawBinding {
  /** "" when unspecified; brackets stripped. */
  hostIp: string;
  /** "" for an engine-chosen port, "0" (also engine-chosen), "8080", or "8000-8010" (engine picks one). */
  hostPort: string;
  containerPort: number;
  /** Lower-cased: tcp, udp or sctp. */
  protocol: string;
  /** Parsed host port interval; undefined when the Engine chooses (hostPort "" or "0"). */
  hostPorts?: { start: number; end: number };
  /**
   * How many Engine bindings this one stands for: the Engine receives `count` bindings, the
   * i-th mapping host port hostPorts.start + i (or an engine-chosen one) to containerPort + i.
   * 1 for a single mapping; "10000-10099:10000-10099" and "80-89" are one run each.
   */
  count: number;
}

export type PortSpecErrorKind = 'invalid-port' | 'host-ip-not-ip';

export type PortSpecResult =
  | { ok: true; bindings: RawBinding[] }
  | { ok: false; kind: PortSpecErrorKind; message: string };

export type PlainScalarType = 'null' | 'bool' | 'int' | 'float' | 'timestamp' | 'str';

export interface PlainScalar {
  type: PlainScalarType;
  /** null, a boolean, a number (int or float, incl. NaN/±Infinity), or the raw text (str, timestamp). */
  value: string | number | boolean | null;
}

// ---------------------------------------------------------------------------
// Character helpers
// ---------------------------------------------------------------------------

const C_0 = 48;
const C_9 = 57;
const C_PLUS = 43;
const C_MINUS = 45;
const C_DOT = 46;
const C_COLON = 58;
const C_UNDERSCORE = 95;

function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}

function fail(message: string, kind: PortSpecErrorKind = 'invalid-port'): PortSpecResult {
  return { ok: false, kind, message };
}

// ---------------------------------------------------------------------------
// 1. YAML plain scalar typing (go-yaml v4, as used by compose v2)
// ---------------------------------------------------------------------------

const NULL_SCALAR: PlainScalar = Object.freeze({ type: 'null', value: null });
const TRUE_SCALAR: PlainScalar = Object.freeze({ type: 'bool', value: true });
const FALSE_SCALAR: PlainScalar = Object.freeze({ type: 'bool', value: false });

function floatScalar(value: number): PlainScalar {
  return Object.freeze({ type: 'float', value });
}

/** Exact spellings go-yaml resolves through its lookup table. */
const RESOLVE_MAP: ReadonlyMap<string, PlainScalar> = new Map<string, PlainScalar>([
  ['true', TRUE_SCALAR],
  ['True', TRUE_SCALAR],
  ['TRUE', TRUE_SCALAR],
  ['false', FALSE_SCALAR],
  ['False', FALSE_SCALAR],
  ['FALSE', FALSE_SCALAR],
  ['', NULL_SCALAR],
  ['~', NULL_SCALAR],
  ['null', NULL_SCALAR],
  ['Null', NULL_SCALAR],
  ['NULL', NULL_SCALAR],
  ['.nan', floatScalar(NaN)],
  ['.NaN', floatScalar(NaN)],
  ['.NAN', floatScalar(NaN)],
  ['.inf', floatScalar(Infinity)],
  ['.Inf', floatScalar(Infinity)],
  ['.INF', floatScalar(Infinity)],
  ['+.inf', floatScalar(Infinity)],
  ['+.Inf', floatScalar(Infinity)],
  ['+.INF', floatScalar(Infinity)],
  ['-.inf', floatScalar(-Infinity)],
  ['-.Inf', floatScalar(-Infinity)],
  ['-.INF', floatScalar(-Infinity)],
  // go-yaml maps these two to a negative-zero float, not an int.
  ['-0', floatScalar(-0)],
  ['-0.0', floatScalar(-0)],
]);

/**
 * How go-yaml v4 (compose v2) types an UNQUOTED scalar.
 *
 * The first character decides which readings are tried, as in go-yaml:
 * - one of `yYnNtTfFoO~<` or "": only the exact spellings above (so `yes`/`on` stay strings);
 * - `.`: a float (`.5`, `.5e3`);
 * - a digit or sign: timestamp, then Go `strconv.ParseInt(s without "_", 0, 64)`
 *   (decimal, 0x, 0o, 0b, leading-zero octal), then ParseUint, then a YAML-style float;
 * - anything else: a string.
 * Base 60 (`22:22`) is deliberately unsupported: it stays a string.
 * Results for the fixed spellings (null, booleans, .inf, ...) are shared frozen objects.
 */
export function resolvePlainScalar(raw: string): PlainScalar {
  const mapped = RESOLVE_MAP.get(raw);
  if (mapped !== undefined) return mapped;
  const c = raw.charCodeAt(0);
  if (c === C_DOT) {
    const f = goParseDotFloat(raw);
    return f === undefined ? { type: 'str', value: raw } : { type: 'float', value: f };
  }
  if (isDigit(c) || c === C_PLUS || c === C_MINUS) {
    if (isGoYamlTimestamp(raw)) return { type: 'timestamp', value: raw };
    const plain = raw.indexOf('_') < 0 ? raw : raw.replace(/_/g, '');
    const i = goParseIntBase0(plain);
    if (i !== undefined) return { type: 'int', value: i };
    if (isYamlStyleFloat(plain)) {
      const f = Number(plain);
      // Go's ParseFloat fails with a range error when the value overflows.
      if (Number.isFinite(f)) return { type: 'float', value: f };
    }
  }
  return { type: 'str', value: raw };
}

/**
 * Go `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint(s, 0, 64)` as go-yaml does.
 * Returns undefined on a syntax or range error. Values beyond 2^53 lose precision.
 */
function goParseIntBase0(s: string): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  let i = 0;
  let neg = false;
  let signed = false;
  const c0 = s.charCodeAt(0);
  if (c0 === C_PLUS || c0 === C_MINUS) {
    signed = true;
    neg = c0 === C_MINUS;
    i = 1;
    if (n === 1) return undefined;
  }
  let base = 10;
  if (s.charCodeAt(i) === C_0) {
    const rest = n - i;
    const p = rest >= 3 ? s.charCodeAt(i + 1) | 0x20 : 0;
    if (p === 0x62 /* b */) {
      base = 2;
      i += 2;
    } else if (p === 0x6f /* o */) {
      base = 8;
      i += 2;
    } else if (p === 0x78 /* x */) {
      base = 16;
      i += 2;
    } else {
      base = 8;
      i += 1;
    }
  }
  const digits = n - i;
  const bitsPerDigit = base === 2 ? 1 : base === 8 ? 3 : 4;
  if (digits * bitsPerDigit <= 52) {
    let v = 0;
    for (; i < n; i++) {
      const d = digitValue(s.charCodeAt(i));
      if (d >= base) return undefined;
      v = v * base + d;
    }
    return neg && v !== 0 ? -v : v;
  }
  // Long inputs: exact range checks with BigInt.
  let big = 0n;
  const bigBase = BigInt(base);
  for (; i < n; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d >= base) return undefined;
    big = big * bigBase + BigInt(d);
  }
  if (signed) {
    // ParseInt only (ParseUint refuses a sign).
    if (neg ? big > 9223372036854775808n : big > 9223372036854775807n) return undefined;
    return neg ? -Number(big) : Number(big);
  }
  if (big > 18446744073709551615n) return undefined;
  return Number(big);
}

/** Digit value for bases up to 36; 99 for anything that is not a digit or letter. */
function digitValue(c: number): number {
  if (c >= C_0 && c <= C_9) return c - C_0;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x7a) return l - 0x61 + 10;
  return 99;
}

/** `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, written out. */
function isYamlStyleFloat(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === C_PLUS || c === C_MINUS) i++;
  if (i >= n) return false;
  if (s.charCodeAt(i) === C_DOT) {
    i++;
    const start = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return false;
  } else {
    const start = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return false;
    if (i < n && s.charCodeAt(i) === C_DOT) {
      i++;
      while (i < n && isDigit(s.charCodeAt(i))) i++;
    }
  }
  if (i === n) return true;
  c = s.charCodeAt(i);
  if (c !== 0x65 && c !== 0x45) return false;
  i++;
  if (i < n && (s.charCodeAt(i) === C_PLUS || s.charCodeAt(i) === C_MINUS)) i++;
  const expStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  return i > expStart && i === n;
}

/**
 * Go `strconv.ParseFloat` for an input that starts with ".": `.digits[e[+-]digits]`,
 * underscores allowed only between digits. Undefined when Go would fail (incl. overflow).
 */
function goParseDotFloat(s: string): number | undefined {
  let t = s;
  if (s.indexOf('_') >= 0) {
    if (!goUnderscoreOK(s)) return undefined;
    t = s.replace(/_/g, '');
  }
  // t[0] is '.'
  const n = t.length;
  let i = 1;
  while (i < n && isDigit(t.charCodeAt(i))) i++;
  if (i === 1) return undefined;
  if (i < n) {
    const c = t.charCodeAt(i);
    if (c !== 0x65 && c !== 0x45) return undefined;
    i++;
    if (i < n && (t.charCodeAt(i) === C_PLUS || t.charCodeAt(i) === C_MINUS)) i++;
    const expStart = i;
    while (i < n && isDigit(t.charCodeAt(i))) i++;
    if (i === expStart || i !== n) return undefined;
  }
  const f = Number(t);
  return Number.isFinite(f) ? f : undefined;
}

/** Go's rule: an underscore must sit between two digits (or after a base prefix). */
function goUnderscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  const n = s.length;
  if (n >= 1 && (s.charCodeAt(0) === C_PLUS || s.charCodeAt(0) === C_MINUS)) i = 1;
  let hex = false;
  if (n - i >= 2 && s.charCodeAt(i) === C_0) {
    const p = s.charCodeAt(i + 1) | 0x20;
    if (p === 0x62 || p === 0x6f || p === 0x78) {
      i += 2;
      saw = '0';
      hex = p === 0x78;
    }
  }
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    const l = c | 0x20;
    if (isDigit(c) || (hex && l >= 0x61 && l <= 0x66)) {
      saw = '0';
      continue;
    }
    if (c === C_UNDERSCORE) {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/**
 * go-yaml's timestamp test: 4 digits and "-", then one of the Go layouts
 * "2006-1-2T15:4:5.999999999Z07:00", the same with "t", "2006-1-2 15:4:5.999999999",
 * or "2006-1-2", with Go `time.Parse` field rules (1–2 digit month/day/hour/minute/second,
 * ranges checked, day checked against the month).
 */
function isGoYamlTimestamp(s: string): boolean {
  const n = s.length;
  if (n < 5) return false;
  for (let k = 0; k < 4; k++) if (!isDigit(s.charCodeAt(k))) return false;
  if (s.charCodeAt(4) !== C_MINUS) return false;
  const year =
    (s.charCodeAt(0) - C_0) * 1000 +
    (s.charCodeAt(1) - C_0) * 100 +
    (s.charCodeAt(2) - C_0) * 10 +
    (s.charCodeAt(3) - C_0);
  let pos = 5;
  // getnum(value, false): one digit, or two when the second is a digit.
  const getnum = (): number => {
    if (pos >= n || !isDigit(s.charCodeAt(pos))) return -1;
    let v = s.charCodeAt(pos) - C_0;
    pos++;
    if (pos < n && isDigit(s.charCodeAt(pos))) {
      v = v * 10 + (s.charCodeAt(pos) - C_0);
      pos++;
    }
    return v;
  };
  const month = getnum();
  if (month < 1 || month > 12) return false;
  if (pos >= n || s.charCodeAt(pos) !== C_MINUS) return false;
  pos++;
  const day = getnum();
  if (day < 0) return false;
  const dayOk = day >= 1 && day <= daysIn(month, year);
  if (pos === n) return dayOk;
  const sep = s.charCodeAt(pos);
  const zoned = sep === 0x54 /* T */ || sep === 0x74; /* t */
  if (!zoned && sep !== 0x20) return false;
  pos++;
  const hour = getnum();
  if (hour < 0 || hour >= 24) return false;
  if (pos >= n || s.charCodeAt(pos) !== C_COLON) return false;
  pos++;
  const minute = getnum();
  if (minute < 0 || minute >= 60) return false;
  if (pos >= n || s.charCodeAt(pos) !== C_COLON) return false;
  pos++;
  const second = getnum();
  if (second < 0 || second >= 60) return false;
  // Optional fraction: "." or "," followed by at least one digit, any number of digits.
  if (pos + 1 < n) {
    const c = s.charCodeAt(pos);
    if ((c === C_DOT || c === 0x2c) && isDigit(s.charCodeAt(pos + 1))) {
      pos += 2;
      while (pos < n && isDigit(s.charCodeAt(pos))) pos++;
    }
  }
  if (zoned) {
    if (pos < n && s.charCodeAt(pos) === 0x5a /* Z */) {
      pos++;
    } else {
      // ±hh:mm
      if (n - pos < 6) return false;
      const sign = s.charCodeAt(pos);
      if (s.charCodeAt(pos + 3) !== C_COLON) return false;
      const h1 = s.charCodeAt(pos + 1);
      const h2 = s.charCodeAt(pos + 2);
      const m1 = s.charCodeAt(pos + 4);
      const m2 = s.charCodeAt(pos + 5);
      if (!isDigit(h1) || !isDigit(h2) || !isDigit(m1) || !isDigit(m2)) return false;
      const zh = (h1 - C_0) * 10 + (h2 - C_0);
      const zm = (m1 - C_0) * 10 + (m2 - C_0);
      if (zh > 24 || zm > 60) return false;
      if (sign !== C_PLUS && sign !== C_MINUS) return false;
      pos += 6;
    }
  }
  return pos === n && dayOk;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * What a YAML 1.1 parser (PyYAML, docker-compose v1) reads an unquoted scalar as,
 * when that differs from the compose v2 reading in a way that matters for ports:
 * sexagesimal integers (PyYAML: `[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`), which compose v2
 * keeps as strings. `22:22` → 1342, `2122:22` → 127342. Undefined otherwise.
 */
export function yaml11Reading(raw: string): number | undefined {
  const n = raw.length;
  let i = 0;
  let neg = false;
  const c0 = raw.charCodeAt(0);
  if (c0 === C_PLUS || c0 === C_MINUS) {
    neg = c0 === C_MINUS;
    i = 1;
  }
  // First group: [1-9][0-9_]*
  if (i >= n) return undefined;
  const first = raw.charCodeAt(i);
  if (first < 0x31 || first > C_9) return undefined;
  let value = 0;
  for (; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (isDigit(c)) value = value * 10 + (c - C_0);
    else if (c !== C_UNDERSCORE) break;
  }
  // One or more ":[0-5]?[0-9]" groups.
  let groups = 0;
  while (i < n) {
    if (raw.charCodeAt(i) !== C_COLON) return undefined;
    i++;
    if (i >= n || !isDigit(raw.charCodeAt(i))) return undefined;
    let g = raw.charCodeAt(i) - C_0;
    i++;
    if (i < n && isDigit(raw.charCodeAt(i))) {
      if (g > 5) return undefined;
      g = g * 10 + (raw.charCodeAt(i) - C_0);
      i++;
    }
    value = value * 60 + g;
    groups++;
  }
  if (groups === 0) return undefined;
  return neg ? -value : value;
}

// ---------------------------------------------------------------------------
// 4. IP addresses (Go net.ParseIP semantics)
// ---------------------------------------------------------------------------

export interface ParsedIp {
  /** Family as written: 4 for dotted IPv4, 6 for anything with colons (including v4-mapped). */
  family: 4 | 6;
  /** Canonical text: dotted IPv4, or RFC 5952 IPv6 (v4-mapped as `::ffff:a.b.c.d`). */
  canonical: string;
  /** 0.0.0.0, ::, or ::ffff:0.0.0.0 (Go's IP.IsUnspecified treats the last as 0.0.0.0). */
  unspecified: boolean;
  /** 127.0.0.0/8, ::1, or a v4-mapped 127.x address. */
  loopback: boolean;
  /** For `::ffff:a.b.c.d`: the IPv4 address the Engine uses it as (`a.b.c.d`). */
  v4mapped?: string;
}

const ipBytes = new Uint8Array(16);

/**
 * IPv4 fields from s[start, end) into out[off..off+4), like Go's netip:
 * exactly four decimal fields, each 0..255, no leading zeros, no empty field.
 */
function parseV4Fields(s: string, start: number, end: number, out: Uint8Array, off: number): boolean {
  let val = 0;
  let digLen = 0;
  let pos = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      if (digLen === 1 && val === 0) return false; // leading zero
      val = val * 10 + (c - C_0);
      digLen++;
      if (val > 255) return false;
    } else if (c === C_DOT) {
      if (i === start || i === end - 1 || s.charCodeAt(i - 1) === C_DOT) return false;
      if (pos === 3) return false;
      out[off + pos] = val;
      pos++;
      val = 0;
      digLen = 0;
    } else {
      return false;
    }
  }
  if (pos < 3) return false;
  out[off + 3] = val;
  return true;
}

/** IPv6 (optionally with trailing dotted IPv4) into ipBytes, like Go's netip, zones refused. */
function parseV6(s: string): boolean {
  const n = s.length;
  const ip = ipBytes;
  ip.fill(0);
  let p = 0;
  let ellipsis = -1;
  if (n >= 2 && s.charCodeAt(0) === C_COLON && s.charCodeAt(1) === C_COLON) {
    ellipsis = 0;
    p = 2;
    if (p === n) return true;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; p + off < n; off++) {
      const c = s.charCodeAt(p + off);
      let d: number;
      if (isDigit(c)) d = c - C_0;
      else {
        const l = c | 0x20;
        if (l >= 0x61 && l <= 0x66) d = l - 0x61 + 10;
        else break;
      }
      if (off > 3) return false; // more than 4 hex digits
      acc = acc * 16 + d;
    }
    if (off === 0) return false;
    if (p + off < n && s.charCodeAt(p + off) === C_DOT) {
      // Trailing IPv4: only in the last 32 bits, or anywhere after "::".
      if (ellipsis < 0 && i !== 12) return false;
      if (i + 4 > 16) return false;
      if (!parseV4Fields(s, p, n, ip, i)) return false;
      p = n;
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    p += off;
    if (p === n) break;
    if (s.charCodeAt(p) !== C_COLON) return false;
    if (p + 1 === n) return false; // trailing single colon
    p++;
    if (s.charCodeAt(p) === C_COLON) {
      if (ellipsis >= 0) return false; // second "::"
      ellipsis = i;
      p++;
      if (p === n) break;
    }
  }
  if (p !== n) return false;
  if (i < 16) {
    if (ellipsis < 0) return false;
    const shift = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + shift] = ip[j];
    for (let j = ellipsis; j < ellipsis + shift; j++) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return false; // "::" must stand for at least one group
  }
  return true;
}

function formatV4(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

function formatV6(b: Uint8Array): string {
  // Longest run of two or more zero groups (first one on ties) becomes "::".
  let zs = -1;
  let ze = -1;
  for (let g = 0; g < 8; g++) {
    let h = g;
    while (h < 8 && b[2 * h] === 0 && b[2 * h + 1] === 0) h++;
    if (h - g >= 2 && h - g > ze - zs) {
      zs = g;
      ze = h;
    }
    if (h > g) g = h;
  }
  let out = '';
  for (let g = 0; g < 8; g++) {
    if (g === zs) {
      out += '::';
      g = ze - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(':')) out += ':';
    out += ((b[2 * g] << 8) | b[2 * g + 1]).toString(16);
  }
  return out;
}

/**
 * Parse an IP address the way Go's `net.ParseIP` does: dotted IPv4 without leading
 * zeros (`127.0.1` and `01.2.3.4` are refused), IPv6 with optional trailing IPv4,
 * no brackets, no zone (`fe80::1%eth0` is refused). Undefined when not an IP.
 */
export function parseIp(s: string): ParsedIp | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  // Which parser: the first '.' or ':' decides (a '%' anywhere means a zone, or garbage).
  let kind = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === C_DOT || c === C_COLON) {
      if (kind === 0) kind = c;
    } else if (c === 0x25 /* % */) {
      return undefined;
    }
  }
  if (kind === C_DOT) {
    if (!parseV4Fields(s, 0, n, ipBytes, 0)) return undefined;
    const b = ipBytes;
    return {
      family: 4,
      canonical: formatV4(b, 0),
      unspecified: b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0,
      loopback: b[0] === 127,
    };
  }
  if (kind !== C_COLON) return undefined;
  if (!parseV6(s)) return undefined;
  const b = ipBytes;
  let zero10 = true;
  for (let k = 0; k < 10; k++) {
    if (b[k] !== 0) {
      zero10 = false;
      break;
    }
  }
  if (zero10 && b[10] === 0xff && b[11] === 0xff) {
    const v4 = formatV4(b, 12);
    return {
      family: 6,
      canonical: `::ffff:${v4}`,
      unspecified: b[12] === 0 && b[13] === 0 && b[14] === 0 && b[15] === 0,
      loopback: b[12] === 127,
      v4mapped: v4,
    };
  }
  let allZero = zero10 && b[10] === 0 && b[11] === 0 && b[12] === 0 && b[13] === 0 && b[14] === 0;
  const loopback = allZero && b[15] === 1;
  allZero = allZero && b[15] === 0;
  return { family: 6, canonical: formatV6(b), unspecified: allZero, loopback };
}

/**
 * True when s is an IP address that means "all addresses": 0.0.0.0, ::, or
 * ::ffff:0.0.0.0 (in any spelling Go accepts). "" is not an address: it returns
 * false, although a binding with host IP "" also listens on all addresses.
 */
export function isUnspecifiedAddress(s: string): boolean {
  if (s === '0.0.0.0' || s === '::') return true;
  const ip = parseIp(s);
  return ip !== undefined && ip.unspecified;
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
  const count = end - start + 1;
  const base = { hostIp: ip, containerPort: start, protocol: proto };
  if (hostPort === '') return { ok: true, bindings: [{ ...base, hostPort: '', count }] };
  // Host range with one container port: one binding; the Engine picks one port of the range.
  if (count === 1 && hStart !== hEnd) return { ok: true, bindings: [{ ...base, hostPort: `${hStart}-${hEnd}`, hostPorts: { start: hStart, end: hEnd }, count }] };
  const run: RawBinding = { ...base, hostPort: count === 1 ? String(hStart) : `${hStart}-${hEnd}`, hostPorts: { start: hStart, end: hEnd }, count };
  if (hStart !== 0) return { ok: true, bindings: [run] };
  // Host port 0 is engine-chosen; a run that starts at 0 goes on from host port 1.
  const zero: RawBinding = { ...base, hostPort: '0', count: 1 };
  return { ok: true, bindings: count === 1 ? [zero] : [zero, runSlice(run, 1, count - 1)] };
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

// ---------------------------------------------------------------------------
// 7. De-duplication key (compose-go override/uncity.go portIndexer)
// ---------------------------------------------------------------------------

export type PortItemForKey =
  | { kind: 'int'; value: number }
  | { kind: 'str'; value: string }
  | {
      kind: 'map';
      host_ip?: string;
      published?: string | number;
      /** The YAML value of `published` was an int (Go int), not a float. */
      publishedIsInt: boolean;
      target: number | string;
      protocol?: string;
    }
  | { kind: 'other' };

/**
 * The key compose-go uses to collapse duplicate `ports` entries (last one wins, at the
 * first one's position). Reproduces its quirks:
 * - int item → decimal; string item → the raw string; floats, booleans, null → "";
 * - mapping → Go `fmt.Sprintf("%s:%s:%d/%s", host_ip, published, target, protocol)` on
 *   untyped values: missing host_ip → "0.0.0.0" (so "8080:80" and "0.0.0.0:8080:80" match),
 *   missing protocol → "tcp", missing published → `%!s(<nil>)`, int published →
 *   `%!s(int=8080)`, float published → `%!s(float64=8080)`, string target → `%!d(string=80)`.
 */
export function portItemDedupeKey(item: PortItemForKey): string {
  switch (item.kind) {
    case 'int':
      return String(item.value);
    case 'str':
      return item.value;
    case 'other':
      return '';
    case 'map': {
      const host = item.host_ip === undefined ? '0.0.0.0' : item.host_ip;
      const pub = item.published;
      let published: string;
      if (pub === undefined) published = '%!s(<nil>)';
      else if (typeof pub === 'string') published = pub;
      else if (item.publishedIsInt && Number.isInteger(pub)) published = `%!s(int=${pub})`;
      else published = `%!s(float64=${goFormatFloat(pub)})`;
      const t = item.target;
      let target: string;
      if (typeof t === 'string') target = `%!d(string=${t})`;
      else if (Number.isInteger(t)) target = String(t);
      else target = `%!d(float64=${goFormatFloat(t)})`;
      const protocol = item.protocol === undefined ? 'tcp' : item.protocol;
      return `${host}:${published}:${target}/${protocol}`;
    }
  }
}

/** Go's %v for a float64 (%g, shortest digits): exponent form when exp < -4 or exp >= 6. */
function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const e = f.toExponential(); // shortest round-trip digits, e.g. "8.08e+3"
  const ePos = e.indexOf('e');
  const exp = Number(e.slice(ePos + 1));
  if (exp < -4 || exp >= 6) {
    const mant = e.slice(0, ePos);
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mant}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(f);
}
