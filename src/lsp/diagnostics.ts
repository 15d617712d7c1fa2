/**
 * Findings as LSP diagnostics: the range of the finding, the rule id as code with its doc page,
 * the other side of a collision as related information. Positions are the protocol's (0-based
 * lines, UTF-16 columns), which are JavaScript string offsets, as portlint's own are.
 */
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DiagnosticRelatedInformation, Position, Range } from 'vscode-languageserver';
import { findRule } from '../../rules';
import type { Finding } from '../engine/run';
import type { LoadError, SourceLocation } from '../model/types';
import { DOCS_BASE_URL } from '../report/sarif';
import type { DocumentLint } from './workspace';

export const SOURCE = 'portlint';

const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

/** Offsets of a text to positions and back. */
export class TextIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offsetAt(position: Position): number {
    const start = this.starts[Math.min(position.line, this.starts.length - 1)] ?? 0;
    return Math.min(start + position.character, this.text.length);
  }

  /** The text of a 0-based line, without its line break. */
  line(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    const end = this.starts[line + 1] ?? this.text.length + 1;
    return this.text.slice(start, end - 1).replace(/\r$/, '');
  }
}

export function rangeOf(loc: Pick<SourceLocation, 'line' | 'column' | 'endLine' | 'endColumn'>): Range {
  const start = { line: Math.max(0, loc.line - 1), character: Math.max(0, loc.column - 1) };
  const end = loc.endLine ? { line: loc.endLine - 1, character: Math.max(0, loc.endColumn - 1) } : start;
  return { start, end };
}

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

export function ruleDocUrl(ruleId: string): string | undefined {
  const rule = findRule(ruleId);
  return rule ? DOCS_BASE_URL + rule.meta.docs : undefined;
}

/** The finding a diagnostic of this file stands for (the client sends diagnostics back with code actions). */
export function findingOf(lint: DocumentLint, d: Pick<Diagnostic, 'code' | 'range' | 'source'>): Finding | undefined {
  if (d.source !== SOURCE) return undefined;
  return lint.findings.find((f) => f.loc.file === lint.file && f.ruleId === d.code && f.loc.line - 1 === d.range.start.line && f.loc.column - 1 === d.range.start.character);
}

/** The diagnostics of one file from a document's lint: its findings, and what kept portlint from reading it. */
export function diagnosticsFor(lint: DocumentLint, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of lint.findings) if (f.loc.file === file) out.push(findingDiagnostic(f));
  for (const e of lint.errors) out.push(errorDiagnostic(e, file));
  return out;
}

function findingDiagnostic(f: Finding): Diagnostic {
  const href = ruleDocUrl(f.ruleId);
  const related: DiagnosticRelatedInformation[] = (f.related ?? []).filter((r) => r.loc.file).map((r) => ({ location: { uri: fileUri(r.loc.file), range: rangeOf(r.loc) }, message: r.message }));
  return {
    range: rangeOf(f.loc),
    severity: SEVERITY[f.severity],
    source: SOURCE,
    code: f.ruleId,
    ...(href && { codeDescription: { href } }),
    message: f.message,
    ...(related.length && { relatedInformation: related }),
  };
}

/**
 * A file portlint could not read stops it from checking the project: said once, where the
 * problem is when it is in this file, else at the top of the file with the other file named.
 */
function errorDiagnostic(e: LoadError, file: string): Diagnostic {
  const here = e.file === file && e.line > 0;
  const position = here ? { line: e.line - 1, character: Math.max(0, e.column - 1) } : { line: 0, character: 0 };
  return {
    range: { start: position, end: position },
    severity: 1,
    source: SOURCE,
    code: 'load-error',
    message: e.file === file ? `portlint cannot check this file: ${e.message}` : `portlint cannot check this project: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`,
  };
}
