/**
 * Code actions: a finding's autofix (the edits `--fix` applies for it), every fix of the file at
 * once (what `--fix` would write to it, found the way `--fix` finds it: lint, edit, lint again),
 * and a suppression comment above the port entry.
 */
import type { CodeAction, TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { Finding } from '../engine/run';
import { isEditFix, type TextEdit } from '../fix/edits';
import { adaptLineBreaks, planFixes } from '../fix/fixer';
import type { PortItem } from '../model/types';
import { fileUri, TextIndex } from './diagnostics';
import type { DocumentLint, LintWorkspace } from './workspace';

export const FIX_ALL_KIND = 'source.fixAll.portlint';

/** The quick fix of one finding, when its rule offers edits in this file. */
export function quickFix(lint: DocumentLint, finding: Finding): CodeAction | undefined {
  const fix = finding.fix;
  if (!isEditFix(fix) || fix.file !== lint.file) return undefined;
  const index = new TextIndex(lint.text);
  return {
    title: `Fix this ${finding.ruleId} problem`,
    kind: 'quickfix',
    isPreferred: true,
    edit: { changes: { [fileUri(lint.file)]: fix.edits.map((e) => lspEdit(index, adaptLineBreaks(lint.text, e))) } },
  };
}

/**
 * Every fix for this file, as `--fix` would make them (several passes, each linted again), as
 * one edit of the part that changes; undefined when nothing in the file can be fixed.
 */
export function fixAll(workspace: LintWorkspace, lint: DocumentLint, kind: 'quickfix' | typeof FIX_ALL_KIND): CodeAction | undefined {
  if (!lint.findings.some((f) => isEditFix(f.fix) && f.fix.file === lint.file)) return undefined;
  const file = lint.file;
  const first = workspace.cacheWith(new Map());
  const lintIn = (cache: typeof first) => {
    const r = workspace.lintText(file, cache.injectedText(file) ?? lint.text, cache);
    // Only this file's fixes: the action edits the document it was asked for.
    return { ...r, findings: r.findings.filter((f) => f.loc.file === file) };
  };
  const plan = planFixes(lintIn, { cache: first, run: lintIn(first) });
  const after = plan.files.find((f) => f.file === file)?.after;
  if (after === undefined || after === lint.text) return undefined;
  return {
    title: 'Fix all portlint problems in this file',
    kind,
    edit: { changes: { [fileUri(file)]: [lspEdit(new TextIndex(lint.text), changedSpan(lint.text, after))] } },
  };
}

/**
 * `# portlint-disable-next-line <rule>` above the port entry the finding is on (the whole entry:
 * a long-syntax entry's finding may sit on its host_ip line), indented as the entry's line; a
 * directive already there gets the rule added.
 */
export function disableForEntry(lint: DocumentLint, finding: Finding): CodeAction | undefined {
  if (finding.loc.file !== lint.file || !finding.loc.line) return undefined;
  const index = new TextIndex(lint.text);
  const entry = entryAt(lint, finding.loc.offset);
  const line = (entry?.loc.line ?? finding.loc.line) - 1;
  const target = index.line(line);
  const above = line > 0 ? index.line(line - 1) : undefined;
  const directive = above && /^(\s*#\s*portlint-disable-next-line\s+)([^\s,]+(?:\s*,\s*[^\s,]+)*)(.*)$/.exec(above);
  let edit: TextEdit;
  if (directive) {
    if (directive[2].split(/\s*,\s*/).includes(finding.ruleId)) return undefined;
    const at = index.offsetAt({ line: line - 1, character: directive[1].length + directive[2].length });
    edit = { offset: at, endOffset: at, text: `, ${finding.ruleId}` };
  } else {
    const indent = /^[ \t]*/.exec(target)![0];
    const at = index.offsetAt({ line, character: 0 });
    const eol = lint.text.includes('\r\n') ? '\r\n' : '\n';
    edit = { offset: at, endOffset: at, text: `${indent}# portlint-disable-next-line ${finding.ruleId}${eol}` };
  }
  return {
    title: `Disable ${finding.ruleId} for this ${entry ? 'port entry' : 'line'}`,
    kind: 'quickfix',
    edit: { changes: { [fileUri(lint.file)]: [lspEdit(index, edit)] } },
  };
}

/** Whether a port entry's text holds this place (an empty span holds its first character). */
export function holds(item: PortItem, file: string, offset: number): boolean {
  return item.loc.file === file && item.loc.offset <= offset && offset < Math.max(item.loc.endOffset, item.loc.offset + 1);
}

/** The port entry of the document's projects that holds this offset of its file. */
export function entryAt(lint: DocumentLint, offset: number): PortItem | undefined {
  for (const p of lint.projects) {
    for (const s of p.services) {
      for (const item of s.ports) if (holds(item, lint.file, offset)) return item;
    }
  }
  return undefined;
}

function lspEdit(index: TextIndex, e: TextEdit): LspTextEdit {
  return { range: { start: index.positionAt(e.offset), end: index.positionAt(e.endOffset) }, newText: e.text };
}

/** One edit from `before` to `after`: the span between their common start and common end. */
function changedSpan(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { offset: start, endOffset: before.length - end, text: after.slice(start, after.length - end) };
}
