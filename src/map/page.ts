/// <reference lib="dom" />
/**
 * The script of the HTML port map, run in the browser. `formatMapHtml` embeds this function's
 * source text in the page and calls it with the map data, so it must not use anything outside
 * its own body (no imports, no module-level helpers): the page is one file with no network.
 *
 * It draws one lane per host and address on a port axis with SVG, only the blocks in view
 * (a run is one rectangle however many ports it holds), and redraws on zoom (wheel, buttons,
 * a block's double click), pan (drag), search and selection.
 */
import type { MapBlock, PortMap } from './build';

export function pageMain(data: PortMap, doc: Document): void {
  doc.body.dataset.startMs = String(Math.round(performance.now()));
  const MIN = 1;
  const MAX = 65535;
  const LABEL = 190;
  const LANE = 26;
  const HOST = 30;
  const AXIS = 34;
  const BANDS = [
    { start: 1, end: 1023, name: 'privileged', title: 'privileged ports (1-1023): root or a lowered unprivileged_port_start' },
    { start: 30000, end: 32767, name: 'nodeport', title: 'Kubernetes NodePort range (30000-32767)' },
    { start: 32768, end: 60999, name: 'ephemeral', title: "Linux's default ephemeral range (32768-60999): outgoing connections take these" },
  ];
  const $ = (id: string) => doc.getElementById(id)!;
  const svg = $('map') as unknown as SVGSVGElement;
  const tip = $('tip');
  const search = $('search') as HTMLInputElement;
  const rangeText = $('range');
  const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  interface Placed {
    block: MapBlock;
    host: string;
    address: string;
    family: 4 | 6;
    wildcard: boolean;
  }
  const blocks = new Map<number, Placed>();
  for (const h of data.hosts) for (const l of h.lanes) for (const b of l.blocks) blocks.set(b.id, { block: b, host: h.name, address: l.address, family: l.family, wildcard: l.wildcard });
  const ports = (b: MapBlock) => (b.start === b.end ? String(b.start) : `${b.start}-${b.end}`);
  const socket = (p: Placed) => `${p.family === 6 ? `[${p.address}]` : p.address}:${ports(p.block)}/${p.block.protocol}`;
  const holder = (b: MapBlock) => `${b.container ?? b.service} (${b.project})`;

  let lo = MIN;
  let hi = MAX;
  let query = '';
  let selected = new Set<number>();
  const width = () => Math.max(600, (svg.parentElement?.clientWidth ?? 1000) - 2);
  const x = (port: number) => LABEL + ((port - lo) / (hi - lo + 1)) * (width() - LABEL);
  const portAt = (px: number) => lo + ((px - LABEL) / (width() - LABEL)) * (hi - lo + 1);

  const matches = (b: MapBlock): boolean => {
    if (!query) return true;
    if (/^\d+$/.test(query)) return Number(query) >= b.start && Number(query) <= b.end;
    const q = query.toLowerCase();
    return [b.service, b.project, b.container ?? '', b.file].some((s) => s.toLowerCase().includes(q));
  };

  // The ports the wildcard lanes of a host hold, as merged intervals (computed once per family).
  const covers = new Map<string, Array<[number, number]>>();
  function wildcardCover(h: PortMap['hosts'][number], family: 4 | 6): Array<[number, number]> {
    const key = `${h.name}\u0000${family}`;
    let cover = covers.get(key);
    if (!cover) {
      const spans = h.lanes.filter((l) => l.wildcard && l.family === family).flatMap((l) => l.blocks.map((b): [number, number] => [b.start, b.end]));
      spans.sort((a, b) => a[0] - b[0]);
      cover = [];
      for (const span of spans) {
        const last = cover[cover.length - 1];
        if (last && span[0] <= last[1] + 1) last[1] = Math.max(last[1], span[1]);
        else cover.push([span[0], span[1]]);
      }
      covers.set(key, cover);
    }
    return cover;
  }

  function ticks(): number[] {
    const span = hi - lo + 1;
    const raw = span / 8;
    const pow = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? pow * 10;
    const out: number[] = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) out.push(Math.max(t, 1));
    return out;
  }

  function draw(): void {
    const w = width();
    const parts: string[] = [];
    let y = AXIS;
    const lanes: string[] = [];
    for (const h of data.hosts) {
      lanes.push(`<text class="host" x="4" y="${y + 20}">${escapeHtml(h.kind === 'engine' ? `engine ${h.name}` : h.name)}</text>`);
      y += HOST;
      for (const l of h.lanes) {
        const top = y;
        lanes.push(`<g class="lane" data-address="${escapeHtml(l.address)}" data-host="${escapeHtml(h.name)}">`);
        lanes.push(`<rect class="track" x="${LABEL}" y="${top + 2}" width="${w - LABEL}" height="${LANE - 4}"/>`);
        lanes.push(`<text class="address" x="12" y="${top + 17}">${escapeHtml(l.family === 6 ? `[${l.address}]` : l.address)}${l.wildcard ? ` <tspan class="every">every IPv${l.family} address</tspan>` : ''}</text>`);
        // A wildcard listener holds its port on every address of its family: shown on each lane of it.
        if (!l.wildcard) {
          for (const [start, end] of wildcardCover(h, l.family)) {
            if (end < lo || start > hi) continue;
            const x0 = Math.max(LABEL, x(start));
            lanes.push(`<rect class="ghost" x="${x0}" y="${top + 5}" width="${Math.max(2, Math.min(w, x(end + 1)) - x0)}" height="${LANE - 10}"/>`);
          }
        }
        for (const b of l.blocks) {
          if (b.end < lo || b.start > hi) continue;
          const x0 = Math.max(LABEL, x(b.start));
          const classes = ['block', b.exposure, b.collidesWith.length ? 'collides' : '', matches(b) ? '' : 'dim', selected.has(b.id) ? 'selected' : ''].filter(Boolean).join(' ');
          lanes.push(
            `<rect class="${classes}" data-id="${b.id}" data-service="${escapeHtml(b.service)}" data-ports="${ports(b)}" data-protocol="${b.protocol}" x="${x0}" y="${top + 3}" width="${Math.max(2, Math.min(w, x(b.end + 1)) - x0)}" height="${LANE - 6}"/>`,
          );
        }
        lanes.push('</g>');
        y += LANE;
      }
    }
    const height = y + 8;
    for (const band of BANDS) {
      if (band.end < lo || band.start > hi) continue;
      const x0 = Math.max(LABEL, x(band.start));
      parts.push(`<rect class="band ${band.name}" x="${x0}" y="${AXIS - 14}" width="${Math.max(1, Math.min(w, x(band.end + 1)) - x0)}" height="${height - AXIS + 14}"><title>${band.title}</title></rect>`);
      parts.push(`<text class="band-label" x="${x0 + 3}" y="${AXIS - 4}">${band.name}</text>`);
    }
    for (const t of ticks()) parts.push(`<line class="tick" x1="${x(t)}" x2="${x(t)}" y1="${AXIS}" y2="${height}"/><text class="tick-label" x="${x(t) + 2}" y="12">${t}</text>`);
    svg.setAttribute('width', String(w));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${w} ${height}`);
    svg.innerHTML = parts.join('') + lanes.join('');
    rangeText.textContent = `ports ${Math.round(lo)}–${Math.round(hi)}`;
  }

  function zoomTo(a: number, b: number): void {
    const span = Math.max(20, b - a);
    const mid = (a + b) / 2;
    lo = Math.max(MIN, Math.round(mid - span / 2));
    hi = Math.min(MAX, Math.round(lo + span));
    lo = Math.max(MIN, Math.round(hi - span));
    draw();
  }
  /** Zooms to show every port from a to b, with a margin around them. */
  const zoomAround = (a: number, b: number) => {
    const pad = Math.max(20, Math.round((b - a) * 0.06));
    zoomTo(a - pad, b + pad);
  };
  const zoomBy = (factor: number, at = (lo + hi) / 2) => zoomTo(at - (at - lo) * factor, at + (hi - at) * factor);

  function describe(p: Placed): string {
    const b = p.block;
    const lines = [
      `<strong>${escapeHtml(holder(b))}</strong>`,
      `${escapeHtml(socket(p))} → container ${b.containerPort}/${b.protocol}${b.picksOne ? ' (the Engine picks one port of the range)' : ''}`,
      `${b.exposure === 'public' ? 'public: every interface' : b.exposure === 'loopback' ? 'loopback only' : 'one interface'}${b.file ? ` · ${escapeHtml(b.file)}:${b.line}` : ''}`,
    ];
    for (const id of b.collidesWith) {
      const o = blocks.get(id)!;
      lines.push(`<span class="warn">collides with ${escapeHtml(holder(o.block))} at ${escapeHtml(socket(o))}</span>`);
    }
    return lines.join('<br>');
  }

  svg.addEventListener('mousemove', (e) => {
    const target = e.target as Element;
    const id = target.getAttribute?.('data-id');
    if (id === null || id === undefined) {
      tip.hidden = true;
      return;
    }
    tip.innerHTML = describe(blocks.get(Number(id))!);
    tip.hidden = false;
    tip.style.left = `${e.pageX + 440 > doc.documentElement.clientWidth ? Math.max(0, e.pageX - 432) : e.pageX + 12}px`;
    tip.style.top = `${e.pageY + 12}px`;
  });
  svg.addEventListener('mouseleave', () => (tip.hidden = true));
  svg.addEventListener('dblclick', (e) => {
    const id = (e.target as Element).getAttribute?.('data-id');
    if (id === null || id === undefined) return;
    const b = blocks.get(Number(id))!.block;
    zoomAround(b.start, b.end);
  });
  svg.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const rect = svg.getBoundingClientRect();
      zoomBy(e.deltaY < 0 ? 0.7 : 1 / 0.7, Math.min(MAX, Math.max(MIN, portAt(e.clientX - rect.left))));
    },
    { passive: false },
  );
  let drag: { x: number; lo: number; hi: number } | undefined;
  svg.addEventListener('pointerdown', (e) => (drag = { x: e.clientX, lo, hi }));
  window.addEventListener('pointerup', () => (drag = undefined));
  svg.addEventListener('pointermove', (e) => {
    if (!drag || e.buttons !== 1) return;
    const shift = ((drag.x - e.clientX) / (width() - LABEL)) * (drag.hi - drag.lo + 1);
    const span = drag.hi - drag.lo;
    lo = Math.min(MAX - span, Math.max(MIN, Math.round(drag.lo + shift)));
    hi = lo + span;
    draw();
  });
  $('zoom-in').addEventListener('click', () => zoomBy(0.5));
  $('zoom-out').addEventListener('click', () => zoomBy(2));
  $('zoom-all').addEventListener('click', () => zoomTo(MIN, MAX));

  search.addEventListener('input', () => {
    query = search.value.trim();
    const found = [...blocks.values()].filter((p) => query && matches(p.block));
    $('matches').textContent = query ? `${found.length} match${found.length === 1 ? '' : 'es'}` : '';
    if (/^\d+$/.test(query)) zoomTo(Number(query) - 50, Number(query) + 50);
    else if (found.length) zoomAround(Math.min(...found.map((p) => p.block.start)), Math.max(...found.map((p) => p.block.end)));
    else draw();
  });

  // The findings beside the map, each linked to the blocks it is about (one listener for all).
  // A long list is shown 200 at a time: thousands of items would cost the first drawing more than the map.
  const list = $('findings');
  const more = $('more-findings') as HTMLButtonElement;
  let listed = 0;
  const listMore = (n: number) => {
    const next = data.findings.slice(listed, listed + n);
    list.insertAdjacentHTML(
      'beforeend',
      next
        .map(
          (f, i) =>
            `<li class="finding ${f.severity}" data-index="${listed + i}"${f.blocks.length ? ' tabindex="0"' : ''}><span class="severity">${f.severity}</span> <code>${escapeHtml(f.ruleId)}</code> ${escapeHtml(f.message)} <span class="where">${escapeHtml(f.file ? `${f.file}:${f.line}` : f.host)}</span></li>`,
        )
        .join(''),
    );
    listed += next.length;
    more.hidden = listed >= data.findings.length;
    more.textContent = `Show ${Math.min(200, data.findings.length - listed)} more of ${data.findings.length - listed}`;
  };
  more.addEventListener('click', () => listMore(200));
  if (!data.findings.length) list.innerHTML = '<li>No findings.</li>';
  const showFinding = (e: Event) => {
    const li = (e.target as Element).closest?.('li[tabindex]') as HTMLElement | null;
    if (!li) return;
    const f = data.findings[Number(li.dataset.index)];
    selected = new Set(f.blocks.flatMap((id) => [id, ...blocks.get(id)!.block.collidesWith]));
    const chosen = [...selected].map((id) => blocks.get(id)!.block);
    zoomAround(Math.min(...chosen.map((b) => b.start)), Math.max(...chosen.map((b) => b.end)));
  };
  list.addEventListener('click', showFinding);
  list.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && showFinding(e));

  // The table view: every block as a row (for screen readers, and for reading it all), filled when opened.
  const table = $('table-view') as HTMLDetailsElement;
  const fillTable = () => {
    if (table.dataset.filled) return;
    table.dataset.filled = '1';
    const rows = [...blocks.values()].map(
      (p) =>
        `<tr data-id="${p.block.id}"><td>${escapeHtml(p.host)}</td><td>${escapeHtml(p.address)}</td><td>${ports(p.block)}</td><td>${p.block.protocol}</td><td>${p.block.exposure}</td><td>${escapeHtml(p.block.service)}</td><td>${escapeHtml(p.block.project)}</td><td>${escapeHtml(p.block.file ? `${p.block.file}:${p.block.line}` : p.block.container ?? '')}</td><td>${p.block.collidesWith.map((id) => escapeHtml(`${holder(blocks.get(id)!.block)} at ${socket(blocks.get(id)!)}`)).join('; ')}</td></tr>`,
    );
    table.querySelector('tbody')!.innerHTML = rows.join('');
  };
  table.addEventListener('toggle', () => table.open && fillTable());
  if (table.open) fillTable();

  window.addEventListener('resize', draw);
  draw();
  listMore(200);
  doc.body.dataset.renderMs = String(Math.round(performance.now()));
}
