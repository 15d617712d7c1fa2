/**
 * The live model and the live rules over hand-written Engine API objects (shapes as Engine
 * 20.10 returns them: GET /containers/json and GET /containers/{id}/json).
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../rules';
import publishAll from '../rules/exposure/publish-all';
import firewallBypass from '../rules/exposure/firewall-bypass';
import loopbackLeak from '../rules/daemon/loopback-leak-engine';
import drift from '../rules/audit/drift';
import collisionLive from '../rules/collision/live';
import crossProject from '../rules/collision/cross-project';
import { runRules, type Finding } from '../src/engine/run';
import type { Rule, Settings } from '../src/engine/rule';
import { applyInspect, attachCompose, composeOriginFromLabels, containerFromList, engineFacts, needsInspect, requestedFromInspect } from '../src/live/collect';
import { container, engine, liveOf } from './live-objects';
import { parseHost } from '../src/live/endpoint';
import { listenersFor } from '../src/model/listeners';
import { bindingSpec, buildLiveProjects, matchEffective } from '../src/live/model';
import type { EngineFacts, HostFacts, LiveContainer, LiveInput } from '../src/live/types';
import { load, tempProject } from './helpers';

const settings: Settings = { platform: 'linux', rootless: false };

function audit(live: LiveInput, rules: readonly Rule<never>[] = catalogue): Finding[] {
  return runRules(live.projects, rules, { rules: {}, settings, mode: 'audit', live });
}

const lo = (port: number) => ({ HostIp: '127.0.0.1', HostPort: String(port) });
const any4 = (port: number) => ({ HostIp: '0.0.0.0', HostPort: String(port) });
const any6 = (port: number) => ({ HostIp: '::', HostPort: String(port) });
const req = (ip: string, port: string) => ({ HostIp: ip, HostPort: port });

describe('live model: requested and effective bindings', () => {
  it('reads PortBindings as requested: "" host IPs, ranges, "0"', () => {
    const requested = requestedFromInspect({ '80/tcp': [req('', '18080')], '81/UDP': [req('', '0')], '82/tcp': [req('127.0.0.1', '18090-18092')], '83/tcp': [req('[::1]', '')] });
    // The Engine keeps one binding per port: each is a single mapping (count 1), never a run.
    expect(requested).toEqual([
      { hostIp: '', hostPort: '18080', containerPort: 80, protocol: 'tcp', hostPorts: { start: 18080, end: 18080 }, count: 1 },
      { hostIp: '', hostPort: '0', containerPort: 81, protocol: 'udp', count: 1 },
      { hostIp: '127.0.0.1', hostPort: '18090-18092', containerPort: 82, protocol: 'tcp', hostPorts: { start: 18090, end: 18092 }, count: 1 },
      { hostIp: '::1', hostPort: '', containerPort: 83, protocol: 'tcp', count: 1 },
    ]);
    // a requested host range is one the Engine picks from; a single port is held
    expect(listenersFor(requested[2])).toEqual([{ address: '127.0.0.1', family: 4, protocol: 'tcp', ports: { start: 18090, end: 18092 }, picksOne: true }]);
    expect(listenersFor(requested[0]).map((l) => l.picksOne)).toEqual([undefined, undefined]);
  });

  it('matches effective ports to requests: "" gets both families, a range gets the port it picked, v4/v6 ephemeral may differ', () => {
    const { listeners, unmatched } = matchEffective(
      [
        { hostIp: '', hostPort: '18080', containerPort: 80, protocol: 'tcp', hostPorts: { start: 18080, end: 18080 }, count: 1 },
        { hostIp: '', hostPort: '18090-18092', containerPort: 81, protocol: 'tcp', hostPorts: { start: 18090, end: 18092 }, count: 1 },
        { hostIp: '', hostPort: '', containerPort: 82, protocol: 'tcp', count: 1 },
      ],
      [
        { hostIp: '0.0.0.0', hostPort: 18080, containerPort: 80, protocol: 'tcp' },
        { hostIp: '::', hostPort: 18080, containerPort: 80, protocol: 'tcp' },
        { hostIp: '0.0.0.0', hostPort: 18091, containerPort: 81, protocol: 'tcp' },
        { hostIp: '::', hostPort: 18091, containerPort: 81, protocol: 'tcp' },
        { hostIp: '0.0.0.0', hostPort: 32771, containerPort: 82, protocol: 'tcp' },
        { hostIp: '::', hostPort: 32772, containerPort: 82, protocol: 'tcp' },
        { hostIp: '0.0.0.0', hostPort: 40000, containerPort: 99, protocol: 'tcp' },
      ],
    );
    const text = (ls: { address: string; ports?: { start: number } }[]) => ls.map((l) => `${l.address}:${l.ports!.start}`);
    expect(listeners.map(text)).toEqual([
      ['0.0.0.0:18080', ':::18080'],
      ['0.0.0.0:18091', ':::18091'],
      ['0.0.0.0:32771', ':::32772'],
    ]);
    expect(unmatched).toEqual([{ hostIp: '0.0.0.0', hostPort: 40000, containerPort: 99, protocol: 'tcp' }]);
  });

  it('a network default (host_binding_ipv4 127.0.0.1) still matches the unbound request', () => {
    const { listeners } = matchEffective([{ hostIp: '', hostPort: '18103', containerPort: 80, protocol: 'tcp', hostPorts: { start: 18103, end: 18103 }, count: 1 }], [{ hostIp: '127.0.0.1', hostPort: 18103, containerPort: 80, protocol: 'tcp' }]);
    expect(listeners[0]).toEqual([{ address: '127.0.0.1', family: 4, ports: { start: 18103, end: 18103 }, protocol: 'tcp' }]);
  });

  it('one project per container; listeners effective when running, predicted when not; host mode publishes nothing', () => {
    const running = container({ name: 'web', bindings: { '80/tcp': [req('', '18080')] }, effective: { '80/tcp': [any4(18080), any6(18080)] } });
    const exited = container({ name: 'old', state: 'exited', bindings: { '80/tcp': [req('', '18081')] } });
    const host = container({ name: 'hostnet', mode: 'host', bindings: { '80/tcp': [req('', '18095')] }, effective: {} });
    const [p1, p2, p3] = buildLiveProjects([running, exited, host], { cwd: '/' });
    expect(p1.name).toBe('web');
    expect(p1.container).toMatchObject({ name: 'web', state: 'running' });
    expect(p1.bindings[0]).toMatchObject({ hostIp: '', hostPort: '18080', count: 1, effective: true, item: { spec: '18080:80', loc: { file: '', line: 0 } } });
    expect(p1.bindings[0].listeners.map((l) => l.address)).toEqual(['0.0.0.0', '::']);
    expect(p2.bindings[0]).toMatchObject({ count: 1, effective: false, listeners: [{ address: '0.0.0.0' }, { address: '::' }] });
    expect(p3.bindings).toEqual([]);
    expect(p3.services[0].ports.map((i) => i.spec)).toEqual(['18095:80']);
    expect(p3.services[0].networkMode?.value).toBe('host');
    // Item identity holds although no item has a file.
    expect(new Set([p1, p2, p3].flatMap((p) => p.services[0].ports.map((i) => i.loc.offset))).size).toBe(3);
  });

  it('does not inspect a running container that publishes nothing', () => {
    expect(needsInspect(containerFromList({ Id: 'x', Names: ['/a'], State: 'running', Ports: [{ PrivatePort: 80, Type: 'tcp' }], HostConfig: { NetworkMode: 'default' } }))).toBe(false);
    expect(needsInspect(containerFromList({ Id: 'x', Names: ['/a'], State: 'exited', Ports: [], HostConfig: { NetworkMode: 'default' } }))).toBe(true);
    expect(needsInspect(containerFromList({ Id: 'x', Names: ['/a'], State: 'running', Ports: [], HostConfig: { NetworkMode: 'host' } }))).toBe(true);
  });

  it('renders bindings like docker run -p', () => {
    expect(bindingSpec({ hostIp: '', hostPort: '', containerPort: 80, protocol: 'tcp' })).toBe('80');
    expect(bindingSpec({ hostIp: '', hostPort: '0', containerPort: 53, protocol: 'udp' })).toBe('53/udp');
    expect(bindingSpec({ hostIp: '::1', hostPort: '8080', containerPort: 80, protocol: 'tcp' })).toBe('[::1]:8080:80');
    expect(bindingSpec({ hostIp: '127.0.0.1', hostPort: '', containerPort: 80, protocol: 'tcp' })).toBe('127.0.0.1::80');
  });

  it('engine facts: version, rootless from SecurityOptions, Podman, local only when the host name matches', () => {
    const e = engineFacts({ Version: '28.3.3', ApiVersion: '1.51', Components: [{ Name: 'Podman Engine' }] }, { Name: 'h1', OSType: 'linux', SecurityOptions: ['name=seccomp,profile=default', 'name=rootless'] }, parseHost('unix:///run/user/1000/docker.sock', 's'), 'h1');
    expect(e).toMatchObject({ version: '28.3.3', apiVersion: '1.51', rootless: true, podman: true, local: process.platform === 'linux', os: 'linux' });
    expect(engineFacts({ Version: '1', ApiVersion: '1.41' }, { Name: 'docker-desktop' }, parseHost('unix:///x.sock', 's'), 'laptop').local).toBe(false);
  });

  it('compose labels: config files made absolute against the working directory (docker-compose v1 records them as given)', () => {
    expect(
      composeOriginFromLabels({
        'com.docker.compose.project': 'plc',
        'com.docker.compose.service': 'web',
        'com.docker.compose.project.config_files': 'docker-compose.yml,docker-compose.override.yml',
        'com.docker.compose.project.working_dir': '/srv/plc',
        'com.docker.compose.container-number': '1',
        'com.docker.compose.oneoff': 'False',
      }),
    ).toEqual({ project: 'plc', service: 'web', number: 1, workingDir: '/srv/plc', configFiles: ['/srv/plc/docker-compose.yml', '/srv/plc/docker-compose.override.yml'], envFiles: [], oneoff: false });
  });
});

describe('the catalogue over live bindings (audit)', () => {
  it('exposure rules read requested host IPs: "" is unbound, 0.0.0.0 explicit, 127.0.0.1 neither', () => {
    const live = liveOf([
      container({ name: 'a', bindings: { '80/tcp': [req('', '18080')] }, effective: { '80/tcp': [any4(18080), any6(18080)] } }),
      container({ name: 'b', bindings: { '80/tcp': [req('0.0.0.0', '18081')] }, effective: { '80/tcp': [any4(18081)] } }),
      container({ name: 'c', bindings: { '80/tcp': [req('127.0.0.1', '18082')] }, effective: { '80/tcp': [lo(18082)] } }),
    ]);
    const fs = audit(live).filter((f) => f.ruleId.startsWith('exposure/'));
    expect(fs.map((f) => `${f.container!.name} ${f.ruleId}`)).toEqual(['a exposure/unbound-publish', 'b exposure/explicit-wildcard']);
    expect(fs[0].container).toEqual({ id: live.containers[0].ref.id, name: 'a' });
    expect(fs[0].message).toContain('recreate it bound to one address, e.g. -p 127.0.0.1:18080:80');
  });

  it('range/ephemeral judges the request: an engine-chosen port is fine, a fixed one in the live range is not', () => {
    const live = liveOf([
      container({ name: 'eph', bindings: { '80/tcp': [req('', '')] }, effective: { '80/tcp': [any4(32770), any6(32770)] } }),
      container({ name: 'fixed', bindings: { '80/tcp': [req('127.0.0.1', '40001')] }, effective: { '80/tcp': [lo(40001)] } }),
    ]);
    const fs = runRules(live.projects, catalogue, { rules: {}, settings: { ...settings, ephemeralRange: { start: 40000, end: 50000 } }, mode: 'audit', live }).filter((f) => f.ruleId === 'range/ephemeral');
    expect(fs.map((f) => f.container!.name)).toEqual(['fixed']);
    expect(fs[0].message).toContain('this host (40000-50000)');
  });

  it('netmode rules see a host-network container and its discarded ports', () => {
    const live = liveOf([container({ name: 'h', mode: 'host', bindings: { '80/tcp': [req('', '18095')] } })]);
    expect(audit(live).map((f) => f.ruleId)).toEqual(['netmode/host', 'netmode/ports-discarded']);
  });

  it('live-only rules do not run in check, and collision/live does not run in audit', () => {
    const live = liveOf([container({ name: 'p', publishAll: true, effective: { '80/tcp': [any4(32768), any6(32768)] } })]);
    expect(runRules(live.projects, [publishAll], { rules: {}, settings, mode: 'check', live })).toEqual([]);
    expect(runRules(live.projects, [collisionLive], { rules: {}, settings, mode: 'audit', live })).toEqual([]);
  });
});

describe('exposure/publish-all', () => {
  it('reports -P with the ports it published', () => {
    const live = liveOf([
      container({ name: 'p', publishAll: true, effective: { '80/tcp': [any4(32768), any6(32768)], '81/udp': [any4(32768), any6(32768)] } }),
      container({ name: 'q', bindings: { '80/tcp': [req('127.0.0.1', '18080')] }, effective: { '80/tcp': [lo(18080)] } }),
    ]);
    const fs = audit(live, [publishAll]);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ ruleId: 'exposure/publish-all', severity: 'warning', container: { name: 'p' }, binding: { hostIp: '', hostPort: '', containerPort: 80 } });
    expect(fs[0].message).toContain('was started with -P: every exposed port');
    expect(fs[0].message).toContain('80/tcp and 81/udp');
    expect(fs[0].message).toContain('0.0.0.0:32768/tcp');
  });
});

describe('daemon/loopback-leak-engine', () => {
  const lo4 = () => container({ name: 'l', bindings: { '80/tcp': [req('127.0.0.1', '18101')] }, effective: { '80/tcp': [lo(18101)] } });
  const lo6 = () => container({ name: 'l6', bindings: { '80/tcp': [req('::1', '18102')] }, effective: { '80/tcp': [{ HostIp: '::1', HostPort: '18102' }] } });

  it('reports 127.0.0.1 publishes of an Engine before 28.0.0, not ::1', () => {
    const fs = audit(liveOf([lo4(), lo6()]), [loopbackLeak]);
    expect(fs.map((f) => f.container!.name)).toEqual(['l']);
    expect(fs[0].message).toContain('Engine 20.10.24+dfsg1 (before 28.0.0) lets hosts on the same network segment reach it');
    expect(fs[0].message).toContain('28.3.3');
  });

  it('28.0 to 28.3.2 only with firewalld (CVE-2025-54388); 28.3.3 and later never', () => {
    const noFw: HostFacts = { ufw: false, firewalld: false };
    const fw: HostFacts = { ufw: false, firewalld: true };
    expect(audit(liveOf([lo4()], engine('28.2.1'), noFw), [loopbackLeak])).toEqual([]);
    const fs = audit(liveOf([lo4()], engine('28.2.1'), fw), [loopbackLeak]);
    expect(fs[0].message).toContain('CVE-2025-54388');
    expect(audit(liveOf([lo4()], engine('28.3.3'), fw), [loopbackLeak])).toEqual([]);
    expect(audit(liveOf([lo4()], engine('29.1.0'), fw), [loopbackLeak])).toEqual([]);
  });

  it('not for rootless engines or Podman (no DNAT of loopback publishes)', () => {
    expect(audit(liveOf([lo4()], engine('20.10.24', { rootless: true })), [loopbackLeak])).toEqual([]);
    expect(audit(liveOf([lo4()], engine('4.9.3', { podman: true })), [loopbackLeak])).toEqual([]);
  });
});

describe('exposure/firewall-bypass', () => {
  const pub = () => container({ name: 'w', bindings: { '80/tcp': [req('', '18080')] }, effective: { '80/tcp': [any4(18080), any6(18080)] } });
  const priv = () => container({ name: 'x', bindings: { '80/tcp': [req('127.0.0.1', '18081')] }, effective: { '80/tcp': [lo(18081)] } });

  it('reports non-loopback publishes while ufw or firewalld is active, on a local engine only', () => {
    const fs = audit(liveOf([pub(), priv()], engine(), { ufw: true, firewalld: false }), [firewallBypass]);
    expect(fs.map((f) => f.container!.name)).toEqual(['w']);
    expect(fs[0].message).toContain('so the ufw firewall does not protect it');
    expect(fs[0].message).toContain('DOCKER-USER');
    expect(audit(liveOf([pub()], engine(), { ufw: false, firewalld: true }), [firewallBypass])[0].message).toContain('so the firewalld firewall does not protect it');
    expect(audit(liveOf([pub()], engine(), { ufw: false, firewalld: false }), [firewallBypass])).toEqual([]);
    expect(audit(liveOf([pub()], engine()), [firewallBypass])).toEqual([]);
  });
});

describe('audit/drift and file:line mapping', () => {
  const compose = `services:
  web:
    image: x
    ports:
      - "18100:80"
      - "127.0.0.1:18101:81"
`;
  const labels = (dir: string) => ({
    'com.docker.compose.project': 'plc',
    'com.docker.compose.service': 'web',
    'com.docker.compose.project.config_files': 'docker-compose.yml',
    'com.docker.compose.project.working_dir': dir,
    'com.docker.compose.oneoff': 'False',
  });
  const web = (dir: string, bindings: Record<string, Array<{ HostIp: string; HostPort: string }>>) =>
    container({ name: 'plc_web_1', labels: labels(dir), bindings, effective: Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, v.flatMap((b) => (b.HostIp ? [b] : [any4(Number(b.HostPort)), any6(Number(b.HostPort))]))])) });

  it('maps live bindings to the port items of the compose file, and finds no drift when they agree', () => {
    const dir = tempProject({ 'docker-compose.yml': compose });
    const c = web(dir, { '80/tcp': [req('', '18100')], '81/tcp': [req('127.0.0.1', '18101')] });
    attachCompose([c], {});
    expect(c.compose?.current?.service?.name).toBe('web');
    const live = liveOf([c]);
    const fs = audit(live);
    const unbound = fs.find((f) => f.ruleId === 'exposure/unbound-publish')!;
    expect(unbound.loc).toMatchObject({ file: `${dir}/docker-compose.yml`, line: 5, column: 9 });
    expect(unbound.container).toMatchObject({ name: 'plc_web_1', project: 'plc' });
    expect(fs.find((f) => f.ruleId === 'daemon/loopback-leak-engine')!.loc.line).toBe(6);
    expect(fs.filter((f) => f.ruleId === 'audit/drift')).toEqual([]);
  });

  it('maps the per-port bindings of a live container to the compose range they came from', () => {
    const dir = tempProject({ 'docker-compose.yml': 'services:\n  web:\n    image: x\n    ports:\n      - "18110-18112:80-82"\n' });
    const c = web(dir, { '80/tcp': [req('', '18110')], '81/tcp': [req('', '18111')], '82/tcp': [req('', '18112')] });
    attachCompose([c], {});
    const fs = audit(liveOf([c]));
    const unbound = fs.find((f) => f.ruleId === 'exposure/unbound-publish')!;
    expect(unbound.loc).toMatchObject({ file: `${dir}/docker-compose.yml`, line: 5, column: 9 });
    expect(unbound.message).toContain('ports 18110-18112');
    expect(fs.filter((f) => f.ruleId === 'audit/drift')).toEqual([]);
  });

  it('reports drift with both sides when the file was edited after the container was created', () => {
    const dir = tempProject({ 'docker-compose.yml': compose.replace('"18100:80"', '"18102:80"') });
    const c = web(dir, { '80/tcp': [req('', '18100')], '81/tcp': [req('127.0.0.1', '18101')] });
    attachCompose([c], {});
    const fs = audit(liveOf([c]), [drift]);
    expect(fs).toHaveLength(1);
    expect(fs[0].loc).toMatchObject({ file: `${dir}/docker-compose.yml`, line: 5 });
    expect(fs[0].message).toContain('now says "18102:80"');
    expect(fs[0].message).toContain('publishes "18100:80" and "127.0.0.1:18101:81" but docker-compose.yml now says');
    expect(fs[0].message).toContain('apply the edit with docker compose up -d web');
    expect(fs[0].binding).toMatchObject({ hostPort: '18100' });
  });

  it('a service gone from the files is drift; "" and "0" host ports are the same; missing files are no drift', () => {
    const dir = tempProject({ 'docker-compose.yml': 'services:\n  api:\n    image: x\n' });
    const gone = web(dir, { '80/tcp': [req('', '18100')] });
    attachCompose([gone], {});
    expect(audit(liveOf([gone]), [drift])[0].message).toContain('runs a service that docker-compose.yml no longer defines');

    const eph = tempProject({ 'docker-compose.yml': 'services:\n  web:\n    image: x\n    ports: ["80"]\n' });
    const zero = container({ name: 'plc_web_1', labels: labels(eph), bindings: { '80/tcp': [req('', '0')] }, effective: { '80/tcp': [any4(32768)] } });
    attachCompose([zero], {});
    expect(audit(liveOf([zero]), [drift])).toEqual([]);

    const nowhere = web('/nonexistent/plc', { '80/tcp': [req('', '18100')] });
    attachCompose([nowhere], {});
    expect(nowhere.compose?.unavailable).toContain('not on this machine');
    expect(audit(liveOf([nowhere]), [drift])).toEqual([]);
  });
});

describe('collision/live (check --live)', () => {
  const staticProject = (name: string, ports: string[]) => {
    const dir = tempProject({ 'compose.yaml': `name: ${name}\nservices:\n  web:\n    image: x\n    ports:\n${ports.map((p) => `      - "${p}"\n`).join('')}` });
    return load({ cwd: dir }).projects;
  };
  const other = (name: string, labels: Record<string, string>, port: number) =>
    container({ name, labels, bindings: { '80/tcp': [req('', String(port))] }, effective: { '80/tcp': [any4(port), any6(port)] } });
  const check = (projects: ReturnType<typeof staticProject>, live: LiveInput) => runRules(projects, [collisionLive], { rules: {}, settings, mode: 'check', live });

  it('a port held by a container of another project', () => {
    const projects = staticProject('mine', ['18200:80', '127.0.0.2:18201:80']);
    const live = liveOf([other('theirs_db_1', { 'com.docker.compose.project': 'theirs', 'com.docker.compose.service': 'db' }, 18200), other('x', {}, 18201)]);
    const fs = check(projects, live);
    expect(fs.map((f) => [f.loc.line, f.severity])).toEqual([
      [6, 'error'],
      [7, 'error'],
    ]);
    expect(fs[0].message).toContain('host port 18200/tcp on 0.0.0.0 and [::] is held by container theirs_db_1 (project theirs, service db)');
    expect(fs[0].message).toContain('so service web will not start; stop that container or publish another host port');
    expect(fs[1].message).toContain('container x on 0.0.0.0:18201');
    expect(fs[1].message).toContain('host port 18201/tcp on 127.0.0.2 is held by');
  });

  it('not the containers `up` will replace (same project and service), but one-off containers and removed services', () => {
    const projects = staticProject('mine', ['18210:80', '18211:80', '18212:80']);
    const mine = (service: string, port: number, oneoff = 'False') => other(`mine_${service}`, { 'com.docker.compose.project': 'mine', 'com.docker.compose.service': service, 'com.docker.compose.oneoff': oneoff }, port);
    const fs = check(projects, liveOf([mine('web', 18210), mine('web', 18211, 'True'), mine('gone', 18212)]));
    expect(fs.map((f) => f.loc.line)).toEqual([7, 8]);
  });

  it('a host process, named when known; docker-proxy sockets are the containers themselves', () => {
    const projects = staticProject('mine', ['18220:80', '18221:80', '[::1]:18222:80', '18223:80']);
    const host: HostFacts = {
      ufw: false,
      firewalld: false,
      sockets: [
        { address: '127.0.0.1', family: 4, port: 18220, protocol: 'tcp', inode: 1, process: { pid: 812, name: 'sshd' } },
        { address: '::', family: 6, port: 18221, protocol: 'tcp', inode: 2, dualStack: true },
        { address: '0.0.0.0', family: 4, port: 18223, protocol: 'tcp', inode: 3, process: { pid: 9, name: 'docker-proxy' } },
        { address: '0.0.0.0', family: 4, port: 18222, protocol: 'udp', inode: 4 },
      ],
    };
    const fs = check(projects, liveOf([], engine(), host));
    expect(fs.map((f) => f.loc.line)).toEqual([6, 7]);
    expect(fs[0].message).toContain('held by sshd (pid 812) on 127.0.0.1:18220');
    expect(fs[0].message).toContain('stop sshd or publish another host port');
    expect(fs[1].message).toContain('a host process (run portlint as root to see which)');
  });

  it('a host range fails only when every port of it is held', () => {
    const projects = staticProject('mine', ['18230-18231:80', '18240-18241:80']);
    const live = liveOf([other('a', {}, 18230), other('b', {}, 18231), other('c', {}, 18240)]);
    const fs = check(projects, live);
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('every port of host range 18230-18231/tcp');
  });
});

describe('audit: the containers of one engine are on one host', () => {
  it('each live project is on its engine, and collision/cross-project compares them as before', () => {
    const c = (name: string, project: string, state: string) =>
      container({ name, state, labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web' }, bindings: { '80/tcp': [req('', '18300')] }, effective: { '80/tcp': [any4(18300), any6(18300)] } });
    const live = liveOf([c('alpha_web_1', 'alpha', 'running'), c('beta_web_1', 'beta', 'created')], engine(), undefined, 'prod-1');
    expect(live.projects.map((p) => p.host)).toEqual(['prod-1', 'prod-1']);
    const fs = audit(live, [crossProject as never]);
    expect(fs.map((f) => [f.ruleId, f.project])).toEqual([['collision/cross-project', 'beta']]);
    expect(fs[0].message).toContain('is also published by service web of project alpha');
  });
});
