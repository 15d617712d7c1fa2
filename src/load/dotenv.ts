/**
 * `.env` / `--env-file` parsing with the semantics of compose-go v2's `dotenv` package, which is
 * what Docker Compose uses to build its interpolation environment.
 *
 * - Blank lines and lines starting with `#` (after leading whitespace) are skipped.
 * - An optional `export` followed by whitespace before the key is ignored.
 * - `KEY=VALUE` and the YAML-like `KEY: VALUE`. Keys may hold letters, digits (any script),
 *   `_`, `.`, `-`, `[` and `]`; whitespace around the key is dropped; an inner space is an error.
 * - A line holding only `KEY` takes the value of `KEY` from the lookup, when it has one.
 * - Unquoted values: leading blanks dropped, cut at the first ` #`, trailing whitespace trimmed,
 *   then interpolated.
 * - `'single'` values are literal (only `\'` is unescaped), `"double"` values may span lines,
 *   understand `\a \b \f \n \r \t \v \\ \" \$` and `\0ooo` (octal), and are interpolated.
 * - Interpolation resolves a name from the lookup first, then from the entries defined earlier in
 *   the same file.
 *
 * Unlike compose, which stops at the first error, an invalid statement is reported with its
 * 1-based line number and parsing resumes on the next line.
 */

import * as fs from 'fs';
import * as path from 'path';

import { MAX_NESTING, type Lookup, requiredMessage, substituteTemplate } from './interpolate';

export interface DotEnvResult {
  vars: Map<string, string>;
  /** The line that gave each variable its value (the last one, when a key repeats). */
  lines: Map<string, number>;
  errors: Array<{ line: number; message: string }>;
}

export interface EnvFilesResult {
  vars: Map<string, string>;
  /** Where each variable got its value: the absolute path of its file and the line. */
  origins: Map<string, { file: string; line: number }>;
  errors: Array<{ file: string; line: number; message: string }>;
}

const QUOTE_DOUBLE = 34;
const QUOTE_SINGLE = 39;
const BACKSLASH = 92;
const HASH = 35;
const NEWLINE = 10;

/** Go's `unicode.IsSpace`. */
function isUnicodeSpace(c: number): boolean {
  if (c <= 0xff) return (c >= 9 && c <= 13) || c === 32 || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Whitespace that is not a line break, as the dotenv parser defines it. */
function isBlank(c: number): boolean {
  return c === 9 || c === 11 || c === 12 || c === 13 || c === 32 || c === 0x85 || c === 0xa0;
}

/** `\s` of Go regular expressions (ASCII): what may follow `export`. */
function isRegexSpace(c: number): boolean {
  return c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
}

// The Unicode classes are built on first use: each costs a millisecond to create, and most
// files are ASCII.
let letterOrNumber: RegExp | undefined;
let printable: RegExp | undefined;

function isKeyChar(cp: number): boolean {
  if (cp < 128) {
    return (
      (cp >= 48 && cp <= 57) ||
      (cp >= 65 && cp <= 90) ||
      (cp >= 97 && cp <= 122) ||
      cp === 95 || // _
      cp === 46 || // .
      cp === 45 || // -
      cp === 91 || // [
      cp === 93 // ]
    );
  }
  return (letterOrNumber ??= /^[\p{L}\p{N}]$/u).test(String.fromCodePoint(cp));
}

function trimRightSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isUnicodeSpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** A string quoted the way Go's `%q` prints it (compose's error texts use it). */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    switch (cp) {
      case 7: out += '\\a'; break;
      case 8: out += '\\b'; break;
      case 9: out += '\\t'; break;
      case 10: out += '\\n'; break;
      case 11: out += '\\v'; break;
      case 12: out += '\\f'; break;
      case 13: out += '\\r'; break;
      case 34: out += '\\"'; break;
      case 92: out += '\\\\'; break;
      default:
        if (cp === 32 || (cp > 32 && cp < 127)) out += ch;
        else if (cp < 32 || cp === 127) out += '\\x' + cp.toString(16).padStart(2, '0');
        else if ((printable ??= /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u).test(ch)) out += ch;
        else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
        else out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out + '"';
}

/**
 * Expands the escape sequences of a double-quoted value. `\$` becomes `$$` so that the
 * interpolation step that follows yields a literal `$`. Other backslashes stay as written.
 */
function expandEscapes(str: string): string {
  let i = str.indexOf('\\');
  if (i === -1) return str;
  let out = '';
  let last = 0;
  while (i !== -1) {
    let rep: string | undefined;
    let len = 2;
    switch (str[i + 1]) {
      case 'a': rep = '\x07'; break;
      case 'b': rep = '\b'; break;
      case 'c': rep = '\\c'; break; // matched but not an escape: kept as is
      case 'f': rep = '\f'; break;
      case 'n': rep = '\n'; break;
      case 'r': rep = '\r'; break;
      case 't': rep = '\t'; break;
      case 'v': rep = '\v'; break;
      case '$': rep = '$$'; break;
      case '"': rep = '"'; break;
      case '\\': rep = '\\'; break;
      case '0': {
        let j = i + 2;
        while (j < i + 5 && j < str.length && str.charCodeAt(j) >= 48 && str.charCodeAt(j) <= 57) j++;
        const digits = str.slice(i + 2, j);
        len = j - i;
        // `\0ooo` is octal ooo (at most 255). Anything else loses its `0`, as in compose.
        const code = /^[0-7]{3}$/.test(digits) ? parseInt(digits, 8) : 256;
        rep = code <= 255 ? String.fromCharCode(code) : '\\' + digits;
        break;
      }
      default:
        break;
    }
    if (rep === undefined) {
      i = str.indexOf('\\', i + 1);
      continue;
    }
    out += str.slice(last, i) + rep;
    last = i + len;
    i = str.indexOf('\\', last);
  }
  return out + str.slice(last);
}

/**
 * Parses the text of one env file. `lookup` is consulted first for every interpolated name and
 * for bare `KEY` lines; entries defined earlier in the same text come second.
 */
export function parseDotEnv(text: string, lookup: Lookup): DotEnvResult {
  const vars = new Map<string, string>();
  const lines = new Map<string, number>();
  const errors: Array<{ line: number; message: string }> = [];
  const define = (key: string, value: string, line: number) => {
    vars.set(key, value);
    lines.set(key, line);
  };

  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = s.length;

  // 1-based line number of a position; positions asked for only grow.
  let lineNo = 1;
  let countedTo = 0;
  const lineAt = (pos: number): number => {
    let nl = s.indexOf('\n', countedTo);
    while (nl !== -1 && nl < pos) {
      lineNo++;
      nl = s.indexOf('\n', nl + 1);
    }
    countedTo = pos;
    return lineNo;
  };

  const mapping: Lookup = (name) => {
    const v = lookup(name);
    return v !== undefined ? v : vars.get(name);
  };

  const expand = (value: string, line: number): string | undefined => {
    const r = substituteTemplate(value, mapping);
    const f = r.failure;
    if (f === undefined) return r.value;
    errors.push({
      line,
      message:
        f.kind === 'invalid'
          ? `Invalid template: ${goQuote(f.template)}`
          : f.kind === 'too-deep'
            ? `interpolation nested more than ${MAX_NESTING} defaults deep; portlint does not follow it`
            : requiredMessage(f.variable, f.reason),
    });
    return undefined;
  };

  /** Position just past the line break that ends the line holding `from`, or the end. */
  const nextLine = (from: number): number => {
    const nl = s.indexOf('\n', from);
    return nl === -1 ? n : nl + 1;
  };

  let pos = 0;
  for (;;) {
    // Start of the next statement: skip whitespace and comment lines.
    while (pos < n) {
      const c = s.charCodeAt(pos);
      if (isUnicodeSpace(c)) pos++;
      else if (c === HASH) {
        const nl = s.indexOf('\n', pos);
        pos = nl === -1 ? n : nl;
      } else break;
    }
    if (pos >= n) break;
    const line = lineAt(pos);

    let k = pos;
    if (s.startsWith('export', pos) && pos + 6 < n && isRegexSpace(s.charCodeAt(pos + 6))) {
      k = pos + 6;
      while (k < n && isBlank(s.charCodeAt(k))) k++;
    }
    const keyStart = k;

    // The key runs to `=`, `:` or a line break (a bare key); blanks inside are skipped here.
    let term = -1;
    let bad = -1;
    while (k < n) {
      const cp = s.codePointAt(k) as number;
      if (cp === 61 || cp === 58 || cp === NEWLINE) {
        term = k;
        break;
      }
      if (isBlank(cp)) {
        k++;
      } else if (isKeyChar(cp)) {
        k += cp > 0xffff ? 2 : 1;
      } else {
        bad = cp;
        break;
      }
    }
    if (bad !== -1) {
      const nl = s.indexOf('\n', keyStart);
      const rest = s.slice(keyStart, nl === -1 ? n : nl);
      errors.push({
        line,
        message: `unexpected character ${goQuote(String.fromCodePoint(bad))} in variable name ${goQuote(rest)}`,
      });
      pos = nl === -1 ? n : nl + 1;
      continue;
    }

    const bare = term === -1 || s.charCodeAt(term) === NEWLINE;
    const key = trimRightSpace(s.slice(keyStart, term === -1 ? n : term));
    if (key.includes(' ')) {
      errors.push({ line, message: 'key cannot contain a space' });
      pos = term === -1 ? n : nextLine(term);
      continue;
    }

    if (bare) {
      const v = lookup(key);
      if (v !== undefined) define(key, v, line);
      pos = term === -1 ? n : term + 1;
      continue;
    }

    let vp = term + 1;
    while (vp < n && isBlank(s.charCodeAt(vp))) vp++;
    const quote = vp < n ? s.charCodeAt(vp) : -1;

    if (quote === QUOTE_DOUBLE || quote === QUOTE_SINGLE) {
      // Find the closing quote. A backslash before the quote character drops out; any other
      // backslash pair is kept for the escape step.
      let raw = '';
      let run = vp + 1;
      let close = -1;
      for (let i = vp + 1; i < n; i++) {
        const ch = s.charCodeAt(i);
        if (ch === BACKSLASH) {
          if (i + 1 >= n) break;
          if (s.charCodeAt(i + 1) === quote) {
            raw += s.slice(run, i);
            run = i + 1;
          }
          i++;
          continue;
        }
        if (ch === quote) {
          raw += s.slice(run, i);
          close = i;
          break;
        }
      }
      if (close === -1) {
        const nl = s.indexOf('\n', vp);
        errors.push({ line, message: `unterminated quoted value ${s.slice(vp, nl === -1 ? n : nl)}` });
        pos = nl === -1 ? n : nl + 1;
        continue;
      }
      pos = close + 1;
      if (quote === QUOTE_DOUBLE) {
        const v = expand(expandEscapes(raw), line);
        if (v !== undefined) define(key, v, line);
      } else {
        define(key, raw, line);
      }
      continue;
    }

    // Unquoted: the rest of the line, up to an inline comment.
    const nl = s.indexOf('\n', vp);
    const lineEnd = nl === -1 ? n : nl;
    let raw = s.slice(vp, lineEnd);
    const comment = raw.indexOf(' #');
    if (comment !== -1) raw = raw.slice(0, comment);
    raw = trimRightSpace(raw);
    pos = nl === -1 ? n : nl + 1;
    const v = expand(raw, line);
    if (v !== undefined) define(key, v, line);
  }

  return { vars, lines, errors };
}

/**
 * Reads env files in order; a later file overrides an earlier one. Names in a file are resolved
 * against `lookup`, then the files read before it, then the file's own earlier entries.
 * Problems are collected, not thrown: a missing file gives `couldn't find env file: <path>`.
 */
export function readEnvFiles(paths: string[], lookup: Lookup): EnvFilesResult {
  const vars = new Map<string, string>();
  const origins = new Map<string, { file: string; line: number }>();
  const errors: Array<{ file: string; line: number; message: string }> = [];
  const fileLookup: Lookup = (name) => {
    const v = lookup(name);
    return v !== undefined ? v : vars.get(name);
  };

  for (const file of paths) {
    const abs = path.resolve(file);
    let text: string;
    try {
      if (fs.statSync(abs).isDirectory()) {
        errors.push({ file, line: 0, message: `${abs} is a directory` });
        continue;
      }
      text = fs.readFileSync(abs, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const message =
        code === 'ENOENT' || code === 'ENOTDIR' ? `couldn't find env file: ${abs}` : (e as Error).message;
      errors.push({ file, line: 0, message });
      continue;
    }
    const r = parseDotEnv(text, fileLookup);
    for (const e of r.errors) errors.push({ file, line: e.line, message: e.message });
    for (const [k, v] of r.vars) {
      vars.set(k, v);
      origins.set(k, { file: abs, line: r.lines.get(k)! });
    }
  }

  return { vars, origins, errors };
}
