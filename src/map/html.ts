/**
 * The port map as one self-contained HTML page: the data as JSON, the drawing code (page.ts)
 * and the styles inline, a Content-Security-Policy that forbids every request, so the page
 * works offline, from a CI artifact or an e-mail attachment.
 */
import type { PortMap } from './build';
import { pageMain } from './page';
import { version } from '../version';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
:root { --public: #e8590c; --loopback: #2b8a3e; --interface: #1971c2; --collision: #c92a2a; --ink: #212529; --muted: #868e96; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
header { padding: 12px 16px 4px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.summary { color: var(--muted); margin: 0; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 8px 0 0; padding: 0; list-style: none; }
.legend li::before { content: ""; display: inline-block; width: 14px; height: 10px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; background: var(--swatch); }
.controls { display: flex; gap: 8px; align-items: center; padding: 8px 16px; border-bottom: 1px solid #dee2e6; position: sticky; top: 0; background: #fff; z-index: 2; }
.controls input { padding: 4px 8px; width: 220px; }
.controls button { padding: 3px 10px; }
#range, #matches { color: var(--muted); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 0; }
.map-wrap { overflow: hidden; padding: 0 0 12px 8px; }
aside { border-left: 1px solid #dee2e6; padding: 8px 12px; max-height: calc(100vh - 110px); overflow: auto; position: sticky; top: 44px; }
aside h2, details summary { font-size: 15px; margin: 4px 0 8px; }
#findings { margin: 0; padding-left: 18px; }
.finding { margin: 0 0 6px; cursor: default; }
.finding[tabindex] { cursor: pointer; }
.finding[tabindex]:hover, .finding[tabindex]:focus { background: #f1f3f5; outline: none; }
.finding .severity { font-weight: 600; text-transform: uppercase; font-size: 11px; }
.finding.error .severity { color: var(--collision); }
.finding.warning .severity { color: #e67700; }
.finding .where { color: var(--muted); font-size: 12px; }
svg { display: block; user-select: none; cursor: grab; }
svg text { font-size: 12px; fill: var(--ink); }
svg .host { font-weight: 700; font-size: 13px; }
svg .every, svg .band-label, svg .tick-label { fill: var(--muted); font-size: 11px; }
svg .track { fill: #f8f9fa; }
svg .tick { stroke: #e9ecef; }
svg .band { fill: #f1f3f5; }
svg .band.nodeport { fill: #f3f0ff; }
svg .band.ephemeral { fill: #fff9db; }
svg .ghost { fill: var(--public); opacity: .18; }
svg .block { stroke: rgba(0,0,0,.35); stroke-width: .5; }
svg .block.public { fill: var(--public); }
svg .block.loopback { fill: var(--loopback); }
svg .block.interface { fill: var(--interface); }
svg .block.collides { fill: var(--collision); stroke: #5c0000; stroke-width: 1; }
svg .block.dim { opacity: .15; }
svg .block.selected { stroke: #000; stroke-width: 2.5; }
#tip { position: absolute; z-index: 3; background: #212529; color: #fff; padding: 6px 8px; border-radius: 4px; font-size: 12px; max-width: 420px; pointer-events: none; }
#tip .warn { color: #ffa8a8; }
details { padding: 8px 16px 24px; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border-bottom: 1px solid #e9ecef; padding: 3px 8px; text-align: left; }
`;

export function formatMapHtml(map: PortMap): string {
  const s = map.summary;
  // "<" escaped, so no text in the data can end the script element.
  const json = JSON.stringify(map).replace(/</g, '\\u003c');
  const swatch = (name: string, colour: string) => `<li style="--swatch: var(--${colour})">${name}</li>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="portlint ${escapeHtml(version)}">
<title>Port map (portlint)</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Port map</h1>
<p class="summary">${s.hosts} host${s.hosts === 1 ? '' : 's'}, ${s.lanes} address${s.lanes === 1 ? '' : 'es'}, ${s.blocks} port block${s.blocks === 1 ? '' : 's'} (${s.public} public), ${s.collisions} collision${s.collisions === 1 ? '' : 's'}; drawn by portlint ${escapeHtml(version)}</p>
<ul class="legend">${swatch('public (every interface)', 'public')}${swatch('loopback', 'loopback')}${swatch('one interface', 'interface')}${swatch('collision', 'collision')}</ul>
</header>
<div class="controls" role="toolbar" aria-label="Map controls">
<input id="search" type="search" placeholder="Search a service or a port" aria-label="Search a service or a port">
<span id="matches" aria-live="polite"></span>
<button id="zoom-all" type="button">Whole range</button><button id="zoom-in" type="button" aria-label="Zoom in">+</button><button id="zoom-out" type="button" aria-label="Zoom out">−</button>
<span id="range"></span>
</div>
<div class="layout">
<div class="map-wrap"><svg id="map" role="img" aria-label="Host ports by address: ${s.blocks} port blocks; the table below lists them"></svg></div>
<aside><h2>Findings (${map.findings.length})</h2><ol id="findings"></ol><button id="more-findings" type="button" hidden></button></aside>
</div>
<details id="table-view"><summary>Table of every port block (${s.blocks})</summary>
<table><thead><tr><th scope="col">host</th><th scope="col">address</th><th scope="col">ports</th><th scope="col">protocol</th><th scope="col">exposure</th><th scope="col">service</th><th scope="col">project</th><th scope="col">where</th><th scope="col">collides with</th></tr></thead><tbody></tbody></table>
</details>
<div id="tip" role="tooltip" hidden></div>
<script type="application/json" id="portlint-map">${json}</script>
<script>(${pageMain.toString()})(JSON.parse(document.getElementById('portlint-map').textContent), document);</script>
</body>
</html>
`;
}
