// rules/audit/drift.ts
import { defineRule, type RelatedLocation, type RuleFinding } from '../../src/engine/rule';
import { publishesThroughMapping, bindingKey, bindingSpec } from '../../src/live/model';
import { containerText, liveContainers } from '../../src/live/describe';
import { engineBindings, type RawBinding } from '../../src/model/port-grammar';
import type { Binding } from '../../src/model/types';
import { joinAnd } from '../../src/engine/words';
import { displayPath } from '../../src/report/paths';

const MAX_LISTED = 8;

function listed(specs: string[]): string {
  if (!specs.length) return 'nothing';
  const shown = specs.slice(0, MAX_LISTED).map((s) => `"${s}"`);
  return specs.length > MAX_LISTED ? `${shown.join(', ')} and ${specs.length - MAX_LISTED} more` : joinAnd(shown);
}

/** Multiset difference by binding key: what `a` has that `b` lacks. */
function minus<T extends { hostIp: string; hostPort: string; containerPort: number; protocol: string }>(a: readonly T[], b: readonly { hostIp: string; hostPort: string; containerPort: number; protocol: string }[]): T[] {
  const counts = new Map<string, number>();
  for (const x of b) {
    const k = bindingKey(x);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const out: T[] = [];
  for (const x of a) {
    const k = bindingKey(x);
    const n = counts.get(k) ?? 0;
    if (n > 0) counts.set(k, n - 1);
    else out.push(x);
  }
  return out;
}

/**
 * A running compose container whose requested bindings (HostConfig.PortBindings) are not what
 * its compose files say now: the files were edited and the project was not redeployed, or the
 * service is gone from the files. Compared binding by binding (host IP, host port, container
 * port, protocol; "" and "0" host ports are the same), as compose would send them today,
 * interpolated with the current environment and the project's .env.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'audit/drift',
    description: 'A running compose container publishes other ports than its compose files now say (edited but not redeployed).',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/audit/drift.md',
    deployments: ['compose'],
    modes: ['audit'],
  },
  check({ projects, live }) {
    const findings: RuleFinding[] = [];
    for (const { container, project } of liveContainers(projects, live)) {
      const origin = container.compose;
      const current = origin?.current;
      if (!origin || origin.oneoff || !current || container.ref.state !== 'running' || container.requested === undefined) continue;
      const base = origin.workingDir ?? current.project.workingDir;
      const files = joinAnd(current.project.files.map((f) => displayPath(f, base, 'relative')));
      const running: RawBinding[] = container.requested;
      const service = current.service;
      if (!service) {
        findings.push({
          project,
          service: origin.service,
          loc: project.services[0].loc,
          message:
            `${containerText(container)} runs a service that ${files} no longer define${current.project.files.length > 1 ? '' : 's'}` +
            `${running.length ? ` and still publishes ${listed(running.map(bindingSpec))}` : ''}; remove it with docker compose up -d --remove-orphans`,
        });
        continue;
      }
      const mode = service.networkMode?.value;
      if (mode !== undefined && !publishesThroughMapping(mode)) continue; // compose sends these, the Engine discards them
      // The container reports one binding per port, so the declared runs are expanded to compare port by port.
      const declared: Binding[] = current.project.bindings.filter((b) => b.service === origin.service).flatMap(engineBindings);
      const added = minus(declared, running); // in the files, not in the container
      const removed = minus(running, declared); // in the container, not in the files
      if (!added.length && !removed.length) continue;
      const first = added[0];
      const loc = first ? first.item.loc : (service.portsLoc ?? service.loc);
      const related: RelatedLocation[] = [];
      const seen = new Set<string>();
      for (const b of added) {
        const k = `${b.item.loc.file}:${b.item.loc.offset}`;
        if (seen.has(k) || b === first) continue;
        seen.add(k);
        related.push({ loc: b.item.loc, message: `also declared here, not in the running container: "${bindingSpec(b)}"` });
      }
      const removedKeys = new Set(removed.map(bindingKey));
      const liveBinding = project.bindings.find((b) => removedKeys.has(bindingKey(b)));
      findings.push({
        project,
        service: origin.service,
        loc,
        message:
          `${containerText(container)} publishes ${listed(running.map(bindingSpec))} but ${files} now say${current.project.files.length > 1 ? '' : 's'} ` +
          `${listed(declared.map(bindingSpec))}; apply the edit with docker compose up -d ${origin.service}`,
        ...(liveBinding && { binding: liveBinding }),
        ...(related.length && { related: related.slice(0, 10) }),
      });
    }
    return findings;
  },
});
