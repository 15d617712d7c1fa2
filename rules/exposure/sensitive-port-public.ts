// rules/exposure/sensitive-port-public.ts
import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { eachBinding, groupByItem, itemBindings, publicListeners } from '../../src/engine/findings';
import { joinAnd } from '../../src/engine/words';
import type { Binding, Project } from '../../src/model/types';
import { parsePortEntry, portEntrySchema, type PortInterval } from './allowed-ports';
import { boundSpec, hostPortsPhrase, whereText } from './describe';

/** An entry of `ports` / `additionalPorts`: a port, a range "a-b", or either with a name for messages. */
export type SensitivePortEntry = number | string | { port: number | string; name?: string };

export interface SensitivePortOptions {
  ports: SensitivePortEntry[];
  additionalPorts: SensitivePortEntry[];
}

/**
 * Datastore, admin and remote-shell ports that are mass-scanned on the internet and are
 * unauthenticated or root-equivalent in a default setup. See the rule's documentation page.
 */
export const DEFAULT_SENSITIVE_PORTS: ReadonlyArray<{ port: number; name: string }> = [
  { port: 22, name: 'SSH' },
  { port: 23, name: 'Telnet' },
  { port: 1433, name: 'Microsoft SQL Server' },
  { port: 2375, name: 'Docker Engine API' },
  { port: 2376, name: 'Docker Engine API (TLS)' },
  { port: 2379, name: 'etcd' },
  { port: 3306, name: 'MySQL' },
  { port: 5432, name: 'PostgreSQL' },
  { port: 5984, name: 'CouchDB' },
  { port: 6379, name: 'Redis' },
  { port: 8086, name: 'InfluxDB' },
  { port: 9200, name: 'Elasticsearch' },
  { port: 9300, name: 'Elasticsearch transport' },
  { port: 11211, name: 'memcached' },
  { port: 27017, name: 'MongoDB' },
];

const entrySchema = {
  oneOf: [
    ...portEntrySchema.oneOf,
    {
      type: 'object',
      properties: { port: portEntrySchema, name: { type: 'string', minLength: 1 } },
      required: ['port'],
      additionalProperties: false,
    },
  ],
};

/** At most this many sensitive ports are named in one message. */
const MAX_NAMED = 3;

interface SensitivePort extends PortInterval {
  name?: string;
}

function parseSensitiveList(entries: readonly unknown[] | undefined, optionName: string): SensitivePort[] {
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new Error(`option ${optionName} must be a list of ports, "a-b" ranges or { port, name } objects`);
  return entries.map((entry, i) => {
    const isObject = typeof entry === 'object' && entry !== null;
    const port = isObject ? (entry as { port?: unknown }).port : entry;
    const name = isObject ? (entry as { name?: unknown }).name : undefined;
    const interval = parsePortEntry(port);
    if (!interval || (name !== undefined && typeof name !== 'string')) {
      throw new Error(`option ${optionName}[${i}]: ${JSON.stringify(entry)} is not a port (0-65535), a range "a-b" or { "port": 5432, "name": "PostgreSQL" }`);
    }
    return { ...interval, name: name || undefined };
  });
}

/** "PostgreSQL (5432)", or "port 8500" for an unnamed entry. */
function label(entry: SensitivePort, port: number): string {
  return entry.name ? `${entry.name} (${port})` : `port ${port}`;
}

/** The sensitive ports a binding publishes: by container port, and by host port or host range. */
function matches(binding: Binding, list: readonly SensitivePort[]): string[] {
  const out: string[] = [];
  for (const entry of list) {
    if (binding.containerPort >= entry.start && binding.containerPort <= entry.end) out.push(label(entry, binding.containerPort));
    const h = binding.hostPorts;
    if (h && h.start <= entry.end && entry.start <= h.end) {
      // Name every sensitive port the host side covers (a host range may hold several).
      const from = Math.max(h.start, entry.start);
      const to = Math.min(h.end, entry.end);
      for (let p = from; p <= to && p - from < 16; p++) out.push(label(entry, p));
    }
  }
  return out;
}

export default defineRule<SensitivePortOptions>({
  meta: {
    id: 'exposure/sensitive-port-public',
    description: 'A datastore, admin or remote-shell port (5432, 6379, 27017, 22, 2375 ...) is published on a non-loopback address.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/exposure/sensitive-port-public.md',
    optionsSchema: {
      type: 'object',
      properties: {
        ports: { type: 'array', items: entrySchema, description: 'Replaces the built-in list of sensitive ports.' },
        additionalPorts: { type: 'array', items: entrySchema, description: 'Extends the list of sensitive ports.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { ports: DEFAULT_SENSITIVE_PORTS.map((p) => ({ ...p })), additionalPorts: [] },
  },
  check({ projects, options }) {
    const list = [
      ...parseSensitiveList(options.ports ?? DEFAULT_SENSITIVE_PORTS, 'ports'),
      ...parseSensitiveList(options.additionalPorts, 'additionalPorts'),
    ];
    if (!list.length) return [];
    const names = new Map<Binding, string[]>();
    const reported: Array<[Project, Binding]> = [];
    for (const [project, binding] of eachBinding(projects)) {
      if (!publicListeners(binding).length) continue;
      const found = matches(binding, list);
      if (!found.length) continue;
      names.set(binding, found);
      reported.push([project, binding]);
    }
    return groupByItem(reported).map(({ project, item, bindings }): RuleFinding => {
      const found = [...new Set(bindings.flatMap((b) => names.get(b)!))];
      // A wide host range can cover many listed ports: name a few and count the rest.
      const rest = found.length - MAX_NAMED;
      const what = rest > 0 ? `${found.slice(0, MAX_NAMED).join(', ')} and ${rest} other sensitive port${rest === 1 ? '' : 's'}` : joinAnd(found);
      const where = whereText(bindings.flatMap(publicListeners));
      const fix = item.syntax === 'long' ? `add ${boundSpec(item, [])}` : `write ${boundSpec(item, itemBindings(project, item))}`;
      const ctr = bindings[0].containerPort;
      const message =
        `publishes ${what} as ${hostPortsPhrase(bindings)} on ${where}; ${fix}, or drop the mapping (containers still reach ${item.service}:${ctr})`;
      return { project, service: item.service, loc: item.loc, message, binding: bindings[0] };
    });
  },
});
