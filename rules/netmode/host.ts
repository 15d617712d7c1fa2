// rules/netmode/host.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { imageRepository, repositoryMatcher } from '../../src/model/image-ref';

/**
 * Images that need the host's network namespace for what they do: agents that measure the
 * host's own interfaces and traffic, and servers that answer broadcasts and multicast (DHCP,
 * mDNS discovery), which a bridge network does not pass.
 */
const NEEDS_HOST_NETWORK: ReadonlyArray<{ why: string; matches: (repository: string) => boolean }> = [
  {
    why: 'it measures the host\'s own interfaces and traffic, which it sees only from the host\'s network namespace',
    matches: repositoryMatcher(['node-exporter', 'cadvisor', 'packetbeat', 'metricbeat', 'auditbeat', 'netdata', 'telegraf', 'process-exporter', 'ebpf-exporter']),
  },
  {
    why: 'it answers broadcasts or multicast (DHCP, mDNS discovery), which a bridge network does not pass',
    matches: repositoryMatcher(['pihole', 'home-assistant', 'homeassistant', 'avahi']),
  },
];

/**
 * `network_mode: host` on an enabled service: the container shares the host's network
 * namespace, so every port it listens on is a host port, on whatever address the process binds.
 */
export default defineRule<Record<string, never>>({
  meta: {
    id: 'netmode/host',
    description: "network_mode: host puts every port the container listens on directly on the host's interfaces.",
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/netmode/host.md',
    deployments: ['compose'],
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    for (const project of projects) {
      for (const service of project.services) {
        const mode = service.networkMode;
        if (!service.enabled || mode?.value !== 'host') continue;
        const head = `service "${service.name}" uses network_mode: host, so every port it listens on opens on the host's interfaces`;
        const repository = service.image ? imageRepository(service.image.value) : '';
        const need = NEEDS_HOST_NETWORK.find((n) => n.matches(repository));
        // Dropping host networking would break such a service: say what it costs and how to limit it instead.
        const message = need
          ? `${head}; ${service.image!.value} needs it (${need.why}), so keep it and limit what listens: bind the service to one address ` +
            '(e.g. --web.listen-address=127.0.0.1:9100 for an exporter) or filter its ports in the host firewall, which applies here because Docker publishes nothing'
          : `${head}; drop it and publish only the needed ports on 127.0.0.1`;
        findings.push({ project, service: service.name, loc: mode.loc, message, ...(need && { severity: 'info' as const }) });
      }
    }
    return findings;
  },
});
