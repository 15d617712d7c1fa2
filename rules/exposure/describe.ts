/** Message vocabulary shared by the exposure rules: one finding per port item, in plain words. */
import type { Binding, Listener, PortItem, Project } from '../../src/model/types';
import { isWildcardListener } from '../../src/engine/findings';

export interface ItemGroup {
  project: Project;
  item: PortItem;
  /** The item's bindings that the rule reports, in load order. */
  bindings: Binding[];
}

/**
 * Groups reported bindings by the port item that produced them, so a range item such as
 * "8000-8010:8000-8010" gives one finding rather than eleven. Order: load order of the first binding.
 */
export function groupByItem(pairs: Iterable<[Project, Binding]>): ItemGroup[] {
  const groups: ItemGroup[] = [];
  const index = new Map<Project, Map<PortItem, ItemGroup>>();
  for (const [project, binding] of pairs) {
    let byItem = index.get(project);
    if (!byItem) index.set(project, (byItem = new Map()));
    let group = byItem.get(binding.item);
    if (!group) {
      group = { project, item: binding.item, bindings: [] };
      byItem.set(binding.item, group);
      groups.push(group);
    }
    group.bindings.push(binding);
  }
  return groups;
}

/** Every binding the item produced in its project (reported or not), for fix suggestions. */
export function itemBindings(project: Project, item: PortItem): Binding[] {
  return project.bindings.filter((b) => b.item === item);
}

function protoSuffix(protocol: string): string {
  return protocol === 'tcp' ? '' : `/${protocol}`;
}

function compress(ports: number[]): string[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out;
}

/**
 * The host port(s) of the bindings: "port 8080", "ports 8000-8002", "a port the Engine picks
 * from 8000-8010", "a random port", "random ports"; a protocol other than tcp is appended ("port 53/udp").
 */
export function hostPortsPhrase(bindings: readonly Binding[]): string {
  const parts: string[] = [];
  const byProto = new Map<string, Binding[]>();
  for (const b of bindings) byProto.set(b.protocol, [...(byProto.get(b.protocol) ?? []), b]);
  for (const [protocol, list] of byProto) {
    const suffix = protoSuffix(protocol);
    const fixed = list.filter((b) => b.hostPorts && b.hostPorts.start === b.hostPorts.end).map((b) => b.hostPorts!.start);
    const ranges = list.filter((b) => b.hostPorts && b.hostPorts.start !== b.hostPorts.end);
    const random = list.filter((b) => !b.hostPorts).length;
    if (fixed.length) {
      const runs = compress(fixed);
      const plural = fixed.length > 1;
      parts.push(`${plural ? 'ports' : 'port'} ${runs.map((r) => r + suffix).join(', ')}`);
    }
    for (const r of ranges) parts.push(`a port the Engine picks from ${r.hostPorts!.start}-${r.hostPorts!.end}${suffix}`);
    if (random === 1) parts.push(`a random port${suffix ? ` (${protocol})` : ''}`);
    else if (random > 1) parts.push(`${random} random ports${suffix ? ` (${protocol})` : ''}`);
  }
  return joinAnd(parts);
}

export function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * Where the listeners are, in words: "every interface (0.0.0.0 and ::)", "every IPv4 interface
 * (0.0.0.0)", "every IPv6 interface (::)", or the specific addresses ("192.168.1.10").
 */
export function whereText(listeners: readonly Listener[]): string {
  const v4 = listeners.some((l) => isWildcardListener(l) && l.family === 4);
  const v6 = listeners.some((l) => isWildcardListener(l) && l.family === 6);
  const parts: string[] = [];
  if (v4 && v6) parts.push('every interface (0.0.0.0 and ::)');
  else if (v4) parts.push('every IPv4 interface (0.0.0.0)');
  else if (v6) parts.push('every IPv6 interface (::)');
  const specific = [...new Set(listeners.filter((l) => !isWildcardListener(l)).map((l) => (l.family === 6 ? `[${l.address}]` : l.address)))];
  if (specific.length) parts.push(specific.join(', '));
  return joinAnd(parts);
}

/**
 * A concrete rewrite of the item that binds it to `address` (127.0.0.1 or ::1): for short
 * syntax the entry itself (`"127.0.0.1:8080:80"`), for long syntax the key to add or change.
 * Built from the bindings the item produced, so interpolated values show as they resolved.
 */
export function boundSpec(item: PortItem, bindings: readonly Binding[], address = '127.0.0.1'): string {
  if (item.syntax === 'long') return `host_ip: ${address.includes(':') ? JSON.stringify(address) : address}`;
  if (!bindings.length) return `"${address}:${item.spec}"`;
  const ip = address.includes(':') ? `[${address}]` : address;
  const ctr = bindings.map((b) => b.containerPort);
  const cStart = Math.min(...ctr);
  const cEnd = Math.max(...ctr);
  const ctrText = cStart === cEnd ? String(cStart) : `${cStart}-${cEnd}`;
  let host: string;
  if (bindings.length === 1) {
    host = bindings[0].hostPort;
  } else if (bindings.every((b) => b.hostPorts)) {
    const hosts = bindings.map((b) => b.hostPorts!.start);
    const hStart = Math.min(...hosts);
    const hEnd = Math.max(...hosts);
    host = hStart === hEnd ? String(hStart) : `${hStart}-${hEnd}`;
  } else {
    host = '';
  }
  return `"${ip}:${host}:${ctrText}${protoSuffix(bindings[0].protocol)}"`;
}

/** `HOST_IP is not set` / `HOST_IP and PORT are not set`. */
export function unsetText(names: readonly string[]): string {
  return `${joinAnd(names)} ${names.length > 1 ? 'are' : 'is'} not set`;
}
