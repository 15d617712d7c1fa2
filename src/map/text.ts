/**
 * The port map in the terminal: per host and address, the port runs in order with who holds
 * them and where they are written, collisions marked with the other holder.
 */
import { painter } from '../report/format';
import type { MapBlock, MapHost, PortMap } from './build';

const ports = (b: Pick<MapBlock, 'start' | 'end'>) => (b.start === b.end ? String(b.start) : `${b.start}-${b.end}`);
const socket = (address: string, family: 4 | 6, b: MapBlock) => `${family === 6 ? `[${address}]` : address}:${ports(b)}/${b.protocol}`;

export function formatMapText(map: PortMap, color: boolean): string {
  const paint = painter(color);
  const where = new Map<number, { lane: MapHost['lanes'][number]; block: MapBlock }>();
  for (const h of map.hosts) for (const lane of h.lanes) for (const block of lane.blocks) where.set(block.id, { lane, block });
  const out: string[] = [];
  for (const host of map.hosts) {
    out.push(paint('bold', host.kind === 'engine' ? `engine ${host.name}` : host.name));
    if (!host.lanes.length && !host.engineChosen.length) out.push('  publishes no port');
    // Columns aligned across the host: ports, exposure, holder, place.
    const all = host.lanes.flatMap((l) => l.blocks);
    const holderOf = (b: MapBlock) => `${b.container ?? b.service} (${b.project})`;
    const placeOf = (b: MapBlock) => (b.file ? `${b.file}:${b.line}` : '');
    const width = Math.max(0, ...all.map((b) => `${ports(b)}/${b.protocol}`.length));
    const holderWidth = Math.max(0, ...all.map((b) => holderOf(b).length));
    const placeWidth = Math.max(0, ...all.map((b) => placeOf(b).length));
    for (const lane of host.lanes) {
      out.push(`  ${paint('underline', lane.family === 6 ? `[${lane.address}]` : lane.address)}${lane.wildcard ? paint('dim', `  every IPv${lane.family} address`) : ''}`);
      for (const b of lane.blocks) {
        const exposure = b.exposure === 'public' ? paint('yellow', 'public  ') : b.exposure === 'loopback' ? 'loopback' : paint('blue', 'address ');
        const holder = holderOf(b).padEnd(holderWidth);
        const at = paint('dim', placeOf(b).padEnd(placeWidth));
        const collides = b.collidesWith.map((id) => where.get(id)!).map(({ lane: l, block: o }) => `${o.container ?? o.service} at ${socket(l.address, l.family, o)}`);
        const mark = collides.length ? `  ${paint('red', `✖ collides with ${collides.join(', ')}`)}` : '';
        const picks = b.picksOne ? paint('dim', ' (the Engine picks one)') : '';
        out.push(`    ${`${ports(b)}/${b.protocol}`.padEnd(width)}  ${exposure}  ${holder}  ${at}${picks}${mark}`.trimEnd());
      }
    }
    if (host.engineChosen.length) {
      out.push(`  ${paint('underline', 'host port chosen by the Engine')}`);
      for (const e of host.engineChosen) out.push(`    ${e.containerPort}/${e.protocol}  ${e.service} (${e.project})  ${e.file ? paint('dim', `${e.file}:${e.line}`) : ''}`);
    }
    out.push('');
  }
  const s = map.summary;
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  out.push(`${count(s.lanes, 'address', 'addresses')}, ${count(s.blocks, 'port block', 'port blocks')} (${s.public} public), ${s.collisions ? paint('red', count(s.collisions, 'collision', 'collisions')) : '0 collisions'}`);
  return out.join('\n') + '\n';
}
