/** Message vocabulary shared by the exposure rules: one finding per port item, in plain words. */
import type { Binding, Listener, PortItem, Project } from '../../src/model/types';
import { isEditFix, type FindingFix, type TextEdit } from '../../src/fix/edits';
import { bindToLoopbackFix, type Quote } from '../../src/fix/port-fixes';
import { isWildcardListener, itemBindings } from '../../src/engine/findings';
import { variableParts } from '../syntax/unresolved-variable';
import { daemonHoldingAt, movedSpelling } from '../range/host-daemons';
import { PLATFORM_NAMES, type Platform } from '../../src/engine/rule';
import { addressText, intervalText, joinAnd, mergeIntervals, severalPorts } from '../../src/engine/words';
import { containerPorts, picksHostPort } from '../../src/model/port-grammar';

function protoSuffix(protocol: string): string {
  return protocol === 'tcp' ? '' : `/${protocol}`;
}

/**
 * The host port(s) of the bindings: "port 8080", "ports 8000-8002", "a port the Engine picks
 * from 8000-8010", "a random port", "random ports"; a protocol other than tcp is appended ("port 53/udp").
 */
export function hostPortsPhrase(bindings: readonly Binding[]): string {
  const parts: string[] = [];
  const byProto = new Map<string, Binding[]>();
  for (const b of bindings) {
    const list = byProto.get(b.protocol);
    if (list) list.push(b);
    else byProto.set(b.protocol, [b]);
  }
  for (const [protocol, list] of byProto) {
    const suffix = protoSuffix(protocol);
    const fixed = mergeIntervals(list.flatMap((b) => (b.hostPorts && !picksHostPort(b) ? [b.hostPorts] : [])));
    const ranges = list.filter(picksHostPort);
    const random = list.reduce((n, b) => (b.hostPorts ? n : n + b.count), 0);
    if (fixed.length) {
      parts.push(`${severalPorts(fixed) ? 'ports' : 'port'} ${fixed.map((r) => intervalText(r) + suffix).join(', ')}`);
    }
    for (const r of ranges) parts.push(`a port the Engine picks from ${r.hostPorts!.start}-${r.hostPorts!.end}${suffix}`);
    if (random === 1) parts.push(`a random port${suffix ? ` (${protocol})` : ''}`);
    else if (random > 1) parts.push(`${random} random ports${suffix ? ` (${protocol})` : ''}`);
  }
  return joinAnd(parts);
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
  const specific = [...new Set(listeners.filter((l) => !isWildcardListener(l)).map(addressText))];
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
  let cStart = Infinity;
  let cEnd = -Infinity;
  for (const b of bindings) {
    const c = containerPorts(b);
    cStart = Math.min(cStart, c.start);
    cEnd = Math.max(cEnd, c.end);
  }
  const ctrText = intervalText({ start: cStart, end: cEnd });
  let host: string;
  if (bindings.length === 1) {
    host = bindings[0].hostPort;
  } else if (bindings.every((b) => b.hostPorts)) {
    let hStart = Infinity;
    let hEnd = -Infinity;
    for (const b of bindings) {
      hStart = Math.min(hStart, b.hostPorts!.start);
      hEnd = Math.max(hEnd, b.hostPorts!.end);
    }
    host = intervalText({ start: hStart, end: hEnd });
  } else {
    host = '';
  }
  return `"${ip}:${host}:${ctrText}${protoSuffix(bindings[0].protocol)}"`;
}

/** `HOST_IP is not set` / `HOST_IP and PORT are not set`. */
export function unsetText(names: readonly string[]): string {
  return `${joinAnd(names)} ${names.length > 1 ? 'are' : 'is'} not set`;
}

/** The port item's text after the edits that fall inside it (what --fix would leave there). */
export function rewrittenItem(item: PortItem, fix: { edits: readonly TextEdit[] }): string {
  let text = item.raw;
  const inside = fix.edits.filter((e) => e.offset >= item.loc.offset && e.endOffset <= item.loc.endOffset);
  for (const e of [...inside].sort((a, b) => b.offset - a.offset)) {
    text = text.slice(0, e.offset - item.loc.offset) + e.text + text.slice(e.endOffset - item.loc.offset);
  }
  return text;
}

/**
 * How to keep a port entry private, in one wording for every exposure rule, so two findings on
 * one entry never advise two different spellings. An entry that names no host IP gets what
 * --fix writes (or why it leaves the entry alone, e.g. when the host part comes from a
 * variable); an explicit wildcard gets its variable named or the loopback spelling; any other
 * address the loopback spelling.
 */
export function privateAdvice(project: Project, item: PortItem, bindings: readonly Binding[], quote: Quote, platform: Platform): { how: string; fix?: FindingFix } {
  const loopback = loopbackFor(bindings);
  const advice = loopbackAdvice(project, item, bindings, quote, loopback);
  // 127.0.0.1:22 still meets sshd on 0.0.0.0:22: say where the loopback spelling needs another port too.
  const held = bindings.length === 1 ? daemonHoldingAt(bindings[0], loopback, platform) : undefined;
  if (!held) return advice;
  const on = held.platforms.map((p) => PLATFORM_NAMES[p]).join(' or ');
  const moved = movedSpelling({ ...bindings[0], hostIp: loopback }, held.alternative!);
  return { ...advice, how: `${advice.how} (on a ${on} host, ${held.name} holds ${bindings[0].hostPort} there too: ${moved})` };
}

function loopbackFor(bindings: readonly Binding[]): string {
  return bindings.every((b) => b.listeners.every((l) => l.family === 6)) ? '::1' : '127.0.0.1';
}

/** The advice for `loopback`, the loopback address of the bindings' family (127.0.0.1 when no host IP is named: what --fix writes). */
function loopbackAdvice(project: Project, item: PortItem, bindings: readonly Binding[], quote: Quote, loopback: string): { how: string; fix?: FindingFix } {
  const ip = bindings[0].hostIp;
  if (ip === '') {
    const fix = bindToLoopbackFix(item, quote);
    if (isEditFix(fix)) return { how: item.syntax === 'long' ? 'add host_ip: 127.0.0.1' : `write ${rewrittenItem(item, fix)}`, fix };
    if (fix) return { how: `bind it to 127.0.0.1: ${fix.reason}`, fix };
    return { how: `recreate it bound to one address, e.g. -p ${boundSpec(item, itemBindings(project, item)).replace(/"/g, '')}` };
  }
  const names = hostIpVariables(item);
  if (names.length > 0) return { how: `set ${names.join(' or ')} to a specific address such as ${loopback}` };
  return { how: item.syntax === 'long' ? `set ${boundSpec(item, [], loopback)}` : `write ${boundSpec(item, itemBindings(project, item), loopback)}` };
}

/** The variables the host IP comes from (all of the item's variables if none can be placed); none when it is written out. */
export function hostIpVariables(item: PortItem): string[] {
  if (!item.hostFromVariable) return [];
  const hostVariables = [...variableParts(item)].filter(([, parts]) => parts.includes('host_ip')).map(([name]) => name);
  return hostVariables.length ? hostVariables : item.variables;
}
