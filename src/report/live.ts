/**
 * Stylish output of `portlint audit`: findings grouped by compose project, then by container.
 * A finding whose binding a compose file still declares shows that file's path and line;
 * the others have no place in a file and show none.
 */
import type { Finding } from '../engine/run';
import { painter, problemsLine, severityStyle, type Report } from './format';
import { displayPath } from './paths';

export interface LiveReportInfo {
  /** "Docker Engine 20.10.24 at unix:///var/run/docker.sock". */
  engine: string;
  /** Containers read. */
  containers: number;
}

export function formatLiveStylish(r: Report, color: boolean, info?: LiveReportInfo): string {
  const paint = painter(color);
  const groups = new Map<string, Map<string, Finding[]>>();
  for (const f of r.findings) {
    const project = f.container?.project ?? '';
    const container = f.container ? `${f.container.name}\0${f.container.id}` : '';
    let byContainer = groups.get(project);
    if (!byContainer) groups.set(project, (byContainer = new Map()));
    byContainer.set(container, [...(byContainer.get(container) ?? []), f]);
  }
  const out: string[] = [];
  const projects = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  for (const project of projects) {
    out.push(paint('underline', project ? `project ${project}` : 'containers outside compose projects'));
    const byContainer = groups.get(project)!;
    for (const key of [...byContainer.keys()].sort()) {
      const rows = byContainer.get(key)!;
      const [name, id] = key.split('\0');
      out.push(`  ${paint('bold', name || '(no container)')}${id ? `  ${paint('dim', id.slice(0, 12))}` : ''}`);
      const places = rows.map((f) => (f.loc.file ? `${displayPath(f.loc.file, r.cwd)}:${f.loc.line}:${f.loc.column}` : ''));
      const placeWidth = Math.max(...places.map((p) => p.length));
      const sevWidth = Math.max(...rows.map((f) => f.severity.length));
      rows.forEach((f, i) => {
        const sev = paint(severityStyle(f.severity), f.severity.padEnd(sevWidth));
        const place = placeWidth ? `${paint('dim', places[i].padEnd(placeWidth))}  ` : '';
        out.push(`    ${place}${sev}  ${f.message}  ${paint('dim', f.ruleId)}`);
      });
    }
    out.push('');
  }
  const scope = info ? `${info.engine}, ${info.containers} container${info.containers === 1 ? '' : 's'} read` : '';
  const summary = problemsLine(r.findings, 0, paint);
  if (!summary) return scope ? `${paint('dim', `✔ no problems (${scope})`)}\n` : '';
  out.push(summary + (scope ? paint('dim', ` on ${scope}`) : ''));
  return out.join('\n') + '\n';
}
