/**
 * JUnit XML: one test suite for the run, one test case per file, a <failure> per finding
 * (type = rule id) and an <error> per file that could not be loaded (and per engine of an audit
 * that could not be read). Files without findings are passing test cases. Output is
 * deterministic (no timestamps).
 */
import { unreadEngines, type Report } from './format';
import { engineErrorText, hasFile, repoPath, subjectOf, type CiContext } from './ci';

/**
 * Text that XML 1.0 can carry: characters it forbids (C0 controls other than tab, newline and
 * carriage return, U+FFFE, U+FFFF, unpaired surrogates) become a visible `\uXXXX`.
 */
function xmlSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) =>
    `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

export function escapeText(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

interface Case {
  name: string;
  failures: Array<{ type: string; message: string; body: string }>;
  errors: Array<{ type: 'load-error' | 'engine-error'; message: string; body: string }>;
}

export function formatJunit(r: Report, ctx: CiContext): string {
  const cases = new Map<string, Case>();
  const get = (name: string): Case => {
    let c = cases.get(name);
    if (!c) cases.set(name, (c = { name, failures: [], errors: [] }));
    return c;
  };
  for (const file of r.checked ?? []) get(repoPath(file, ctx.root));
  for (const e of r.errors) {
    const where = e.line > 0 ? `${e.line}:${Math.max(1, e.column || 1)} ` : '';
    get(repoPath(e.file, ctx.root)).errors.push({ type: 'load-error', message: e.message, body: `${where}${e.message}` });
  }
  for (const e of unreadEngines(r)) get(`engine ${e.name}`).errors.push({ type: 'engine-error', message: e.error ?? '', body: engineErrorText(e) });
  for (const f of r.findings) {
    const engine = f.engine ? `engine ${f.engine.name} ` : '';
    const subject = `${engine}${f.swarm ? 'service' : 'container'} ${subjectOf(f)}`;
    const name = hasFile(f) ? repoPath(f.loc.file, ctx.root) : subject;
    const where = hasFile(f) ? `${engine}${repoPath(f.loc.file, ctx.root)}:${f.loc.line}:${f.loc.column}` : subject;
    const related = (f.related ?? []).map((x) => `\n  ${x.loc.file ? `${repoPath(x.loc.file, ctx.root)}:${x.loc.line}:${x.loc.column}` : 'related'}: ${x.message}`).join('');
    get(name).failures.push({
      type: f.ruleId,
      message: f.message,
      body: `${where} ${f.severity} ${f.ruleId}\n${f.message}${related}`,
    });
  }

  const sorted = [...cases.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const failures = sorted.filter((c) => !c.errors.length && c.failures.length).length;
  const errors = sorted.filter((c) => c.errors.length).length;
  const counts = `tests="${sorted.length}" failures="${failures}" errors="${errors}"`;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="portlint" ${counts} time="0">`];
  out.push(`  <testsuite name="portlint" ${counts} skipped="0" time="0">`);
  for (const c of sorted) {
    const open = `    <testcase classname="portlint" name="${escapeAttr(c.name)}" file="${escapeAttr(c.name)}" time="0"`;
    if (!c.failures.length && !c.errors.length) {
      out.push(`${open}/>`);
      continue;
    }
    out.push(`${open}>`);
    for (const e of c.errors) out.push(`      <error type="${e.type}" message="${escapeAttr(e.message)}">${escapeText(e.body)}</error>`);
    for (const f of c.failures) out.push(`      <failure type="${escapeAttr(f.type)}" message="${escapeAttr(f.message)}">${escapeText(f.body)}</failure>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
