/**
 * A real editor: Debian's Neovim (0.7.2 in bookworm), headless, with the client snippet that
 * docs/editors.md documents, copied out of the page. It opens the README session's compose file,
 * shows the three problems, applies the loopback quick fix and hovers a port entry.
 * PORTLINT_REQUIRE_NEOVIM=1 (CI) fails instead of skipping when nvim is missing.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, FIXTURES, REPO } from './helpers';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const missing = nvim.status !== 0;
const required = process.env.PORTLINT_REQUIRE_NEOVIM === '1';

/** The Lua block of docs/editors.md that follows the marker comment naming it. */
function documentedSnippet(marker: string): string {
  const page = readFileSync(join(REPO, 'docs', 'editors.md'), 'utf8');
  const block = new RegExp('```lua\\n(-- ' + marker + '[^\\n]*\\n[\\s\\S]*?)```').exec(page);
  if (!block) throw new Error(`docs/editors.md has no lua block starting "-- ${marker}"`);
  return block[1];
}

const DRIVER = `
local file, out = os.getenv('TARGET'), os.getenv('OUT')
vim.cmd('filetype on')
dofile(os.getenv('SNIPPET'))
vim.cmd('edit ' .. file)
local buf = vim.api.nvim_get_current_buf()
local result = { filetype = vim.bo[buf].filetype }
local function lsp_code(d) return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) end
result.shown = vim.wait(20000, function() return #vim.diagnostic.get(buf) >= 3 end, 50)
result.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(result.diagnostics, { line = d.lnum + 1, col = d.col + 1, severity = d.severity, code = lsp_code(d), message = d.message })
end
local uri = vim.uri_from_bufnr(buf)
local line_diags = vim.lsp.diagnostic.get_line_diagnostics(buf, 4)
local actions = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', { textDocument = { uri = uri }, range = { start = { line = 4, character = 8 }, ['end'] = { line = 4, character = 8 } }, context = { diagnostics = line_diags } }, 10000)
result.titles = {}
for _, r in pairs(actions or {}) do
  for _, a in ipairs(r.result or {}) do
    table.insert(result.titles, a.title)
    if a.title == 'Fix this exposure/unbound-publish problem' then vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16') end
  end
end
result.text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\\n')
result.after = vim.wait(20000, function() return #vim.diagnostic.get(buf) == 2 end, 50) and 2 or #vim.diagnostic.get(buf)
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = 12, character = 10 } }, 10000)
for _, r in pairs(hover or {}) do if r.result then result.hover = r.result.contents.value end end
local f = io.open(out, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
`;

describe.skipIf(missing && !required)('Neovim with the documented client snippet', () => {
  it('shows the three problems of the README session, applies the loopback fix, hovers', () => {
    if (missing) throw new Error('PORTLINT_REQUIRE_NEOVIM=1 but nvim (Debian neovim) is not installed');
    const work = mkdtempSync(join(tmpdir(), 'portlint-nvim-'));
    const project = join(work, 'session');
    cpSync(join(FIXTURES, 'session'), project, { recursive: true });
    // The snippet runs `portlint` from PATH, as an installed portlint is found.
    const shims = join(work, 'bin');
    mkdirSync(shims);
    writeFileSync(join(shims, 'portlint'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(shims, 'portlint'), 0o755);
    writeFileSync(join(work, 'snippet.lua'), documentedSnippet('portlint for Neovim 0.7 and later'));
    writeFileSync(join(work, 'driver.lua'), DRIVER);
    const out = join(work, 'result.json');
    const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(work, 'driver.lua')}`], {
      cwd: project,
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, PATH: `${shims}:${process.env.PATH}`, TARGET: join(project, 'compose.yaml'), OUT: out, SNIPPET: join(work, 'snippet.lua'), HOME: work, XDG_STATE_HOME: work, XDG_DATA_HOME: work },
    });
    let result;
    try {
      result = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      throw new Error(`nvim wrote no result (exit ${r.status}): ${r.stdout}${r.stderr}`);
    }
    expect(result.filetype).toBe('yaml');
    expect(result.shown).toBe(true);
    const shown = result.diagnostics.map((d: { line: number; code: string; severity: number }) => [d.line, d.code, d.severity]).sort();
    expect(shown).toEqual([
      // db's entry is one voice: its unbound-publish folds into sensitive-port-public.
      [13, 'exposure/sensitive-port-public', 1],
      [5, 'exposure/unbound-publish', 2],
      [9, 'collision/host-port', 1],
    ]);
    expect(result.titles).toContain('Fix this exposure/unbound-publish problem');
    expect(result.text.split('\n')[4]).toBe('      - "127.0.0.1:8080:3000"');
    expect(result.after).toBe(2);
    expect(result.hover).toContain('`0.0.0.0:5432/tcp`, `[::]:5432/tcp` → container 5432/tcp');
  }, 120_000);
});
