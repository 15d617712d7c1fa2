/**
 * Allowed exposures (`allow` in the configuration): a finding about a binding is dropped when
 * an allowance names its service and covers every host port of the port item it reports.
 * Generic over rules: it looks only at the finding's rule id, service, project and binding.
 */
import type { Binding, Project, SourceLocation } from '../model/types';
import type { Finding } from './run';
import { firstPortOutside } from '../model/port-spec';
import { normalizeProjectName } from '../load/project';

export interface AllowRule {
  service: string;
  ports: Array<{ start: number; end: number }>;
  /** Project name (compared after Compose's normalisation); any project when absent. */
  project?: string;
  /** Rule ids; every `exposure/*` rule when absent. */
  rules?: string[];
}

const sameLoc = (a: SourceLocation | undefined, b: SourceLocation) => !!a && a.file === b.file && a.offset === b.offset;

function parseHostPort(hostPort: string): { start: number; end: number } | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(hostPort);
  if (!m || m[1] === '0') return undefined;
  return { start: Number(m[1]), end: Number(m[2] ?? m[1]) };
}

/** Host port intervals the finding is about: every binding of the port item it points at, else its own binding. */
function findingPorts(f: Finding, projects: Project[]): Array<{ start: number; end: number } | undefined> {
  const bindings: Binding[] = [];
  for (const p of projects) {
    if (p.name !== f.project) continue;
    for (const b of p.bindings) if (b.service === f.service && (sameLoc(b.item.loc, f.loc) || sameLoc(b.item.hostIpLoc, f.loc))) bindings.push(b);
  }
  if (bindings.length) return bindings.map((b) => b.hostPorts);
  return f.binding ? [parseHostPort(f.binding.hostPort)] : [];
}

export function isAllowed(f: Finding, projects: Project[], allow: readonly AllowRule[]): boolean {
  if (!f.binding || !f.service) return false;
  const applicable = allow.filter(
    (a) =>
      a.service === f.service &&
      (a.project === undefined || normalizeProjectName(a.project) === f.project) &&
      (a.rules ? a.rules.includes(f.ruleId) : f.ruleId.startsWith('exposure/')),
  );
  if (!applicable.length) return false;
  const ports = findingPorts(f, projects);
  // An engine-chosen (random) host port is never covered: it cannot be known to be in the list.
  const allowed = applicable.flatMap((a) => a.ports);
  return ports.length > 0 && ports.every((p) => !!p && firstPortOutside(p.start, p.end, allowed) > p.end);
}

/** Drops the findings that an allowance covers. */
export function applyAllowances(findings: Finding[], projects: Project[], allow: readonly AllowRule[]): Finding[] {
  if (!allow.length) return findings;
  return findings.filter((f) => !isAllowed(f, projects, allow));
}
