/**
 * The configuration file: discovery, --config / --no-config, located validation errors,
 * rule settings, flags over the file, ignore globs, projects and allowed exposures.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, findConfigFile, parseConfig, CONFIG_FILE_NAMES } from '../src/config/load';
import { compileGlob, matchesAny } from '../src/config/glob';
import { run, tempProject } from './helpers';

interface JsonFinding {
  ruleId: string;
  severity: string;
  project: string;
  service?: string;
  file: string;
  line: number;
  column: number;
  also?: Array<{ ruleId: string }>;
}

function findings(stdout: string): JsonFinding[] {
  return (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
}

const ids = (fs: JsonFinding[]) => fs.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.severity}`);

/** A compose file: web publishes 8080 on every interface (exposure/unbound-publish, a warning). */
const WEB = 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n';

function problems(file: string, text: string): string[] {
  try {
    parseConfig(file, text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  return [];
}

describe('discovery', () => {
  it('walks up from the working directory; the nearest directory wins', () => {
    const dir = tempProject({ '.portlintrc.yaml': '', 'a/b/c/.keep': '', 'a/portlint.config.json': '{}' });
    expect(findConfigFile(join(dir, 'a/b/c'))).toBe(join(dir, 'a/portlint.config.json'));
    expect(findConfigFile(join(dir, 'a'))).toBe(join(dir, 'a/portlint.config.json'));
    expect(findConfigFile(dir)).toBe(join(dir, '.portlintrc.yaml'));
  });

  it('in one directory, .portlintrc.yaml, .portlintrc.yml, .portlintrc.json, portlint.config.json in that order', () => {
    expect(CONFIG_FILE_NAMES).toEqual(['.portlintrc.yaml', '.portlintrc.yml', '.portlintrc.json', 'portlint.config.json']);
    const dir = tempProject({ '.portlintrc.yaml': '', '.portlintrc.yml': '', '.portlintrc.json': '{}', 'portlint.config.json': '{}' });
    for (const name of CONFIG_FILE_NAMES) {
      expect(findConfigFile(dir)).toBe(join(dir, name));
      rmSync(join(dir, name));
    }
    expect(findConfigFile(dir)).toBeUndefined();
  });

  it('the binary uses the file of a parent directory', () => {
    const dir = tempProject({ '.portlintrc.yaml': 'rules:\n  exposure/unbound-publish: error\n', 'app/compose.yaml': WEB });
    const r = run(['--format', 'json'], { cwd: join(dir, 'app') });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(ids(findings(r.stdout))).toEqual(['compose.yaml:5 exposure/unbound-publish error']);
  });

  it('--config names a file (relative to the working directory) instead of the one found', () => {
    const dir = tempProject({
      '.portlintrc.yaml': 'rules:\n  exposure/unbound-publish: error\n',
      'conf/ci.json': '{ "rules": { "exposure/unbound-publish": "off" } }',
      'compose.yaml': WEB,
    });
    expect(run(['--format', 'json'], { cwd: dir }).status).toBe(1);
    const r = run(['--config', 'conf/ci.json', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(findings(r.stdout)).toEqual([]);
  });

  it('--no-config ignores the file found', () => {
    const dir = tempProject({ '.portlintrc.yaml': 'rules:\n  exposure/unbound-publish: off\n', 'compose.yaml': WEB });
    expect(findings(run(['--format', 'json'], { cwd: dir }).stdout)).toEqual([]);
    const r = run(['--no-config', '--format', 'json'], { cwd: dir });
    expect(ids(findings(r.stdout))).toEqual(['compose.yaml:5 exposure/unbound-publish warning']);
  });

  it('--config with a missing file exits 2', () => {
    const dir = tempProject({ 'compose.yaml': WEB });
    const r = run(['--config', 'nope.yaml'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nope.yaml: cannot read the configuration file: no such file');
    expect(r.stdout).toBe('');
  });
});

describe('invalid configuration: exit 2, every problem located', () => {
  it('YAML: each problem with file:line:column, no stack trace, nothing on stdout', () => {
    const dir = tempProject({
      '.portlintrc.yaml': [
        'rules:',
        '  exposure/unbound-publish: warn',
        '  exposure/unbound-publishh: error',
        '  exposure/explicit-wildcard: [warning, { allowedPort: [80] }]',
        'platform: linuxx',
        'rootless: "yes"',
        'allow:',
        '  - service: proxy',
        '    ports: [80, "443-80"]',
        '  - ports: [80]',
        '',
      ].join('\n'),
      'compose.yaml': WEB,
    });
    const r = run([], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('portlint: invalid configuration .portlintrc.yaml (7 problems):');
    expect(lines.slice(1)).toEqual([
      '.portlintrc.yaml:2:29: rules.exposure/unbound-publish: "warn" is not a severity: use off, info, warning, error',
      '.portlintrc.yaml:3:3: rules: unknown rule "exposure/unbound-publishh" (did you mean exposure/unbound-publish?); portlint rules lists them',
      '.portlintrc.yaml:4:43: rules.exposure/explicit-wildcard[1]: unknown option "allowedPort" of exposure/explicit-wildcard (did you mean allowedPorts?); its options are allowedPorts',
      '.portlintrc.yaml:5:11: platform: "linuxx" is not one of linux, macos, windows, all (did you mean linux?)',
      '.portlintrc.yaml:6:11: rootless: must be true or false',
      '.portlintrc.yaml:9:17: allow[0].ports[1]: "443-80" is not a port (0-65535) or a range "a-b" with a <= b',
      '.portlintrc.yaml:10:5: allow[1]: missing required key "service"',
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('JSON: problems located by line and column too', () => {
    const dir = tempProject({
      'portlint.config.json': '{\n  "rules": {\n    "range/ephemeral": ["error", { "x": 1 }]\n  },\n  "ignore": ["!keep.yaml"],\n  "projects": [{ "name": "a" }]\n}\n',
      'compose.yaml': WEB,
    });
    const r = run([], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('portlint.config.json:3:36: rules.range/ephemeral[1]: unknown option "x" of range/ephemeral; it takes no options');
    expect(r.stderr).toContain('portlint.config.json:5:14: ignore[0]: negated patterns ("!…") are not supported');
    expect(r.stderr).toContain('portlint.config.json:6:16: projects[0]: missing required key "files"');
  });

  it('a YAML syntax error and a JSON syntax error are located', () => {
    expect(problems('/x/.portlintrc.yaml', 'rules:\n  a: [\n')).toEqual([expect.stringMatching(/^3:1 not valid YAML: /)]);
    expect(problems('/x/.portlintrc.json', '{\n  "rules": {,}\n}')).toEqual([expect.stringMatching(/^2:13 not valid JSON: /)]);
  });

  it('a value of the wrong form in a rule entry says which forms there are', () => {
    expect(problems('/x/.portlintrc.yaml', 'rules:\n  range/ephemeral: 2\n')).toEqual([
      '2:20 rules.range/ephemeral: must be a severity (off, info, warning, error), [severity, options] or { severity, options }',
    ]);
    expect(problems('/x/.portlintrc.yaml', 'rules:\n  range/ephemeral: [warning, {}, 3]\n')).toEqual(['2:20 rules.range/ephemeral: must list at most 2 items']);
  });

  it('rule options are checked against the rule\'s own schema, down to one port entry', () => {
    const text = 'rules:\n  exposure/sensitive-port-public:\n    options:\n      additionalPorts: [1.5, "abc", { port: 70000 }, { name: x }, "99999"]\n';
    expect(problems('/x/.portlintrc.yaml', text)).toEqual([
      '4:25 rules.exposure/sensitive-port-public.options.additionalPorts[0]: must be a whole number, a string or a mapping',
      '4:30 rules.exposure/sensitive-port-public.options.additionalPorts[1]: "abc" is not a port (0-65535) or a range "a-b"',
      '4:45 rules.exposure/sensitive-port-public.options.additionalPorts[2].port: 70000 must be at most 65535',
      '4:54 rules.exposure/sensitive-port-public.options.additionalPorts[3]: missing required key "port"',
      '4:67 rules.exposure/sensitive-port-public.options.additionalPorts[4]: "99999" is not a port (0-65535) or a range "a-b" with a <= b',
    ]);
  });

  it('two projects with one name, and an unknown top-level key', () => {
    const text = 'projects:\n  - name: a\n    files: [a.yaml]\n  - name: a\n    files: [b.yaml]\nignor: [x]\n';
    expect(problems('/x/.portlintrc.yaml', text)).toEqual([
      '4:11 projects[1].name: project "a" is already defined by projects[0]',
      '6:1 unknown setting "ignor" (did you mean ignore?); expected one of $schema, rules, platform, compose, rootless, swarm, reportUnusedDisable, sameHost, ignore, include, projects, allow',
    ]);
  });

  it('an empty file is a valid, empty configuration', () => {
    const c = parseConfig('/x/.portlintrc.yaml', '# nothing yet\n');
    expect(c.rules).toEqual({});
    expect(c.projects).toBeUndefined();
    expect(c.allow).toEqual([]);
  });
});

describe('rules, platform and rootless from the file', () => {
  it('the three forms of a rule entry', () => {
    const c = parseConfig(
      '/x/.portlintrc.yaml',
      'rules:\n  range/ephemeral: error\n  exposure/unbound-publish: [info, { allowedPorts: [443] }]\n  exposure/explicit-wildcard: { options: { allowedPorts: ["80-81"] } }\n  range/k8s-nodeport: [warning]\n',
    );
    expect(c.rules).toEqual({
      'range/ephemeral': { severity: 'error' },
      'exposure/unbound-publish': { severity: 'info', options: { allowedPorts: [443] } },
      'exposure/explicit-wildcard': { options: { allowedPorts: ['80-81'] } },
      'range/k8s-nodeport': { severity: 'warning' },
    });
  });

  it('severities and options apply; --rule sets the severity and keeps the options from the file', () => {
    const compose = 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n      - "9090:90"\n';
    const dir = tempProject({
      '.portlintrc.yaml': 'rules:\n  exposure/unbound-publish: [error, { allowedPorts: [8080] }]\n  range/privileged-host-port: off\n',
      'compose.yaml': compose,
    });
    const r = run(['--format', 'json'], { cwd: dir });
    expect(ids(findings(r.stdout))).toEqual(['compose.yaml:6 exposure/unbound-publish error']);
    expect(r.status).toBe(1);
    const flagged = run(['--format', 'json', '--rule', 'exposure/unbound-publish=info'], { cwd: dir });
    expect(ids(findings(flagged.stdout))).toEqual(['compose.yaml:6 exposure/unbound-publish info']);
    expect(flagged.status).toBe(0);
  });

  it('platform from the file; --platform wins over it', () => {
    const dir = tempProject({ '.portlintrc.yaml': 'platform: linux\n', 'compose.yaml': 'services:\n  app:\n    ports: ["127.0.0.1:5000:5000"]\n' });
    expect(findings(run(['--format', 'json'], { cwd: dir }).stdout).map((f) => f.ruleId)).not.toContain('range/macos-reserved');
    expect(findings(run(['--format', 'json', '--no-config'], { cwd: dir }).stdout).map((f) => f.ruleId)).toContain('range/macos-reserved');
    expect(findings(run(['--format', 'json', '--platform', 'macos'], { cwd: dir }).stdout).map((f) => f.ruleId)).toContain('range/macos-reserved');
  });

  it('rootless from the file makes a privileged host port an error, 80 and 443 included', () => {
    const dir = tempProject({ '.portlintrc.yaml': 'rootless: true\n', 'compose.yaml': 'services:\n  app:\n    ports: ["127.0.0.1:636:636", "127.0.0.1:443:443"]\n' });
    const rootless = ['compose.yaml:3 range/privileged-host-port error', 'compose.yaml:3 range/privileged-host-port error'];
    expect(ids(findings(run(['--format', 'json'], { cwd: dir }).stdout))).toEqual(rootless);
    expect(ids(findings(run(['--format', 'json', '--no-config', '--rootless'], { cwd: dir }).stdout))).toEqual(rootless);
    // Not rootless: 443 is quiet, 636 stays a hint.
    const plain = findings(run(['--format', 'json', '--no-config'], { cwd: dir }).stdout);
    expect(plain.map((f) => [f.ruleId, f.severity, f.message.split(' on ')[0]])).toEqual([['range/privileged-host-port', 'info', 'host port 636']]);
  });
});

describe('ignore globs', () => {
  const m = (path: string, ...patterns: string[]) => matchesAny(path, patterns.map(compileGlob));

  it('a pattern without a slash matches a name at any depth; with one it is anchored', () => {
    expect(m('a/b/compose.example.yaml', '*.example.yaml')).toBe(true);
    expect(m('a/b/compose.yaml', '*.example.yaml')).toBe(false);
    expect(m('legacy/compose.yaml', 'legacy')).toBe(true);
    expect(m('apps/legacy/compose.yaml', 'legacy')).toBe(true);
    expect(m('apps/legacy/compose.yaml', 'legacy/**')).toBe(false);
    expect(m('legacy/x/compose.yaml', 'legacy/**')).toBe(true);
    expect(m('legacy/compose.yaml', '/legacy/compose.yaml')).toBe(true);
    expect(m('legacy/compose.yaml', './legacy/compose.yaml')).toBe(true);
  });

  it('**, ?, classes, braces; a trailing slash matches directories only; paths outside never match', () => {
    expect(m('a/b/c/compose.yaml', 'a/**/compose.yaml')).toBe(true);
    expect(m('a/compose.yaml', 'a/**/compose.yaml')).toBe(true);
    expect(m('b/compose.yaml', 'a/**/compose.yaml')).toBe(false);
    expect(m('svc1/compose.yaml', 'svc?/compose.yaml')).toBe(true);
    expect(m('svc10/compose.yaml', 'svc?/compose.yaml')).toBe(false);
    expect(m('svc1/compose.yaml', 'svc[0-4]/*')).toBe(true);
    expect(m('svc7/compose.yaml', 'svc[0-4]/*')).toBe(false);
    expect(m('svc7/compose.yaml', 'svc[!0-4]/*')).toBe(true);
    expect(m('x/compose.test.yml', '*.{test,example}.y*ml')).toBe(true);
    expect(m('x/compose.prod.yml', '*.{test,example}.y*ml')).toBe(false);
    expect(m('vendor', 'vendor/')).toBe(false);
    expect(m('vendor/compose.yaml', 'vendor/')).toBe(true);
    expect(m('../other/compose.yaml', '**')).toBe(false);
    expect(m('a.b/compose.yaml', 'a?b/compose.yaml')).toBe(true);
    expect(m('axb/compose.yaml', 'a.b/compose.yaml')).toBe(false);
  });

  it('directory search and positional files skip what ignore matches; -f does not', () => {
    const dir = tempProject({
      '.portlintrc.yaml': 'ignore:\n  - legacy/\n  - "*.example.yaml"\n',
      'apps/a/compose.yaml': WEB,
      'apps/legacy/compose.yaml': WEB,
      'legacy/compose.yaml': WEB,
      'apps/b/compose.example.yaml': WEB,
    });
    const all = run(['--format', 'json', '.'], { cwd: dir });
    expect(findings(all.stdout).map((f) => f.file)).toEqual(['apps/a/compose.yaml']);
    const positional = run(['--format', 'json', 'legacy/compose.yaml', 'apps/a/compose.yaml'], { cwd: dir });
    expect(findings(positional.stdout).map((f) => f.file)).toEqual(['apps/a/compose.yaml']);
    const explicit = run(['--format', 'json', '-f', 'legacy/compose.yaml'], { cwd: dir });
    expect(findings(explicit.stdout).map((f) => f.file)).toEqual(['legacy/compose.yaml']);
    const unconfigured = run(['--format', 'json', '--no-config', '.'], { cwd: dir });
    expect(findings(unconfigured.stdout).filter((f) => f.ruleId === 'exposure/unbound-publish')).toHaveLength(4);
  });

  it('an ignored override file is left out of its project', () => {
    const dir = tempProject({
      '.portlintrc.yaml': 'ignore: [compose.override.yaml]\n',
      'compose.yaml': 'services:\n  web:\n    image: nginx\n',
      'compose.override.yaml': WEB,
    });
    expect(findings(run(['--format', 'json', '.'], { cwd: dir }).stdout)).toEqual([]);
    expect(findings(run(['--format', 'json', '--no-config', '.'], { cwd: dir }).stdout)).toHaveLength(1);
  });
});

describe('projects', () => {
  const files = {
    'ops/.portlintrc.yaml': [
      'projects:',
      '  - name: Shop',
      '    files: [../shop/compose.yaml, ../shop/compose.prod.yaml]',
      '    envFiles: [../shop/ci.env]',
      '  - name: monitoring',
      '    files: [../monitoring/stack.yaml]',
      '    profiles: [debug]',
      '',
    ].join('\n'),
    'shop/compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["127.0.0.1:${WEB_PORT}:80"]\n',
    'shop/compose.prod.yaml': 'services:\n  web:\n    ports: ["9443:443"]\n',
    'shop/ci.env': 'WEB_PORT=8080\n',
    'monitoring/stack.yaml': 'services:\n  grafana:\n    image: grafana\n    profiles: [debug]\n    ports: ["3000:3000"]\n',
    'other/compose.yaml': WEB,
    'ops/compose.yaml': WEB,
  };

  it('with no paths and no -f, exactly the configured projects, paths relative to the file', () => {
    const dir = tempProject(files);
    const r = run(['--format', 'json', '--rule', 'range/privileged-host-port=off'], { cwd: join(dir, 'ops') });
    expect(r.stderr).toBe('');
    const fs = findings(r.stdout);
    expect(fs.map((f) => `${f.project} ${f.service} ${f.file.replace(dir, '')}:${f.line} ${f.ruleId}`)).toEqual([
      'monitoring grafana /monitoring/stack.yaml:5 exposure/unbound-publish',
      'shop web /shop/compose.prod.yaml:3 exposure/unbound-publish',
    ]);
    // envFiles applied: WEB_PORT is set, so nothing is unresolved.
    const strict = run(['--format', 'json', '--rule', 'syntax/unresolved-variable=error'], { cwd: join(dir, 'ops') });
    expect(findings(strict.stdout).map((f) => f.ruleId)).not.toContain('syntax/unresolved-variable');
  });

  it('paths or -f on the command line replace the configured projects', () => {
    const dir = tempProject(files);
    const r = run(['--format', 'json', '../other'], { cwd: join(dir, 'ops') });
    expect(findings(r.stdout).map((f) => f.file)).toEqual([join(dir, 'other/compose.yaml')]);
    const f = run(['--format', 'json', '-f', 'compose.yaml'], { cwd: join(dir, 'ops') });
    expect(findings(f.stdout).map((x) => x.file)).toEqual(['compose.yaml']);
  });

  it('sameHost and projects[].host are validated and read', () => {
    expect(problems('/x/.portlintrc.yaml', 'sameHost: yes\n')).toEqual(['1:11 sameHost: must be true or false']);
    expect(problems('/x/.portlintrc.yaml', 'projects:\n  - name: a\n    files: [a.yaml]\n    host: ""\n')).toEqual(['4:11 projects[0].host: must not be empty']);
    expect(problems('/x/.portlintrc.yaml', 'projects:\n  - name: a\n    files: [a.yaml]\n    host: [x]\n')).toEqual(['4:11 projects[0].host: must be a string']);
    const config = parseConfig('/x/.portlintrc.yaml', 'sameHost: true\nprojects:\n  - name: a\n    files: [a.yaml]\n    host: edge\n  - name: b\n    files: [b.yaml]\n');
    expect(config.sameHost).toBe(true);
    expect(config.projects!.map((p) => p.host)).toEqual(['edge', undefined]);
  });

  it('--profile on the command line replaces a project\'s profiles', () => {
    const dir = tempProject(files);
    const r = run(['--format', 'json', '--profile', 'none'], { cwd: join(dir, 'ops') });
    expect(findings(r.stdout).map((f) => f.service)).toEqual(['web']);
  });
});

describe('portlint ports', () => {
  it('lists the configured projects, skips ignored files, and takes --config / --no-config', () => {
    const dir = tempProject({
      'conf.yaml': 'projects:\n  - name: alpha\n    files: [a/x.yaml]\nignore: [b/]\n',
      'a/x.yaml': 'services:\n  web:\n    ports: ["127.0.0.1:8080:80"]\n',
      'b/compose.yaml': 'services:\n  api:\n    ports: ["127.0.0.1:9090:90"]\n',
      'compose.yaml': 'services:\n  root:\n    ports: ["127.0.0.1:7070:70"]\n',
    });
    const names = (args: string[]) => {
      const r = run(['ports', '--format', 'json', ...args], { cwd: dir });
      expect(r.stderr).toBe('');
      return (JSON.parse(r.stdout) as { projects: Array<{ name: string; bindings: Array<{ service: string }> }> }).projects.map(
        (p) => `${p.name}:${p.bindings.map((b) => b.service).join(',')}`,
      );
    };
    expect(names(['--config', 'conf.yaml'])).toEqual(['alpha:web']);
    // Without the file (none is found by walking up), the project of the working directory.
    const root = `${dir.split('/').pop()!.toLowerCase().replace(/[^a-z0-9_-]/g, '')}:root`;
    expect(names([])).toEqual([root]);
    expect(names(['--config', 'conf.yaml', '.'])).toEqual([root]);
    expect(names(['--no-config', '.'])).toEqual([root, 'b:api']);
  });
});

describe('allowed exposures', () => {
  const compose = [
    'services:',
    '  proxy:',
    '    image: traefik',
    '    ports:',
    '      - "80:80"',
    '      - "443:443"',
    '      - "8080:8080"',
    '      - "8000-8001:8000-8001"',
    '      - "9000"',
    '  web:',
    '    image: nginx',
    '    ports: ["443:443"]',
    '  db:',
    '    image: postgres',
    '    ports:',
    '      - target: 5432',
    '        published: "5432"',
    '        host_ip: 0.0.0.0',
    '',
  ].join('\n');

  const exposure = (stdout: string) =>
    findings(stdout)
      .filter((f) => f.ruleId.startsWith('exposure/'))
      .map((f) => `${f.service}:${f.line} ${[f.ruleId, ...(f.also ?? []).map((a) => a.ruleId)].join(' + ')}`);

  it('a binding of the service on an allowed host port is not reported by the exposure rules', () => {
    const dir = tempProject({
      '.portlintrc.yaml': 'allow:\n  - service: proxy\n    ports: [80, 443, "8000"]\n    reason: public entry point\n',
      'compose.yaml': compose,
    });
    const before = exposure(run(['--format', 'json', '--no-config'], { cwd: dir }).stdout);
    expect(before).toContain('proxy:5 exposure/unbound-publish');
    const after = exposure(run(['--format', 'json'], { cwd: dir }).stdout);
    expect(after).toEqual([
      'proxy:7 exposure/unbound-publish', // 8080 is not listed
      'proxy:8 exposure/unbound-publish', // 8000 is, 8001 is not: the item stays
      'proxy:9 exposure/unbound-publish', // a random host port is never allowed
      'web:12 exposure/unbound-publish', // another service
      // One voice for the entry: the database on every interface speaks for the wildcard host_ip.
      'db:16 exposure/sensitive-port-public + exposure/explicit-wildcard',
    ]);
    // Other rules still see the allowed bindings (80 is a privileged port when rootless).
    expect(findings(run(['--format', 'json', '--rootless'], { cwd: dir }).stdout).some((f) => f.service === 'proxy' && f.line === 5 && f.ruleId === 'range/privileged-host-port')).toBe(true);
  });

  it('rules limits an allowance; a long-syntax host_ip location is matched too; project must match', () => {
    const dir = tempProject({
      '.portlintrc.yaml': [
        'allow:',
        '  - service: db',
        '    ports: [5432]',
        '    rules: [exposure/explicit-wildcard]',
        '  - service: proxy',
        '    project: someone-else',
        '    ports: [80]',
        '  - service: web',
        '    project: App',
        '    ports: ["400-500"]',
        '',
      ].join('\n'),
      'compose.yaml': `name: app\n${compose}`,
    });
    const after = exposure(run(['--format', 'json'], { cwd: dir }).stdout);
    expect(after).toContain('db:17 exposure/sensitive-port-public');
    expect(after).not.toContain('db:19 exposure/explicit-wildcard');
    expect(after).toContain('proxy:6 exposure/unbound-publish');
    expect(after).not.toContain('web:13 exposure/unbound-publish');
  });
});
