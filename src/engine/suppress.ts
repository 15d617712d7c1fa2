/**
 * Suppression comments in compose files, applied after the rules ran:
 *
 *   - "8080:80"  # portlint-disable-line exposure/unbound-publish -- public on purpose
 *   # portlint-disable-next-line exposure/unbound-publish, range/ephemeral -- reason
 *   # portlint-disable range/privileged-host-port        (the whole file; all rules when none is named)
 *
 * A directive applies to findings located on one line of its file (the comment's own line,
 * or the next line that holds something other than a comment), or to the whole file.
 * Comments are found by scanning the text the loader already read: a `#` at the start of a
 * line or after whitespace, outside quoted scalars and block scalars.
 */
import type { SourceLocation } from '../model/types';
import { compareFindings, type Finding } from './run';

export type DirectiveKind = 'disable' | 'disable-line' | 'disable-next-line';

export interface DirectiveRule {
  id: string;
  loc: SourceLocation;
}

export interface Directive {
  kind: DirectiveKind;
  file: string;
  /** The whole comment, `#` included. */
  loc: SourceLocation;
  /** The line the directive applies to; undefined for a whole-file `portlint-disable`. */
  target?: number;
  /** Named rules; empty means every rule. */
  rules: DirectiveRule[];
  reason?: string;
}

const MARKER = 'portlint-disable';
const DIRECTIVE = /^portlint-(disable-next-line|disable-line|disable)(?=\s|$)/;

/** Offsets at which each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

interface Comment {
  line: number; // 1-based
  column: number; // 1-based column of '#'
  offset: number;
  text: string; // after '#'
  /** True when nothing but whitespace precedes it on its line. */
  alone: boolean;
}

/**
 * Comments of a YAML text, with a cheap scanner: quoted scalars (also across lines) and
 * block scalars (`|`, `>`) are skipped, a `#` must start the line or follow whitespace.
 */
export function scanComments(text: string): { comments: Comment[]; contentLines: Set<number> } {
  const comments: Comment[] = [];
  const contentLines = new Set<number>();
  const starts = lineStarts(text);
  let quote: '"' | "'" | undefined;
  let blockIndent: number | undefined; // inside a block scalar whose parent line has this indent
  for (let n = 0; n < starts.length; n++) {
    let line = text.slice(starts[n], n + 1 < starts.length ? starts[n + 1] - 1 : text.length);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (blockIndent !== undefined) {
      if (indent === line.length || indent > blockIndent) {
        if (indent < line.length) contentLines.add(n + 1);
        continue;
      }
      blockIndent = undefined;
    }
    let commentAt = -1;
    let lastSignificant = ''; // last non-blank character outside quotes and comments
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quote === '"') {
        if (ch === '\\') i++;
        else if (ch === '"') quote = undefined;
        continue;
      }
      if (quote === "'") {
        if (ch === "'" && line[i + 1] === "'") i++;
        else if (ch === "'") quote = undefined;
        continue;
      }
      const prev = i === 0 ? ' ' : line[i - 1];
      if (ch === '#' && (prev === ' ' || prev === '\t' || i === 0)) {
        commentAt = i;
        break;
      }
      if ((ch === '"' || ch === "'") && (lastSignificant === '' || /[:\-[{,?]/.test(lastSignificant)) && /[\s[{,]/.test(prev)) {
        quote = ch;
        continue;
      }
      if (ch !== ' ' && ch !== '\t') lastSignificant = ch;
    }
    const content = (commentAt >= 0 ? line.slice(0, commentAt) : line).trimEnd();
    if (content.trim() || quote) contentLines.add(n + 1);
    if (commentAt >= 0) {
      comments.push({ line: n + 1, column: commentAt + 1, offset: starts[n] + commentAt, text: line.slice(commentAt + 1), alone: content.trim() === '' });
    }
    if (!quote && /(?:^|[\s:\-?])[|>][0-9+-]*$/.test(content)) blockIndent = indent;
  }
  return { comments, contentLines };
}

/** The suppression directives of one file. */
export function parseDirectives(file: string, text: string): Directive[] {
  if (!text.includes(MARKER)) return [];
  const { comments, contentLines } = scanComments(text);
  const lastLine = lineStarts(text).length;
  const out: Directive[] = [];
  for (const c of comments) {
    const body = c.text.replace(/^\s+/, '');
    const m = DIRECTIVE.exec(body);
    if (!m) continue;
    const kind = m[1] as DirectiveKind;
    const bodyOffset = c.offset + 1 + (c.text.length - body.length);
    let rest = body.slice(m[0].length);
    let reason: string | undefined;
    const dash = /(?:^|\s)--(?:\s|$)/.exec(rest);
    if (dash) {
      reason = rest.slice(dash.index + dash[0].length).trim() || undefined;
      rest = rest.slice(0, dash.index);
    }
    const rules: DirectiveRule[] = [];
    const idPattern = /[^\s,]+/g;
    for (let r = idPattern.exec(rest); r; r = idPattern.exec(rest)) {
      const start = bodyOffset + m[0].length + r.index;
      rules.push({ id: r[0], loc: span(file, c.line, start - (c.offset - (c.column - 1)) + 1, start, r[0].length) });
    }
    let target: number | undefined;
    if (kind === 'disable-line') target = c.line;
    else if (kind === 'disable-next-line') {
      target = c.line + 1;
      while (target <= lastLine && !contentLines.has(target)) target++;
    }
    const commentLength = c.text.replace(/\s+$/, '').length + 1;
    out.push({ kind, file, loc: span(file, c.line, c.column, c.offset, commentLength), target, rules, reason });
  }
  return out;
}

function span(file: string, line: number, column: number, offset: number, length: number): SourceLocation {
  return { file, line, column, endLine: line, endColumn: column + length, offset, endOffset: offset + length };
}

export interface SuppressOptions {
  /** Rule ids of the catalogue. */
  knownRules: ReadonlySet<string>;
  /** Rules that ran; a directive naming a rule that is off is not reported as unused. */
  enabledRules?: ReadonlySet<string>;
  /** Report directives (or named rules) that suppressed nothing. */
  reportUnused: boolean;
  /** The project a file belongs to, for the findings this pass reports. */
  projectOf: (file: string) => string;
  /**
   * Port entries that span several lines (long syntax), by file: a next-line or line directive
   * on an entry's first line covers the whole entry (a finding on its host_ip line too).
   */
  entries?: ReadonlyMap<string, ReadonlyArray<{ line: number; endLine: number }>>;
}

export interface SuppressResult {
  findings: Finding[];
  /** How many findings the comments suppressed. */
  suppressed: number;
}

/**
 * Drops the findings a directive covers and adds warnings for directives that name unknown
 * rules and, when asked, for directives that suppressed nothing.
 */
export function applySuppressions(findings: Finding[], texts: ReadonlyMap<string, string>, opts: SuppressOptions): SuppressResult {
  const byFile = new Map<string, Directive[]>();
  for (const [file, text] of texts) {
    const directives = parseDirectives(file, text);
    if (directives.length) byFile.set(file, directives);
  }
  if (!byFile.size) return { findings, suppressed: 0 };

  const extra: Finding[] = [];
  const warning = (ruleId: string, file: string, loc: SourceLocation, message: string): Finding => ({
    ruleId,
    severity: 'warning',
    message,
    project: opts.projectOf(file),
    loc,
  });
  // Only ids of the catalogue take part; an unknown one is reported and otherwise ignored.
  const valid = new Map<Directive, DirectiveRule[]>();
  for (const [file, directives] of byFile) {
    for (const d of directives) {
      const known: DirectiveRule[] = [];
      for (const r of d.rules) {
        if (opts.knownRules.has(r.id)) known.push(r);
        else extra.push(warning('portlint/unknown-rule', file, r.loc, `portlint-${d.kind} names "${r.id}", which is not a portlint rule, so it suppresses nothing; portlint rules lists them`));
      }
      valid.set(d, known);
    }
  }
  const used = new Map<Directive, Set<string>>();
  let suppressed = 0;
  const covers = (target: number, line: number, file: string) =>
    target === line || (opts.entries?.get(file)?.some((e) => e.line === target && line > e.line && line <= e.endLine) ?? false);
  const kept = findings.filter((f) => {
    const directives = byFile.get(f.loc.file);
    if (!directives) return true;
    let hit = false;
    for (const d of directives) {
      if (d.target !== undefined && !covers(d.target, f.loc.line, f.loc.file)) continue;
      const rules = valid.get(d)!;
      if (d.rules.length && !rules.some((r) => r.id === f.ruleId)) continue;
      hit = true;
      const set = used.get(d) ?? new Set<string>();
      set.add(f.ruleId);
      used.set(d, set);
    }
    if (hit) suppressed++;
    return !hit;
  });

  if (opts.reportUnused) {
    const enabled = (id: string) => !opts.enabledRules || opts.enabledRules.has(id);
    for (const [file, directives] of byFile) {
      for (const d of directives) {
        const set = used.get(d);
        const where = d.kind === 'disable' ? 'in this file' : `on line ${d.target}`;
        if (!d.rules.length) {
          if (!set) extra.push(warning('portlint/unused-disable', file, d.loc, `unused portlint-${d.kind}: no finding ${where} to suppress`));
          continue;
        }
        const known = valid.get(d)!;
        const unused = known.filter((r) => !set?.has(r.id) && enabled(r.id));
        if (!unused.length) continue;
        if (unused.length === d.rules.length) {
          const names = unused.map((r) => r.id).join(', ');
          extra.push(warning('portlint/unused-disable', file, d.loc, `unused portlint-${d.kind}: no ${names} finding ${where} to suppress`));
        } else {
          for (const r of unused) extra.push(warning('portlint/unused-disable', file, r.loc, `unused ${r.id} in portlint-${d.kind}: no ${r.id} finding ${where} to suppress`));
        }
      }
    }
  }
  return { findings: extra.length ? [...kept, ...extra].sort(compareFindings) : kept, suppressed };
}
