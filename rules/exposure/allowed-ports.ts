/**
 * Port lists in rule options: a number (`443`) or a range string (`"8000-8010"`).
 * Used by `allowedPorts` (exposure/unbound-publish, exposure/explicit-wildcard) and by the
 * port lists of exposure/sensitive-port-public.
 */
import type { Binding, Project } from '../../src/model/types';
import { eachBinding } from '../../src/engine/findings';
import { runSlice } from '../../src/model/port-grammar';
import { firstPortOutside } from '../../src/model/listeners';
import { subtractIntervals } from '../../src/engine/words';

export interface PortInterval {
  start: number;
  end: number;
}

/** One entry of a port list: 0..65535, or "a-b" with a <= b. */
export const portEntrySchema = {
  oneOf: [
    { type: 'integer', minimum: 0, maximum: 65535 },
    { type: 'string', pattern: '^[0-9]{1,5}(-[0-9]{1,5})?$' },
  ],
} as const;

/** JSON schema of an `allowedPorts` option. */
export const allowedPortsSchema = {
  type: 'array',
  items: portEntrySchema,
  description: 'Host ports (numbers, or "a-b" ranges) that may be published on every interface, e.g. [80, 443] for a reverse proxy.',
} as const;

const MAX_PORT = 65535;

/** A port number or "a-b" range; undefined when the entry is neither. Numeric strings ("443") are accepted too. */
export function parsePortEntry(entry: unknown): PortInterval | undefined {
  if (typeof entry === 'number') {
    return Number.isInteger(entry) && entry >= 0 && entry <= MAX_PORT ? { start: entry, end: entry } : undefined;
  }
  if (typeof entry !== 'string') return undefined;
  const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(entry);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > MAX_PORT || end > MAX_PORT || end < start) return undefined;
  return { start, end };
}

/**
 * Parses a port list option. An entry that is not a port or a range is a configuration
 * error: it throws, naming the option and the entry, rather than silently ignoring it.
 */
export function parsePortList(entries: readonly unknown[] | undefined, optionName: string): PortInterval[] {
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new Error(`option ${optionName} must be a list of ports or "a-b" ranges`);
  return entries.map((entry, i) => {
    const interval = parsePortEntry(entry);
    if (!interval) throw new Error(`option ${optionName}[${i}]: ${JSON.stringify(entry)} is not a port (0-65535) or a range "a-b"`);
    return interval;
  });
}


/**
 * True when the binding's host port(s) all fall in the allowed set. An engine-chosen
 * (random) host port is never allowed: it cannot be known to be in the set.
 */
export function hostPortsAllowed(binding: Binding, allowed: readonly PortInterval[]): boolean {
  const p = binding.hostPorts;
  if (!p || allowed.length === 0) return false;
  return firstPortOutside(p.start, p.end, allowed) > p.end;
}

/** The `allowedPorts` option as rule metadata, for the rules that take it. */
export const allowedPortsOption = {
  optionsSchema: { type: 'object', properties: { allowedPorts: allowedPortsSchema }, additionalProperties: false },
  defaultOptions: { allowedPorts: [] },
};

/**
 * The bindings a rule reports: those `exposed` selects, minus the host ports that are allowed
 * (a run keeps the parts of it that are not allowed, as runs of their own).
 */
export function exposedBindings(projects: Project[], options: { allowedPorts: readonly unknown[] }, exposed: (b: Binding) => boolean): Array<[Project, Binding]> {
  const allowed = parsePortList(options.allowedPorts, 'allowedPorts');
  const out: Array<[Project, Binding]> = [];
  for (const [project, b] of eachBinding(projects)) {
    if (!exposed(b) || hostPortsAllowed(b, allowed)) continue;
    if (b.count === 1 || !b.hostPorts || allowed.length === 0) out.push([project, b]);
    else for (const part of notAllowedParts(b, allowed)) out.push([project, part]);
  }
  return out;
}

/** The runs of a run binding whose host ports are outside the allowed set. */
function notAllowedParts(b: Binding, allowed: readonly PortInterval[]): Binding[] {
  const { start } = b.hostPorts!;
  return subtractIntervals([b.hostPorts!], allowed).map((iv) => runSlice(b, iv.start - start, iv.end - iv.start + 1));
}
