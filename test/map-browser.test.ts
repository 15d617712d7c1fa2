/**
 * The HTML port map in a real browser: Debian's Chromium, headless, driven by playwright-core
 * (never a downloaded browser). The page comes from the binary (`portlint map --format html`);
 * the tests read what a person sees: lanes, blocks and their colours, a collision's tooltip,
 * search, zoom, the findings list and the table view, with no console error; they take
 * screenshots of the README session and of a 5,000-service map, and time the first drawing.
 * PORTLINT_REQUIRE_CHROMIUM=1 (CI) fails instead of skipping when Chromium is missing;
 * PORTLINT_SCREENSHOT_DIR keeps the screenshots (docs/images/port-map.png comes from there).
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, run, tempProject } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
const required = process.env.PORTLINT_REQUIRE_CHROMIUM === '1';
const shots = process.env.PORTLINT_SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'portlint-map-shots-'));

/** The page portlint writes for these paths. */
function mapPage(dir: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'portlint-map-')), 'ports.html');
  const r = run(['map', '--format', 'html', '-o', out, dir]);
  expect([r.status, r.stderr]).toEqual([0, '']);
  return out;
}

/** A large project: 5,000 services on one or two ports each, and one 50,001-port range. */
function largeProject(): string {
  const lines = ['services:', '  wide:', '    image: example/wide:1', '    ports:', '      - "10000-60000:10000-60000"'];
  for (let i = 0; i < 5000; i++) {
    const ip = i % 3 === 0 ? '127.0.0.1:' : i % 7 === 0 ? '10.0.0.5:' : '';
    lines.push(`  svc${i}:`, `    image: example/svc:${i % 10}`, '    ports:', `      - "${ip}${61000 + (i % 4000)}:80"`);
    if (i % 5 === 0) lines.push(`      - "127.0.0.1:${2000 + i}:9000"`);
  }
  return tempProject({ 'compose.yaml': `${lines.join('\n')}\n` });
}

describe.skipIf(missing && !required)('the HTML port map in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (missing) throw new Error(`PORTLINT_REQUIRE_CHROMIUM=1 but ${CHROMIUM} (Debian chromium) is not installed`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 60_000);
  afterAll(async () => browser?.close());

  /** Opens the page; every console error, failed request or page error is collected. */
  async function open(file: string, width = 1400): Promise<{ page: Page; problems: string[]; renderMs: number }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`network request: ${r.url()}`));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-render-ms]');
    const renderMs = Number(await page.getAttribute('body', 'data-render-ms'));
    return { page, problems, renderMs };
  }

  const fill = (page: Page, selector: string) => page.$eval(selector, (e) => getComputedStyle(e).fill);

  it('the README session: lanes per address, web and api colliding on 8080, db public on 5432', async () => {
    const { page, problems } = await open(mapPage(join(FIXTURES, 'session')));
    expect(await page.$$eval('g.lane', (gs) => gs.map((g) => g.getAttribute('data-address')))).toEqual(['0.0.0.0', '127.0.0.1', '::']);
    expect(await page.textContent('.summary')).toMatch(/^1 host, 3 addresses, 5 port blocks \(4 public\), 1 collision/);
    const v4 = 'g.lane[data-address="0.0.0.0"]';
    // db on 5432, every interface: the public colour.
    expect(await page.$eval(`${v4} rect.block[data-ports="5432"]`, (e) => [e.getAttribute('data-service'), e.getAttribute('class')])).toEqual(['db', 'block public']);
    expect(await fill(page, `${v4} rect.block[data-ports="5432"]`)).toBe('rgb(232, 89, 12)');
    // web (0.0.0.0:8080) and api (127.0.0.1:8080): both in the collision colour.
    expect(await page.$eval(`${v4} rect.block[data-ports="8080"]`, (e) => e.getAttribute('data-service'))).toBe('web');
    expect(await fill(page, `${v4} rect.block[data-ports="8080"]`)).toBe('rgb(201, 42, 42)');
    expect(await fill(page, 'g.lane[data-address="127.0.0.1"] rect.block[data-service="api"]')).toBe('rgb(201, 42, 42)');
    // web's wildcard port is drawn across the 127.0.0.1 lane too, where it meets api.
    expect(await page.$$eval('g.lane[data-address="127.0.0.1"] rect.ghost', (r) => r.length)).toBe(2);
    // Not colliding: web over IPv6 is public, api's loopback only there is none.
    expect(await fill(page, 'g.lane[data-address="::"] rect.block[data-ports="8080"]')).toBe('rgb(232, 89, 12)');

    await page.hover(`${v4} rect.block[data-ports="8080"]`);
    const tip = await page.textContent('#tip');
    expect(await page.isVisible('#tip')).toBe(true);
    expect(tip).toContain('web (session)');
    expect(tip).toContain('0.0.0.0:8080/tcp → container 3000/tcp');
    expect(tip).toContain('collides with api (session) at 127.0.0.1:8080/tcp');
    // A project's name finds all of its blocks, and the view closes in on them: the screenshot of the docs.
    await page.fill('#search', 'session');
    expect(await page.textContent('#matches')).toBe('5 matches');
    expect(await page.textContent('#range')).toBe('ports 5273–8239');
    await page.hover(`${v4} rect.block[data-ports="8080"]`);
    expect(await page.textContent('#tip')).toContain('collides with api (session) at 127.0.0.1:8080/tcp');
    await page.screenshot({ path: join(shots, 'port-map.png') });

    // Search: a service dims the others; a port zooms to it.
    await page.fill('#search', 'db');
    expect(await page.textContent('#matches')).toBe('2 matches');
    expect(await page.$$eval('rect.block:not(.dim)', (rs) => [...new Set(rs.map((r) => r.getAttribute('data-service')))])).toEqual(['db']);
    await page.fill('#search', '8080');
    expect(await page.textContent('#range')).toBe('ports 8030–8130');
    await page.fill('#search', '');
    await page.click('#zoom-all');
    expect(await page.textContent('#range')).toBe('ports 1–65535');
    await page.click('#zoom-in');
    expect(await page.textContent('#range')).not.toBe('ports 1–65535');

    // The findings beside the map: the collision selects both holders.
    const items = await page.$$eval('#findings li', (lis) => lis.map((li) => li.textContent));
    expect(items).toHaveLength(3);
    await page.click('#findings li:has-text("collision/host-port")');
    expect((await page.$$eval('rect.block.selected', (rs) => rs.map((r) => r.getAttribute('data-service')))).sort()).toEqual(['api', 'web']);

    // The table view, for screen readers and for reading it all.
    await page.click('#table-view summary');
    await page.waitForSelector('#table-view tbody tr');
    const rows = await page.$$eval('#table-view tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toHaveLength(5);
    expect(rows).toContainEqual(['compose files', '127.0.0.1', '8080', 'tcp', 'loopback', 'api', 'session', expect.stringMatching(/compose\.yaml:9$/), 'web (session) at 0.0.0.0:8080/tcp']);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('5,000 services and a 50,001-port range: drawn in under a second, the range one block', async () => {
    const file = mapPage(largeProject());
    expect(statSync(file).size).toBeGreaterThan(1_000_000);
    const { page, problems, renderMs } = await open(file);
    console.log(`map of 5,000 services: first drawing done ${renderMs} ms after navigation started (${(statSync(file).size / 1e6).toFixed(1)} MB page)`);
    expect(renderMs).toBeLessThan(1000);
    const wide = await page.$$eval('g.lane[data-address="0.0.0.0"] rect.block[data-service="wide"]', (rs) => rs.map((r) => r.getAttribute('data-ports')));
    expect(wide).toEqual(['10000-60000']);
    expect(await page.$$eval('rect.block', (rs) => rs.length)).toBeGreaterThan(5000);
    await page.screenshot({ path: join(shots, 'port-map-5000.png') });
    // Zoomed in to single ports, only the blocks in view are drawn.
    await page.fill('#search', '61000');
    expect(await page.textContent('#range')).toBe('ports 60950–61050');
    expect(await page.$$eval('rect.block', (rs) => rs.length)).toBeLessThan(200);
    expect(problems).toEqual([]);
    await page.close();
    for (const shot of ['port-map.png', 'port-map-5000.png']) expect(readFileSync(join(shots, shot)).subarray(1, 4).toString()).toBe('PNG');
  }, 120_000);
});
