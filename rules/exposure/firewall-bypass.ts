// rules/exposure/firewall-bypass.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { groupByItem, publicListeners } from '../../src/engine/findings';
import type { Binding, Project } from '../../src/model/types';
import { containerText, liveContainers } from '../../src/live/describe';
import { boundSpec, hostPortsPhrase, whereText } from './describe';

/**
 * A binding on a non-loopback address while ufw or firewalld is active on the Engine's host
 * (local engines only: the host is read from /etc and /proc). Docker handles published ports in
 * the nat table and its own chains, before ufw's INPUT rules; under firewalld it puts its
 * interfaces in a "docker" zone that accepts the traffic. The firewall the user trusts does not
 * filter these ports.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'exposure/firewall-bypass',
    description: 'A port published on a non-loopback address while ufw or firewalld is active: Docker\'s rules bypass the firewall (local engine only).',
    defaultSeverity: 'warning',
    fixable: false,
    concern: 'exposure',
    docs: 'docs/rules/exposure/firewall-bypass.md',
    modes: ['audit'],
  },
  check({ projects, live }) {
    const host = live?.host;
    if (!host || (!host.ufw && !host.firewalld)) return [];
    const firewall = host.ufw && host.firewalld ? 'ufw and firewalld' : host.ufw ? 'ufw' : 'firewalld';
    const how = host.ufw ? "Docker's NAT rules take the traffic before ufw sees it" : 'Docker DNATs the traffic before firewalld zone rules apply';
    const findings: RuleFinding[] = [];
    const containerOf = new Map<Project, string>();
    const pairs: Array<[Project, Binding]> = [];
    for (const { container, project } of liveContainers(projects, live)) {
      containerOf.set(project, containerText(container));
      for (const b of project.bindings) if (publicListeners(b).some((l) => l.ports)) pairs.push([project, b]);
    }
    for (const { project, item, bindings } of groupByItem(pairs)) {
      const listeners = bindings.flatMap(publicListeners);
      const fix = item.syntax === 'long' ? `set ${boundSpec(item, [])} in the compose file` : `publish it as ${boundSpec(item, bindings)}`;
      findings.push({
        project,
        service: item.service,
        loc: item.loc,
        message: `${containerOf.get(project)} publishes ${hostPortsPhrase(bindings)} on ${whereText(listeners)} and ${how}, so the ${firewall} firewall does not protect it; ${fix}, or filter it in the DOCKER-USER chain`,
        binding: bindings[0],
      });
    }
    return findings;
  },
});
