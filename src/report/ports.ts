/** Output of `portlint ports`: the model as a table or as JSON (a public contract). */
import type { LoadError, Project } from '../model/types';
import { containerPorts, engineBindings } from '../model/port-grammar';
import { formatListener } from '../model/listeners';
import { intervalText } from '../engine/words';
import { displayPath } from './paths';
import { jsonLoadError, widest } from './format';
import type { PortsReport } from './json-types';

/** The `ports --format json` object (also what the programmatic API's loadProject returns). */
export function portsReport(projects: Project[], errors: LoadError[], cwd: string): PortsReport {
  return {
    projects: projects.map((p) => ({
      name: p.name,
      workingDir: p.workingDir,
      files: p.files.map((f) => displayPath(f, cwd)),
      activeProfiles: p.activeProfiles,
      // One entry per binding the Engine receives: a run is expanded here, and only here.
      bindings: p.bindings.flatMap((run) =>
        engineBindings(run).map((b) => ({
          service: b.service,
          hostIp: b.hostIp,
          hostPort: b.hostPort,
          containerPort: b.containerPort,
          protocol: b.protocol,
          listeners: b.listeners.map(formatListener),
          file: displayPath(b.item.loc.file, cwd),
          line: b.item.loc.line,
          column: b.item.loc.column,
          spec: b.item.spec,
          ...(b.swarm && { swarm: b.swarm }),
        })),
      ),
      problems: p.problems.map((x) => ({
        service: x.service,
        kind: x.kind,
        file: displayPath(x.loc.file, cwd),
        line: x.loc.line,
        column: x.loc.column,
        message: x.message,
      })),
    })),
    errors: errors.map((e) => jsonLoadError(e, cwd)),
  };
}

export function portsJson(projects: Project[], errors: LoadError[], cwd: string): string {
  return JSON.stringify(portsReport(projects, errors, cwd), null, 2) + '\n';
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => widest(rows.map((r) => r[i])));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

export function portsTable(projects: Project[], cwd: string, someFilesFailed = false): string {
  const lines: string[] = [];
  const rows = [['PROJECT', 'SERVICE', 'HOST', 'CONTAINER', 'SOURCE']];
  for (const p of projects) {
    for (const b of p.bindings) {
      // Swarm publishes on every address of every node (ingress), or of the nodes that run a task.
      const host = b.swarm
        ? `*:${b.listeners[0]?.ports ? intervalText(b.listeners[0].ports) : 'auto'} (${b.swarm.mode === 'ingress' ? 'ingress, every node' : 'host mode, nodes with a task'})`
        : b.listeners.map((l) => formatListener(l).replace(/\/[a-z]+$/, '')).join(', ');
      rows.push([p.name, b.service, host, `${intervalText(containerPorts(b))}/${b.protocol}`, `${displayPath(b.item.loc.file, cwd)}:${b.item.loc.line}:${b.item.loc.column}`]);
    }
  }
  if (rows.length > 1) lines.push(table(rows));
  else lines.push(projects.length ? (someFilesFailed ? 'No published ports in the files that loaded.' : 'No published ports.') : 'No compose projects found.');
  const problems = projects.flatMap((p) => p.problems.map((x) => ({ p, x })));
  if (problems.length) {
    lines.push('', 'Problems (Compose or the Engine would reject these entries):');
    for (const { p, x } of problems) lines.push(`  ${displayPath(x.loc.file, cwd)}:${x.loc.line}:${x.loc.column}  ${p.name}${x.service ? `/${x.service}` : ''}  ${x.message}`);
  }
  return lines.join('\n') + '\n';
}

export function errorLines(errors: LoadError[], cwd: string): string {
  return errors.map((e) => `portlint: ${displayPath(e.file, cwd)}${e.line ? `:${e.line}:${e.column}` : ''}: ${e.message}\n`).join('');
}
