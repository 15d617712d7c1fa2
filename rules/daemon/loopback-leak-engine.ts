// rules/daemon/loopback-leak-engine.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import type { Binding, Listener, Project } from '../../src/model/types';
import { containerText, liveContainers, parseEngineVersion, versionBefore } from '../../src/live/describe';
import { groupByItem, isLoopbackListener } from '../../src/engine/findings';
import { hostPortsPhrase } from '../exposure/describe';

const isLoopbackV4 = (l: Listener) => l.family === 4 && isLoopbackListener(l) && !!l.ports;

/**
 * Ports published on 127.0.0.1 of an Engine that lets neighbours reach them:
 * - before 28.0.0 the DNAT rule for 127.0.0.1 applies on every interface, so a host on the same
 *   L2 segment that routes 127.0.0.1 to this one reaches the container (moby/moby#45610, fixed by
 *   moby/moby#49325 in 28.0.0);
 * - 28.0.0 up to 28.3.2 with firewalld: a firewalld reload drops the raw-table rule that
 *   fixed it (CVE-2025-54388, GHSA-x4rx-4gw3-53p4, fixed in 28.3.3).
 * IPv6 ::1 is not routable and is never reported. Rootless Docker and Podman do not DNAT
 * loopback publishes, so they are not reported either.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'daemon/loopback-leak-engine',
    description: 'Ports published on 127.0.0.1 of an Engine older than 28.0.0 (or 28.x before 28.3.3 with firewalld) are reachable from neighbouring hosts.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/daemon/loopback-leak-engine.md',
    deployments: ['compose'],
    modes: ['audit'],
  },
  check({ projects, live }) {
    if (!live || live.engine.podman || live.engine.rootless) return [];
    const version = parseEngineVersion(live.engine.version);
    if (!version) return [];
    const shown = live.engine.version;
    let why: string;
    if (versionBefore(version, [28, 0, 0])) {
      why = `Engine ${shown} (before 28.0.0) lets hosts on the same network segment reach it (moby/moby#45610)`;
    } else if (versionBefore(version, [28, 3, 3])) {
      const firewalld = live.host ? live.host.firewalld : undefined;
      if (firewalld === false) return [];
      why = `Engine ${shown} (before 28.3.3) re-exposes it to the network on a firewalld reload${firewalld ? '' : ' if the host runs firewalld'} (CVE-2025-54388)`;
    } else {
      return [];
    }
    const containerOf = new Map<Project, string>();
    const pairs: Array<[Project, Binding]> = [];
    for (const { container, project } of liveContainers(projects, live)) {
      containerOf.set(project, containerText(container));
      for (const b of project.bindings) if (b.listeners.some(isLoopbackV4)) pairs.push([project, b]);
    }
    const findings: RuleFinding[] = [];
    for (const { project, item, bindings } of groupByItem(pairs)) {
      const addresses = [...new Set(bindings.flatMap((b) => b.listeners.filter(isLoopbackV4).map((l) => l.address)))].join(', ');
      findings.push({
        project,
        service: item.service,
        loc: item.loc,
        message: `${containerOf.get(project)} publishes ${hostPortsPhrase(bindings)} on ${addresses} only, but ${why}; upgrade the Engine to 28.3.3 or later`,
        binding: bindings[0],
      });
    }
    return findings;
  },
});
