/** Output of `portlint check`: stylish for people, JSON for tools (field names are a public contract). */
import type { Finding } from '../engine/run';
import type { LoadError, Notice } from '../model/types';
import { displayPath } from './paths';
import type { EngineSummary, LintFinding, LintLoadError, LintReport, ProjectsSummary } from './json-types';

export type { EngineSummary } from './json-types';

export interface Report {
  findings: Finding[];
  errors: LoadError[];
  /** Number of files that were read (compose, override, included and extended files). */
  files: number;
  cwd: string;
  /** Absolute paths of the compose files checked, for formats that list every file (JUnit). */
  checked?: string[];
  /** `audit`: every engine asked for, in order, read or not. */
  engines?: EngineSummary[];
  /** Paths and projects that gave nothing to check. */
  notices?: Notice[];
  /** `check`: the projects checked, and how many collision/cross-project compared. */
  projects?: ProjectsSummary;
}

/** Engines of the report that could not be read. */
export function unreadEngines(r: Report): EngineSummary[] {
  return (r.engines ?? []).filter((e) => e.error !== undefined);
}

export function summarize(findings: Finding[]) {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

export function jsonLoadError(e: LoadError, cwd: string): LintLoadError {
  return { file: displayPath(e.file, cwd), line: e.line, column: e.column, message: e.message };
}

/** The `--format json` object (also what the programmatic API's lint returns). */
export function jsonReport(r: Report): LintReport {
  const findings = r.findings.map((f): LintFinding => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    project: f.project,
    service: f.service,
    // A live finding (audit) names its container or swarm service; it has a place only when a file describes it.
    ...(f.container && { container: f.container }),
    ...(f.engine && { engine: f.engine }),
    ...(f.swarm && { swarm: f.swarm }),
    ...((f.loc.file || (!f.container && !f.swarm)) && {
      file: displayPath(f.loc.file, r.cwd),
      line: f.loc.line,
      column: f.loc.column,
      endLine: f.loc.endLine,
      endColumn: f.loc.endColumn,
    }),
    binding: f.binding,
    related: f.related?.map((x) => ({ file: displayPath(x.loc.file, r.cwd), line: x.loc.line, column: x.loc.column, message: x.message })),
    ...(f.also && { also: f.also }),
  }));
  const errors = r.errors.map((e) => jsonLoadError(e, r.cwd));
  const summary = { ...summarize(r.findings), loadErrors: r.errors.length, files: r.files, ...(r.engines && { enginesNotRead: unreadEngines(r).length }), ...(r.projects && { projects: r.projects }) };
  const notices = r.notices?.map((n) => ({ kind: n.kind, file: displayPath(n.file, r.cwd), message: n.message }));
  return { findings, errors, ...(notices?.length && { notices }), ...(r.engines && { engines: r.engines }), summary };
}

export function formatJson(r: Report): string {
  return JSON.stringify(jsonReport(r), null, 2) + '\n';
}

const codes = { red: 31, yellow: 33, blue: 34, dim: 2, underline: 4, bold: 1 } as const;

export type Paint = (style: keyof typeof codes, text: string) => string;

/** ANSI styling when `color`, plain text otherwise. */
export function painter(color: boolean): Paint {
  return (style, text) => (color ? `\u001b[${codes[style]}m${text}\u001b[0m` : text);
}

/** The colour of a severity: red errors, yellow warnings, blue infos. */
export function severityStyle(severity: string): keyof typeof codes {
  return severity === 'error' ? 'red' : severity === 'warning' ? 'yellow' : 'blue';
}

/** "✖ 3 problems (1 error, 2 warnings, 0 infos[, 1 file not loaded])" in the colour of the worst; "" for none. */
export function problemsLine(findings: Finding[], notLoaded: number, paint: Paint): string {
  const s = summarize(findings);
  const total = s.errors + s.warnings + s.infos + notLoaded;
  if (total === 0) return '';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning'), plural(s.infos, 'info')];
  if (notLoaded) parts.push(`${plural(notLoaded, 'file')} not loaded`);
  const line = `${total === 1 ? '1 problem' : `${total} problems`} (${parts.join(', ')})`;
  return paint('bold', paint(severityStyle(s.errors || notLoaded ? 'error' : s.warnings ? 'warning' : 'info'), `✖ ${line}`));
}

/** The length of the longest text; a loop, not Math.max(...list): a file can hold more findings than a call takes arguments. */
export function widest(texts: readonly string[]): number {
  let w = 0;
  for (const t of texts) if (t.length > w) w = t.length;
  return w;
}

export function formatStylish(r: Report, color: boolean): string {
  const paint = painter(color);
  interface Row {
    line: number;
    column: number;
    severity: string;
    service: string;
    message: string;
    ruleId: string;
  }
  const byFile = new Map<string, Row[]>();
  const add = (file: string, row: Row) => {
    const key = displayPath(file, r.cwd);
    const rows = byFile.get(key) ?? [];
    rows.push(row);
    byFile.set(key, rows);
  };
  for (const e of r.errors) add(e.file, { line: e.line, column: e.column, severity: 'error', service: '', message: e.message, ruleId: '' });
  for (const f of r.findings) {
    // The rules folded into this finding are named with it, so each can still be found, configured or suppressed.
    const ruleId = f.also?.length ? `${f.ruleId} (also ${f.also.map((x) => x.ruleId).join(', ')})` : f.ruleId;
    add(f.loc.file, { line: f.loc.line, column: f.loc.column, severity: f.severity, service: f.service ?? '', message: f.message, ruleId });
  }
  const out: string[] = [];
  for (const [file, rows] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    rows.sort((a, b) => a.line - b.line || a.column - b.column);
    out.push(paint('underline', file));
    const posWidth = widest(rows.map((x) => `${x.line}:${x.column}`));
    const sevWidth = widest(rows.map((x) => x.severity));
    // Services sharing an anchor share its lines: the service tells their findings apart.
    const serviceWidth = widest(rows.map((x) => x.service));
    for (const x of rows) {
      const sev = x.severity.padEnd(sevWidth);
      const sevPainted = paint(severityStyle(x.severity), sev);
      const service = serviceWidth ? `${paint('bold', x.service.padEnd(serviceWidth))}  ` : '';
      out.push(`  ${paint('dim', `${x.line}:${x.column}`.padStart(posWidth))}  ${sevPainted}  ${service}${x.message}${x.ruleId ? `  ${paint('dim', x.ruleId)}` : ''}`);
    }
    out.push('');
  }
  const summary = problemsLine(r.findings, r.errors.length, paint);
  if (!summary) return '';
  out.push(summary);
  const compared = comparedLine(r.projects, paint);
  if (compared) out.push(compared);
  return out.join('\n') + '\n';
}

/**
 * After the problems line, when two or more projects were checked and collision/cross-project
 * ran: how many of them it compared, or how to have them compared; "" otherwise.
 */
export function comparedLine(projects: ProjectsSummary | undefined, paint: Paint): string {
  if (!projects || projects.checked < 2 || projects.compared === undefined) return '';
  const { checked, compared } = projects;
  if (compared === 0) {
    return paint('dim', `${checked} projects checked separately; collision/cross-project compares projects on one host (--same-host, sameHost or projects: in the configuration)`);
  }
  return paint('dim', `${compared} of ${checked} projects compared for host-port collisions across projects`);
}
