/**
 * Stylish output of `portlint audit`: findings grouped by compose project, then by container;
 * with several engines, first by engine, in the order they were asked for. A finding whose
 * binding a compose file still declares shows that file's path and line; the others have no
 * place in a file and show none.
 */
import type { Finding } from '../engine/run';
import { painter, problemsLine, severityStyle, unreadEngines, widest, type EngineSummary, type Paint, type Report } from './format';
import { displayPath } from './paths';

export interface LiveReportInfo {
  /** Several engines were asked for: group by engine, and list those that were not read. */
  fleet: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "12 containers", "3 containers and 2 swarm services". */
function readText(e: EngineSummary): string {
  const worker =
    e.swarm === 'worker'
      ? ' (a swarm worker: its services are read from a manager)'
      : e.swarmReportedBy !== undefined
        ? ` (a manager of the swarm reported under ${e.swarmReportedBy})`
        : '';
  return `${plural(e.containers ?? 0, 'container')}${e.services !== undefined ? ` and ${plural(e.services, 'swarm service')}` : ''}${worker}`;
}

/** "Docker Engine 20.10.24 (rootless)". */
function productText(e: EngineSummary): string {
  return `${e.product ?? 'Docker Engine'} ${e.version ?? ''}${e.rootless ? ' (rootless)' : ''}`;
}

/**
 * The findings of one engine (or of the only one), indented: compose projects (by container),
 * then containers outside compose, then swarm stacks (by service).
 */
function groupLines(findings: readonly Finding[], r: Report, paint: Paint, indent: string): string[] {
  const groups = new Map<string, { heading: string; rank: number; members: Map<string, Finding[]> }>();
  for (const f of findings) {
    const [key, heading, rank] = f.swarm
      ? [`s\0${f.swarm.stack}`, `swarm stack ${f.swarm.stack}`, 2]
      : f.container?.project !== undefined
        ? [`p\0${f.container.project}`, `project ${f.container.project}`, 0]
        : ['o', 'containers outside compose projects', 1];
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { heading, rank, members: new Map() }));
    const member = f.swarm ? `service ${f.swarm.service}\0${f.swarm.id ?? ''}` : f.container ? `${f.container.name}\0${f.container.id}` : '';
    group.members.set(member, [...(group.members.get(member) ?? []), f]);
  }
  const out: string[] = [];
  const ordered = [...groups.entries()].sort(([a, x], [b, y]) => x.rank - y.rank || (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  for (const group of ordered) {
    out.push(indent + paint('underline', group.heading));
    for (const key of [...group.members.keys()].sort()) {
      const rows = group.members.get(key)!;
      const [name, id] = key.split('\0');
      out.push(`${indent}  ${paint('bold', name || '(no container)')}${id ? `  ${paint('dim', id.slice(0, 12))}` : ''}`);
      const places = rows.map((f) => (f.loc.file ? `${displayPath(f.loc.file, r.cwd)}:${f.loc.line}:${f.loc.column}` : ''));
      const placeWidth = widest(places);
      const sevWidth = widest(rows.map((f) => f.severity));
      rows.forEach((f, i) => {
        const sev = paint(severityStyle(f.severity), f.severity.padEnd(sevWidth));
        const place = placeWidth ? `${paint('dim', places[i].padEnd(placeWidth))}  ` : '';
        out.push(`${indent}    ${place}${sev}  ${f.message}  ${paint('dim', f.ruleId)}`);
      });
    }
    out.push('');
  }
  return out;
}

export function formatLiveStylish(r: Report, color: boolean, info: LiveReportInfo = { fleet: false }): string {
  const paint = painter(color);
  const engines = r.engines ?? [];
  const read = engines.filter((e) => e.error === undefined && e.sameAs === undefined);
  const containers = read.reduce((n, e) => n + (e.containers ?? 0), 0);
  const summary = problemsLine(r.findings, r.errors.length, paint);
  // Files the run was given that did not load (--stack): what is wrong with each, first.
  const fileErrors = r.errors.map((e) => `${paint('red', 'error')}  ${displayPath(e.file, r.cwd)}${e.line ? `:${e.line}:${e.column}` : ''}: ${e.message}`);
  if (fileErrors.length) fileErrors.push('');
  if (!info.fleet) {
    const e = read[0];
    const scope = e ? `${productText(e)} at ${e.endpoint}, ${readText(e)} read` : '';
    if (!summary) return scope ? `${paint('dim', `✔ no problems (${scope})`)}\n` : '';
    return [...fileErrors, ...groupLines(r.findings, r, paint, ''), summary + (scope ? paint('dim', ` on ${scope}`) : '')].join('\n') + '\n';
  }
  const out: string[] = [...fileErrors];
  for (const e of engines) {
    const head = `${paint('bold', `engine ${e.name}`)}${e.endpoint && e.endpoint !== e.name ? `  ${paint('dim', e.endpoint)}` : ''}`;
    if (e.error !== undefined) {
      out.push(head, `  ${paint('red', '✖ not read:')} ${e.error}`, '');
      continue;
    }
    if (e.sameAs !== undefined) {
      out.push(head, `  ${paint('dim', `the same engine as ${e.sameAs} (same ID, host and containers): reported there`)}`, '');
      continue;
    }
    out.push(`${head}  ${paint('dim', `${productText(e)} on ${e.host || '?'}, ${readText(e)}`)}`);
    const mine = r.findings.filter((f) => f.engine?.name === e.name);
    if (mine.length) out.push(...groupLines(mine, r, paint, '  '));
    else out.push(`  ${paint('dim', '✔ no problems')}`, '');
  }
  const notRead = unreadEngines(r).length;
  const scope = `${plural(read.length, 'engine')} read (${plural(containers, 'container')})${notRead ? `, ${plural(notRead, 'engine')} not read` : ''}`;
  out.push(summary ? summary + paint('dim', ` on ${scope}`) : paint(notRead ? 'red' : 'dim', `${notRead ? '✖' : '✔'} no problems on ${scope}`));
  return out.join('\n') + '\n';
}
