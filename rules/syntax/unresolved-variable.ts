import { defineRule, type RuleFinding } from '../../src/engine/rule';
import type { Binding, PortItem } from '../../src/model/types';
import { isWildcardListener, placeGroups } from '../../src/engine/findings';
import { SWARM_DYNAMIC_PORTS } from '../../src/model/swarm-ports';
import { addressesText, intervalText, intervalsText, severalPorts } from '../../src/engine/words';
import { containerPorts } from '../../src/model/port-grammar';
import { hostIntervals } from '../range/ports';

/** Which part of a port entry a variable stands in. */
export type PortPart = 'host_ip' | 'published' | 'target' | 'protocol' | 'other';

const NAME = /[_A-Za-z][_A-Za-z0-9]*/y;

/**
 * Where each variable of a port item stands, judged from the text as written. Short syntax:
 * the text is cut at the colons outside `${...}` as Compose cuts the interpolated spec (last
 * field the container port and protocol, the one before it the host port, the rest the host IP);
 * a variable anywhere inside an expression (also in its default) counts where the expression stands.
 * Long syntax: the field whose value holds the variable.
 */
export function variableParts(item: PortItem): Map<string, PortPart[]> {
  const found: Array<{ name: string; at: number }> = [];
  const raw = item.raw;
  const colons: number[] = [];
  /** The text with every expression blanked out, so keys and colons are found outside them only. */
  let masked = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '$') {
      if (raw[i + 1] === '$') {
        masked += '__';
        i += 2;
        continue;
      }
      if (raw[i + 1] === '{') {
        const start = i;
        let depth = 0;
        let j = i + 1;
        for (; j < raw.length; j++) {
          if (raw[j] === '{') depth++;
          else if (raw[j] === '}' && --depth === 0) break;
        }
        const body = raw.slice(start, j + 1);
        for (const m of body.matchAll(/\$\{?([_A-Za-z][_A-Za-z0-9]*)/g)) found.push({ name: m[1], at: start });
        masked += '_'.repeat(body.length);
        i = j + 1;
        continue;
      }
      NAME.lastIndex = i + 1;
      const m = NAME.exec(raw);
      if (m) {
        found.push({ name: m[0], at: i });
        masked += '_'.repeat(1 + m[0].length);
        i += 1 + m[0].length;
        continue;
      }
    }
    if (c === ':') colons.push(i);
    masked += c;
    i++;
  }
  const out = new Map<string, PortPart[]>();
  const add = (name: string, part: PortPart) => {
    const list = out.get(name) ?? [];
    if (!list.includes(part)) list.push(part);
    out.set(name, list);
  };
  if (item.syntax === 'short') {
    const n = colons.length;
    for (const { name, at } of found) {
      const field = colons.filter((c) => c < at).length; // index of the colon-separated field
      let part: PortPart;
      if (field === n) {
        const slash = masked.indexOf('/', n ? colons[n - 1] : 0);
        part = slash >= 0 && slash < at ? 'protocol' : 'target';
      } else if (field === n - 1) part = 'published';
      else part = 'host_ip';
      add(name, part);
    }
    return out;
  }
  const keys = [...masked.matchAll(/(?:^|[\s{,])["']?([A-Za-z_][\w.-]*)["']?[ \t]*:/g)].map((m) => ({ key: m[1], at: m.index! + m[0].length }));
  for (const { name, at } of found) {
    const key = keys.filter((k) => k.at <= at).pop()?.key;
    add(name, key === 'host_ip' || key === 'published' || key === 'target' || key === 'protocol' ? key : 'other');
  }
  return out;
}

/** What the empty value does to the binding, in words. */
function consequence(part: PortPart, bindings: Binding[]): string | undefined {
  const b = bindings[0];
  const ports = hostIntervals(bindings);
  switch (part) {
    case 'host_ip':
      // On every interface, exposure/unbound-publish reports it, naming the variable and its fix: one finding, not two saying the same.
      if (b.hostIp === '' && b.listeners.some(isWildcardListener)) return undefined;
      return b.hostIp === ''
        ? `Docker publishes ${ports.length ? `host port${severalPorts(ports) ? 's' : ''} ${intervalsText(ports)}` : 'the port'} on the network's default address (${addressesText(bindings.flatMap((b) => b.listeners))})`
        : `the host IP becomes ${b.hostIp}`;
    case 'published':
      return b.hostPorts === undefined
        ? b.swarm
          ? `Swarm publishes container port ${b.containerPort} on a port it picks from ${SWARM_DYNAMIC_PORTS.start}-${SWARM_DYNAMIC_PORTS.end}`
          : `Docker publishes container port ${b.containerPort} on a random host port`
        : `the host port becomes ${b.hostPort}`;
    case 'target':
      return `the container port becomes ${intervalText(containerPorts(b))}`;
    case 'protocol':
      return `the protocol falls back to ${b.protocol}`;
    default:
      return undefined;
  }
}

function example(name: string, part: PortPart, b: Binding): string {
  if (part === 'host_ip') return `\${${name}:-127.0.0.1}`;
  if (part === 'published' || part === 'target') return `\${${name}:-${b.containerPort}}`;
  if (part === 'protocol') return `\${${name}:-tcp}`;
  return `\${${name}:-…}`;
}

export default defineRule<Record<string, never>>({
  meta: {
    id: 'syntax/unresolved-variable',
    description: 'A variable in a port entry with no value and no default, which widens exposure or makes the host port random.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'docs/rules/syntax/unresolved-variable.md',
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    // Only items that publish: bindings exist for enabled services outside host/none/shared network modes.
    for (const { project, item, bindings } of placeGroups(projects)) {
      if (!item.unsetVariables.length) continue;
      const parts = variableParts(item);
      const effects: string[] = [];
      const reported: Array<{ name: string; part: PortPart }> = [];
      for (const name of item.unsetVariables) {
        const where = parts.get(name) ?? ['other'];
        const found = where.map((p) => consequence(p, bindings)).filter((e): e is string => e !== undefined);
        if (!found.length) continue;
        for (const e of found) if (!effects.includes(e)) effects.push(e);
        reported.push({ name, part: where[0] });
      }
      if (!reported.length) continue;
      const names = reported.map((r) => r.name);
      const defaults = reported.map((r) => example(r.name, r.part, bindings[0])).join(' and ');
      const unset = names.length === 1 ? `${names[0]} is not set and has no default` : `${names.join(' and ')} are not set and have no default`;
      const fix = `set ${names.length === 1 ? 'it' : 'them'} or use ${defaults}`;
      const message = `${unset}, so ${effects.join(' and ')}; ${fix}`;
      const onlyHostIp = reported.every((r) => r.part === 'host_ip');
      const loc = onlyHostIp && item.hostIpLoc ? item.hostIpLoc : item.loc;
      findings.push({ project, service: bindings[0].service, loc, message, binding: bindings[0] });
    }
    return findings;
  },
});
