/**
 * Loader, merging and de-duplication of ports (spec §1.6 EnforceUnicity, §3.2 ports
 * across files): override files, `!reset` / `!override`, and which entry survives.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatListener } from '../src/model/listeners';
import type { Project } from '../src/model/types';
import { load, loadCompose, only, tempProject, where } from './helpers';

/** One line per binding: service, host ip, host port, container port, protocol, listeners and where the item stands. */
const lines = (p: Project, service?: string) =>
  p.bindings
    .filter((b) => !service || b.service === service)
    .map((b) => `${b.service} ${JSON.stringify(b.hostIp)} ${b.hostPort || '-'}->${b.containerPort}/${b.protocol} [${b.listeners.map(formatListener).join(' ')}] @${where(p, b.item.loc)}`);

const web = (...items: string[]) => `services:\n  web:\n    ports:\n${items.map((i) => `      - ${i}\n`).join('')}`;

/** A project of compose.yaml + compose.override.yaml. */
function withOverride(base: string, override: string, others: Record<string, string> = {}) {
  const dir = tempProject({ 'compose.yaml': base, 'compose.override.yaml': override, ...others });
  return only(load({ cwd: dir }));
}

describe('ports across files (§3.2)', () => {
  it('sequences append: base 8080:80 plus override 9090:80 publishes both', () => {
    const p = withOverride(web('"8080:80"'), web('"9090:80"'));
    expect(lines(p)).toEqual([
      'web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:4:9',
      'web "" 9090->80/tcp [0.0.0.0:9090/tcp [::]:9090/tcp] @compose.override.yaml:4:9',
    ]);
    expect(p.services[0].portsByFile.map((g) => [relative(p.workingDir, g.file), g.items.map((i) => i.spec)])).toEqual([
      ['compose.yaml', ['8080:80']],
      ['compose.override.yaml', ['9090:80']],
    ]);
  });

  it('-f a -f b -f c append in that order', () => {
    const dir = tempProject({ 'a.yml': web('"1:1"'), 'b.yml': web('"2:2"'), 'c.yml': web('"3:3"') });
    const p = only(load({ cwd: dir, files: ['c.yml', 'a.yml', 'b.yml'] }));
    expect(p.bindings.map((b) => b.hostPort)).toEqual(['3', '1', '2']);
  });

  it('a service only in the override is added', () => {
    const p = withOverride(web('"1:1"'), 'services:\n  db:\n    ports: ["5432:5432"]\n');
    expect(p.bindings.map((b) => `${b.service} ${b.hostPort}`)).toEqual(['web 1', 'db 5432']);
  });

  it('an override that leaves ports out keeps them', () => {
    const p = withOverride(web('"1:1"'), 'services:\n  web:\n    image: other\n');
    expect(p.bindings.map((b) => b.hostPort)).toEqual(['1']);
  });

  it('`ports:` with a null value in an override changes nothing', () => {
    const p = withOverride(web('"8080:80"'), 'services:\n  web:\n    ports:\n');
    expect(lines(p)).toEqual(['web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:4:9']);
  });

  it('`ports: ~` in an override changes nothing either', () => {
    const p = withOverride(web('"8080:80"'), 'services:\n  web:\n    ports: ~\n');
    expect(p.bindings.map((b) => b.hostPort)).toEqual(['8080']);
  });

  it('`ports: []` in an override appends nothing and removes nothing', () => {
    const p = withOverride(web('"8080:80"'), 'services:\n  web:\n    ports: []\n');
    expect(lines(p)).toEqual(['web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:4:9']);
  });

  it('`ports: !reset []` removes everything earlier files contributed', () => {
    const dir = tempProject({ 'a.yml': web('"1:1"'), 'b.yml': web('"2:2"'), 'c.yml': 'services:\n  web:\n    ports: !reset []\n', 'd.yml': web('"4:4"') });
    expect(only(load({ cwd: dir, files: ['a.yml', 'b.yml', 'c.yml'] })).bindings).toEqual([]);
    const p = only(load({ cwd: dir, files: ['a.yml', 'b.yml', 'c.yml', 'd.yml'] }));
    expect(lines(p)).toEqual(['web "" 4->4/tcp [0.0.0.0:4/tcp [::]:4/tcp] @d.yml:4:9']);
    expect(p.services[0].portsByFile.map((g) => relative(p.workingDir, g.file))).toEqual(['d.yml']);
  });

  it('the value under !reset is ignored: `ports: !reset ["9:9"]` and a bare `!reset` also clear', () => {
    expect(withOverride(web('"1:1"'), 'services:\n  web:\n    ports: !reset ["9:9"]\n').bindings).toEqual([]);
    expect(withOverride(web('"1:1"'), 'services:\n  web:\n    ports: !reset\n').bindings).toEqual([]);
  });

  it('`ports: !reset [...]` in the first file leaves no ports at all', () => {
    const p = only(loadCompose('services:\n  web:\n    ports: !reset ["8080:80"]\n  db:\n    ports: ["5432:5432"]\n'));
    expect(p.bindings.map((b) => b.service)).toEqual(['db']);
  });

  it('`ports: !override [...]` replaces the list', () => {
    const p = withOverride(web('"8080:80"', '"8443:443"'), 'services:\n  web:\n    ports: !override\n      - "9090:80"\n');
    expect(lines(p)).toEqual(['web "" 9090->80/tcp [0.0.0.0:9090/tcp [::]:9090/tcp] @compose.override.yaml:4:9']);
    expect(p.services[0].portsByFile.map((g) => relative(p.workingDir, g.file))).toEqual(['compose.override.yaml']);
  });

  it('`!override` replaces, later files append again', () => {
    const dir = tempProject({ 'a.yml': web('"1:1"'), 'b.yml': 'services:\n  web:\n    ports: !override ["2:2"]\n', 'c.yml': web('"3:3"') });
    const p = only(load({ cwd: dir, files: ['a.yml', 'b.yml', 'c.yml'] }));
    expect(p.bindings.map((b) => b.hostPort)).toEqual(['2', '3']);
  });

  it('!reset and !override work through anchors and aliases', () => {
    const override = [
      'x-none: &none !reset []',
      'x-only: &only !override',
      '  - "7070:70"',
      'services:',
      '  web:',
      '    ports: *none',
      '  db:',
      '    ports: *only',
      '',
    ].join('\n');
    const p = withOverride(`${web('"8080:80"')}  db:\n    ports: ["5432:5432"]\n`, override);
    expect(lines(p)).toEqual(['db "" 7070->70/tcp [0.0.0.0:7070/tcp [::]:7070/tcp] @compose.override.yaml:3:5']);
  });

  it('an anchored !reset list reused in a later document of the same file clears that service', () => {
    const yaml = ['services:', '  web:', '    ports: ["8080:80"]', '---', 'x-r: &r !reset []', 'services:', '  web:', '    ports: *r', ''].join('\n');
    expect(only(loadCompose(yaml)).bindings).toEqual([]);
  });

  it('!reset on a single item only drops that item from its own file; base items stay', () => {
    const override = 'services:\n  web:\n    ports:\n      - !reset "8080:80"\n      - !reset "6060:60"\n      - "7070:70"\n';
    const p = withOverride(web('"8080:80"'), override);
    expect(lines(p)).toEqual([
      'web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:4:9',
      'web "" 7070->70/tcp [0.0.0.0:7070/tcp [::]:7070/tcp] @compose.override.yaml:6:9',
    ]);
  });

  it('`!reset` on a service removes it; `services: !reset {}` removes all', () => {
    const base = 'services:\n  web:\n    ports: ["1:1"]\n  db:\n    ports: ["2:2"]\n';
    expect(withOverride(base, 'services:\n  web: !reset {}\n').bindings.map((b) => b.service)).toEqual(['db']);
    expect(withOverride(base, 'services: !reset {}\n').bindings).toEqual([]);
  });

  it('a service removed with `!reset` can be defined again by a later file, with only its new ports', () => {
    const dir = tempProject({ 'a.yml': web('"1:1"'), 'b.yml': 'services:\n  web: !reset\n', 'c.yml': web('"3:3"') });
    const p = only(load({ cwd: dir, files: ['a.yml', 'b.yml', 'c.yml'] }));
    expect(lines(p)).toEqual(['web "" 3->3/tcp [0.0.0.0:3/tcp [::]:3/tcp] @c.yml:4:9']);
  });

  it('a `!reset` service in the first file does not exist at all', () => {
    const p = only(loadCompose('services:\n  web: !reset\n    ports: ["1:1"]\n  db:\n    ports: ["2:2"]\n'));
    expect(p.services.map((s) => s.name)).toEqual(['db']);
  });

  it('`!override` on a whole service replaces it, ports and all', () => {
    const base = 'services:\n  web:\n    network_mode: host\n    ports: ["1:1"]\n';
    const p = withOverride(base, 'services:\n  web: !override\n    ports: ["2:2"]\n');
    expect(p.services[0].networkMode).toBeUndefined();
    expect(p.bindings.map((b) => b.hostPort)).toEqual(['2']);
  });

  it('an override changes scalars: network_mode host set later removes the bindings', () => {
    const p = withOverride(web('"1:1"'), 'services:\n  web:\n    network_mode: host\n');
    expect(p.bindings).toEqual([]);
    expect(p.services[0].ports.map((i) => i.spec)).toEqual(['1:1']);
  });
});

describe('de-duplication (§1.6)', () => {
  it('["8080:80", "8080:80"] is one entry: the last one, at the first position', () => {
    const p = only(loadCompose(web('"8080:80"', '"9090:90"', '"8080:80"')));
    expect(lines(p)).toEqual([
      'web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:6:9',
      'web "" 9090->90/tcp [0.0.0.0:9090/tcp [::]:9090/tcp] @compose.yaml:5:9',
    ]);
  });

  it('"8080:80" and "0.0.0.0:8080:80" collapse: the last wins at the first position, so only an IPv4 listener remains', () => {
    const p = only(loadCompose(web('"8080:80"', '"9090:90"', '"0.0.0.0:8080:80"')));
    expect(lines(p)).toEqual([
      'web "0.0.0.0" 8080->80/tcp [0.0.0.0:8080/tcp] @compose.yaml:6:9',
      'web "" 9090->90/tcp [0.0.0.0:9090/tcp [::]:9090/tcp] @compose.yaml:5:9',
    ]);
    expect(p.services[0].ports.map((i) => i.spec)).toEqual(['0.0.0.0:8080:80', '9090:90']);
  });

  it('the other way round the unspecified entry wins: dual-stack', () => {
    const p = only(loadCompose(web('"0.0.0.0:8080:80"', '"8080:80"')));
    expect(lines(p)).toEqual(['web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:5:9']);
  });

  it('across files: base "8080:80" + override "0.0.0.0:8080:80" collapse to IPv4 only', () => {
    const p = withOverride(web('"8080:80"', '"9090:90"'), web('"0.0.0.0:8080:80"'));
    expect(lines(p)).toEqual([
      'web "0.0.0.0" 8080->80/tcp [0.0.0.0:8080/tcp] @compose.override.yaml:4:9',
      'web "" 9090->90/tcp [0.0.0.0:9090/tcp [::]:9090/tcp] @compose.yaml:5:9',
    ]);
  });

  it('the raw pass runs first: in one file, the repeated "8080:80" collapses before "0.0.0.0:8080:80" replaces it', () => {
    const p = only(loadCompose(web('"8080:80"', '"0.0.0.0:8080:80"', '"8080:80"')));
    expect(lines(p)).toEqual(['web "0.0.0.0" 8080->80/tcp [0.0.0.0:8080/tcp] @compose.yaml:5:9']);
  });

  it('an int published: 8080 does NOT collapse with "8080:80": two identical bindings', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - "8080:80"\n      - target: 80\n        published: 8080\n'));
    expect(lines(p)).toEqual([
      'web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:4:9',
      'web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:5:9',
    ]);
  });

  it('an int published: 8080 does not collapse with published: "8080" either', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - {target: 80, published: 8080}\n      - {target: 80, published: "8080"}\n'));
    expect(p.bindings).toHaveLength(2);
  });

  it('two int published: 8080 entries do collapse (same key)', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - {target: 80, published: 8080}\n      - {target: 80, published: 8080}\n'));
    expect(lines(p)).toEqual(['web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:5:9']);
  });

  it('a string published: "8080" collapses with "8080:80"', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - "8080:80"\n      - target: 80\n        published: "8080"\n'));
    expect(lines(p)).toEqual(['web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:5:9']);
  });

  it('an interpolated published is always a string, so it collapses with "8080:80"', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - "8080:80"\n      - target: 80\n        published: ${P}\n', {}, { env: { P: '8080' } }));
    expect(lines(p)).toEqual(['web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:5:9']);
  });

  it('mode is not part of the key: {mode: host} silently replaces an identical {mode: ingress}', () => {
    const yaml = 'services:\n  web:\n    ports:\n      - {target: 80, published: "8080", mode: ingress}\n      - {target: 80, published: "8080", mode: host, name: h}\n';
    const p = only(loadCompose(yaml));
    expect(lines(p)).toEqual(['web "" 8080->80/tcp [0.0.0.0:8080/tcp [::]:8080/tcp] @compose.yaml:5:9']);
  });

  it('different protocols or host IPs are different keys', () => {
    const p = only(loadCompose(web('"8080:80"', '"8080:80/udp"', '"127.0.0.1:8080:80"')));
    expect(p.bindings.map((b) => `${b.hostIp}|${b.protocol}`)).toEqual(['|tcp', '|udp', '127.0.0.1|tcp']);
  });

  it('int 80 and "80" collapse (same raw key)', () => {
    const p = only(loadCompose(web('80', '"80"')));
    expect(lines(p)).toEqual(['web "" -->80/tcp [0.0.0.0:*/tcp [::]:*/tcp] @compose.yaml:5:9']);
  });

  it('a range entry overlapping a single one collapses the shared binding only', () => {
    const p = only(loadCompose(web('"8081:81"', '"8080-8082:80-82"')));
    expect(p.bindings.map((b) => `${b.hostPort}->${b.containerPort} @${b.item.loc.line}`)).toEqual(['8081->81 @5', '8080->80 @5', '8082->82 @5']);
  });

  it('a later single entry takes the port of an earlier run at the run\'s position; the rest stays in runs', () => {
    const p = only(loadCompose(web('"8000-8009:8000-8009"', '"8004:8004"')));
    expect(p.bindings.map((b) => `${b.hostPort}->${b.containerPort}x${b.count} @${b.item.loc.line}`)).toEqual([
      '8000-8003->8000x4 @4',
      '8004->8004x1 @5',
      '8005-8009->8005x5 @4',
    ]);
    expect(p.bindings.map((b) => b.listeners.map(formatListener).join(' '))).toEqual([
      '0.0.0.0:8000-8003/tcp [::]:8000-8003/tcp',
      '0.0.0.0:8004/tcp [::]:8004/tcp',
      '0.0.0.0:8005-8009/tcp [::]:8005-8009/tcp',
    ]);
  });

  it('two runs that share ports: the later run takes the shared ports at the earlier positions', () => {
    const p = only(loadCompose(web('"8000-8004:9000-9004"', '"127.0.0.1:7000-7001:80-81"', '"8003-8006:9003-9006"')));
    expect(p.bindings.map((b) => `${b.hostIp || '*'}:${b.hostPort}->${b.containerPort}x${b.count} @${b.item.loc.line}`)).toEqual([
      '*:8000-8002->9000x3 @4',
      '*:8003-8004->9003x2 @6',
      '127.0.0.1:7000-7001->80x2 @5',
      '*:8005-8006->9005x2 @6',
    ]);
    // Load order, as the collision rules rank bindings: consecutive, in the order listed.
    expect(p.bindings.map((b) => b.order)).toEqual([0, 1, 2, 3]);
  });

  it('runs with another offset, address or protocol are never cut', () => {
    const p = only(loadCompose(web('"8000-8004:9000-9004"', '"8001-8005:9000-9004"', '"8000-8004:9000-9004/udp"', '"127.0.0.1:8000-8004:9000-9004"')));
    expect(p.bindings.map((b) => b.count)).toEqual([5, 5, 5, 5]);
  });

  it('a long-syntax entry with a port\'s key replaces that port of a run', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - "8000-8002:80-82"\n      - target: 81\n        published: "8001"\n'));
    expect(p.bindings.map((b) => `${b.hostPort}->${b.containerPort} ${b.item.syntax}`)).toEqual(['8000->80 short', '8001->81 long', '8002->82 short']);
  });

  it('de-duplication is per service', () => {
    const p = only(loadCompose('services:\n  a:\n    ports: ["8080:80"]\n  b:\n    ports: ["8080:80"]\n'));
    expect(p.bindings.map((b) => b.service)).toEqual(['a', 'b']);
  });
});
