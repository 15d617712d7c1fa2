/**
 * IP addresses as Docker reads them: Go `net.ParseIP` semantics (no leading zeros, no
 * brackets, no zones), canonical text, and which addresses mean "all addresses".
 *
 * Pure and allocation-light: it runs once per port entry on the linter's hot path.
 * No regular expressions are used per character.
 */

import { C_0, C_COLON, C_DOT, isDigit } from './yaml-scalar';

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
