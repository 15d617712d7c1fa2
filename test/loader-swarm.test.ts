/**
 * Stack files as `docker stack deploy` reads them (--swarm): the docker CLI's interpolation and
 * v3 schema, its merge of several -c files, and how Swarm publishes each entry (port semantics §5;
 * the CLI behaviours were observed with docker CLI 28.2 `docker stack config` and a real swarm).
 */
import { describe, expect, it } from 'vitest';
import { interpolateCli } from '../src/load/interpolate';
import { load, run, tempProject } from './helpers';
import type { Project } from '../src/model/types';

const lookup = (vars: Record<string, string>) => (name: string) => vars[name];
const stack = (files: Record<string, string>, opts: { files?: string[]; env?: Record<string, string> } = {}) => {
  const dir = tempProject(files);
  return load({ cwd: dir, paths: opts.files ? [] : [dir], files: opts.files ?? [], env: opts.env ?? {}, swarm: true });
};
const ports = (p: Project) => p.bindings.map((b) => `${b.service} ${b.hostPort || '*'}->${b.containerPort}${b.count > 1 ? `+${b.count - 1}` : ''}/${b.protocol} ${b.swarm?.mode}`);
const problems = (p: Project) => p.problems.map((x) => `${x.loc.line} ${x.kind} ${x.message}`);

describe('interpolation: the docker CLI dialect', () => {
  const env = lookup({ SET: 'val', EMPTY: '', PORT: '9090' });
  const v = (t: string) => interpolateCli(t, env, 'services.web.ports.[]');

  it('the four operators, with the CLI results', () => {
    expect(v('${UNSET:-def}').value).toBe('def');
    expect(v('${EMPTY:-def}').value).toBe('def');
    expect(v('${UNSET-def}').value).toBe('def');
    expect(v('${EMPTY-def}').value).toBe('');
    expect(v('${EMPTY?must}').value).toBe('');
    expect(v('$$SET').value).toBe('$SET');
  });

  it('an unset variable is blank, and listed as unset', () => {
    expect(v('${NOPE}:80')).toMatchObject({ value: ':80', unset: ['NOPE'], variables: ['NOPE'] });
  });

  it('no nesting: a default ends at the first }', () => {
    expect(v('${UNSET:-${SET}}').value).toBe('${SET}');
    expect(v('${UNSET:-a}b}').value).toBe('ab}');
  });

  it('an unbraced name takes an operator to the end of the text', () => {
    expect(v('$UNSET-8080:80').value).toBe('8080:80');
    expect(v('$PORT-8080:80').value).toBe('9090');
  });

  it(':+ and +, a lone $ and ${1} are errors in the CLI wording', () => {
    expect(v('${SET:+alt}').error).toBe('invalid interpolation format for services.web.ports.[]: "${SET:+alt}"; you may need to escape any $ with another $');
    expect(v('$').error).toMatch(/^invalid interpolation format/);
    expect(v('${1X}').error).toMatch(/^invalid interpolation format/);
    expect(v('${UNSET:?must set}').error).toBe('invalid interpolation format for services.web.ports.[]: "required variable UNSET is missing a value: must set"; you may need to escape any $ with another $');
  });

  it('keeps only the error of the last expression, as the CLI does', () => {
    expect(v('${UNSET:?x} ${SET}')).toMatchObject({ value: ' val' });
    expect(v('${SET} ${UNSET:?x}').error).toMatch(/required variable UNSET/);
  });
});

describe('files: what docker stack deploy reads', () => {
  it('no .env: variables come from the environment only', () => {
    const r = stack({ 'stack.yml': 'services:\n  web:\n    image: x\n    ports: ["${PORT:-8080}:80"]\n', '.env': 'PORT=9999\n' });
    expect(ports(r.projects[0])).toEqual(['web 8080->80/tcp ingress']);
    const withEnv = stack({ 'stack.yml': 'services:\n  web:\n    image: x\n    ports: ["${PORT:-8080}:80"]\n' }, { env: { PORT: '7000' } });
    expect(ports(withEnv.projects[0])).toEqual(['web 7000->80/tcp ingress']);
  });

  it('a directory: every stack- or compose-named file alone; override files are no stacks', () => {
    const r = stack({
      'docker-stack.yml': 'services:\n  a:\n    image: x\n    ports: ["1000:1"]\n',
      'compose.yaml': 'services:\n  b:\n    image: x\n    ports: ["2000:2"]\n',
      'compose.override.yaml': 'services:\n  b:\n    ports: ["3000:3"]\n',
      'stack.prod.yml': 'services:\n  c:\n    image: x\n    ports: ["4000:4"]\n',
    });
    expect(r.projects.map((p) => `${p.files.map((f) => f.split('/').pop()).join('+')}: ${ports(p).join(', ')}`)).toEqual([
      'compose.yaml: b 2000->2/tcp ingress',
      'docker-stack.yml: a 1000->1/tcp ingress',
      'stack.prod.yml: c 4000->4/tcp ingress',
    ]);
  });

  it('no path: a stack name first, else the compose default', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  b:\n    image: x\n', 'docker-stack.yml': 'services:\n  a:\n    image: x\n' });
    expect(load({ cwd: dir, swarm: true }).projects.map((p) => p.files.map((f) => f.split('/').pop()))).toEqual([['docker-stack.yml']]);
  });

  it('the first YAML document only', () => {
    const r = stack({ 'stack.yml': 'services:\n  a:\n    image: x\n    ports: ["1000:1"]\n---\nservices:\n  b:\n    image: x\n    ports: ["2000:2"]\n' });
    expect(ports(r.projects[0])).toEqual(['a 1000->1/tcp ingress']);
  });

  it('keys the CLI refuses: name, include, profiles, scale, extends; network_mode is ignored', () => {
    const r = stack({
      'stack.yml': 'name: shop\ninclude: [x.yml]\nservices:\n  a:\n    image: x\n    profiles: [p]\n    scale: 2\n    network_mode: host\n    ports: ["80:80"]\n  b:\n    extends: a\n',
    });
    const p = r.projects[0];
    expect(problems(p)).toEqual([
      "1 invalid-compose (root) Additional property name is not allowed: docker stack deploy refuses the file (the docker CLI's v3 schema has no name)",
      "2 invalid-compose (root) Additional property include is not allowed: docker stack deploy refuses the file (the docker CLI's v3 schema has no include)",
      '6 invalid-compose services.a Additional property profiles is not allowed: docker stack deploy refuses the file',
      '7 invalid-compose services.a Additional property scale is not allowed: docker stack deploy refuses the file (use deploy.replicas)',
      '11 invalid-compose services.b.extends: docker stack deploy refuses the file ("Support for `extends` is not implemented yet"); write the service out, or merge files with docker compose config first',
    ]);
    // network_mode: host does not stop Swarm from publishing through the mesh.
    expect(ports(p)).toEqual(['a 80->80/tcp ingress']);
    expect(p.services[0].networkMode).toBeUndefined();
  });

  it('deploy: mode, replicas (default 1), placement; a mode the CLI does not know', () => {
    const r = stack({
      'stack.yml':
        'services:\n  a:\n    image: x\n    deploy:\n      mode: global\n      placement:\n        constraints: ["node.role==manager"]\n        max_replicas_per_node: 1\n  b:\n    image: x\n  c:\n    image: x\n    deploy:\n      mode: Global\n  d:\n    image: x\n    deploy:\n      mode: global\n      replicas: 2\n',
    });
    const p = r.projects[0];
    expect(p.services.map((s) => [s.name, s.deploy?.mode, s.deploy?.replicas, s.deploy?.constraints.join(',')])).toEqual([
      ['a', 'global', undefined, 'node.role==manager'],
      ['b', 'replicated', 1, ''],
      ['c', 'replicated', 1, ''],
      ['d', 'global', undefined, ''],
    ]);
    expect(problems(p)).toEqual([
      '14 invalid-compose service c: Unknown mode: Global (use replicated, global, replicated-job or global-job; the name is case-sensitive)',
      '19 invalid-compose service d: replicas can only be used with replicated or replicated-job mode',
    ]);
  });
});

describe('ports: how Swarm publishes each entry', () => {
  const one = (entries: string) => stack({ 'stack.yml': `services:\n  web:\n    image: x\n    ports:\n${entries}` }).projects[0];

  it('short syntax: the host IP is dropped, a host range to one port publishes every port, no host port is Swarm-picked', () => {
    const p = one('      - "127.0.0.1:8080:80"\n      - "9000-9002:90"\n      - "80-81"\n      - "0:82"\n      - "7000-7001:70-71/udp"\n      - 8443:443\n');
    expect(ports(p)).toEqual([
      'web 8080->80/tcp ingress',
      'web 9000->90/tcp ingress',
      'web 9001->90/tcp ingress',
      'web 9002->90/tcp ingress',
      'web *->80+1/tcp ingress',
      'web *->82/tcp ingress',
      'web 7000-7001->70+1/udp ingress',
      'web 8443->443/tcp ingress',
    ]);
    expect(p.bindings.every((b) => b.hostIp === '' && b.listeners.map((l) => l.address).join() === '0.0.0.0,::')).toBe(true);
    expect(p.services[0].ports.map((i) => i.ignoredHostIp)).toEqual(['127.0.0.1', undefined, undefined, undefined, undefined, undefined]);
  });

  it('short syntax the CLI schema refuses: Does not match format', () => {
    const p = one('      - "8080-8081:80-82"\n      - "localhost:80:80"\n');
    expect(problems(p).map((m) => m.replace(/ in port entry.*/, ''))).toEqual([
      "5 invalid-port services.web.ports.0 Does not match format 'ports': invalid ranges specified for container and host Ports: 80-82 and 8080-8081",
      "6 host-ip-not-ip services.web.ports.1 Does not match format 'ports': invalid IP address: localhost",
    ]);
  });

  it('long syntax: integers only, a variable is cast, host_ip refused, unknown protocol or mode reported, mode case-insensitive', () => {
    const p = stack(
      {
        'stack.yml':
          'services:\n  web:\n    image: x\n    ports:\n      - { target: 80, published: "8080" }\n      - { target: 81, published: "${P}" }\n      - { target: 82, published: "${NOPE}" }\n      - { target: 83, host_ip: 127.0.0.1 }\n      - { target: 84, protocol: icmp }\n      - { target: 85, published: 70000 }\n      - { target: 86, published: 8086, mode: HOST }\n      - { target: 87 }\n',
      },
      { env: { P: '8081' } },
    ).projects[0];
    expect(ports(p)).toEqual(['web 8081->81/tcp ingress', 'web 8086->86/tcp host', 'web *->87/tcp ingress']);
    expect(problems(p)).toEqual([
      '5 invalid-port services.web.ports.0.published must be a integer, not the string "8080": docker stack deploy refuses the file; write it unquoted',
      '7 invalid-port error while interpolating services.web.ports.[].published: failed to cast to expected type: strconv.Atoi: parsing "": invalid syntax',
      '8 invalid-port services.web.ports.3 Additional property host_ip is not allowed: docker stack deploy refuses the file: Swarm publishes on every address of every node, there is no host IP (use mode: host and a firewall, or do not publish)',
      '9 invalid-port services.web.ports.4.protocol "icmp" is not tcp or udp or sctp: Swarm accepts it and publishes the port as tcp; write tcp, or what you meant',
      '10 invalid-port services.web.ports.5.published is above 65535: Swarm creates the service but never allocates the port, and its tasks stay in state New',
    ]);
  });

  it('repeated entries: the schema refuses them (Compose would de-duplicate them silently)', () => {
    const p = one('      - "8080:80"\n      - "8080:80"\n      - 80\n      - "80"\n');
    expect(problems(p)).toEqual(['6 invalid-port services.web.ports array items[0,1] must be unique: docker stack deploy refuses the file; remove the repeated entry']);
    expect(ports(p)).toEqual(['web 8080->80/tcp ingress', 'web *->80/tcp ingress', 'web *->80/tcp ingress']);
  });
});

describe('several -c files: the CLI merges ports by published port alone', () => {
  const base = 'services:\n  web:\n    image: x\n    ports:\n      - "8080:80"\n      - "8080:80/udp"\n      - "81"\n      - "82"\n      - "9000:90"\n';

  it('the later entry wins per published port, protocol and target aside; all Swarm-picked ports are one key; sorted', () => {
    const r = stack({ 'a.yml': base, 'b.yml': 'services:\n  web:\n    ports:\n      - "9000:91"\n      - "7000:70"\n      - "83"\n' }, { files: ['a.yml', 'b.yml'] });
    expect(ports(r.projects[0])).toEqual(['web *->83/tcp ingress', 'web 7000->70/tcp ingress', 'web 8080->80/udp ingress', 'web 9000->91/tcp ingress']);
  });

  it('a later file that names the service without ports still collapses them; a single file does not', () => {
    const r = stack({ 'a.yml': base, 'b.yml': 'services:\n  web:\n    image: y\n' }, { files: ['a.yml', 'b.yml'] });
    expect(ports(r.projects[0])).toEqual(['web *->82/tcp ingress', 'web 8080->80/udp ingress', 'web 9000->90/tcp ingress']);
    expect(ports(stack({ 'a.yml': base }, { files: ['a.yml'] }).projects[0])).toHaveLength(5);
  });

  it('a run is cut only where a later entry takes its ports; !reset means nothing to the CLI', () => {
    const r = stack({ 'a.yml': 'services:\n  web:\n    image: x\n    ports: ["10000-10009:10000-10009"]\n', 'b.yml': 'services:\n  web:\n    ports: !reset ["10005:80"]\n' }, { files: ['a.yml', 'b.yml'] });
    expect(ports(r.projects[0])).toEqual(['web 10000-10004->10000+4/tcp ingress', 'web 10005->80/tcp ingress', 'web 10006-10009->10006+3/tcp ingress']);
  });
});

describe('check --swarm on the command line', () => {
  it('--env-file and --profile are usage errors with --swarm', () => {
    // An env file that exists: Node 20 itself refuses a missing one named after --env-file anywhere in argv.
    const dir = tempProject({ 'stack.yml': 'services:\n  a:\n    image: x\n', 'x.env': 'A=1\n' });
    const e = run(['check', '--swarm', '--env-file', 'x.env', dir], { cwd: dir });
    expect(e.status).toBe(2);
    expect(e.stderr).toContain('--env-file does not apply with --swarm: docker stack deploy interpolates from its environment only');
    expect(run(['check', '--swarm', '--profile', 'p', dir]).stderr).toContain('--profile does not apply with --swarm');
  });

  it('the swarm configuration key refuses --env-file and --profile too', () => {
    const dir = tempProject({ 'stack.yml': 'services:\n  a:\n    image: x\n', 'p.env': 'A=1\n', '.portlintrc.yaml': 'swarm: true\n' });
    const r = run(['check', '--profile', 'p', 'stack.yml'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--profile does not apply with swarm: true in \S+\.portlintrc\.yaml/);
    expect(run(['ports', '--env-file', 'p.env', 'stack.yml'], { cwd: dir }).stderr).toMatch(/--env-file does not apply with swarm: true/);
  });

  it('the swarm configuration key reads files as stacks, as --swarm does', () => {
    const dir = tempProject({ 'stack.yml': 'services:\n  db:\n    image: x\n    ports: ["127.0.0.1:5432:5432"]\n', '.portlintrc.yaml': 'swarm: true\n' });
    const r = run(['check', '--format', 'json', 'stack.yml'], { cwd: dir });
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['swarm/host-ip-ignored', 'swarm/sensitive-port-public']);
    const plain = run(['check', '--no-config', '--format', 'json', 'stack.yml'], { cwd: dir });
    expect(JSON.parse(plain.stdout).findings).toEqual([]);
  });

  it('ports --swarm shows where Swarm opens each port', () => {
    const dir = tempProject({ 'stack.yml': 'services:\n  web:\n    image: x\n    ports: ["127.0.0.1:8080:80", { target: 443, published: 8443, mode: host }, "90"]\n' });
    const r = run(['ports', '--swarm', 'stack.yml'], { cwd: dir });
    expect(r.stdout.split('\n').slice(1, 4).map((l) => l.split(/\s{2,}/).slice(1, 3).join(' | '))).toEqual([
      'web | *:8080 (ingress, every node)',
      'web | *:8443 (host mode, nodes with a task)',
      'web | *:auto (ingress, every node)',
    ]);
  });
});
