/**
 * How Compose types an unquoted `ports` scalar: go-yaml v4 plain scalar typing (as
 * compose v2 reads it), and the YAML 1.1 reading (docker-compose v1) where it differs.
 * Also owns the character helpers the other port modules share (`isDigit` and the
 * character codes).
 *
 * Everything here is pure and allocation-light: it runs once per port entry on the
 * linter's hot path. No regular expressions are used per character.
 *
 * Reference: docs of the project, "port semantics" §1 (grammar).
 */

export type PlainScalarType = 'null' | 'bool' | 'int' | 'float' | 'timestamp' | 'str';

export interface PlainScalar {
  type: PlainScalarType;
  /** null, a boolean, a number (int or float, incl. NaN/±Infinity), or the raw text (str, timestamp). */
  value: string | number | boolean | null;
}

// ---------------------------------------------------------------------------
// Character helpers
// ---------------------------------------------------------------------------

export const C_0 = 48;
const C_9 = 57;
export const C_PLUS = 43;
export const C_MINUS = 45;
export const C_DOT = 46;
export const C_COLON = 58;
const C_UNDERSCORE = 95;

export function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
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
