import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { addressesText, bindingsByItem, hostPortsPhrase, hostPortsWithin, isAre } from './ports';

/** The kernel default of net.ipv4.ip_unprivileged_port_start: ports below it need privilege. */
const UNPRIVILEGED_START = 1024;

export default defineRule<{ rootless: boolean }>({
  meta: {
    id: 'range/privileged-host-port',
    description: 'A host port below 1024: rootless Docker and Podman refuse to publish it.',
    defaultSeverity: 'info',
    fixable: false,
    docs: 'docs/rules/range/privileged-host-port.md',
    optionsSchema: {
      type: 'object',
      properties: { rootless: { type: 'boolean' } },
      additionalProperties: false,
    },
    defaultOptions: { rootless: false },
  },
  check({ projects, options, settings }) {
    const rootless = options.rootless === true || settings.rootless;
    const findings: RuleFinding[] = [];
    for (const { project, item, bindings } of bindingsByItem(projects)) {
      const hits = hostPortsWithin(bindings, 0, UNPRIVILEGED_START - 1);
      if (!hits.length) continue;
      const lowest = hits[0].start;
      const ports = hostPortsPhrase(bindings, hits);
      const single = bindings.length === 1 && bindings[0].hostPorts!.start === bindings[0].hostPorts!.end;
      const instead = single ? `a host port of ${UNPRIVILEGED_START} or more, such as ${lowest + 8000}` : `host ports of ${UNPRIVILEGED_START} or more`;
      const refusal = `"cannot expose privileged port ${lowest}, you can add 'net.ipv4.ip_unprivileged_port_start=${lowest}' to /etc/sysctl.conf"`;
      const where = `on ${addressesText(bindings)}`;
      const message = rootless
        ? `${ports} ${where} ${isAre(ports)} privileged (below ${UNPRIVILEGED_START}): rootless Docker and Podman refuse to publish ${single ? 'it' : 'them'} (${refusal}), so the container will not start; use ${instead}, or lower net.ipv4.ip_unprivileged_port_start on the host`
        : `${ports} ${where} ${isAre(ports)} privileged (below ${UNPRIVILEGED_START}): rootful Docker publishes ${single ? 'it' : 'them'}, but rootless Docker and Podman refuse ${single ? 'it' : 'them'} (${refusal}); if the file must also run rootless, use ${instead}`;
      const finding: RuleFinding = { project, service: bindings[0].service, loc: item.loc, message, binding: bindings[0] };
      if (rootless) finding.severity = 'error';
      findings.push(finding);
    }
    return findings;
  },
});
