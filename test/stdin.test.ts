/** `--stdin` with `--stdin-filename`: the text replaces the file's content; everything else applies as usual. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileCache, isLoadError } from '../src/load/project';
import { run, tempProject } from './helpers';

interface JsonFinding {
  ruleId: string;
  project: string;
  file: string;
  line: number;
}

const rows = (stdout: string) => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);

const CLEAN = 'services:\n  web:\n    image: nginx\n    ports: ["127.0.0.1:8080:80"]\n';
const EXPOSED = 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n';

describe('--stdin', () => {
  it('lints the text of standard input as the named file, whatever is on disk', () => {
    const dir = tempProject({ 'compose.yaml': CLEAN });
    const r = run(['--format', 'json', '--stdin', '--stdin-filename', 'compose.yaml'], { cwd: dir, input: EXPOSED });
    expect(r.stderr).toBe('');
    expect(rows(r.stdout)).toEqual(['compose.yaml:4 exposure/unbound-publish']);
    // The file on disk is neither read for the check nor written.
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(CLEAN);
    const disk = run(['--format', 'json'], { cwd: dir });
    expect(rows(disk.stdout)).toEqual([]);
    // And the other way round: an exposed file on disk, a clean text on standard input.
    writeFileSync(join(dir, 'compose.yaml'), EXPOSED);
    const clean = run(['--format', 'json', '--stdin', '--stdin-filename', 'compose.yaml'], { cwd: dir, input: CLEAN });
    expect(rows(clean.stdout)).toEqual([]);
  });

  it("the file's folder applies: its .env interpolates, its override file merges", () => {
    const dir = tempProject({
      'app/.env': 'WEB_PORT=8088\n',
      'app/compose.override.yaml': 'services:\n  web:\n    ports: ["6379:6379"]\n',
    });
    const input = 'services:\n  web:\n    image: nginx\n    ports: ["${WEB_PORT}:80"]\n';
    const r = run(['--format', 'json', '--stdin', '--stdin-filename', 'app/compose.yaml'], { cwd: dir, input });
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout) as { findings: Array<JsonFinding & { binding?: { hostPort: string } }> };
    expect(json.findings.map((f) => `${f.project} ${f.file}:${f.line} ${f.ruleId} ${f.binding?.hostPort}`)).toEqual([
      // The override's Redis entry speaks once: unbound-publish folds into sensitive-port-public.
      'app app/compose.override.yaml:3 exposure/sensitive-port-public 6379',
      'app app/compose.yaml:4 exposure/unbound-publish 8088',
    ]);
  });

  it('an override file read from standard input merges over the main file on disk', () => {
    const dir = tempProject({ 'compose.yaml': CLEAN, 'compose.override.yaml': 'services: {}\n' });
    const r = run(['--format', 'json', '--stdin', '--stdin-filename', 'compose.override.yaml'], { cwd: dir, input: 'services:\n  web:\n    ports: ["9090:90"]\n' });
    expect(rows(r.stdout)).toEqual(['compose.override.yaml:3 exposure/unbound-publish']);
  });

  it('the file need not exist yet; without --stdin-filename it is compose.yaml in the working directory', () => {
    const dir = tempProject({});
    const named = run(['--format', 'json', '--stdin', '--stdin-filename', 'new/compose.dev.yaml'], { cwd: dir, input: EXPOSED });
    expect(rows(named.stdout)).toEqual(['new/compose.dev.yaml:4 exposure/unbound-publish']);
    const unnamed = run(['--format', 'json', '--stdin'], { cwd: dir, input: EXPOSED });
    expect(rows(unnamed.stdout)).toEqual(['compose.yaml:4 exposure/unbound-publish']);
  });

  it('suppression comments in the text apply', () => {
    const dir = tempProject({});
    const input = 'services:\n  web:\n    ports: ["8080:80"] # portlint-disable-line exposure/unbound-publish\n';
    const r = run(['--format', 'json', '--stdin', '--stdin-filename', 'compose.yaml'], { cwd: dir, input });
    expect(rows(r.stdout)).toEqual([]);
  });

  it('YAML errors are located in the named file', () => {
    const dir = tempProject({});
    const r = run(['--stdin', '--stdin-filename', 'compose.yaml'], { cwd: dir, input: 'services:\n  web:\n    ports: [\n' });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^compose\.yaml\n\s+\d+:\d+\s+error\s+not valid YAML/m);
  });

  it('-f files: the named file must be one of them, and the others come from disk', () => {
    const dir = tempProject({ 'base.yaml': 'services:\n  web:\n    image: nginx\n', 'prod.yaml': 'services: {}\n' });
    const ok = run(['--format', 'json', '-f', 'base.yaml', '-f', 'prod.yaml', '--stdin', '--stdin-filename', 'prod.yaml'], {
      cwd: dir,
      input: 'services:\n  web:\n    ports: ["8443:443"]\n',
    });
    expect(rows(ok.stdout)).toEqual(['prod.yaml:3 exposure/unbound-publish']);
    const bad = run(['-f', 'base.yaml', '--stdin', '--stdin-filename', 'prod.yaml'], { cwd: dir, input: EXPOSED });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--stdin-filename prod.yaml is not one of the -f files');
  });

  it('a configured project that holds the file is the project; an ignored file gives no findings', () => {
    const dir = tempProject({
      '.portlintrc.yaml': 'projects:\n  - name: shop\n    files: [shop/base.yaml, shop/extra.yaml]\nignore: ["*.example.yaml"]\n',
      'shop/base.yaml': 'services:\n  web:\n    image: nginx\n',
      'shop/extra.yaml': 'services: {}\n',
    });
    const r = run(['--format', 'json', '--stdin', '--stdin-filename', 'shop/extra.yaml'], { cwd: dir, input: 'services:\n  web:\n    ports: ["8080:80"]\n' });
    const json = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    expect(json.findings.map((f) => `${f.project} ${f.file}:${f.line}`)).toEqual(['shop shop/extra.yaml:3']);
    const ignored = run(['--stdin', '--stdin-filename', 'compose.example.yaml'], { cwd: dir, input: EXPOSED });
    expect(ignored.status).toBe(0);
    expect(ignored.stdout).toBe('');
    expect(run(['--no-config', '--stdin', '--stdin-filename', 'compose.example.yaml'], { cwd: dir, input: EXPOSED }).stdout).toContain('exposure/unbound-publish');
  });

  it('usage errors: --stdin-filename without --stdin, --stdin with paths', () => {
    const dir = tempProject({ 'compose.yaml': CLEAN });
    const a = run(['--stdin-filename', 'compose.yaml'], { cwd: dir });
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('--stdin-filename names the file that --stdin reads; add --stdin');
    const b = run(['--stdin', 'compose.yaml'], { cwd: dir, input: EXPOSED });
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('--stdin reads one compose file');
  });
});

describe('FileCache.inject', () => {
  it('serves the injected text instead of the file, and lists it among the texts read', () => {
    const dir = tempProject({ 'compose.yaml': CLEAN });
    const cache = new FileCache();
    const file = join(dir, 'compose.yaml');
    cache.inject(file, EXPOSED);
    const parsed = cache.read(file);
    expect(isLoadError(parsed)).toBe(false);
    expect(cache.texts().get(file)).toBe(EXPOSED);
    expect(cache.texts().size).toBe(1);
  });
});
