/**
 * Allowed exposures (`allow` in the configuration): a finding about a binding is dropped when
 * an allowance names its service and covers every host port of the port item it reports.
 * Generic over rules: it looks only at the finding's rule id, service, project and binding.
 */
import type { Binding, Project, SourceLocation } from '../model/types';
import type { Finding } from './run';
import { firstPortOutside } from '../model/listeners';
import { normalizeProjectName } from '../load/project';

export interface AllowRule {
  service: string;
  ports: Array<{ start: number; end: number }>;
  /** Project name (compared after Compose's normalisation); any project when absent. */
  project?: string;
  /** Rule ids; every `exposure/*` rule when absent. */
  rules?: string[];
}

function parseHostPort(hostPort: string): { start: number; end: number } | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(hostPort);
  if (!m || m[1] === '0') return undefined;
  return { start: Number(m[1]), end: Number(m[2] ?? m[1]) };
}

/** Where a finding or a port item stands, with its project and service. */
const placeKey = (project: string, service: string | undefined, loc: SourceLocation) => `${project}\0${service}\0${loc.file}\0${loc.offset}`;

/** The bindings of each port item, under the place of the item and of its host_ip (findings point at either). */
function bindingsByPlace(projects: Project[]): Map<string, Binding[]> {
  const index = new Map<string, Binding[]>();
  const add = (key: string, b: Binding) => {
    const list = index.get(key);
    if (list) list.push(b);
    else index.set(key, [b]);
  };
  for (const p of projects) {
    for (const b of p.bindings) {
      add(placeKey(p.name, b.service, b.item.loc), b);
      if (b.item.hostIpLoc) add(placeKey(p.name, b.service, b.item.hostIpLoc), b);
    }
  }
  return index;
}

function isAllowed(f: Finding, bindingsAt: () => Map<string, Binding[]>, allow: readonly AllowRule[]): boolean {
  if (!f.binding || !f.service) return false;
  const applicable = allow.filter(
    (a) =>
      a.service === f.service &&
      (a.project === undefined || normalizeProjectName(a.project) === f.project) &&
      (a.rules ? a.rules.includes(f.ruleId) : f.ruleId.startsWith('exposure/')),
  );
  if (!applicable.length) return false;
  // Host port intervals the finding is about: every binding of the port item it points at, else its own binding.
  const bindings = bindingsAt().get(placeKey(f.project, f.service, f.loc));
  const ports = bindings ? bindings.map((b) => b.hostPorts) : [parseHostPort(f.binding.hostPort)];
  // An engine-chosen (random) host port is never covered: it cannot be known to be in the list.
  const allowed = applicable.flatMap((a) => a.ports);
  return ports.every((p) => !!p && firstPortOutside(p.start, p.end, allowed) > p.end);
}

/** Drops the findings that an allowance covers. */
export function applyAllowances(findings: Finding[], projects: Project[], allow: readonly AllowRule[]): Finding[] {
  if (!allow.length) return findings;
  let index: Map<string, Binding[]> | undefined;
  const bindingsAt = () => (index ??= bindingsByPlace(projects));
  return findings.filter((f) => !isAllowed(f, bindingsAt, allow));
}
