/**
 * `--fix` and `--fix-dry-run`: lint, apply the edits the findings offer, lint the new text
 * again (a fix can make room for another, e.g. after an overlapping one), up to a few passes,
 * all in memory; then write each changed file once, atomically, or print a unified diff.
 *
 * The caller's `lint` decides which findings count (rule settings, config, suppressions,
 * --quiet): only findings it reports are fixed, so a suppressed finding is never "fixed".
 */
import { relative, sep } from 'node:path';
import { FileCache } from '../load/project';
import type { Finding } from '../engine/run';
import type { LoadError } from '../model/types';
import { applyEdits, isEditFix, type EditGroup, type TextEdit } from './edits';
import { unifiedDiff } from './diff';
import { statSnapshot, writeFixedFile, FixWriteError, type FileSnapshot } from './write';

/** What one lint run over a file cache gives back; callers may carry more (counts, paths). */
export interface LintRun {
  findings: Finding[];
  errors: LoadError[];
}

/** How many times the fixer lints and edits at most before it stops. */
export const MAX_PASSES = 10;

export interface FixedFile {
  file: string;
  before: string;
  after: string;
  /** Fixes applied to the file (one per port entry and rule). */
  fixes: number;
}

export interface FixPlan<T extends LintRun> {
  /** Files whose text changed, in path order. */
  files: FixedFile[];
  /** The lint of the fixed texts: the findings that remain. */
  run: T;
  /** Files left unfixed because the fixed text did not load (never expected; reported, not written). */
  reverted: Array<{ file: string; message: string }>;
  snapshots: Map<string, FileSnapshot>;
}

/** Inserted line breaks take the line ending of the line they are inserted into. */
export function adaptLineBreaks(text: string, edit: TextEdit): TextEdit {
  if (!edit.text.includes('\n')) return edit;
  let nl = text.indexOf('\n', edit.offset);
  if (nl < 0) nl = text.lastIndexOf('\n', edit.offset - 1);
  const crlf = nl > 0 && text[nl - 1] === '\r';
  return crlf ? { ...edit, text: edit.text.replace(/\r?\n/g, '\r\n') } : edit;
}

function cacheWith(texts: ReadonlyMap<string, string>): FileCache {
  const cache = new FileCache();
  for (const [file, text] of texts) cache.inject(file, text);
  return cache;
}

/**
 * Lints, applies fixes in memory until nothing more applies, and returns the plan: the new
 * text of every changed file and the lint of the fixed texts. Nothing is written. `given` is a
 * lint already made of the files on disk, with the cache it read them into; without it, the
 * first lint is made here.
 */
export function planFixes<T extends LintRun>(lint: (cache: FileCache) => T, given?: { cache: FileCache; run: T }): FixPlan<T> {
  const first = given?.cache ?? new FileCache();
  let run = given?.run ?? lint(first);
  const originals = first.texts();
  const snapshots = new Map<string, FileSnapshot>();
  for (const [file, text] of originals) snapshots.set(file, statSnapshot(file, text));
  const current = new Map(originals);
  const counts = new Map<string, number>();
  const frozen = new Set<string>();
  const reverted: FixPlan<T>['reverted'] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const groups = new Map<string, EditGroup[]>();
    for (const f of run.findings) {
      if (!isEditFix(f.fix) || frozen.has(f.fix.file)) continue;
      const text = current.get(f.fix.file);
      if (text === undefined) continue;
      const list = groups.get(f.fix.file) ?? [];
      list.push({ edits: f.fix.edits.map((e) => adaptLineBreaks(text, e)) });
      groups.set(f.fix.file, list);
    }
    const before = new Map<string, string>();
    const applied = new Map<string, number>();
    for (const [file, list] of groups) {
      const text = current.get(file)!;
      const result = applyEdits(text, list);
      if (result.text === text) continue;
      before.set(file, text);
      applied.set(file, result.applied.length);
      current.set(file, result.text);
    }
    if (!before.size) break;
    let next = lint(cacheWith(current));
    // A fix must never turn a file that loaded into one that does not: undo it and leave the file alone.
    const broken = [...before.keys()].filter((file) => next.errors.some((e) => e.file === file) && !run.errors.some((e) => e.file === file));
    if (broken.length) {
      for (const file of broken) {
        const error = next.errors.find((e) => e.file === file)!;
        reverted.push({ file, message: `the fixed text would not load (${error.message}), so it was left unchanged` });
        current.set(file, before.get(file)!);
        applied.delete(file);
        frozen.add(file);
      }
      next = lint(cacheWith(current));
    }
    for (const [file, n] of applied) counts.set(file, (counts.get(file) ?? 0) + n);
    run = next;
  }
  const files: FixedFile[] = [];
  for (const [file, after] of current) {
    const before = originals.get(file)!;
    if (after !== before) files.push({ file, before, after, fixes: counts.get(file) ?? 0 });
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, run: { ...run, findings: withReasons(run.findings) }, reverted, snapshots };
}

/** A finding portlint could not fix says why, once: a message that already gives the reason only says it was not fixed. */
export function withReasons(findings: Finding[]): Finding[] {
  return findings.map((f) => {
    if (!f.fix || !('reason' in f.fix)) return f;
    const message = f.message.replace(/[.\s]+$/, '');
    return { ...f, message: message.includes(f.fix.reason) ? `${message} (not fixed automatically)` : `${message}. Not fixed automatically: ${f.fix.reason}` };
  });
}

export interface WriteOutcome {
  written: FixedFile[];
  failed: Array<{ file: string; message: string }>;
}

/**
 * Writes every changed file of the plan, each on its own: a file that changed on disk since it
 * was read (or cannot be written) is reported and skipped, the others are still written.
 * `beforeWrite` runs just before each file is written (tests use it to change a file under portlint).
 */
export function writeFixes(plan: FixPlan<LintRun>, beforeWrite?: (file: string) => void): WriteOutcome {
  const written: FixedFile[] = [];
  const failed: WriteOutcome['failed'] = [];
  for (const f of plan.files) {
    try {
      beforeWrite?.(f.file);
      writeFixedFile(f.file, f.after, plan.snapshots.get(f.file) ?? { text: f.before });
      written.push(f);
    } catch (e) {
      failed.push({ file: f.file, message: e instanceof FixWriteError ? e.message : (e as Error).message });
    }
  }
  return { written, failed };
}

/** The unified diff of every changed file, with paths relative to `cwd` (`patch -p1` applies it there). */
export function planDiff(plan: FixPlan<LintRun>, cwd: string): string {
  return plan.files
    .map((f) => {
      const rel = relative(cwd, f.file).split(sep).join('/');
      const name = rel.startsWith('../') || rel === '' ? f.file : rel;
      const [a, b] = name.startsWith('/') ? [name, name] : [`a/${name}`, `b/${name}`];
      return unifiedDiff(f.before, f.after, a, b);
    })
    .join('');
}
