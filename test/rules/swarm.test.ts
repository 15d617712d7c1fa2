/**
 * The swarm rules over stack files read as docker stack deploy reads them (--swarm), a hit and a
 * near miss each, and over hand-written swarm services (a manager's API objects) for the live
 * judgments.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import sensitive from '../../rules/swarm/sensitive-port-public';
import hostIpIgnored from '../../rules/swarm/host-ip-ignored';
import conflict from '../../rules/swarm/ingress-port-conflict';
import replicas from '../../rules/swarm/host-mode-replicas';
import unbound from '../../rules/exposure/unbound-publish';
import privileged from '../../rules/range/privileged-host-port';
import { runRules, type Finding } from '../../src/engine/run';
import type { Rule } from '../../src/engine/rule';
import { buildStackProjects, nodeEligible, nodeFromApi, serviceFromApi, taskFromApi, type SwarmFacts } from '../../src/live/swarm';
import { check, FIXTURES, load, loadCompose } from '../helpers';
import { container, engine, liveOf } from '../live-objects';

const stackFixture = (rule: Rule<never>, name: string) => {
  const dir = join(FIXTURES, 'rules/swarm', name);
  return check(rule, load({ cwd: dir, paths: [dir], swarm: true }));
};
const at = (fs: Finding[]) => fs.map((f) => `${f.loc.line}:${f.loc.column} ${f.service} ${f.severity}`);

describe('swarm/sensitive-port-public', () => {
  it('hit: ingress (whatever the host IP says) and host mode', () => {
    const fs = stackFixture(sensitive, 'sensitive-port-public/hit');
    expect(at(fs)).toEqual(['5:9 db error', '9:9 cache error']);
    expect(fs[0].message).toBe(
      "service db of stack hit publishes PostgreSQL (5432) as port 5432 on every node of the swarm, on every address, through the ingress routing mesh (a database, scanned for weak and default passwords); Swarm has no host IP to bind it to: do not publish it (services on the stack's networks reach db:5432), or reach it through an ssh tunnel or a VPN",
    );
    expect(fs[1].message).toContain('publishes Redis (6379) as port 16379 on every node that runs one of its tasks, on every address');
    expect(fs[0].swarm).toEqual({ stack: 'hit', service: 'hit_db' });
  });

  it('miss: an unpublished datastore and a published web port', () => {
    expect(stackFixture(sensitive, 'sensitive-port-public/miss')).toEqual([]);
  });

  it('judges stacks only: the Compose rule keeps Compose projects, and neither judges the other', () => {
    const dir = join(FIXTURES, 'rules/swarm/sensitive-port-public/hit');
    expect(check(sensitive, load({ cwd: dir, paths: [dir] }))).toEqual([]);
    expect(check(unbound, load({ cwd: dir, paths: [dir], swarm: true }))).toEqual([]);
  });
});

describe('swarm/host-ip-ignored', () => {
  it('hit: IPv4 and bracketed IPv6 loopback, at each entry', () => {
    const fs = stackFixture(hostIpIgnored, 'host-ip-ignored/hit');
    expect(at(fs)).toEqual(['5:9 admin warning', '6:9 admin warning']);
    expect(fs[1].message).toContain('ignores the host IP ::1 of "[::1]:8081:8080" and publishes port 8081 on every node of the swarm');
  });

  it('miss: no IP, 0.0.0.0 and ::', () => {
    expect(stackFixture(hostIpIgnored, 'host-ip-ignored/miss')).toEqual([]);
  });

  it('the same file under Compose is no swarm finding', () => {
    expect(check(hostIpIgnored, loadCompose('services:\n  a:\n    image: x\n    ports: ["127.0.0.1:80:80"]\n'))).toEqual([]);
  });
});

describe('swarm/ingress-port-conflict', () => {
  it('hit: two services on one ingress port, one service twice', () => {
    const fs = stackFixture(conflict, 'ingress-port-conflict/hit');
    expect(at(fs)).toEqual(['9:9 api error', '14:9 metrics error']);
    expect(fs[0].message).toContain(`port '8080' is already in use by service 'hit_web' as an ingress port`);
    expect(fs[0].related!.map((r) => `${r.loc.line} ${r.message}`)).toEqual(['5 service web publishes port 8080 here']);
    expect(fs[1].message).toContain('EndpointSpec: duplicate published ports provided');
  });

  it('miss: tcp beside udp, and two host-mode services (the scheduler keeps them apart)', () => {
    expect(stackFixture(conflict, 'ingress-port-conflict/miss')).toEqual([]);
  });
});

describe('swarm/host-mode-replicas', () => {
  it('hit: 3 replicas of a fixed host-mode port need 3 nodes', () => {
    const fs = stackFixture(replicas, 'host-mode-replicas/hit');
    expect(at(fs)).toEqual(['5:9 edge warning']);
    expect(fs[0].message).toContain('publishes port 443 in host mode with 3 replicas: a node can run only one task that holds a host-mode port, so the swarm needs 3 eligible nodes');
  });

  it('miss: global mode, one replica, ingress, and Swarm-picked ports', () => {
    expect(stackFixture(replicas, 'host-mode-replicas/miss')).toEqual([]);
  });

  it('two services on one host-mode port compete for it', () => {
    const dir = join(FIXTURES, 'rules/swarm/ingress-port-conflict/miss');
    const fs = check(replicas, load({ cwd: dir, paths: [dir], swarm: true }));
    expect(fs.map((f) => f.message)).toEqual([expect.stringContaining('service edge-a (1) and service edge-b (1) of stack miss publish port 8000 in host mode, 2 tasks in all')]);
  });
});

describe('live swarm services (hand-written API objects)', () => {
  const node = (id: string, extra: Record<string, unknown> = {}) =>
    nodeFromApi({ ID: id, Spec: { Role: 'worker', Availability: 'active', Labels: { zone: 'a' }, ...extra }, Description: { Hostname: id, Platform: { OS: 'linux', Architecture: 'x86_64' } }, Status: { State: 'ready', Addr: '10.0.0.1' } });
  const hostService = (n: number, constraints: string[] = []) =>
    serviceFromApi({
      ID: 'svc1',
      Spec: { Name: 'shop_edge', Labels: { 'com.docker.stack.namespace': 'shop' }, Mode: { Replicated: { Replicas: n } }, TaskTemplate: { Placement: { Constraints: constraints } }, EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 443, PublishedPort: 443, PublishMode: 'host' }] } },
      Endpoint: { Ports: [{ Protocol: 'tcp', TargetPort: 443, PublishedPort: 443, PublishMode: 'host' }] },
    });
  const audit = (swarm: SwarmFacts, rule: Rule<never>, containers = [] as ReturnType<typeof container>[], rootless = false) => {
    const live = liveOf(containers, engine('28.3.3', { swarm: { nodeId: 'n1', manager: true, clusterId: 'c' } }), undefined, 'manager');
    live.swarm = swarm;
    live.projects.push(...buildStackProjects(swarm, { engine: live.ref, offsetBase: 1e9 }));
    return runRules(live.projects, [rule], { rules: {}, settings: { platform: 'linux', rootless }, mode: 'audit', live });
  };

  it('reads allocations: a port Swarm picked is the Endpoint port of the same target', () => {
    const s = serviceFromApi({
      ID: 'x',
      Spec: { Name: 'web', EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishMode: 'ingress' }, { Protocol: 'udp', TargetPort: 53, PublishedPort: 53 }] } },
      Endpoint: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 30001, PublishMode: 'ingress' }, { Protocol: 'udp', TargetPort: 53, PublishedPort: 53, PublishMode: 'ingress' }] },
    });
    expect(s.ports).toEqual([
      { protocol: 'tcp', target: 80, mode: 'ingress', allocated: 30001 },
      { protocol: 'udp', target: 53, published: 53, mode: 'ingress', allocated: 53 },
    ]);
    expect(s.deploy).toEqual({ mode: 'replicated', constraints: [] });
  });

  it('host-mode replicas beyond the eligible nodes: an error with the count; enough nodes: nothing', () => {
    const pending = taskFromApi({ ID: 't2', ServiceID: 'svc1', Status: { State: 'pending', Err: 'no suitable node (host-mode port already in use on 2 nodes)' } });
    const swarm: SwarmFacts = { clusterId: 'c', nodes: [node('n1'), node('n2'), node('n3', { Availability: 'drain' })], services: [hostService(3)], tasks: [pending] };
    const fs = audit(swarm, replicas);
    expect(fs.map((f) => [f.severity, f.message.split(';')[0]])).toEqual([
      ['error', 'service edge of stack shop publishes port 443 in host mode with 3 replicas, but only 2 nodes of the swarm can run them: 1 stay pending (1 task is pending now: "no suitable node (host-mode port already in use on 2 nodes)")'],
    ]);
    expect(audit({ ...swarm, services: [hostService(2)], tasks: [] }, replicas)).toEqual([]);
    // A constraint that leaves one node.
    expect(audit({ ...swarm, services: [hostService(2, ['node.hostname==n1'])], tasks: [] }, replicas).map((f) => f.severity)).toEqual(['error']);
  });

  it('a task container is judged through its service only, also by the rules of both deployments', () => {
    const task = container({ name: 'shop_edge.1.x', labels: { 'com.docker.swarm.service.name': 'shop_edge', 'com.docker.stack.namespace': 'shop' }, bindings: { '443/tcp': [{ HostIp: '', HostPort: '443' }] }, effective: { '443/tcp': [{ HostIp: '0.0.0.0', HostPort: '443' }] } });
    // Rootless, so that 443 is a finding at all.
    const fs = audit({ clusterId: 'c', nodes: [node('n1')], services: [hostService(1)], tasks: [] }, privileged, [task], true);
    expect(fs.map((f) => [f.swarm?.service, f.container?.name])).toEqual([['shop_edge', undefined]]);
  });

  it('placement constraints: ==, !=, labels, case, unknown keys, and what is not judged', () => {
    const n = node('n1', { Role: 'manager', Labels: { zone: 'eu-1' } });
    expect(nodeEligible(n, ['node.role==manager', 'node.labels.zone == EU-1'])).toBe(true);
    expect(nodeEligible(n, ['node.role!=manager'])).toBe(false);
    expect(nodeEligible(n, ['node.labels.missing!=x'])).toBe(true);
    expect(nodeEligible(n, ['node.foo==bar'])).toBe(false);
    expect(nodeEligible(n, ['node.ip==10.0.0.0/8'])).toBeUndefined();
    expect(nodeEligible(node('n2', { Availability: 'pause' }), [])).toBe(false);
  });

  it('an ingress port a standalone container on the manager also publishes', () => {
    const web = serviceFromApi({ ID: 'w', Spec: { Name: 'shop_web', Labels: { 'com.docker.stack.namespace': 'shop' }, EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080 }] } }, Endpoint: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }] } });
    const legacy = container({ name: 'legacy', bindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }, effective: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } });
    const task = container({ name: 'shop_web.1.x', labels: { 'com.docker.swarm.service.name': 'shop_web', 'com.docker.stack.namespace': 'shop' }, bindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }, effective: {} });
    const swarm: SwarmFacts = { clusterId: 'c', nodes: [node('n1')], services: [web], tasks: [] };
    const fs = audit(swarm, conflict, [legacy, task]);
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('service web of stack shop publishes port 8080 on every node of the swarm, on every address, through the ingress routing mesh, and container legacy publishes it too on node n1');
    expect(audit(swarm, conflict, [task])).toEqual([]);
  });
});
