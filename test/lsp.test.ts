/**
 * `portlint lsp` end to end: the server started as a process, driven over stdio by a real LSP
 * client (test/lsp-client.ts). Diagnostics equal `check`'s findings, quick fixes write what
 * `--fix` writes, hover tells the listeners and where a value came from, and changes to .env,
 * override files and the configuration reach the documents they affect.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, run, tempProject } from './helpers';
import { LspClient, uriOf } from './lsp-client';

const SESSION = readFileSync(join(FIXTURES, 'session', 'compose.yaml'), 'utf8');
const clients: LspClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
});

async function start(root: string, capabilities = {}, options = {}) {
  const client = new LspClient(BIN, { cwd: root });
  clients.push(client);
  const init = await client.initialize(root, capabilities, options);
  return { client, init };
}

/** The text after a code action's edits to this document. */
function applied(text: string, file: string, action: CodeAction): string {
  const edits = action.edit?.changes?.[uriOf(file)] as TextEdit[] | undefined;
  expect(edits, `${action.title} edits ${file}`).toBeDefined();
  return TextDocument.applyEdits(TextDocument.create(uriOf(file), 'yaml', 1, text), edits!);
}

const rows = (ds: Diagnostic[]) => ds.map((d) => [d.range.start.line + 1, d.range.start.character + 1, d.code, d.message]).sort();

describe('portlint lsp', () => {
  it('initializes: hover, quick fixes and fix-all; push diagnostics unless the client pulls', async () => {
    const root = tempProject({ 'compose.yaml': SESSION });
    const { init } = await start(root);
    expect(init.serverInfo.name).toBe('portlint');
    expect(init.serverInfo.version).toBe(JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version);
    expect(init.capabilities.hoverProvider).toBe(true);
    expect(init.capabilities.codeActionProvider).toEqual({ codeActionKinds: ['quickfix', 'source.fixAll.portlint'] });
    expect(init.capabilities.diagnosticProvider).toBeUndefined();
    const pulled = await start(root, { textDocument: { diagnostic: { dynamicRegistration: false } } });
    expect(pulled.init.capabilities.diagnosticProvider).toMatchObject({ interFileDependencies: true });
  });

  it('publishes the findings of check for the open document: rule, severity, doc link, the other side of a collision', async () => {
    const root = tempProject({ 'compose.yaml': SESSION });
    const file = join(root, 'compose.yaml');
    const { client } = await start(root);
    await client.open(file, SESSION);
    const { diagnostics, version } = await client.diagnostics(file);
    expect(version).toBe(1);
    // Run where the server runs: messages name files relative to the working directory.
    const cli = JSON.parse(run(['check', '--format', 'json', '.'], { cwd: root }).stdout) as { findings: Array<{ line: number; column: number; ruleId: string; message: string; severity: string }> };
    expect(rows(diagnostics)).toEqual(cli.findings.map((f) => [f.line, f.column, f.ruleId, f.message]).sort());
    // db's 5432 is one voice: exposure/unbound-publish folds into exposure/sensitive-port-public, as in check.
    expect(diagnostics).toHaveLength(3);
    const collision = diagnostics.find((d) => d.code === 'collision/host-port')!;
    expect(collision.severity).toBe(1);
    expect(collision.source).toBe('portlint');
    expect(collision.codeDescription?.href).toMatch(/\/docs\/rules\/collision\/host-port\.md$/);
    expect(collision.relatedInformation).toEqual([{ location: { uri: uriOf(file), range: expect.objectContaining({ start: { line: 4, character: 8 } }) }, message: expect.stringContaining('web') }]);
    expect(diagnostics.find((d) => d.code === 'exposure/unbound-publish')!.severity).toBe(2);
  });

  it('lints the unsaved text, and a broken edit gives a located diagnostic, not a dead server', async () => {
    const root = tempProject({ 'compose.yaml': SESSION });
    const file = join(root, 'compose.yaml');
    const { client } = await start(root);
    await client.open(file, SESSION);
    await client.diagnostics(file);
    // Type a loopback address in front of web's port: its two findings go, the collision stays.
    await client.change(file, 2, '127.0.0.1:', { start: { line: 4, character: 9 }, end: { line: 4, character: 9 } });
    const fixed = await client.diagnostics(file, (p) => p.version === 2);
    expect(fixed.diagnostics.map((d) => d.code).sort()).toEqual(['collision/host-port', 'exposure/sensitive-port-public']);
    // Mid-edit, the file is not YAML: one diagnostic says where portlint stopped.
    await client.change(file, 3, 'services:\n  web: [\n');
    const broken = await client.diagnostics(file, (p) => p.version === 3);
    expect(broken.diagnostics).toEqual([expect.objectContaining({ code: 'load-error', severity: 1, message: expect.stringMatching(/^portlint cannot check this file: not valid YAML/) })]);
    // A huge paste, then the file back: the server keeps answering.
    await client.change(file, 4, `services:\n${'  x'.repeat(2_000_000)}\n`);
    await client.diagnostics(file, (p) => p.version === 4, 0, 60_000);
    await client.change(file, 5, SESSION);
    expect((await client.diagnostics(file, (p) => p.version === 5)).diagnostics).toHaveLength(3);
  }, 90_000);

  it('quick fix: exactly the edit --fix makes for that finding; fix all: exactly the file --fix writes', async () => {
    const root = tempProject({ 'compose.yaml': SESSION });
    const file = join(root, 'compose.yaml');
    const { client } = await start(root);
    await client.open(file, SESSION);
    const { diagnostics } = await client.diagnostics(file);
    const unbound = diagnostics.find((d) => d.code === 'exposure/unbound-publish' && d.range.start.line === 4)!;
    const actions = await client.codeActions(file, unbound.range, [unbound]);
    expect(actions.map((a) => a.title)).toEqual(['Fix this exposure/unbound-publish problem', 'Disable exposure/unbound-publish for this port entry', 'Fix all portlint problems in this file']);
    expect(applied(SESSION, file, actions[0])).toBe(SESSION.replace('"8080:3000"', '"127.0.0.1:8080:3000"'));

    const fixedDir = tempProject({ 'compose.yaml': SESSION });
    run(['check', '--fix', fixedDir]);
    const onDisk = readFileSync(join(fixedDir, 'compose.yaml'), 'utf8');
    expect(onDisk).not.toBe(SESSION);
    expect(applied(SESSION, file, actions[2])).toBe(onDisk);
    const [source] = await client.codeActions(file, unbound.range, [], ['source.fixAll']);
    expect(source.kind).toBe('source.fixAll.portlint');
    expect(applied(SESSION, file, source)).toBe(onDisk);
    // A finding no rule can fix offers only the suppression.
    const collision = diagnostics.find((d) => d.code === 'collision/host-port')!;
    expect((await client.codeActions(file, collision.range, [collision])).map((a) => a.title)).toEqual(['Disable collision/host-port for this port entry']);
  });

  it('disable for this entry: a comment above the whole long-syntax entry, indented like it, even for a finding on host_ip', async () => {
    const text = ['services:', '  web:', '    image: nginx:1.27', '    ports:', '      - target: 80', '        published: "8080"', '        host_ip: 0.0.0.0', '      - "9090:90"', ''].join('\n');
    const root = tempProject({ 'compose.yaml': text });
    const file = join(root, 'compose.yaml');
    const { client } = await start(root);
    await client.open(file, text);
    const { diagnostics } = await client.diagnostics(file);
    const onHostIp = diagnostics.find((d) => d.range.start.line === 6)!;
    expect(onHostIp, JSON.stringify(rows(diagnostics))).toBeDefined();
    const disable = (await client.codeActions(file, onHostIp.range, [onHostIp])).find((a) => a.title.startsWith('Disable'))!;
    const after = applied(text, file, disable);
    expect(after.split('\n').slice(3, 6)).toEqual(['    ports:', `      # portlint-disable-next-line ${onHostIp.code}`, '      - target: 80']);
    await client.change(file, 2, after);
    const next = await client.diagnostics(file, (p) => p.version === 2);
    expect(next.diagnostics.filter((d) => d.code === onHostIp.code && d.range.start.line === 7)).toEqual([]);
    expect(next.diagnostics.some((d) => d.range.start.line === 8)).toBe(true); // the next entry still reports
    // A second rule on the same entry joins the directive already there.
    const other = next.diagnostics.find((d) => d.range.start.line >= 5 && d.range.start.line <= 7 && d.code !== onHostIp.code);
    if (other) {
      const join2 = (await client.codeActions(file, other.range, [other])).find((a) => a.title.startsWith('Disable'))!;
      expect(applied(after, file, join2).split('\n')[4]).toBe(`      # portlint-disable-next-line ${onHostIp.code}, ${other.code}`);
    }
  });

  it('hover: the listeners the Engine opens, where a variable came from, what the entry collides with', async () => {
    const text = ['services:', '  web:', '    image: shop/web:2.3', '    ports:', '      - "${WEB_PORT:-8080}:3000"', '  api:', '    image: shop/api:1.9', '    ports:', '      - "127.0.0.1:8081:4000"', ''].join('\n');
    const root = tempProject({ 'compose.yaml': text, '.env': '# ports\nWEB_PORT=8081\n' });
    const file = join(root, 'compose.yaml');
    const { client } = await start(root);
    await client.open(file, text);
    await client.diagnostics(file);
    const hover = await client.hover(file, 4, 12);
    const value = (hover?.contents as { value: string }).value;
    expect(value).toContain('service `web`');
    expect(value).toContain('`0.0.0.0:8081/tcp`, `[::]:8081/tcp` → container 3000/tcp');
    expect(value).toContain('`WEB_PORT`: from .env:2');
    expect(value).toMatch(/Collides with:\n- service `api` at compose\.yaml:9 \(collision\/host-port\)/);
    const api = (await client.hover(file, 8, 12))?.contents as { value: string };
    expect(api.value).toContain('`127.0.0.1:8081/tcp` → container 4000/tcp');
    expect(api.value).toMatch(/Collides with:\n- service `web` at compose\.yaml:5/);
    expect(await client.hover(file, 2, 6)).toBeNull(); // not on a port entry
    // The environment wins over .env, as with docker compose; with neither, the default applies.
    const fromEnv = new LspClient(BIN, { cwd: root, env: { WEB_PORT: '9000' } });
    clients.push(fromEnv);
    await fromEnv.initialize(root);
    await fromEnv.open(file, text);
    expect(((await fromEnv.hover(file, 4, 12))?.contents as { value: string }).value).toContain('`WEB_PORT`: `9000` from the environment');
    writeFileSync(join(root, '.env'), '# nothing\n');
    const unset = new LspClient(BIN, { cwd: root, env: { WEB_PORT: undefined } });
    clients.push(unset);
    await unset.initialize(root);
    await unset.open(file, text);
    const defaulted = ((await unset.hover(file, 4, 12))?.contents as { value: string }).value;
    expect(defaulted).toContain('`WEB_PORT`: not set: the default written in the entry applies');
    expect(defaulted).toContain('`0.0.0.0:8080/tcp`');
  });

  it('an .env change on disk reaches the document (watched files), and so does a new configuration file', async () => {
    const text = ['services:', '  web:', '    image: shop/web:2.3', '    ports:', '      - "127.0.0.1:${WEB_PORT:-8080}:3000"', '  api:', '    image: shop/api:1.9', '    ports:', '      - "127.0.0.1:8081:4000"', ''].join('\n');
    const root = tempProject({ 'compose.yaml': text, '.env': 'WEB_PORT=8080\n' });
    const file = join(root, 'compose.yaml');
    const { client } = await start(root, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    await client.open(file, text);
    expect((await client.diagnostics(file)).diagnostics).toEqual([]);
    expect(client.serverRequests).toContain('client/registerCapability');
    let seen = client.count(file);
    writeFileSync(join(root, '.env'), 'WEB_PORT=8081\n');
    await client.watchedFilesChanged([{ file: join(root, '.env'), type: 2 }]);
    const collided = await client.diagnostics(file, (p) => p.diagnostics.length > 0, seen);
    expect(collided.diagnostics.map((d) => d.code)).toEqual(['collision/host-port']);
    seen = client.count(file);
    writeFileSync(join(root, '.portlintrc.yaml'), 'rules:\n  collision/host-port: off\n');
    await client.watchedFilesChanged([{ file: join(root, '.portlintrc.yaml'), type: 1 }]);
    expect((await client.diagnostics(file, () => true, seen)).diagnostics).toEqual([]);
    // A client without watching: saving the .env (open in the editor) does the same.
    seen = client.count(file);
    writeFileSync(join(root, '.portlintrc.yaml'), 'rules: {}\n');
    await client.open(join(root, '.env'), 'WEB_PORT=8081\n', 'dotenv');
    await client.save(join(root, '.env'));
    expect((await client.diagnostics(file, () => true, seen)).diagnostics.map((d) => d.code)).toEqual(['collision/host-port']);
  });

  it("an override file's unsaved text changes the diagnostics of the file it overrides; closing it restores the disk's", async () => {
    const base = ['services:', '  web:', '    image: shop/web:2.3', '    ports:', '      - "127.0.0.1:8080:3000"', ''].join('\n');
    const root = tempProject({ 'compose.yaml': base, 'compose.override.yaml': 'services: {}\n' });
    const file = join(root, 'compose.yaml');
    const override = join(root, 'compose.override.yaml');
    const { client } = await start(root);
    await client.open(file, base);
    expect((await client.diagnostics(file)).diagnostics).toEqual([]);
    const seen = client.count(file);
    await client.open(override, 'services:\n  admin:\n    image: shop/admin:1\n    ports:\n      - "127.0.0.1:8080:80"\n');
    const overrideSays = await client.diagnostics(override);
    expect(overrideSays.diagnostics.map((d) => d.code)).toEqual(['collision/host-port']);
    // The collision is reported at the later binding (the override's), and the base file is linted again.
    await client.diagnostics(file, () => true, seen);
    const seenOverride = client.count(override);
    await client.change(override, 2, 'services:\n  admin:\n    image: shop/admin:1\n    ports:\n      - "127.0.0.1:8090:80"\n');
    expect((await client.diagnostics(override, () => true, seenOverride)).diagnostics).toEqual([]);
  });

  it('a file outside any project, a file that is not compose, an untitled buffer: diagnostics or nothing, never a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portlint-lsp-lone-'));
    const lone = join(dir, 'stack.yml');
    const { client } = await start(dir);
    await client.open(lone, 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n', 'yaml');
    expect((await client.diagnostics(lone)).diagnostics.map((d) => d.code).sort()).toEqual(['exposure/sensitive-port-public']);
    await client.open(join(dir, 'values.yaml'), 'replicas: 3\n', 'yaml');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'dockercompose', version: 1, text: 'services: {}\n' } });
    expect(await client.hover(join(dir, 'values.yaml'), 0, 0)).toBeNull();
    expect(client.count(join(dir, 'values.yaml'))).toBe(0);
    expect(await client.stop()).toBe(0);
    clients.splice(clients.indexOf(client), 1);
  });

  it('pull diagnostics when the client asks for them that way, and nothing pushed', async () => {
    const root = tempProject({ 'compose.yaml': SESSION });
    const file = join(root, 'compose.yaml');
    const { client } = await start(root, { textDocument: { diagnostic: { dynamicRegistration: false } } });
    await client.open(file, SESSION);
    const report = await client.pullDiagnostics(file);
    expect(report.kind).toBe('full');
    expect(report.items.map((d) => d.code).sort()).toEqual(['collision/host-port', 'exposure/sensitive-port-public', 'exposure/unbound-publish']);
    await new Promise((r) => setTimeout(r, 200));
    expect(client.count(file)).toBe(0);
  });
});
