/**
 * Loader, interpolation of ports (spec §2.2 where values come from, §2.3 what gets
 * interpolated, §1.1 step 2 per file before merging), end to end.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Project } from '../src/model/types';
import { bindingRows, load, loadCompose, only, problemRows, tempProject, where } from './helpers';

const ports = (p: Project) => p.bindings.map((b) => `${b.service} ${b.hostIp ? `${b.hostIp}:` : ''}${b.hostPort}->${b.containerPort}/${b.protocol}`);

/** Service `web`, items one per line from line 4, column 9. */
const web = (...items: string[]) => `services:\n  web:\n    ports:\n${items.map((i) => `      - ${i}\n`).join('')}`;

describe('where values come from (§2.2)', () => {
  it('the process environment (the `env` option) feeds ${VAR}', () => {
    const p = only(loadCompose(web('"${PORT}:80"'), {}, { env: { PORT: '8080' } }));
    expect(bindingRows(p)).toEqual([
      { service: 'web', hostIp: '', hostPort: '8080', containerPort: 80, protocol: 'tcp', listeners: ['0.0.0.0:8080/tcp', '[::]:8080/tcp'], at: 'compose.yaml:4:9' },
    ]);
    expect(p.bindings[0].item).toMatchObject({ spec: '8080:80', raw: '"${PORT}:80"', variables: ['PORT'], unsetVariables: [], hostFromVariable: true });
  });

  it('<project dir>/.env feeds interpolation', () => {
    const p = only(loadCompose(web('"${BIND}:${PORT}:80"'), { '.env': 'BIND=127.0.0.1\nPORT=8080\n' }));
    expect(bindingRows(p)).toEqual([
      { service: 'web', hostIp: '127.0.0.1', hostPort: '8080', containerPort: 80, protocol: 'tcp', listeners: ['127.0.0.1:8080/tcp'], at: 'compose.yaml:4:9' },
    ]);
  });

  it('the process environment beats .env', () => {
    const p = only(loadCompose(web('"${PORT}:80"'), { '.env': 'PORT=18710\n' }, { env: { PORT: '18720' } }));
    expect(ports(p)).toEqual(['web 18720->80/tcp']);
  });

  it('a variable set to "" in the process environment still beats .env', () => {
    const p = only(loadCompose(web('"${PORT-9}:80"'), { '.env': 'PORT=18710\n' }, { env: { PORT: '' } }));
    expect(ports(p)).toEqual(['web ->80/tcp']);
  });

  it('.env values may use ${VAR} from the process environment and earlier entries', () => {
    const p = only(loadCompose(web('"${ADDR}:${PORT}:80"'), { '.env': 'BASE=80\nPORT=${BASE}80\nADDR=${LOOP:-127.0.0.1}\n' }, { env: { LOOP: '127.0.0.2' } }));
    expect(ports(p)).toEqual(['web 127.0.0.2:8080->80/tcp']);
  });

  it('--env-file replaces .env: only the given files are read', () => {
    const p = only(
      loadCompose(web('"${A:-none}:1"', '"${B:-2}:2"'), { '.env': 'A=1111\nB=2222\n', 'custom.env': 'B=3333\n' }, { envFiles: ['custom.env'] }),
    );
    // A would be 1111 from .env; .env is not read at all.
    expect(p.problems.map((q) => q.message)).toEqual([expect.stringContaining('invalid hostPort: none')]);
    expect(ports(p)).toEqual(['web 3333->2/tcp']);
  });

  it('--env-file is repeatable and a later file overrides an earlier one', () => {
    const p = only(loadCompose(web('"${A}:1"', '"${B}:2"'), { 'one.env': 'A=1001\nB=2001\n', 'two.env': 'B=2002\n' }, { envFiles: ['one.env', 'two.env'] }));
    expect(ports(p)).toEqual(['web 1001->1/tcp', 'web 2002->2/tcp']);
  });

  it('a later --env-file can use values of an earlier one', () => {
    const p = only(loadCompose(web('"${B}:2"'), { 'one.env': 'A=20\n', 'two.env': 'B=${A}02\n' }, { envFiles: ['one.env', 'two.env'] }));
    expect(ports(p)).toEqual(['web 2002->2/tcp']);
  });

  it('the process environment beats --env-file too', () => {
    const p = only(loadCompose(web('"${A}:1"'), { 'one.env': 'A=1001\n' }, { envFiles: ['one.env'], env: { A: '1002' } }));
    expect(ports(p)).toEqual(['web 1002->1/tcp']);
  });

  it('a missing --env-file is an error "couldn\'t find env file"; the project still loads', () => {
    const dir = tempProject({ 'compose.yaml': web('"${A:-7}:1"'), 'one.env': 'A=1001\n' });
    const r = load({ cwd: dir, envFiles: ['one.env', 'nope.env'] });
    expect(r.errors.map((e) => e.message)).toEqual([`couldn't find env file: ${join(dir, 'nope.env')}`]);
    expect(ports(r.projects[0])).toEqual(['web 1001->1/tcp']);
  });

  it('a malformed .env line is an error with its line; the other lines still count', () => {
    const dir = tempProject({ 'compose.yaml': web('"${A}:1"', '"${B:-9}:2"'), '.env': 'A=1001\nBAD KEY=1\nB=2002\n' });
    const r = load({ cwd: dir });
    expect(r.errors).toEqual([{ file: join(dir, '.env'), line: 2, column: 1, message: expect.any(String) }]);
    expect(ports(r.projects[0])).toEqual(['web 1001->1/tcp', 'web 2002->2/tcp']);
  });

  it('COMPOSE_DISABLE_ENV_FILE in the process environment turns .env off', () => {
    const p = only(loadCompose(web('"${P:-1234}:1"'), { '.env': 'P=4321\n' }, { env: { COMPOSE_DISABLE_ENV_FILE: 'true' } }));
    expect(ports(p)).toEqual(['web 1234->1/tcp']);
  });

  it('.env must be a file: a directory named .env is ignored', () => {
    const p = only(loadCompose(web('"${P:-1234}:1"'), { '.env/x': 'P=4321\n' }));
    expect(ports(p)).toEqual(['web 1234->1/tcp']);
  });

  it('COMPOSE_PROFILES read from .env activates profiles', () => {
    const yaml = 'services:\n  base:\n    ports: ["1:1"]\n  dbg:\n    profiles: [debug]\n    ports: ["2:2"]\n  other:\n    profiles: [other]\n    ports: ["3:3"]\n';
    const p = only(loadCompose(yaml, { '.env': 'COMPOSE_PROFILES=debug\n' }));
    expect(p.activeProfiles).toEqual(['debug']);
    expect(ports(p)).toEqual(['base 1->1/tcp', 'dbg 2->2/tcp']);
  });

  it('COMPOSE_PROJECT_NAME read from .env names the project (normalized)', () => {
    const p = only(loadCompose(web('"1:1"'), { '.env': 'COMPOSE_PROJECT_NAME=My.Shop_1\n' }));
    expect(p.name).toBe('myshop_1');
  });

  it('COMPOSE_FILE read from .env selects the files, split on COMPOSE_PATH_SEPARATOR', () => {
    const dir = tempProject({
      'compose.yaml': web('"9999:9999"'),
      'a.yml': web('"1:1"'),
      'b.yml': web('"${P}:2"'),
      '.env': 'COMPOSE_FILE=a.yml;b.yml\nCOMPOSE_PATH_SEPARATOR=;\nP=2002\n',
    });
    const p = only(load({ cwd: dir }));
    expect(p.files).toEqual([join(dir, 'a.yml'), join(dir, 'b.yml')]);
    expect(ports(p)).toEqual(['web 1->1/tcp', 'web 2002->2/tcp']);
    expect(p.bindings.map((b) => where(p, b.item.loc))).toEqual(['a.yml:4:9', 'b.yml:4:9']);
  });

  it('COMPOSE_FILE without COMPOSE_PATH_SEPARATOR splits on ":" (the OS list separator)', () => {
    const dir = tempProject({ 'compose.yaml': web('"9999:9999"'), 'a.yml': web('"1:1"'), 'b.yml': web('"2:2"') });
    const p = only(load({ cwd: dir, env: { COMPOSE_FILE: 'a.yml:b.yml' } }));
    expect(p.files).toEqual([join(dir, 'a.yml'), join(dir, 'b.yml')]);
    expect(ports(p)).toEqual(['web 1->1/tcp', 'web 2->2/tcp']);
  });

  it('COMPOSE_* from the process environment beat those in .env', () => {
    const yaml = 'services:\n  a:\n    profiles: [x]\n    ports: ["1:1"]\n  b:\n    profiles: [y]\n    ports: ["2:2"]\n';
    const p = only(loadCompose(yaml, { '.env': 'COMPOSE_PROFILES=x\nCOMPOSE_PROJECT_NAME=fromfile\n' }, { env: { COMPOSE_PROFILES: 'y', COMPOSE_PROJECT_NAME: 'fromenv' } }));
    expect(p.name).toBe('fromenv');
    expect(ports(p)).toEqual(['b 2->2/tcp']);
  });

  it("a service's env_file and environment never feed interpolation", () => {
    const yaml = [
      'services:',
      '  web:',
      '    env_file: [svc.env]',
      '    environment:',
      '      PORT: "7777"',
      '      HOST_IP: 127.0.0.1',
      '    ports:',
      '      - "${HOST_IP}:${PORT}:80"',
      '',
    ].join('\n');
    const p = only(loadCompose(yaml, { 'svc.env': 'PORT=5555\nHOST_IP=127.0.0.1\n' }));
    expect(bindingRows(p)).toEqual([
      { service: 'web', hostIp: '', hostPort: '', containerPort: 80, protocol: 'tcp', listeners: ['0.0.0.0:*/tcp', '[::]:*/tcp'], at: 'compose.yaml:8:9' },
    ]);
    expect(p.bindings[0].item.unsetVariables).toEqual(['HOST_IP', 'PORT']);
  });
});

describe('what gets interpolated in ports (§2.3)', () => {
  it('unset ${HOST_IP} gives ":8080:80": all interfaces, and the item records the unset variable', () => {
    const p = only(loadCompose(web('"${HOST_IP}:8080:80"')));
    expect(bindingRows(p)).toEqual([
      { service: 'web', hostIp: '', hostPort: '8080', containerPort: 80, protocol: 'tcp', listeners: ['0.0.0.0:8080/tcp', '[::]:8080/tcp'], at: 'compose.yaml:4:9' },
    ]);
    expect(p.bindings[0].item).toMatchObject({ spec: ':8080:80', unsetVariables: ['HOST_IP'], hostFromVariable: true });
    expect(p.problems).toEqual([]);
  });

  it('unset ${PORT} in "${PORT}:80" gives an ephemeral port', () => {
    const p = only(loadCompose(web('"${PORT}:80"')));
    expect(bindingRows(p)[0]).toMatchObject({ hostIp: '', hostPort: '', containerPort: 80, listeners: ['0.0.0.0:*/tcp', '[::]:*/tcp'] });
  });

  it('${X-default} with X="" keeps the empty value: all interfaces, not the default', () => {
    const p = only(loadCompose(web('"${HOST_IP-127.0.0.1}:8080:80"'), { '.env': 'HOST_IP=\n' }));
    expect(bindingRows(p)[0]).toMatchObject({ hostIp: '', hostPort: '8080', listeners: ['0.0.0.0:8080/tcp', '[::]:8080/tcp'] });
  });

  it('${X:-default} with X="" takes the default', () => {
    const p = only(loadCompose(web('"${HOST_IP:-127.0.0.1}:8080:80"'), {}, { env: { HOST_IP: '' } }));
    expect(bindingRows(p)[0]).toMatchObject({ hostIp: '127.0.0.1', listeners: ['127.0.0.1:8080/tcp'] });
  });

  it('${X-default} with X unset takes the default', () => {
    const p = only(loadCompose(web('"${HOST_IP-127.0.0.1}:8080:80"')));
    expect(bindingRows(p)[0]).toMatchObject({ hostIp: '127.0.0.1', listeners: ['127.0.0.1:8080/tcp'] });
  });

  it('nested defaults work: ${A:-${B:-8080}}', () => {
    const p = only(loadCompose(web('"${A:-${B:-8080}}:80"', '"${A:-${B:-8080}}:81"'.replace('A:', 'C:')), {}, { env: { B: '9090' } }));
    expect(ports(p)).toEqual(['web 9090->80/tcp', 'web 9090->81/tcp']);
  });

  it('${VAR:+r} and ${VAR+r} (implemented by Compose, not in the spec text) replace a set variable', () => {
    const p = only(loadCompose(web('"${TLS:+127.0.0.1}:443:443"', '"${EMPTY:+127.0.0.1}:444:444"', '"${EMPTY+127.0.0.1}:445:445"'), {}, { env: { TLS: '1', EMPTY: '' } }));
    expect(ports(p)).toEqual(['web 127.0.0.1:443->443/tcp', 'web 444->444/tcp', 'web 127.0.0.1:445->445/tcp']);
  });

  it('$1, a lone $ and $} are left as they are (and then fail as ports)', () => {
    const p = only(loadCompose(web('"$1:80"')));
    expect(p.problems.map((q) => [q.kind, q.message])).toEqual([['invalid-port', expect.stringContaining('invalid hostPort: $1')]]);
  });

  it('$$ is a literal $ (and then an invalid port)', () => {
    const p = only(loadCompose(web('"$$80:80"')));
    expect(p.problems.map((q) => q.message)).toEqual([expect.stringContaining('invalid hostPort: $80')]);
  });

  it('${VAR:?msg} without a value is an interpolation problem at the item; the rest loads', () => {
    const p = only(loadCompose(`${web('"${PORT:?set PORT}:80"', '"9090:90"')}`));
    expect(problemRows(p)).toEqual([
      { kind: 'interpolation', service: 'web', message: expect.stringContaining('required variable PORT is missing a value: set PORT'), at: 'compose.yaml:4:9' },
    ]);
    expect(ports(p)).toEqual(['web 9090->90/tcp']);
  });

  it('${VAR:?} with VAR="" fails too; ${VAR?} with VAR="" does not', () => {
    const p = only(loadCompose(web('"${E:?}:80"', '"${E?}:81"'), {}, { env: { E: '' } }));
    expect(problemRows(p)).toEqual([{ kind: 'interpolation', service: 'web', message: expect.stringContaining('required variable E is missing a value'), at: 'compose.yaml:4:9' }]);
    expect(ports(p)).toEqual(['web ->81/tcp']);
  });

  it('${VAR?msg} unset is a problem', () => {
    const p = only(loadCompose(web('"${PORT?need it}:80"')));
    expect(p.problems.map((q) => [q.kind, q.message])).toEqual([['interpolation', expect.stringContaining('required variable PORT is missing a value: need it')]]);
  });

  it.each([['${PORT'], ['${ PORT}:80'], ['${1}:80'], ['${}:80'], ['${PORT!}:80']])('malformed "%s" is an interpolation problem at the item', (spec) => {
    const p = only(loadCompose(`${web(JSON.stringify(spec), '"9090:90"')}`));
    expect(problemRows(p)).toEqual([{ kind: 'interpolation', service: 'web', message: expect.stringContaining('invalid interpolation format'), at: 'compose.yaml:4:9' }]);
    expect(ports(p)).toEqual(['web 9090->90/tcp']);
  });

  it('lower-case names work but are case-sensitive: ${port} is not ${PORT}', () => {
    const p = only(loadCompose(web('"${port:-1}:80"'), {}, { env: { PORT: '8080' } }));
    expect(ports(p)).toEqual(['web 1->80/tcp']);
  });

  it('an unbraced name is greedy: $PORT_80 is the variable PORT_80', () => {
    const p = only(loadCompose(web('"$PORT_80:80"'), {}, { env: { PORT: '1', PORT_80: '8080' } }));
    expect(ports(p)).toEqual(['web 8080->80/tcp']);
  });

  it('unquoted plain strings are interpolated too', () => {
    const p = only(loadCompose(web('${PORT}:80'), {}, { env: { PORT: '8080' } }));
    expect(ports(p)).toEqual(['web 8080->80/tcp']);
  });

  it('YAML ints are not interpolated (nothing to do), strings that look like them are', () => {
    const p = only(loadCompose(web('80', '"${T}"'), {}, { env: { T: '81' } }));
    expect(ports(p)).toEqual(['web ->80/tcp', 'web ->81/tcp']);
  });

  it('long syntax: target, published, host_ip and protocol are interpolated; target is cast', () => {
    const yaml = 'services:\n  web:\n    ports:\n      - target: ${T}\n        published: ${P}\n        host_ip: ${IP}\n        protocol: ${PROTO}\n';
    const p = only(loadCompose(yaml, { '.env': 'T=53\nP=5353\nIP=127.0.0.1\nPROTO=UDP\n' }));
    expect(bindingRows(p)).toEqual([
      { service: 'web', hostIp: '127.0.0.1', hostPort: '5353', containerPort: 53, protocol: 'udp', listeners: ['127.0.0.1:5353/udp'], at: 'compose.yaml:4:9' },
    ]);
    expect(p.bindings[0].item).toMatchObject({ variables: ['T', 'P', 'IP', 'PROTO'], hostFromVariable: true });
  });

  it('long syntax: an empty published (unset variable) is ephemeral', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - target: 80\n        published: "${P}"\n'));
    expect(bindingRows(p)[0]).toMatchObject({ hostPort: '', listeners: ['0.0.0.0:*/tcp', '[::]:*/tcp'] });
    expect(p.bindings[0].item.unsetVariables).toEqual(['P']);
  });

  it('long syntax: an empty host_ip (unset variable) is an error, not "all interfaces"', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - target: 80\n        published: "8080"\n        host_ip: ${HOST_IP}\n'));
    expect(problemRows(p)).toEqual([{ kind: 'host-ip-not-ip', service: 'web', message: expect.stringContaining('invalid ip address: '), at: 'compose.yaml:6:18' }]);
    expect(p.bindings).toEqual([]);
  });

  it('long syntax: a target that interpolates to a non-number fails the cast', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - target: ${T}\n', {}, { env: { T: '80-81' } }));
    expect(p.problems.map((q) => q.message)).toEqual([expect.stringContaining('strconv.Atoi: parsing "80-81": invalid syntax')]);
  });

  it('long syntax: a :? failure is an interpolation problem', () => {
    const p = only(loadCompose('services:\n  web:\n    ports:\n      - target: 80\n        published: ${P:?no port}\n'));
    expect(problemRows(p)).toEqual([{ kind: 'interpolation', service: 'web', message: expect.stringContaining('required variable P is missing a value: no port'), at: 'compose.yaml:5:20' }]);
  });

  it('interpolation happens per file before merging: the same variable, each file its own text', () => {
    const dir = tempProject({ 'compose.yaml': web('"${P}:80"'), 'compose.override.yaml': web('"1${P}:81"'), '.env': 'P=8080\n' });
    const p = only(load({ cwd: dir }));
    expect(p.bindings.map((b) => `${b.hostPort}->${b.containerPort} @${where(p, b.item.loc)}`)).toEqual(['8080->80 @compose.yaml:4:9', '18080->81 @compose.override.yaml:4:9']);
  });

  it('interpolated items keep the location of the template', () => {
    const p = only(loadCompose('services:\n  web:\n    ports: [ "${A:-1}:1",  "${B:-2}:2" ]\n'));
    expect(p.bindings.map((b) => where(p, b.item.loc))).toEqual(['compose.yaml:3:14', 'compose.yaml:3:28']);
  });

  it('network_mode and profiles are interpolated as well', () => {
    const yaml = 'services:\n  a:\n    network_mode: ${MODE}\n    ports: ["1:1"]\n  b:\n    profiles: ["${PROF}"]\n    ports: ["2:2"]\n';
    const p = only(loadCompose(yaml, {}, { env: { MODE: 'host', PROF: 'dev' }, profiles: ['dev'] }));
    expect(p.services[0].networkMode?.value).toBe('host');
    expect(ports(p)).toEqual(['b 2->2/tcp']);
  });

  it('a network host_binding_ipv4 is interpolated', () => {
    const yaml = 'services:\n  web:\n    ports: ["8080:80"]\nnetworks:\n  default:\n    driver_opts:\n      com.docker.network.bridge.host_binding_ipv4: ${BIND}\n';
    const p = only(loadCompose(yaml, { '.env': 'BIND=127.0.0.1\n' }));
    expect(bindingRows(p)[0].listeners).toEqual(['127.0.0.1:8080/tcp']);
  });
});
