/**
 * The port map: for each host (the compose files, or an engine) and each address the Engine
 * listens on, the port runs held there and by whom, with the collisions the rules found. Built
 * from the shared model: a binding's listeners are its lanes and blocks, a run of a range
 * mapping is one block however wide (nothing here walks ports one by one).
 */
import { relative } from 'node:path';
import { isLoopbackListener, isWildcardListener, itemKey } from '../engine/findings';
import type { Finding } from '../engine/run';
import { listenersMayConflict } from '../model/listeners';
import type { Listener, Project } from '../model/types';

export type Exposure = 'public' | 'loopback' | 'interface';

export interface MapBlock {
  id: number;
  /** First and last host port held (equal for one port). */
  start: number;
  end: number;
  protocol: string;
  /** The Engine binds one free port of the range when the container starts. */
  picksOne?: true;
  exposure: Exposure;
  project: string;
  service: string;
  /** A live container's name. */
  container?: string;
  /** Where the port entry stands, relative to the working directory ("" for a container without a file). */
  file: string;
  line: number;
  /** The entry as written, or the live binding's spec. */
  spec: string;
  containerPort: number;
  /** Blocks this one collides with (ids), from the collision rules. */
  collidesWith: number[];
  /** Findings about this block's entry (indexes into PortMap.findings). */
  findings: number[];
}

export interface MapLane {
  address: string;
  family: 4 | 6;
  /** 0.0.0.0 or ::: every address of the family, so its blocks overlap every other lane of the family. */
  wildcard: boolean;
  blocks: MapBlock[];
}

export interface MapHost {
  /** "compose files", or the engine's name. */
  name: string;
  kind: 'files' | 'engine';
  lanes: MapLane[];
  /** Bindings whose host port the Engine chooses at start (no place on the map). */
  engineChosen: Array<{ project: string; service: string; containerPort: number; protocol: string; file: string; line: number }>;
}

export interface MapFinding {
  ruleId: string;
  severity: string;
  message: string;
  host: string;
  file: string;
  line: number;
  /** Blocks the finding is about. */
  blocks: number[];
}

export interface PortMap {
  hosts: MapHost[];
  findings: MapFinding[];
  /** Blocks in all, collisions (pairs of blocks). */
  summary: { hosts: number; lanes: number; blocks: number; collisions: number; public: number };
}

export interface MapSource {
  name: string;
  kind: MapHost['kind'];
  projects: readonly Project[];
  findings: readonly Finding[];
}

export function exposureOf(l: Listener): Exposure {
  if (isWildcardListener(l)) return 'public';
  return isLoopbackListener(l) ? 'loopback' : 'interface';
}

/** Lanes in a reading order: IPv4 before IPv6, the wildcard first, then by address. */
function laneOrder(a: MapLane, b: MapLane): number {
  return a.family - b.family || Number(b.wildcard) - Number(a.wildcard) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
}

const locKey = (loc: { file: string; offset: number }) => `${loc.file}\0${loc.offset}`;

export function buildPortMap(sources: readonly MapSource[], cwd: string): PortMap {
  let nextId = 0;
  const hosts: MapHost[] = [];
  const findings: MapFinding[] = [];
  let collisions = 0;
  for (const source of sources) {
    const lanes = new Map<string, MapLane>();
    const engineChosen: MapHost['engineChosen'] = [];
    const byItem = new Map<string, Array<{ block: MapBlock; listener: Listener }>>();
    const shown = (file: string) => (file ? relative(cwd, file) || file : '');
    for (const project of source.projects) {
      for (const b of project.bindings) {
        const file = shown(b.item.loc.file);
        const holder = { project: project.name, service: b.service, ...(project.container && { container: project.container.name }) };
        if (b.listeners.some((l) => !l.ports)) engineChosen.push({ project: project.name, service: b.service, containerPort: b.containerPort, protocol: b.protocol, file, line: b.item.loc.line });
        for (const l of b.listeners) {
          if (!l.ports) continue;
          const key = `${l.family}\0${l.address}`;
          let lane = lanes.get(key);
          if (!lane) lanes.set(key, (lane = { address: l.address, family: l.family, wildcard: isWildcardListener(l), blocks: [] }));
          const block: MapBlock = {
            id: nextId++,
            start: l.ports.start,
            end: l.ports.end,
            protocol: l.protocol,
            ...(l.picksOne && { picksOne: true as const }),
            exposure: exposureOf(l),
            ...holder,
            file,
            line: b.item.loc.line,
            spec: b.item.spec,
            containerPort: b.containerPort,
            collidesWith: [],
            findings: [],
          };
          lane.blocks.push(block);
          const list = byItem.get(itemKey(b.item)) ?? [];
          list.push({ block, listener: l });
          byItem.set(itemKey(b.item), list);
        }
      }
    }
    for (const f of source.findings) {
      const own = f.loc.file ? (byItem.get(locKey(f.loc)) ?? []) : [];
      const index = findings.length;
      findings.push({ ruleId: f.ruleId, severity: f.severity, message: f.message, host: source.name, file: shown(f.loc.file), line: f.loc.line, blocks: own.map((x) => x.block.id) });
      for (const x of own) x.block.findings.push(index);
      if (!f.ruleId.startsWith('collision/')) continue;
      // The other side: the related entries' blocks that share a port, protocol and address with this one's.
      for (const r of f.related ?? []) {
        for (const other of byItem.get(locKey(r.loc)) ?? []) {
          for (const mine of own) {
            if (mine.block === other.block || !listenersMayConflict(mine.listener, other.listener) || mine.block.collidesWith.includes(other.block.id)) continue;
            mine.block.collidesWith.push(other.block.id);
            other.block.collidesWith.push(mine.block.id);
            collisions++;
          }
        }
      }
    }
    const sorted = [...lanes.values()].sort(laneOrder);
    for (const lane of sorted) lane.blocks.sort((a, b) => a.start - b.start || a.end - b.end || a.id - b.id);
    hosts.push({ name: source.name, kind: source.kind, lanes: sorted, engineChosen });
  }
  const blocks = hosts.flatMap((h) => h.lanes.flatMap((l) => l.blocks));
  return {
    hosts,
    findings,
    summary: { hosts: hosts.length, lanes: hosts.reduce((n, h) => n + h.lanes.length, 0), blocks: blocks.length, collisions, public: blocks.filter((b) => b.exposure === 'public').length },
  };
}
