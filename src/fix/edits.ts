/**
 * Text edits that autofix applies: a rule offers them with a finding, the fixer applies
 * them to the text the loader read (offsets are character offsets into that text).
 */

/** Replace [offset, endOffset) with `text`; offset === endOffset inserts. */
export interface TextEdit {
  offset: number;
  endOffset: number;
  text: string;
}

/**
 * What a rule offers for a finding: edits in one file, or the reason it cannot be fixed
 * automatically (shown with the finding when `--fix` leaves it in place).
 */
export type FindingFix = { file: string; edits: TextEdit[] } | { reason: string };

export function isEditFix(fix: FindingFix | undefined): fix is { file: string; edits: TextEdit[] } {
  return !!fix && 'edits' in fix;
}

/** One fix's edits, kept together: either all of them apply or none does. */
export interface EditGroup {
  edits: TextEdit[];
}

export interface ApplyResult {
  text: string;
  /** Groups that were applied (identical groups count once). */
  applied: EditGroup[];
  /** Groups left out because they overlap one that was applied; a later pass may apply them. */
  skipped: EditGroup[];
}

const key = (g: EditGroup) => g.edits.map((e) => `${e.offset}:${e.endOffset}:${e.text}`).join('\u0000');

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at one place conflict too: their order would be arbitrary.
  if (a.offset === b.offset) return true;
  return a.offset < b.endOffset && b.offset < a.endOffset;
}

/**
 * Applies groups of edits to `text` in one pass. Groups are taken in the order given
 * (so the caller decides which fix wins a conflict); identical groups (the same item reached
 * through an anchor from several services) apply once; a group that overlaps an accepted one
 * is skipped whole.
 */
export function applyEdits(text: string, groups: readonly EditGroup[]): ApplyResult {
  const accepted: EditGroup[] = [];
  const skipped: EditGroup[] = [];
  const seen = new Set<string>();
  const taken: TextEdit[] = [];
  for (const group of groups) {
    if (!group.edits.length) continue;
    const k = key(group);
    if (seen.has(k)) continue;
    const valid = group.edits.every((e) => e.offset >= 0 && e.offset <= e.endOffset && e.endOffset <= text.length);
    if (!valid || group.edits.some((e) => taken.some((t) => overlaps(e, t)))) {
      skipped.push(group);
      continue;
    }
    seen.add(k);
    accepted.push(group);
    taken.push(...group.edits);
  }
  taken.sort((a, b) => a.offset - b.offset);
  let out = '';
  let at = 0;
  for (const e of taken) {
    out += text.slice(at, e.offset) + e.text;
    at = e.endOffset;
  }
  out += text.slice(at);
  return { text: out, applied: accepted, skipped };
}
