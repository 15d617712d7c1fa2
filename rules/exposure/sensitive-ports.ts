/**
 * Sensitive ports (datastores, admin, debugger and remote-shell ports) and which bindings publish
 * them, for exposure/sensitive-port-public (Compose) and swarm/sensitive-port-public (Swarm): the
 * options built from the catalogue, and the detection on intervals (a run is never expanded), by
 * port and by the service's image.
 */
import { groupByItem, publicListeners, type ItemGroup } from '../../src/engine/findings';
import { joinAnd, mergeIntervals, subtractIntervals, type Interval } from '../../src/engine/words';
import { picksHostPort, runSlice } from '../../src/model/port-grammar';
import type { Binding, Project } from '../../src/model/types';
import { parsePortEntry, parsePortList, portEntrySchema, type PortInterval } from './allowed-ports';
import { SENSITIVE_CATALOGUE } from './sensitive-catalogue';
import { imageRepository, repositoryMatcher, type RepositoryMatcher } from '../../src/model/image-ref';
import { isObject } from '../../src/util/json';

/** An entry of `ports` / `additionalPorts`: a port, a range "a-b", or either with a name and a reason for messages. */
export type SensitivePortEntry = number | string | { port: number | string; name?: string; reason?: string };

/**
 * An entry of `images` / `additionalImages`: an image name (`mariadb`, or a repository tail such
 * as `mssql/server`), or several, with a name and a reason, and the container ports that are
 * sensitive (every published port of the service when absent).
 */
export type SensitiveImageEntry = string | { image: string | string[]; name?: string; reason?: string; ports?: Array<number | string> };

export interface SensitivePortOptions {
  ports: SensitivePortEntry[];
  additionalPorts: SensitivePortEntry[];
  images: SensitiveImageEntry[];
  additionalImages: SensitiveImageEntry[];
}

/** The catalogue's ports, one entry per port, in port order. See sensitive-catalogue.ts and the rule's page. */
export const DEFAULT_SENSITIVE_PORTS: ReadonlyArray<{ port: number; name: string; reason: string }> = SENSITIVE_CATALOGUE.flatMap((row) =>
  (row.ports ?? []).map((port) => ({ port, name: row.name, reason: row.reason })),
).sort((a, b) => a.port - b.port);

/** The catalogue's images, one entry per row, in catalogue order. */
export const DEFAULT_SENSITIVE_IMAGES: ReadonlyArray<{ image: string[]; name: string; reason: string; ports?: number[] }> = SENSITIVE_CATALOGUE.flatMap((row) =>
  row.images ? [{ image: [...row.images], name: row.name, reason: row.reason, ...(row.imagePorts && { ports: [...row.imagePorts] }) }] : [],
);

const textSchema = { type: 'string', minLength: 1 };

const entrySchema = {
  oneOf: [
    ...portEntrySchema.oneOf,
    {
      type: 'object',
      properties: { port: portEntrySchema, name: textSchema, reason: textSchema },
      required: ['port'],
      additionalProperties: false,
    },
  ],
};

const imagePatternSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9._/-]*$' };

const imageEntrySchema = {
  oneOf: [
    imagePatternSchema,
    {
      type: 'object',
      properties: {
        image: { oneOf: [imagePatternSchema, { type: 'array', items: imagePatternSchema, minItems: 1 }] },
        name: textSchema,
        reason: textSchema,
        ports: { type: 'array', items: portEntrySchema },
      },
      required: ['image'],
      additionalProperties: false,
    },
  ],
};

/** At most this many sensitive ports are named in one message. */
const MAX_NAMED = 3;

export interface SensitivePort extends PortInterval {
  name?: string;
  reason?: string;
}

interface SensitiveImage {
  matches: RepositoryMatcher;
  name: string;
  reason?: string;
  /** Container ports that are sensitive; every published port when absent. */
  ports?: PortInterval[];
}

const optionalText = (v: unknown) => v === undefined || typeof v === 'string';

function parseSensitiveList(entries: readonly unknown[] | undefined, optionName: string): SensitivePort[] {
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new Error(`option ${optionName} must be a list of ports, "a-b" ranges or { port, name, reason } objects`);
  return entries.map((entry, i) => {
    const port = isObject(entry) ? entry.port : entry;
    const { name, reason } = isObject(entry) ? entry : {};
    const interval = parsePortEntry(port);
    if (!interval || !optionalText(name) || !optionalText(reason)) {
      throw new Error(`option ${optionName}[${i}]: ${JSON.stringify(entry)} is not a port (0-65535), a range "a-b" or { "port": 5432, "name": "PostgreSQL" }`);
    }
    return { ...interval, name: (name as string) || undefined, reason: (reason as string) || undefined };
  });
}

function parseImageList(entries: readonly unknown[] | undefined, optionName: string): SensitiveImage[] {
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new Error(`option ${optionName} must be a list of image names or { image, name, reason, ports } objects`);
  return entries.map((entry, i) => {
    const image = isObject(entry) ? entry.image : entry;
    const { name, reason, ports } = isObject(entry) ? entry : {};
    const patterns = typeof image === 'string' ? [image] : image;
    if (!Array.isArray(patterns) || !patterns.length || !patterns.every((p) => typeof p === 'string' && p) || !optionalText(name) || !optionalText(reason)) {
      throw new Error(`option ${optionName}[${i}]: ${JSON.stringify(entry)} is not an image name or { "image": "mariadb", "name": "MariaDB", "ports": [3306] }`);
    }
    return {
      matches: repositoryMatcher(patterns as string[]),
      name: (name as string) || (patterns[0] as string),
      reason: (reason as string) || undefined,
      ...(ports !== undefined && { ports: parsePortList(ports as unknown[], `${optionName}[${i}].ports`) }),
    };
  });
}

/** What a binding publishes that the list names, for the message. */
interface Named {
  name: string;
  ports: Interval;
  reason?: string;
  /** The service's image, when the image made it sensitive. */
  image?: string;
}

/** "PostgreSQL (5432)", "port 8500" for an unnamed entry, "MariaDB (image mariadb:11, port 4001)" for an image. */
function label(n: Named, port: number): string {
  if (n.image !== undefined) return `${n.name} (image ${n.image}, port ${port})`;
  return n.name ? `${n.name} (${port})` : `port ${port}`;
}

/** Sensitive ports a binding publishes: the ports named, and which ports of its run match. */
interface Hits {
  named: Named[];
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
function portHits(binding: Binding, list: readonly SensitivePort[]): Hits {
  const named: Named[] = [];
  const offsets: Interval[] = [];
  const last = binding.count - 1;
  const h = binding.hostPorts;
  const picks = picksHostPort(binding);
  for (const entry of list) {
    const name = entry.name ?? '';
    const add = (o: Interval, ports: Interval) => {
      offsets.push(o);
      named.push({ name, ports, reason: entry.reason });
    };
    for (const o of clip(entry.start - binding.containerPort, entry.end - binding.containerPort, last)) {
      add(o, { start: binding.containerPort + o.start, end: binding.containerPort + o.end });
    }
    if (h === undefined) continue;
    if (picks) {
      // One binding; name every sensitive port of the range it may pick.
      if (h.start <= entry.end && entry.start <= h.end) add({ start: 0, end: 0 }, { start: Math.max(h.start, entry.start), end: Math.min(h.end, entry.end) });
      continue;
    }
    for (const o of clip(entry.start - h.start, entry.end - h.start, last)) add(o, { start: h.start + o.start, end: h.start + o.end });
  }
  return { named, offsets: mergeIntervals(offsets) };
}

/**
 * What the service's image adds: its sensitive container ports (all of them for a datastore),
 * except those the port list already named, so a port is named once.
 */
function addImageHits(hits: Hits, binding: Binding, image: string, entries: readonly SensitiveImage[]): Hits {
  const last = binding.count - 1;
  const offsets = [...hits.offsets];
  const named = [...hits.named];
  for (const entry of entries) {
    const wanted = entry.ports ? entry.ports.flatMap((p) => clip(p.start - binding.containerPort, p.end - binding.containerPort, last)) : [{ start: 0, end: last }];
    for (const w of wanted) {
      for (const o of subtractIntervals([w], offsets)) {
        offsets.push(o);
        named.push({ name: entry.name, reason: entry.reason, image, ports: { start: binding.containerPort + o.start, end: binding.containerPort + o.end } });
      }
    }
  }
  return { named, offsets: mergeIntervals(offsets) };
}

/** The first `MAX_NAMED` labels of the named ports (each port once) and how many more there are. */
function namedText(named: readonly Named[]): string {
  const byName = new Map<string, { first: Named; intervals: Interval[] }>();
  for (const n of named) {
    const key = `${n.name}\0${n.image ?? ''}`;
    const group = byName.get(key);
    if (group) group.intervals.push(n.ports);
    else byName.set(key, { first: n, intervals: [n.ports] });
  }
  const labels: string[] = [];
  let total = 0;
  for (const { first, intervals } of byName.values()) {
    for (const i of mergeIntervals(intervals)) {
      total += i.end - i.start + 1;
      for (let p = i.start; p <= i.end && labels.length <= MAX_NAMED; p++) labels.push(label(first, p));
    }
  }
  // A wide range can cover many listed ports: name a few and count the rest.
  const rest = total - MAX_NAMED;
  return rest > 0 ? `${labels.slice(0, MAX_NAMED).join(', ')} and ${rest} other sensitive port${rest === 1 ? '' : 's'}` : joinAnd(labels);
}

/** Why, from the named entries' reasons: the first two different ones. */
function reasonText(named: readonly Named[]): string | undefined {
  const reasons = [...new Set(named.map((n) => n.reason).filter((r): r is string => !!r))];
  return reasons.length ? reasons.slice(0, 2).join('; ') : undefined;
}

/** The options schema and defaults of both sensitive-port rules. */
export const sensitivePortOptions = {
  optionsSchema: {
    type: 'object',
    properties: {
      ports: { type: 'array', items: entrySchema, description: 'Replaces the built-in list of sensitive ports.' },
      additionalPorts: { type: 'array', items: entrySchema, description: 'Extends the list of sensitive ports.' },
      images: { type: 'array', items: imageEntrySchema, description: 'Replaces the built-in list of images whose published ports are sensitive ([] turns detection by image off).' },
      additionalImages: { type: 'array', items: imageEntrySchema, description: 'Extends the list of images whose published ports are sensitive.' },
    },
    additionalProperties: false,
  },
  defaultOptions: {
    ports: DEFAULT_SENSITIVE_PORTS.map((p) => ({ ...p })),
    additionalPorts: [],
    images: DEFAULT_SENSITIVE_IMAGES.map((i) => ({ ...i })),
    additionalImages: [],
  },
};

export interface SensitiveGroup extends ItemGroup {
  /** The sensitive ports named ("PostgreSQL (5432)"). */
  what: string;
  /** Why they are sensitive, from the catalogue or the configuration. */
  reason?: string;
}

/** The port items that publish a sensitive port on a non-loopback address, with the ports named and why. */
export function sensitiveGroups(projects: Project[], options: SensitivePortOptions): SensitiveGroup[] {
  const list = [...parseSensitiveList(options.ports ?? DEFAULT_SENSITIVE_PORTS, 'ports'), ...parseSensitiveList(options.additionalPorts, 'additionalPorts')];
  // Image entries naming ports are tried first, so a port is named by its most precise entry (JMX before Kafka); the sort is stable.
  const images = [...parseImageList(options.images ?? DEFAULT_SENSITIVE_IMAGES, 'images'), ...parseImageList(options.additionalImages, 'additionalImages')].sort(
    (a, b) => Number(!a.ports) - Number(!b.ports),
  );
  if (!list.length && !images.length) return [];
  const names = new Map<Binding, Named[]>();
  const reported: Array<[Project, Binding]> = [];
  for (const project of projects) {
    const imageEntries = new Map<string, { image: string; entries: SensitiveImage[] }>();
    if (images.length) {
      for (const s of project.services) {
        if (!s.image) continue;
        const repository = imageRepository(s.image.value);
        const entries = images.filter((e) => e.matches(repository));
        if (entries.length) imageEntries.set(s.name, { image: s.image.value, entries });
      }
    }
    for (const binding of project.bindings) {
      const byImage = imageEntries.get(binding.service);
      if ((!byImage && !meetsAny(binding, list)) || !publicListeners(binding).length) continue;
      let hits = portHits(binding, list);
      if (byImage) hits = addImageHits(hits, binding, byImage.image, byImage.entries);
      for (const o of hits.offsets) {
        const part = runSlice(binding, o.start, o.end - o.start + 1);
        names.set(part, hits.named);
        reported.push([project, part]);
      }
    }
  }
  return groupByItem(reported).map((g) => {
    const named = [...new Set(g.bindings.map((b) => names.get(b)!))].flat();
    const reason = reasonText(named);
    return { ...g, what: namedText(named), ...(reason && { reason }) };
  });
}
