/**
 * Loader, YAML layer (spec §1.1 step 1, §1.2, §3.1 multi-document files): how each
 * list item is typed, anchors / aliases / `<<` merge keys, and files that are not
 * usable compose files. Everything goes through the real loader.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindingRows, load, loadCompose, only, problemRows, tempProject } from './helpers';

/** One service `web` with the given list items, one per line (8 columns of indent before each item). */
const webPorts = (...items: string[]) => `services:\n  web:\n    image: nginx\n    ports:\n${items.map((i) => `      - ${i}\n`).join('')}`;

const ALL = ['0.0.0.0:*/tcp', '[::]:*/tcp'];

describe('YAML typing of port items (§1.2)', () => {
  it('int 80 and the string "80" are both an ephemeral host port for container 80/tcp', () => {
    for (const item of ['80', '"80"', "'80'"]) {
      const p = only(loadCompose(webPorts(item)));
      expect(bindingRows(p)).toEqual([
        { service: 'web', hostIp: '', hostPort: '', containerPort: 80, protocol: 'tcp', listeners: ALL, at: 'compose.yaml:5:9' },
      ]);
      expect(p.problems).toEqual([]);
    }
  });

  it('records how go-yaml typed a plain item, and nothing for a quoted one', () => {
    const p = only(loadCompose(webPorts('80', '"81"', '8080:82')));
    expect(p.services[0].ports.map((i) => [i.raw, i.plainType, i.scalarStyle])).toEqual([
      ['80', 'int', 'plain'],
      ['"81"', undefined, 'quoted'],
      ['8080:82', 'str', 'plain'],
    ]);
  });

  it('unquoted 8080:80 is the string "8080:80"', () => {
    const p = only(loadCompose(webPorts('8080:80')));
    expect(bindingRows(p)).toEqual([
      { service: 'web', hostIp: '', hostPort: '8080', containerPort: 80, protocol: 'tcp', listeners: ['0.0.0.0:8080/tcp', '[::]:8080/tcp'], at: 'compose.yaml:5:9' },
    ]);
  });

  it('unquoted 22:22 is a string (no base 60): host 22 to container 22, not the int 1342', () => {
    const p = only(loadCompose(webPorts('22:22')));
    expect(bindingRows(p).map(({ hostPort, containerPort }) => [hostPort, containerPort])).toEqual([['22', 22]]);
    expect(p.services[0].ports[0].plainType).toBe('str');
  });

  it('unquoted 1:30 is host 1 to container 30, and 070:70 is 70 to 70 (decimal in the port grammar)', () => {
    const p = only(loadCompose(webPorts('1:30', '070:70')));
    expect(bindingRows(p).map(({ hostPort, containerPort }) => [hostPort, containerPort])).toEqual([
      ['1', 30],
      ['70', 70],
    ]);
  });

  it('unquoted 0120 is octal: container port 80, not 120', () => {
    const p = only(loadCompose(webPorts('0120')));
    expect(bindingRows(p)).toEqual([{ service: 'web', hostIp: '', hostPort: '', containerPort: 80, protocol: 'tcp', listeners: ALL, at: 'compose.yaml:5:9' }]);
  });

  it('quoted "0120" is a string: the port grammar reads it as decimal 120', () => {
    const p = only(loadCompose(webPorts('"0120"')));
    expect(bindingRows(p)[0].containerPort).toBe(120);
  });

  it.each([
    ['0x50', 80],
    ['0o120', 80],
    ['8_080', 8080],
  ])('unquoted %s is the int %i', (item, port) => {
    const p = only(loadCompose(webPorts(item)));
    expect(bindingRows(p)).toEqual([{ service: 'web', hostIp: '', hostPort: '', containerPort: port, protocol: 'tcp', listeners: ALL, at: 'compose.yaml:5:9' }]);
    expect(p.services[0].ports[0].plainType).toBe('int');
  });

  it.each([
    ['80.0', 'float64'],
    ['80.5', 'float64'],
    ['1e3', 'float64'],
    ['.inf', 'float64'],
    ['2001-12-14', 'time.Time'],
  ])('unquoted %s is an invalid type (%s) for a port: a problem, and the rest of the file still loads', (item, goType) => {
    const p = only(loadCompose(`${webPorts('"8080:80"', item, '"9090:90"')}  db:\n    ports: ["5432:5432"]\n`));
    expect(problemRows(p)).toEqual([
      { kind: 'invalid-port', service: 'web', message: expect.stringContaining(`services.web.ports: invalid type ${goType} for port`), at: 'compose.yaml:6:9' },
    ]);
    expect(bindingRows(p).map((r) => `${r.service} ${r.hostPort}:${r.containerPort}`)).toEqual(['web 8080:80', 'web 9090:90', 'db 5432:5432']);
  });

  it.each([['true'], ['false'], ['~'], ['null']])('unquoted %s is not a number, string or mapping: a problem, the rest loads', (item) => {
    const p = only(loadCompose(webPorts('"8080:80"', item, '"9090:90"')));
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]).toMatchObject({ kind: 'invalid-port', service: 'web', loc: { line: 6, column: 9 } });
    expect(p.problems[0].message).toContain('invalid type');
    expect(bindingRows(p).map((r) => r.hostPort)).toEqual(['8080', '9090']);
  });

  it('an empty list item (`-` alone) is a problem too, not a silent skip', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - "8080:80"\n      -\n      - "9090:90"\n'));
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0].kind).toBe('invalid-port');
    expect(bindingRows(p).map((r) => r.hostPort)).toEqual(['8080', '9090']);
  });

  it('quoted forms of the same values are strings for the port grammar ("true" is an invalid container port)', () => {
    const p = only(loadCompose(webPorts('"80.0"', '"true"')));
    expect(problemRows(p)).toEqual([
      { kind: 'invalid-port', service: 'web', message: expect.stringContaining('invalid containerPort: 80.0'), at: 'compose.yaml:5:9' },
      { kind: 'invalid-port', service: 'web', message: expect.stringContaining('invalid containerPort: true'), at: 'compose.yaml:6:9' },
    ]);
  });

  it('a flow sequence types its items the same way', () => {
    const p = only(loadCompose('services:\n  web:\n    ports: [80, 22:22, "0120", 0120]\n'));
    // 80 and octal 0120 are both the int 80: the same raw key, so they collapse into one entry.
    expect(bindingRows(p).map((r) => [r.hostPort, r.containerPort, r.at])).toEqual([
      ['', 80, 'compose.yaml:3:32'],
      ['22', 22, 'compose.yaml:3:17'],
      ['', 120, 'compose.yaml:3:24'],
    ]);
  });
});

describe('locations of port items', () => {
  it('block, flow, quoted and long-syntax items each point at where they stand', () => {
    const yaml = [
      'services:',
      '  web:',
      '    ports:',
      '      - 8080:80',
      "      - '127.0.0.1:8443:443'",
      '      -   "9000:9000"',
      '      - target: 53',
      '        published: "53"',
      '        protocol: udp',
      '  db:',
      '    ports: [ "5432:5432",   6379 ]',
      '',
    ].join('\n');
    const p = only(loadCompose(yaml));
    expect(bindingRows(p).map((r) => `${r.service} ${r.hostPort}->${r.containerPort}/${r.protocol} @${r.at}`)).toEqual([
      'web 8080->80/tcp @compose.yaml:4:9',
      'web 8443->443/tcp @compose.yaml:5:9',
      'web 9000->9000/tcp @compose.yaml:6:11',
      'web 53->53/udp @compose.yaml:7:9',
      'db 5432->5432/tcp @compose.yaml:11:14',
      'db ->6379/tcp @compose.yaml:11:29',
    ]);
    const item = p.services[0].ports[1];
    expect(item.loc).toMatchObject({ line: 5, column: 9, endLine: 5, endColumn: 29 });
    expect(item.raw).toBe("'127.0.0.1:8443:443'");
    const text = "'127.0.0.1:8443:443'";
    expect(item.loc.endOffset - item.loc.offset).toBe(text.length);
  });

  it('the location is absolute and names the file the item is in', () => {
    const dir = tempProject({ 'compose.yaml': webPorts('"8080:80"') });
    const p = only(load({ cwd: dir }));
    expect(p.bindings[0].item.loc.file).toBe(join(dir, 'compose.yaml'));
  });

  it('a CRLF file gets the same lines and columns', () => {
    const p = only(loadCompose(webPorts('"8080:80"', '9090:90').replace(/\n/g, '\r\n')));
    expect(bindingRows(p).map((r) => r.at)).toEqual(['compose.yaml:5:9', 'compose.yaml:6:9']);
  });
});

describe('anchors, aliases and `<<` merge keys (§1.2)', () => {
  it('an aliased list gives the same bindings, located at the anchored items', () => {
    const yaml = ['x-ports: &ports', '  - "8080:80"', '  - 9443:443', 'services:', '  a:', '    ports: *ports', '  b:', '    ports: *ports', ''].join('\n');
    const p = only(loadCompose(yaml));
    expect(bindingRows(p).map((r) => `${r.service} ${r.hostPort}->${r.containerPort} @${r.at}`)).toEqual([
      'a 8080->80 @compose.yaml:2:5',
      'b 8080->80 @compose.yaml:2:5',
      'a 9443->443 @compose.yaml:3:5',
      'b 9443->443 @compose.yaml:3:5',
    ]);
  });

  it('an aliased single item is located at the anchored scalar (after its `&name`)', () => {
    const yaml = ['services:', '  a:', '    ports:', '      - &web "8080:80"', '  b:', '    ports:', '      - *web', '      - "9090:90"', ''].join('\n');
    const p = only(loadCompose(yaml));
    expect(bindingRows(p, 'b').map((r) => [r.hostPort, r.at])).toEqual([
      ['8080', 'compose.yaml:4:14'],
      ['9090', 'compose.yaml:8:9'],
    ]);
  });

  it('an aliased long-syntax mapping keeps its fields', () => {
    const yaml = [
      'x-db: &db',
      '  target: 5432',
      '  published: "15432"',
      '  host_ip: 127.0.0.1',
      'services:',
      '  db:',
      '    ports: [*db]',
      '',
    ].join('\n');
    const p = only(loadCompose(yaml));
    expect(bindingRows(p)).toEqual([
      { service: 'db', hostIp: '127.0.0.1', hostPort: '15432', containerPort: 5432, protocol: 'tcp', listeners: ['127.0.0.1:15432/tcp'], at: 'compose.yaml:2:3' },
    ]);
  });

  it('`<<: *base` brings the base ports when the service has none', () => {
    const yaml = ['x-base: &base', '  image: nginx', '  ports:', '    - "8080:80"', 'services:', '  web:', '    <<: *base', ''].join('\n');
    const p = only(loadCompose(yaml));
    expect(bindingRows(p).map((r) => [r.service, r.hostPort, r.containerPort, r.at])).toEqual([['web', '8080', 80, 'compose.yaml:4:7']]);
  });

  it('a local `ports:` next to `<<` replaces the merged list; nothing is appended', () => {
    const yaml = ['x-base: &base', '  ports:', '    - "8080:80"', '    - "8443:443"', 'services:', '  web:', '    <<: *base', '    ports:', '      - "9090:90"', ''].join('\n');
    const p = only(loadCompose(yaml));
    expect(bindingRows(p).map((r) => [r.hostPort, r.containerPort, r.at])).toEqual([['9090', 90, 'compose.yaml:9:9']]);
  });

  it('the local key wins whether it stands before or after `<<`', () => {
    const yaml = ['x-base: &base', '  ports: ["8080:80"]', 'services:', '  web:', '    ports: ["9090:90"]', '    <<: *base', ''].join('\n');
    const p = only(loadCompose(yaml));
    expect(bindingRows(p).map((r) => r.hostPort)).toEqual(['9090']);
  });

  it('with a list of merge sources, the first source that has `ports` wins', () => {
    const yaml = [
      'x-a: &a',
      '  ports: ["1111:1"]',
      'x-b: &b',
      '  ports: ["2222:2"]',
      '  network_mode: host',
      'services:',
      '  web:',
      '    <<: [*a, *b]',
      '',
    ].join('\n');
    const p = only(loadCompose(yaml));
    expect(p.services[0].ports.map((i) => i.spec)).toEqual(['1111:1']);
    // network_mode came from the second source: host mode publishes nothing.
    expect(p.services[0].networkMode?.value).toBe('host');
    expect(p.bindings).toEqual([]);
  });

  it('`<<` merges whole services too (a service template)', () => {
    const yaml = ['x-svc: &svc', '  image: app', '  ports: ["${P:-3000}:3000"]', 'services:', '  one: *svc', '  two:', '    <<: *svc', ''].join('\n');
    const p = only(loadCompose(yaml, {}, { env: { P: '3001' } }));
    expect(bindingRows(p).map((r) => `${r.service} ${r.hostPort}`)).toEqual(['one 3001', 'two 3001']);
  });

  it('an alias to an unknown anchor is a YAML error with its position', () => {
    const r = loadCompose(webPorts('*nope'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 5, column: 9 });
    expect(r.errors[0].message).toContain('nope');
  });
});

describe('multi-document files (§1.1, §3.1)', () => {
  it('documents merge in order like separate files: ports append, later scalars win', () => {
    const yaml = [
      'services:',
      '  web:',
      '    ports: ["8080:80"]',
      '---',
      'services:',
      '  web:',
      '    ports: ["9090:90"]',
      '  db:',
      '    ports: ["5432:5432"]',
      '---',
      'services:',
      '  db:',
      '    network_mode: host',
      '',
    ].join('\n');
    const p = only(loadCompose(yaml));
    expect(bindingRows(p).map((r) => `${r.service} ${r.hostPort} @${r.at}`)).toEqual(['web 8080 @compose.yaml:3:13', 'web 9090 @compose.yaml:7:13']);
    expect(p.services.find((s) => s.name === 'db')?.networkMode?.value).toBe('host');
  });

  it('`!reset` in a later document removes what an earlier document contributed', () => {
    const yaml = ['services:', '  web:', '    ports: ["8080:80"]', '---', 'services:', '  web:', '    ports: !reset []', ''].join('\n');
    const p = only(loadCompose(yaml));
    expect(p.bindings).toEqual([]);
  });

  it('the same key in two documents is not a duplicate-key error', () => {
    const p = only(loadCompose('name: a\n---\nname: b\nservices:\n  web:\n    ports: ["1:1"]\n'));
    expect(p.name).toBe('b');
  });

  it('anchors do not cross documents: an alias to an earlier document is an error', () => {
    const r = loadCompose('x: &p ["1:1"]\n---\nservices:\n  web:\n    ports: *p\n');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 5, column: 12 });
  });
});

describe('files that are not usable compose files', () => {
  it('a file that is not YAML is an error with line and column; the other files still load', () => {
    const dir = tempProject({
      'compose.yaml': webPorts('"8080:80"'),
      'compose.override.yaml': 'services:\n  web:\n    ports: ["9090:90"\n  db: {\n',
    });
    const r = load({ cwd: dir });
    expect(r.errors).toEqual([
      { file: join(dir, 'compose.override.yaml'), line: 4, column: 3, message: expect.stringContaining('not valid YAML') },
    ]);
    expect(r.projects).toHaveLength(1);
    expect(r.projects[0].bindings.map((b) => b.hostPort)).toEqual(['8080']);
  });

  it('a merge key whose value is not a mapping is a YAML error at the value, in both readers', () => {
    // Block YAML goes through the fast reader first, which hands this file to the full one.
    const r = loadCompose('x: &a 5\nservices:\n  web:\n    <<: *a\n    ports: ["8080:80"]\n');
    expect(r.errors).toEqual([
      expect.objectContaining({ line: 1, column: 7, message: 'not valid YAML: a merge key (<<) needs a mapping or a list of mappings' }),
    ]);
  });

  it('a tab-indented file is a YAML error, located', () => {
    const r = loadCompose('services:\n\tweb:\n\t\tports: ["80"]\n');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].line).toBeGreaterThanOrEqual(1);
    expect(r.errors[0].column).toBeGreaterThanOrEqual(1);
    expect(r.errors[0].message).toContain('not valid YAML');
  });

  it('a duplicate mapping key is an error, worded as Compose does (§1.1)', () => {
    const r = loadCompose('services:\n  web:\n    ports: ["1:1"]\n  web:\n    ports: ["2:2"]\n');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 4, column: 3, message: expect.stringContaining('mapping key "web" already defined at line 2') });
    expect(r.projects[0].bindings).toEqual([]);
  });

  it('a duplicate `ports` key inside a service is the same error', () => {
    const r = loadCompose('services:\n  web:\n    ports: ["1:1"]\n    image: x\n    ports: ["2:2"]\n');
    expect(r.errors[0]).toMatchObject({ line: 5, column: 5, message: expect.stringContaining('mapping key "ports" already defined at line 3') });
  });

  it.each([
    ['an empty file', ''],
    ['a file with only comments', '# nothing here\n\n# still nothing\n'],
  ])('%s is an error "empty compose file" at 1:1', (_, text) => {
    const dir = tempProject({ 'compose.yaml': text });
    const r = load({ cwd: dir });
    expect(r.errors).toEqual([{ file: join(dir, 'compose.yaml'), line: 1, column: 1, message: expect.stringContaining('empty compose file') }]);
  });

  it('an empty override file does not stop the main file', () => {
    const dir = tempProject({ 'compose.yaml': webPorts('"8080:80"'), 'compose.override.yaml': '' });
    const r = load({ cwd: dir });
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringContaining('empty compose file')]);
    expect(r.projects[0].bindings.map((b) => b.hostPort)).toEqual(['8080']);
  });

  it.each([
    ['a list', '- "8080:80"\n- "9090:90"\n', 'a list'],
    ['a scalar', 'hello\n', 'the scalar "hello"'],
  ])('a file whose top level is %s is an invalid-compose problem at 1:1', (_, text, what) => {
    const p = only(loadCompose(text));
    expect(problemRows(p)).toEqual([
      { kind: 'invalid-compose', service: undefined, message: `a compose file must be a mapping at the top level, not ${what}`, at: 'compose.yaml:1:1' },
    ]);
    expect(p.bindings).toEqual([]);
  });

  it('`services` that is not a mapping, a service that is not a mapping, and `ports` that is not a list are problems; the rest loads', () => {
    const yaml = ['services:', '  a:', '    ports: "8080:80"', '  b: 3', '  c:', '    ports:', '      - [1, 2]', '  d:', '    ports: ["4:4"]', ''].join('\n');
    const p = only(loadCompose(yaml));
    expect(problemRows(p)).toEqual([
      { kind: 'invalid-compose', service: 'a', message: expect.stringContaining('services.a.ports must be a list'), at: 'compose.yaml:3:12' },
      { kind: 'invalid-compose', service: 'b', message: expect.stringContaining('service "b" must be a mapping'), at: 'compose.yaml:4:6' },
      { kind: 'invalid-compose', service: 'c', message: expect.stringContaining('services.c.ports items must be'), at: 'compose.yaml:7:9' },
    ]);
    expect(bindingRows(p).map((r) => `${r.service} ${r.hostPort}`)).toEqual(['d 4']);
    const q = only(loadCompose('services: [web]\n'));
    expect(problemRows(q)).toEqual([{ kind: 'invalid-compose', service: undefined, message: expect.stringContaining('services must be a mapping'), at: 'compose.yaml:1:11' }]);
  });

  it('a service with a null body and `ports:` with no value load without bindings or problems', () => {
    const p = only(loadCompose('services:\n  a:\n  b:\n    ports:\n  c:\n    ports: ["1:1"]\n'));
    expect(p.problems).toEqual([]);
    expect(p.services.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(bindingRows(p).map((r) => r.service)).toEqual(['c']);
  });

  it('a -f path that does not exist is an error without a position; the other -f files load', () => {
    const dir = tempProject({ 'compose.yaml': webPorts('"8080:80"') });
    const r = load({ cwd: dir, files: ['compose.yaml', 'missing.yaml'] });
    expect(r.errors).toEqual([{ file: join(dir, 'missing.yaml'), line: 0, column: 0, message: expect.stringContaining('no such file') }]);
    expect(r.projects[0].bindings.map((b) => b.hostPort)).toEqual(['8080']);
  });

  it('a -f path that is a directory, or that runs through a file, is an unreadable-file error', () => {
    const dir = tempProject({ 'compose.yaml': webPorts('"8080:80"') });
    mkdirSync(join(dir, 'adir'));
    const r = load({ cwd: dir, files: ['compose.yaml', 'adir', 'compose.yaml/x.yaml'] });
    expect(r.errors.map((e) => [e.file, e.line, e.column])).toEqual([
      [join(dir, 'adir'), 0, 0],
      [join(dir, 'compose.yaml/x.yaml'), 0, 0],
    ]);
    expect(r.errors[0].message).toContain('is a directory');
    expect(r.errors[1].message).toContain('cannot read');
    expect(r.projects[0].bindings.map((b) => b.hostPort)).toEqual(['8080']);
  });

  it('a positional path that does not exist is an error; other positional paths still load', () => {
    const dir = tempProject({ 'app/compose.yaml': webPorts('"8080:80"') });
    const r = load({ cwd: dir, paths: ['nope', 'app'] });
    expect(r.errors).toEqual([{ file: join(dir, 'nope'), line: 0, column: 0, message: expect.stringContaining('no such file') }]);
    expect(r.projects.map((p) => p.bindings.map((b) => b.hostPort))).toEqual([['8080']]);
  });

  it('a broken file shared by two projects is reported once', () => {
    const dir = tempProject({ 'a/compose.yaml': 'services: [\n', 'b/compose.yaml': webPorts('"1:1"') });
    const r = load({ cwd: dir, paths: ['a', 'b', 'a/compose.yaml'] });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].file).toBe(join(dir, 'a/compose.yaml'));
  });
});
