// rules/exposure/publish-all.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { formatListener } from '../../src/model/listeners';
import { containerText, liveContainers } from '../../src/live/describe';
import { joinAnd } from '../../src/engine/words';

/**
 * A container started with -P (--publish-all, HostConfig.PublishAllPorts): Docker publishes
 * every port the image exposes on an engine-chosen host port, on every interface. Compose never
 * sets it, so this only concerns containers started by hand or by other tools.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'exposure/publish-all',
    description: 'A container started with -P (--publish-all) publishes every exposed port on a random host port on every interface.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/exposure/publish-all.md',
    deployments: ['compose'],
    modes: ['audit'],
  },
  check({ projects, live }) {
    const findings: RuleFinding[] = [];
    for (const { container, project } of liveContainers(projects, live)) {
      if (!container.publishAll) continue;
      const asked = new Set((container.requested ?? []).map((r) => `${r.containerPort}/${r.protocol}`));
      const bindings = project.bindings.filter((b) => !asked.has(`${b.containerPort}/${b.protocol}`));
      const service = project.services[0];
      const ports = joinAnd([...new Set(bindings.map((b) => `${b.containerPort}/${b.protocol}`))]);
      const running = container.ref.state === 'running';
      const listeners = bindings.flatMap((b) => b.listeners).filter((l) => l.ports);
      const what = !bindings.length
        ? 'every port a later image exposes will be published on a random port on every interface'
        : running
          ? `every exposed port (${ports}) is published on every interface${listeners.length ? ` (${joinAnd(listeners.slice(0, 4).map((l) => formatListener(l)))}${listeners.length > 4 ? ', …' : ''})` : ''}`
          : `every exposed port (${ports}) will be published on a random port on every interface when it starts`;
      findings.push({
        project,
        service: service.name,
        loc: service.loc,
        message: `${containerText(container)} was started with -P: ${what}; recreate it with -p for the ports it needs, e.g. -p 127.0.0.1:8080:80`,
        ...(bindings[0] && { binding: bindings[0] }),
      });
    }
    return findings;
  },
});
