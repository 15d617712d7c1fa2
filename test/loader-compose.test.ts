/**
 * Loader, project structure (spec §3.3 extends, §3.4 include, §3.5 profiles, §3.6
 * network modes, §4.2 host_binding_ipv4 as the loader models it).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Project } from '../src/model/types';
import { FIXTURES, bindingRows, load, loadCompose, only, problemRows, tempProject, where } from './helpers';

const itemsOf = (p: Project, service: string) => p.services.find((s) => s.name === service)!.ports.map((i) => `${i.spec} @${where(p, i.loc)}`);

const tcp = (service: string, hostIp: string, hostPort: string, containerPort: number, at: string) => ({
  service,
  hostIp,
  hostPort,
  containerPort,
  protocol: 'tcp',
  listeners: hostIp ? [`${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:${hostPort || '*'}/tcp`] : [`0.0.0.0:${hostPort || '*'}/tcp`, `[::]:${hostPort || '*'}/tcp`],
  at,
});

describe('extends (§3.3)', () => {
  const dir = join(FIXTURES, 'loader', 'extends');
  const p = only(load({ cwd: dir }));

  it('loads the fixture without problems (problems of unrelated services in an extended file are not reported)', () => {
    expect(p.problems).toEqual([]);
    expect(p.services.map((s) => s.name)).toEqual(['base', 'web', 'api', 'worker']);
  });

  it('same file: base ports first, then local ones; the same port from both sides collapses to one', () => {
    expect(itemsOf(p, 'web')).toEqual(['8080:80 @compose.yaml:12:9', '9000:9000 @compose.yaml:7:9', '9090:90 @compose.yaml:13:9']);
    expect(bindingRows(p, 'web')).toEqual([
      tcp('web', '', '8080', 80, 'compose.yaml:12:9'),
      tcp('web', '', '9000', 9000, 'compose.yaml:7:9'),
      tcp('web', '', '9090', 90, 'compose.yaml:13:9'),
    ]);
  });

  it('the base service still exists with its own ports (so fixed ports conflict if both run)', () => {
    expect(bindingRows(p, 'base')).toEqual([tcp('base', '', '8080', 80, 'compose.yaml:6:9'), tcp('base', '', '9000', 9000, 'compose.yaml:7:9')]);
  });

  it('`file:` extends load the other file with the same environment; nested relative paths resolve against that file', () => {
    expect(itemsOf(p, 'api')).toEqual([
      'target=4000,published=4000,host_ip=127.0.0.1 @shared/deep.yaml:4:9',
      '3333:3000 @common/services.yaml:8:9',
      '7070:70 @compose.yaml:20:9',
    ]);
    expect(bindingRows(p, 'api').map((r) => `${r.listeners.join(' ')} ->${r.containerPort} @${r.at}`).sort()).toEqual([
      '0.0.0.0:3333/tcp [::]:3333/tcp ->3000 @common/services.yaml:8:9',
      '0.0.0.0:7070/tcp [::]:7070/tcp ->70 @compose.yaml:20:9',
      '127.0.0.1:4000/tcp ->4000 @shared/deep.yaml:4:9',
    ]);
  });

  it('extended and extending files are not listed among the project files', () => {
    expect(p.files).toEqual([join(dir, 'compose.yaml')]);
  });

  it('a service that extends keeps its own network_mode: host publishes nothing, the inherited items are still known', () => {
    expect(bindingRows(p, 'worker')).toEqual([]);
    expect(itemsOf(p, 'worker')).toEqual(['8080:80 @compose.yaml:6:9', '9000:9000 @compose.yaml:7:9']);
  });

  it('`extends: {service: x}` without file is the same file', () => {
    const q = only(loadCompose('services:\n  a:\n    ports: ["1:1"]\n  b:\n    extends: {service: a}\n    ports: ["2:2"]\n'));
    expect(bindingRows(q, 'b').map((r) => r.hostPort)).toEqual(['1', '2']);
  });

  it('chains resolve: c extends b extends a', () => {
    const q = only(loadCompose('services:\n  c:\n    extends: b\n    ports: ["3:3"]\n  b:\n    extends: a\n    ports: ["2:2"]\n  a:\n    ports: ["1:1"]\n'));
    expect(itemsOf(q, 'c').map((s) => s.split(' ')[0])).toEqual(['1:1', '2:2', '3:3']);
  });

  it('a base with !override ports in the extending service keeps only the local ones', () => {
    const q = only(loadCompose('services:\n  a:\n    ports: ["1:1"]\n  b:\n    extends: a\n    ports: !override ["2:2"]\n'));
    expect(bindingRows(q, 'b').map((r) => r.hostPort)).toEqual(['2']);
  });

  it('an extends cycle is an invalid-compose problem at the extends value', () => {
    const yaml = 'services:\n  a:\n    extends: b\n    ports: ["1:1"]\n  b:\n    extends: a\n    ports: ["2:2"]\n';
    const q = only(loadCompose(yaml));
    expect(problemRows(q)).toEqual([{ kind: 'invalid-compose', service: 'a', message: expect.stringContaining('circular reference'), at: 'compose.yaml:3:14' }]);
  });

  it('a cycle through another file is a problem too', () => {
    const dir2 = tempProject({
      'compose.yaml': 'services:\n  a:\n    extends:\n      file: other.yaml\n      service: b\n',
      'other.yaml': 'services:\n  b:\n    extends:\n      file: compose.yaml\n      service: a\n',
    });
    const q = only(load({ cwd: dir2 }));
    expect(q.problems.map((x) => [x.kind, x.message])).toEqual([['invalid-compose', expect.stringContaining('circular reference')]]);
  });

  it('extending a service that does not exist is a problem; its own ports still load', () => {
    const q = only(loadCompose('services:\n  a:\n    extends: nope\n    ports: ["1:1"]\n'));
    expect(problemRows(q)).toEqual([{ kind: 'invalid-compose', service: 'a', message: expect.stringContaining('"nope"'), at: 'compose.yaml:3:14' }]);
    expect(bindingRows(q).map((r) => r.hostPort)).toEqual(['1']);
  });

  it('extending from a file that does not exist is a problem', () => {
    const q = only(loadCompose('services:\n  a:\n    extends:\n      file: missing.yaml\n      service: x\n    ports: ["1:1"]\n'));
    expect(problemRows(q)).toEqual([{ kind: 'invalid-compose', service: 'a', message: expect.stringContaining('missing.yaml'), at: 'compose.yaml:4:7' }]);
    expect(bindingRows(q).map((r) => r.hostPort)).toEqual(['1']);
  });

  it('problems of the extended service are reported where they stand in the other file', () => {
    const q = only(loadCompose('services:\n  a:\n    extends: {file: base.yaml, service: b}\n', { 'base.yaml': 'services:\n  b:\n    ports: ["localhost:1:1"]\n' }));
    expect(problemRows(q)).toEqual([{ kind: 'host-ip-not-ip', service: 'b', message: expect.stringContaining('invalid IP address: localhost'), at: 'base.yaml:3:13' }]);
  });
});

describe('include (§3.4)', () => {
  const dir = join(FIXTURES, 'loader', 'include');
  const p = only(load({ cwd: dir }));

  it('loads included projects with their own .env; the parent environment wins; env_file replaces the included .env', () => {
    expect(p.problems).toEqual([]);
    expect(bindingRows(p).sort((a, b) => (a.at < b.at ? -1 : 1))).toEqual([
      tcp('api', '', '8080', 80, 'backend/compose.yaml:4:9'),
      tcp('db', '127.0.0.1', '15432', 5432, 'backend/compose.yaml:7:9'),
      tcp('api', '', '9090', 90, 'compose.yaml:11:9'),
      tcp('proxy', '', '8000', 80, 'compose.yaml:14:9'),
      tcp('grafana', '', '3300', 3000, 'monitoring/compose.yaml:4:9'),
    ]);
  });

  it('a same-named local service is merged onto the included one: its ports append', () => {
    expect(itemsOf(p, 'api')).toEqual(['8080:80 @backend/compose.yaml:4:9', '9090:90 @compose.yaml:11:9']);
  });

  it('included files are not listed among the project files', () => {
    expect(p.files).toEqual([join(dir, 'compose.yaml')]);
    expect(p.name).toBe('include');
  });

  it('the process environment wins over both .env files', () => {
    const q = only(load({ cwd: dir, env: { API_PORT: '18080', DB_PORT: '25432' } }));
    expect(bindingRows(q).map((r) => `${r.service} ${r.hostPort}`).sort()).toEqual(['api 18080', 'api 9090', 'db 25432', 'grafana 3300', 'proxy 8000']);
  });

  it('!override on the local service replaces the included ports', () => {
    const q = only(
      loadCompose('include: [sub/compose.yaml]\nservices:\n  api:\n    ports: !override ["9090:90"]\n', { 'sub/compose.yaml': 'services:\n  api:\n    ports: ["8080:80"]\n' }),
    );
    expect(bindingRows(q)).toEqual([tcp('api', '', '9090', 90, 'compose.yaml:4:23')]);
  });

  it('project_directory sets where the included .env is read from', () => {
    const q = only(
      loadCompose('include:\n  - path: sub/compose.yaml\n    project_directory: conf\n', {
        'sub/compose.yaml': 'services:\n  x:\n    ports: ["${P:-1}:1"]\n',
        'sub/.env': 'P=2\n',
        'conf/.env': 'P=3\n',
      }),
    );
    expect(bindingRows(q).map((r) => r.hostPort)).toEqual(['3']);
  });

  it('a missing included file is an invalid-compose problem at the include entry', () => {
    const q = only(loadCompose('include:\n  - nope/compose.yaml\nservices:\n  a:\n    ports: ["1:1"]\n'));
    expect(problemRows(q)).toEqual([{ kind: 'invalid-compose', service: undefined, message: expect.stringContaining('does not exist'), at: 'compose.yaml:2:5' }]);
    expect(bindingRows(q).map((r) => r.hostPort)).toEqual(['1']);
  });

  it('an include cycle is a problem, not a hang', () => {
    const q = only(loadCompose('include: [sub/compose.yaml]\nservices:\n  a:\n    ports: ["1:1"]\n', { 'sub/compose.yaml': 'include: [../compose.yaml]\nservices:\n  b:\n    ports: ["2:2"]\n' }));
    expect(q.problems.map((x) => [x.kind, x.message])).toEqual([['invalid-compose', expect.stringContaining('include cycle')]]);
  });

  it('a broken included file is an error of its own; the parent still loads', () => {
    const dir2 = tempProject({ 'compose.yaml': 'include: [sub/compose.yaml]\nservices:\n  a:\n    ports: ["1:1"]\n', 'sub/compose.yaml': 'services: [\n' });
    const r = load({ cwd: dir2 });
    expect(r.errors).toEqual([{ file: join(dir2, 'sub/compose.yaml'), line: expect.any(Number), column: expect.any(Number), message: expect.stringContaining('not valid YAML') }]);
    expect(r.errors[0].line).toBeGreaterThanOrEqual(1);
    expect(r.projects[0].bindings.map((b) => b.hostPort)).toEqual(['1']);
  });
});

describe('profiles (§3.5)', () => {
  const yaml = [
    'services:',
    '  always:',
    '    ports: ["1:1"]',
    '  debug:',
    '    profiles: [debug]',
    '    ports: ["2:2"]',
    '  multi:',
    '    profiles: [a, b]',
    '    ports: ["3:3"]',
    '',
  ].join('\n');
  const enabled = (p: Project) => p.services.filter((s) => s.enabled).map((s) => s.name);
  const bound = (p: Project) => [...new Set(p.bindings.map((b) => b.service))];

  it('with no active profile only services without profiles are enabled; inactive ones publish nothing', () => {
    const p = only(loadCompose(yaml));
    expect(enabled(p)).toEqual(['always']);
    expect(bound(p)).toEqual(['always']);
    expect(p.services.find((s) => s.name === 'debug')).toMatchObject({ enabled: false, profiles: ['debug'] });
    // Its items are still known, for rules that look at them.
    expect(itemsOf(p, 'debug')).toEqual(['2:2 @compose.yaml:6:13']);
  });

  it('--profile enables the services with that profile', () => {
    const p = only(loadCompose(yaml, {}, { profiles: ['debug'] }));
    expect(p.activeProfiles).toEqual(['debug']);
    expect(bound(p)).toEqual(['always', 'debug']);
  });

  it('one matching profile out of several is enough', () => {
    expect(bound(only(loadCompose(yaml, {}, { profiles: ['b'] })))).toEqual(['always', 'multi']);
  });

  it('COMPOSE_PROFILES is comma-separated', () => {
    expect(bound(only(loadCompose(yaml, {}, { env: { COMPOSE_PROFILES: 'debug, a' } })))).toEqual(['always', 'debug', 'multi']);
  });

  it('--profile takes precedence over COMPOSE_PROFILES', () => {
    expect(bound(only(loadCompose(yaml, {}, { profiles: ['a'], env: { COMPOSE_PROFILES: 'debug' } })))).toEqual(['always', 'multi']);
  });

  it('"*" enables every profile', () => {
    expect(bound(only(loadCompose(yaml, {}, { profiles: ['*'] })))).toEqual(['always', 'debug', 'multi']);
    expect(bound(only(loadCompose(yaml, {}, { env: { COMPOSE_PROFILES: '*' } })))).toEqual(['always', 'debug', 'multi']);
  });

  it('an unknown profile enables nothing more', () => {
    expect(bound(only(loadCompose(yaml, {}, { profiles: ['nope'] })))).toEqual(['always']);
  });

  it('profiles from an override file are added to the service', () => {
    const dir = tempProject({ 'compose.yaml': yaml, 'compose.override.yaml': 'services:\n  always:\n    profiles: [never]\n' });
    const p = only(load({ cwd: dir }));
    expect(bound(p)).toEqual([]);
  });
});

describe('network modes (§3.6)', () => {
  it('network_mode host and none publish nothing, but the items are kept', () => {
    const yaml = 'services:\n  h:\n    network_mode: host\n    ports: ["80:80"]\n  n:\n    network_mode: none\n    ports: ["81:81"]\n  b:\n    network_mode: bridge\n    ports: ["82:82"]\n';
    const p = only(loadCompose(yaml));
    expect(p.problems).toEqual([]);
    expect(bindingRows(p)).toEqual([tcp('b', '', '82', 82, 'compose.yaml:10:13')]);
    expect(itemsOf(p, 'h')).toEqual(['80:80 @compose.yaml:4:13']);
    expect(p.services.find((s) => s.name === 'h')?.networkMode).toMatchObject({ value: 'host', loc: { line: 3, column: 19 } });
  });

  it.each([['service:db'], ['container:abc123']])('network_mode %s with ports is a ports-with-shared-netns problem at `ports`, and no binding', (mode) => {
    const yaml = `services:\n  db:\n    ports: ["5432:5432"]\n  app:\n    network_mode: "${mode}"\n    ports:\n      - "8080:80"\n`;
    const p = only(loadCompose(yaml));
    expect(problemRows(p)).toEqual([
      { kind: 'ports-with-shared-netns', service: 'app', message: expect.stringContaining('conflicting options: port publishing and the container type network mode'), at: 'compose.yaml:7:7' },
    ]);
    expect(bindingRows(p).map((r) => r.service)).toEqual(['db']);
  });

  it('network_mode service:x without ports is fine', () => {
    const p = only(loadCompose('services:\n  db:\n    ports: ["5432:5432"]\n  app:\n    network_mode: service:db\n'));
    expect(p.problems).toEqual([]);
  });

  it('a disabled service with network_mode service:x and ports reports nothing (it does not run)', () => {
    const p = only(loadCompose('services:\n  app:\n    profiles: [x]\n    network_mode: service:db\n    ports: ["1:1"]\n  db:\n    image: x\n'));
    expect(p.problems).toEqual([]);
  });
});

describe('host_binding_ipv4 of the network (§4.2, checklist 1–2)', () => {
  const net = (name: string, ip: string) => `  ${name}:\n    driver_opts:\n      com.docker.network.bridge.host_binding_ipv4: "${ip}"\n`;

  it('on the default network: unspecified bindings listen on that address only; an explicit IP wins', () => {
    const yaml = `services:\n  web:\n    ports:\n      - "8080:80"\n      - "0.0.0.0:8081:81"\n      - "[::1]:8082:82"\n      - ":::8083:83"\n      - ":8084:84"\nnetworks:\n${net('default', '127.0.0.1')}`;
    const p = only(loadCompose(yaml));
    expect(bindingRows(p).map((r) => [r.hostIp, r.listeners])).toEqual([
      ['', ['127.0.0.1:8080/tcp']],
      ['0.0.0.0', ['0.0.0.0:8081/tcp']],
      ['::1', ['[::1]:8082/tcp']],
      ['::', ['[::]:8083/tcp']],
      ['', ['127.0.0.1:8084/tcp']],
    ]);
    expect(p.networks).toEqual([{ name: 'default', hostBindingIpv4: '127.0.0.1', loc: expect.objectContaining({ line: 12, column: 52 }) }]);
  });

  it('an IPv6 default is used as is', () => {
    const p = only(loadCompose(`services:\n  web:\n    ports: ["8080:80"]\nnetworks:\n${net('default', '::1')}`));
    expect(bindingRows(p)[0].listeners).toEqual(['[::1]:8080/tcp']);
  });

  it('0.0.0.0 as the default changes nothing: both families', () => {
    const p = only(loadCompose(`services:\n  web:\n    ports: ["8080:80"]\nnetworks:\n${net('default', '0.0.0.0')}`));
    expect(bindingRows(p)[0].listeners).toEqual(['0.0.0.0:8080/tcp', '[::]:8080/tcp']);
  });

  it('only the service\'s own (gateway) network counts: another network\'s option does not apply', () => {
    const yaml = `services:\n  web:\n    networks: [front]\n    ports: ["8080:80"]\n  other:\n    ports: ["9090:90"]\nnetworks:\n${net('default', '127.0.0.1')}  front: {}\n`;
    const p = only(loadCompose(yaml));
    expect(bindingRows(p).map((r) => `${r.service} ${r.listeners.join(' ')}`)).toEqual(['web 0.0.0.0:8080/tcp [::]:8080/tcp', 'other 127.0.0.1:9090/tcp']);
  });

  it('network_mode (e.g. bridge) bypasses the project networks', () => {
    const yaml = `services:\n  web:\n    network_mode: bridge\n    ports: ["8080:80"]\nnetworks:\n${net('default', '127.0.0.1')}`;
    expect(bindingRows(only(loadCompose(yaml)))[0].listeners).toEqual(['0.0.0.0:8080/tcp', '[::]:8080/tcp']);
  });

  it('an override file can set the option on the network', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  web:\n    ports: ["8080:80"]\n', 'compose.override.yaml': `networks:\n${net('default', '127.0.0.1')}` });
    expect(bindingRows(only(load({ cwd: dir })))[0].listeners).toEqual(['127.0.0.1:8080/tcp']);
  });

  it('the binding itself keeps hostIp "" (the request); only the listeners change', () => {
    const p = only(loadCompose(`services:\n  web:\n    ports: ["8080:80"]\nnetworks:\n${net('default', '127.0.0.1')}`));
    expect(bindingRows(p)).toEqual([{ ...tcp('web', '', '8080', 80, 'compose.yaml:3:13'), listeners: ['127.0.0.1:8080/tcp'] }]);
  });
});
