/**
 * Sensitive ports (datastores, admin and remote-shell ports) and which bindings publish them,
 * for exposure/sensitive-port-public (Compose) and swarm/sensitive-port-public (Swarm): the
 * list, its options, and the detection on intervals (a run is never expanded).
 */
import { groupByItem, publicListeners, type ItemGroup } from '../../src/engine/findings';
import { joinAnd, mergeIntervals, type Interval } from '../../src/engine/words';
import { picksHostPort, runSlice } from '../../src/model/port-grammar';
import type { Binding, Project } from '../../src/model/types';
import { parsePortEntry, portEntrySchema, type PortInterval } from './allowed-ports';

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

export interface SensitivePort extends PortInterval {
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
function label(name: string | undefined, port: number): string {
  return name ? `${name} (${port})` : `port ${port}`;
}

/** Sensitive ports a binding publishes: the ports named, and which ports of its run match. */
interface Hits {
  /** Ports to name, by entry name ("" for unnamed entries). */
  named: Array<{ name: string; ports: Interval }>;
  /** Offsets into the binding's run of the ports that match, merged. */
  offsets: Interval[];
}

/** `[from, to]` clipped to `[0, last]`, or nothing. */
function clip(from: number, to: number, last: number): Interval[] {
  const start = Math.max(from, 0);
  const end = Math.min(to, last);
  return start <= end ? [{ start, end }] : [];
}

/** Whether the binding's container or host ports meet an entry: the cheap test every binding takes first. */
function meetsAny(binding: Binding, list: readonly SensitivePort[]): boolean {
  const cStart = binding.containerPort;
  const cEnd = cStart + binding.count - 1;
  const h = binding.hostPorts;
  for (const entry of list) {
    if (entry.start <= cEnd && cStart <= entry.end) return true;
    if (h !== undefined && entry.start <= h.end && h.start <= entry.end) return true;
  }
  return false;
}

/**
 * The sensitive ports a binding publishes: by container port, and by host port (a run, or
 * a host range the Engine picks from). Works on intervals: a run is never expanded.
 */
function sensitiveHits(binding: Binding, list: readonly SensitivePort[]): Hits {
  const named: Hits['named'] = [];
  const offsets: Interval[] = [];
  const last = binding.count - 1;
  const h = binding.hostPorts;
  const picks = picksHostPort(binding);
  for (const entry of list) {
    const name = entry.name ?? '';
    for (const o of clip(entry.start - binding.containerPort, entry.end - binding.containerPort, last)) {
      offsets.push(o);
      named.push({ name, ports: { start: binding.containerPort + o.start, end: binding.containerPort + o.end } });
    }
    if (h === undefined) continue;
    if (picks) {
      // One binding; name every sensitive port of the range it may pick.
      if (h.start <= entry.end && entry.start <= h.end) {
        offsets.push({ start: 0, end: 0 });
        named.push({ name, ports: { start: Math.max(h.start, entry.start), end: Math.min(h.end, entry.end) } });
      }
      continue;
    }
    for (const o of clip(entry.start - h.start, entry.end - h.start, last)) {
      offsets.push(o);
      named.push({ name, ports: { start: h.start + o.start, end: h.start + o.end } });
    }
  }
  return { named, offsets: mergeIntervals(offsets) };
}

/** The first `MAX_NAMED` labels of the named ports (each port once) and how many more there are. */
function namedText(named: ReadonlyArray<{ name: string; ports: Interval }>): string {
  const byName = new Map<string, Interval[]>();
  for (const { name, ports } of named) {
    const list = byName.get(name);
    if (list) list.push(ports);
    else byName.set(name, [ports]);
  }
  const labels: string[] = [];
  let total = 0;
  for (const [name, intervals] of byName) {
    for (const i of mergeIntervals(intervals)) {
      total += i.end - i.start + 1;
      for (let p = i.start; p <= i.end && labels.length <= MAX_NAMED; p++) labels.push(label(name, p));
    }
  }
  // A wide range can cover many listed ports: name a few and count the rest.
  const rest = total - MAX_NAMED;
  return rest > 0 ? `${labels.slice(0, MAX_NAMED).join(', ')} and ${rest} other sensitive port${rest === 1 ? '' : 's'}` : joinAnd(labels);
}

/** The options schema and defaults of both sensitive-port rules. */
export const sensitivePortOptions = {
  optionsSchema: {
    type: 'object',
    properties: {
      ports: { type: 'array', items: entrySchema, description: 'Replaces the built-in list of sensitive ports.' },
      additionalPorts: { type: 'array', items: entrySchema, description: 'Extends the list of sensitive ports.' },
    },
    additionalProperties: false,
  },
  defaultOptions: { ports: DEFAULT_SENSITIVE_PORTS.map((p) => ({ ...p })), additionalPorts: [] },
};

/** The port items that publish a sensitive port on a non-loopback address, with the ports named ("PostgreSQL (5432)"). */
export function sensitiveGroups(projects: Project[], options: SensitivePortOptions): Array<ItemGroup & { what: string }> {
  const list = [...parseSensitiveList(options.ports ?? DEFAULT_SENSITIVE_PORTS, 'ports'), ...parseSensitiveList(options.additionalPorts, 'additionalPorts')];
  if (!list.length) return [];
  const names = new Map<Binding, Hits['named']>();
  const reported: Array<[Project, Binding]> = [];
  for (const project of projects) {
    for (const binding of project.bindings) {
      if (!meetsAny(binding, list) || !publicListeners(binding).length) continue;
      const hits = sensitiveHits(binding, list);
      for (const o of hits.offsets) {
        const part = runSlice(binding, o.start, o.end - o.start + 1);
        names.set(part, hits.named);
        reported.push([project, part]);
      }
    }
  }
  return groupByItem(reported).map((g) => ({ ...g, what: namedText([...new Set(g.bindings.map((b) => names.get(b)!))].flat()) }));
}
