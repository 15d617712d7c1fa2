/**
 * The edits autofix makes to port items, computed from the item as written (its raw text and
 * offsets), never by re-serialising YAML: only the changed scalar differs, and everything else
 * in the file (comments, quoting, indentation, line endings) stays as it was.
 *
 * Inserted line breaks are written as "\n"; the fixer turns them into the file's line ending.
 */
import { resolvePlainScalar, yaml11Reading } from '../model/yaml-scalar';
import type { PortItem, Project } from '../model/types';
import type { FindingFix, TextEdit } from './edits';

export const LOOPBACK = '127.0.0.1';

export type Quote = '"' | "'";

/** Quoted short-syntax items per file, by quote character: one pass over every project. */
function quoteCounts(projects: readonly Project[]): Map<string, { single: number; double: number; seen: Set<number> }> {
  const counts = new Map<string, { single: number; double: number; seen: Set<number> }>();
  const count = (item: PortItem) => {
    if (item.syntax !== 'short' || item.scalarStyle !== 'quoted') return;
    let c = counts.get(item.loc.file);
    if (!c) counts.set(item.loc.file, (c = { single: 0, double: 0, seen: new Set() }));
    if (c.seen.has(item.loc.offset)) return;
    c.seen.add(item.loc.offset);
    if (item.raw.startsWith("'")) c.single++;
    else if (item.raw.startsWith('"')) c.double++;
  };
  for (const project of projects) {
    for (const service of project.services) {
      for (const item of service.ports) count(item);
      for (const group of service.portsByFile) for (const item of group.items) count(item);
    }
  }
  return counts;
}

/**
 * The quote character a file already uses for quoted port items (single quotes only when they
 * are the majority), so a scalar that must become a string matches its neighbours; for any file
 * of one rule run, the files counted once, on first use.
 */
export function quoteChooser(projects: readonly Project[]): (file: string) => Quote {
  let counts: ReturnType<typeof quoteCounts> | undefined;
  return (file) => {
    counts ??= quoteCounts(projects);
    const c = counts.get(file);
    return c && c.single > c.double ? "'" : '"';
  };
}

/** One colon-separated part of a short-syntax entry, with its offsets in the entry's content. */
interface Part {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits a short-syntax entry on the colons that separate host IP, host port and container
 * port: colons inside `${...}` (defaults such as `${PORT:-8080}`) and inside `[...]` (IPv6) do
 * not count, and `$$` is a literal dollar.
 */
export function splitShortSpec(content: string): Part[] {
  const parts: Part[] = [];
  let start = 0;
  let braces = 0;
  let brackets = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (c === '$') {
      if (content[i + 1] === '$') i++;
      else if (content[i + 1] === '{') {
        braces++;
        i++;
      }
    } else if (c === '}' && braces > 0) braces--;
    else if (c === '[' && braces === 0) brackets++;
    else if (c === ']' && braces === 0 && brackets > 0) brackets--;
    else if (c === ':' && braces === 0 && brackets === 0) {
      parts.push({ text: content.slice(start, i), start, end: i });
      start = i + 1;
    }
  }
  parts.push({ text: content.slice(start), start, end: content.length });
  return parts;
}

/** Names of the variables referenced in a piece of compose text (`$NAME`, `${NAME...}`). */
export function variableNames(text: string): string[] {
  const names: string[] = [];
  const re = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[1] ?? m[2];
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

const hasVariable = (text: string) => variableNames(text).length > 0;
const refs = (names: string[]) => (names.length ? names.map((n) => `\${${n}}`).join(', ') : 'a variable');

/** The entry's content (inside the quotes for a quoted scalar) and where it starts in the file. */
function shortContent(item: PortItem): { content: string; offset: number } | { reason: string } {
  const raw = item.raw;
  if (item.scalarStyle === 'plain') return { content: raw, offset: item.loc.offset };
  if (item.scalarStyle === 'block') return { reason: 'the entry is a block scalar; write it as "127.0.0.1:…" by hand' };
  const q = raw[0];
  if ((q !== '"' && q !== "'") || raw[raw.length - 1] !== q || raw.length < 2) return { reason: 'the entry is written in a way portlint does not rewrite' };
  const content = raw.slice(1, -1);
  if (q === '"' && content.includes('\\')) return { reason: 'the entry uses escape sequences; add the address by hand' };
  if (/[\r\n]/.test(content)) return { reason: 'the entry spans several lines; add the address by hand' };
  return { content, offset: item.loc.offset + 1 };
}

/**
 * Binds an item that names no host IP to 127.0.0.1:
 *   "8080:80" → "127.0.0.1:8080:80", "9000" → "127.0.0.1::9000", ":8080:80" and "[]:8080:80" →
 *   "127.0.0.1:8080:80", plain 8080:80 → 127.0.0.1:8080:80, plain int 80 → "127.0.0.1::80";
 *   long syntax gets `host_ip: 127.0.0.1` (a new line with the mapping's indentation in a block
 *   mapping, a new key in a flow mapping, or the value of an empty host_ip).
 * Not when the host part comes from a variable: the value may carry an address of its own.
 */
export function bindToLoopbackFix(item: PortItem, quote: Quote): FindingFix | undefined {
  if (!item.loc.file) return undefined;
  return item.syntax === 'long' ? longBind(item) : shortBind(item, quote);
}

function shortBind(item: PortItem, quote: Quote): FindingFix {
  const file = item.loc.file;
  if (item.scalarStyle === 'plain' && item.plainType === 'int') {
    return { file, edits: [{ offset: item.loc.offset, endOffset: item.loc.endOffset, text: `${quote}${LOOPBACK}::${item.spec}${quote}` }] };
  }
  const c = shortContent(item);
  if ('reason' in c) return c;
  const parts = splitShortSpec(c.content);
  const specParts = splitShortSpec(item.spec);
  const hostParts = parts.slice(0, -1);
  const hostVars = variableNames(hostParts.map((p) => p.text).join(':'));
  if (hostVars.length) return { reason: hostVariableReason(parts, specParts, hostVars) };
  if (parts.length !== specParts.length) {
    // A variable expands to more parts than it seems ("${PORTS}" = "8080:80", "${X-:2283:2283}").
    const names = variableNames(c.content);
    const v = soleVariable(parts[0]);
    const example = v && parts.length === 1 ? `, e.g. ${v}=${LOOPBACK}:${item.spec.replace(/^:/, '').replace(/^\[\]:/, '')} in .env` : '';
    return { reason: `the host part comes from ${refs(names)}; put ${LOOPBACK} in ${names.length > 1 ? 'their values' : 'its value'}${example}` };
  }
  if (item.hostFromVariable) return { reason: hostVariableReason(parts, specParts, variableNames(c.content)) };
  let edit: TextEdit;
  if (parts.length === 1) edit = { offset: c.offset, endOffset: c.offset, text: `${LOOPBACK}::` };
  else if (parts.length === 2) edit = { offset: c.offset, endOffset: c.offset, text: `${LOOPBACK}:` };
  else if (parts.length === 3 && (parts[0].text === '' || parts[0].text === '[]')) {
    edit = { offset: c.offset + parts[0].start, endOffset: c.offset + parts[0].end, text: LOOPBACK };
  } else {
    return { reason: 'the entry is written in a way portlint does not rewrite' };
  }
  if (item.scalarStyle === 'plain') {
    // The new plain scalar must still be a string to go-yaml (it is: it contains dots).
    const after = edit.text + c.content.slice(edit.endOffset - c.offset);
    const fresh = c.content.slice(0, edit.offset - c.offset) + after;
    if (resolvePlainScalar(fresh).type !== 'str') {
      return { file, edits: [{ offset: item.loc.offset, endOffset: item.loc.endOffset, text: `${quote}${fresh}${quote}` }] };
    }
  }
  return { file, edits: [edit] };
}

/** The variable a part consists of, alone (`$NAME`, `${NAME}`, `${NAME:-default}`), or undefined. */
function soleVariable(p: Part | undefined): string | undefined {
  const m = p && /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+][^${}]*)?\})$/.exec(p.text);
  return m ? (m[1] ?? m[2]) : undefined;
}

function hostVariableReason(parts: Part[], specParts: Part[], names: string[]): string {
  const container = parts[parts.length - 1]?.text ?? '';
  const v = soleVariable(parts[0]);
  if (v && variableNames(container).includes(v)) {
    return `the host part comes from \${${v}}, which the container port uses too; put ${LOOPBACK}: in front of the entry by hand`;
  }
  if (v && parts.length === 2 && specParts.length === 2) {
    // An unset variable's example port is the container's, the default syntax/unresolved-variable suggests.
    const port = specParts[0].text || specParts[1].text.replace(/\/.*$/, '');
    return `the host part comes from \${${v}}; put the address in its value, e.g. ${v}=${LOOPBACK}:${port} in .env`;
  }
  if (v && parts.length === 3) {
    return `the host IP comes from \${${v}}; set ${v}=${LOOPBACK} in .env, or give it a default: \${${v}:-${LOOPBACK}}`;
  }
  const they = names.length > 1 ? 'their values' : 'its value';
  return `the host part comes from ${refs(names)}; put ${LOOPBACK} in ${they} where ${names.length > 1 ? 'they are' : 'it is'} set`;
}

function longBind(item: PortItem): FindingFix {
  const file = item.loc.file;
  const raw = item.raw;
  const rel = (offset: number) => offset - item.loc.offset;
  if (item.hostIpLoc) {
    const h = item.hostIpLoc;
    const written = raw.slice(rel(h.offset), rel(h.endOffset));
    if (hasVariable(written)) {
      const names = variableNames(written);
      return { reason: `host_ip comes from ${refs(names)}; set ${names[0]}=${LOOPBACK} where it is set, or give it a default: \${${names[0]}:-${LOOPBACK}}` };
    }
    if (h.offset === h.endOffset) {
      // `host_ip:` with no value: the value goes after the colon.
      const colon = raw.indexOf(':', rel(h.offset));
      if (colon < 0) return { reason: 'host_ip is written in a way portlint does not rewrite' };
      const at = item.loc.offset + colon + 1;
      return { file, edits: [{ offset: at, endOffset: at, text: ` ${LOOPBACK}` }] };
    }
    const q = written[0];
    const text = (q === '"' || q === "'") && written.endsWith(q) && written.length >= 2 ? `${q}${LOOPBACK}${q}` : LOOPBACK;
    return { file, edits: [{ offset: h.offset, endOffset: h.endOffset, text }] };
  }
  if (raw.startsWith('{')) {
    const close = raw.lastIndexOf('}');
    const body = raw.slice(1, close);
    if (close > 0 && !/[\r\n#]/.test(raw)) {
      // One line, no comment: the new key goes last, `{ target: 80, host_ip: 127.0.0.1 }`.
      const trimmed = body.replace(/\s+$/, '');
      const at = item.loc.offset + 1 + trimmed.length;
      const text = trimmed.endsWith(',') ? ` host_ip: ${LOOPBACK},` : trimmed.trim() === '' ? `host_ip: ${LOOPBACK}` : `, host_ip: ${LOOPBACK}`;
      return { file, edits: [{ offset: at, endOffset: at, text }] };
    }
    // Several lines or comments: the new key goes first, before anything a comment could swallow.
    const at = item.loc.offset + 1 + /^\s*/.exec(body)![0].length;
    return { file, edits: [{ offset: at, endOffset: at, text: `host_ip: ${LOOPBACK}, ` }] };
  }
  // A block mapping: a new line after its last line (after any trailing comment), indented like its keys.
  const indent = ' '.repeat(Math.max(0, item.loc.column - 1));
  return { file, edits: [{ offset: item.loc.endOffset, endOffset: item.loc.endOffset, text: `\n${indent}host_ip: ${LOOPBACK}` }] };
}

/**
 * Quotes an unquoted port that YAML parsers read differently, keeping what Compose v2 publishes
 * now: base-60 look-alikes keep their text (`22:22` → `"22:22"`, the string Compose reads), and
 * integers become the number Compose reads (`0120` → `"80"`, its octal value).
 */
export function quoteNumberFix(item: PortItem, quote: Quote): FindingFix | undefined {
  if (!item.loc.file || item.syntax !== 'short' || item.scalarStyle !== 'plain') return undefined;
  const text = item.plainType === 'int' ? item.spec : item.raw;
  return { file: item.loc.file, edits: [{ offset: item.loc.offset, endOffset: item.loc.endOffset, text: `${quote}${text}${quote}` }] };
}

/**
 * Rewrites a short-syntax entry written without variables to `spec` (the same bindings, spelt
 * as every release reads them), keeping its quotes. A plain scalar is quoted when the new text
 * would not stay a plain string to every reader (`[::1]:…` would open a flow list).
 */
export function respellShortFix(item: PortItem, spec: string, quote: Quote): FindingFix | undefined {
  if (!item.loc.file || item.syntax !== 'short') return undefined;
  if (item.variables.length) return { reason: `the entry comes from ${refs(item.variables)}; make it ${JSON.stringify(spec)} where that is set` };
  const c = shortContent(item);
  if ('reason' in c || c.content !== item.spec) return { reason: `write ${JSON.stringify(spec)} by hand` };
  const plainSafe = !/[[\]{},#]/.test(spec) && resolvePlainScalar(spec).type === 'str' && yaml11Reading(spec) === undefined;
  if (item.scalarStyle === 'plain' && !plainSafe) {
    return { file: item.loc.file, edits: [{ offset: item.loc.offset, endOffset: item.loc.endOffset, text: `${quote}${spec}${quote}` }] };
  }
  return { file: item.loc.file, edits: [{ offset: c.offset, endOffset: c.offset + c.content.length, text: spec }] };
}
