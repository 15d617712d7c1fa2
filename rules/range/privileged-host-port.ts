import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { placeGroups } from '../../src/engine/findings';
import { addressesText, subtractIntervals } from '../../src/engine/words';
import { parsePortList, portEntrySchema } from '../exposure/allowed-ports';
import { hostPortsPhrase, hostPortsWithin, isAre } from './ports';

/** The kernel default of net.ipv4.ip_unprivileged_port_start: ports below it need privilege. */
const KERNEL_UNPRIVILEGED_START = 1024;

export interface PrivilegedHostPortOptions {
  rootless: boolean;
  /** Host ports not reported unless the engine is rootless: CIS 5.8 accepts 80/443 for load balancers. */
  quietPorts: readonly unknown[];
}

export default defineRule<PrivilegedHostPortOptions>({
  meta: {
    id: 'range/privileged-host-port',
    description: 'A host port below 1024 (80 and 443 only when rootless): rootless Docker and Podman refuse to publish it.',
    defaultSeverity: 'info',
    fixable: false,
    concern: 'host port',
    docs: 'docs/rules/range/privileged-host-port.md',
    optionsSchema: {
      type: 'object',
      properties: {
        rootless: { type: 'boolean' },
        quietPorts: {
          type: 'array',
          items: portEntrySchema,
          description: 'Host ports (numbers, or "a-b" ranges) reported only when the engine is rootless. Default [80, 443]; [] reports every privileged port.',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { rootless: false, quietPorts: [80, 443] },
  },
  check({ projects, options, settings }) {
    // A live host (audit, check --live) says what its kernel uses.
    const UNPRIVILEGED_START = settings.unprivilegedPortStart ?? KERNEL_UNPRIVILEGED_START;
    const rootless = options.rootless === true || settings.rootless;
    // Rootless, every privileged port stops the container, so none is quiet.
    const quiet = rootless ? [] : parsePortList(options.quietPorts, 'quietPorts');
    const findings: RuleFinding[] = [];
    for (const { project, item, bindings } of placeGroups(projects)) {
      const hits = subtractIntervals(hostPortsWithin(bindings, 0, UNPRIVILEGED_START - 1), quiet);
      if (!hits.length) continue;
      const lowest = hits[0].start;
      const ports = hostPortsPhrase(bindings, hits);
      const single = bindings.length === 1 && bindings[0].hostPorts!.start === bindings[0].hostPorts!.end;
      const instead = single ? `a port such as ${lowest + 8000}` : `host ports of ${UNPRIVILEGED_START} or more`;
      const it = single ? 'it' : 'them';
      const head = `${ports} on ${addressesText(bindings.flatMap((b) => b.listeners))} ${isAre(ports)} below ${UNPRIVILEGED_START}`;
      const message = rootless
        ? `${head}, so rootless Docker and Podman refuse to publish ${it} and the container will not start; use ${instead}`
        : `${head}: rootful Docker publishes ${it}, rootless Docker and Podman refuse ${it}; to run rootless, use ${instead}`;
      const finding: RuleFinding = { project, service: bindings[0].service, loc: item.loc, message, binding: bindings[0] };
      if (rootless) finding.severity = 'error';
      findings.push(finding);
    }
    return findings;
  },
});
