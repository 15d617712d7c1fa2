import { describe, expect, it } from 'vitest';
import rule from '../../rules/collision/replicas-fixed-port';
import hostPort from '../../rules/collision/host-port';
import { check, checkFixture, loadCompose } from '../helpers';

const R = rule as never;

/** One service `svc` with the given extra keys and ports. */
function service(extra: string, ports: string[]): string {
  return `name: app\nservices:\n  svc:\n    image: x\n${extra}    ports:\n${ports.map((p) => `      - ${p}\n`).join('')}`;
}

describe('collision/replicas-fixed-port', () => {
  it('is an error', () => {
    expect(rule.meta.defaultSeverity).toBe('error');
  });

  it('hit fixture: a fixed port with deploy.replicas, a range smaller than scale', () => {
    const f = checkFixture(R, 'rules/collision/replicas-fixed-port/hit');
    expect(f.map((x) => [x.service, x.loc.line, x.loc.column])).toEqual([
      ['worker', 8, 9],
      ['api', 13, 9],
    ]);
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toBe(
      '3 replicas of service worker (compose.yaml:6:17) need fixed host port 8080/tcp on 0.0.0.0 and [::], so only one starts; use "8080-8082:8080" or leave the host port out',
    );
    expect(f[0].binding).toEqual({ hostIp: '', hostPort: '8080', containerPort: 8080, protocol: 'tcp', count: 1 });
    expect(f[0].related![0].loc.line).toBe(6);
    expect(f[1].message).toBe(
      'host range 9000-9002/tcp has 3 ports for 4 replicas of service api (compose.yaml:11:12), so one replica fails to start; use "127.0.0.1:9000-9003:3000" or leave the host port out',
    );
  });

  it('miss fixture: ephemeral ports, a range as large as the replica count, one replica', () => {
    expect(checkFixture(R, 'rules/collision/replicas-fixed-port/miss')).toEqual([]);
  });

  it('collision/host-port does not report the replicas again', () => {
    expect(checkFixture(hostPort as never, 'rules/collision/replicas-fixed-port/hit')).toEqual([]);
  });

  it('scale wins over deploy.replicas', () => {
    const one = service('    scale: 1\n    deploy:\n      replicas: 3\n', ['"8080:80"']);
    expect(check(R, loadCompose(one))).toEqual([]);
    const three = service('    scale: 3\n    deploy:\n      replicas: 1\n', ['"8080:80"']);
    const f = check(R, loadCompose(three));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('3 replicas of service svc (compose.yaml:5:12)');
  });

  it('a container range item is one finding naming all its fixed host ports', () => {
    const f = check(R, loadCompose(service('    scale: 2\n', ['"127.0.0.1:8000-8002:8000-8002"'])));
    expect(f).toHaveLength(1);
    expect(f[0].loc.line).toBe(7);
    expect(f[0].message).toContain('2 replicas of service svc (compose.yaml:5:12) need fixed host ports 8000-8002/tcp on 127.0.0.1, so only one starts');
    expect(f[0].message).toContain('leave the host ports out');
    expect(f[0].binding).toMatchObject({ hostIp: '127.0.0.1', hostPort: '8000-8002', containerPort: 8000, count: 3 });
  });

  it('counts the replicas that do not get a port of a small range', () => {
    const f = check(R, loadCompose(service('    deploy:\n      replicas: 5\n', ['"8000-8001:80"'])));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('host range 8000-8001/tcp has 2 ports for 5 replicas');
    expect(f[0].message).toContain('3 replicas fail to start');
    expect(f[0].message).toContain('use "8000-8004:80"');
    expect(check(R, loadCompose(service('    deploy:\n      replicas: 2\n', ['"8000-8001:80"'])))).toEqual([]);
  });

  it('long syntax with host_ip: the example keeps the address', () => {
    const f = check(R, loadCompose(service('    scale: 2\n', ['{ target: 80, published: "8080", host_ip: "::1" }'])));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('need fixed host port 8080/tcp on [::1]');
    expect(f[0].message).toContain('use "[::1]:8080-8081:80"');
    const udp = check(R, loadCompose(service('    scale: 2\n', ['"5353:5353/udp"'])));
    expect(udp[0].message).toContain('use "5353-5354:5353/udp"');
  });

  it('nothing for disabled services, ephemeral ports or a single replica', () => {
    expect(check(R, loadCompose(service('    scale: 3\n    profiles: [batch]\n', ['"8080:80"'])))).toEqual([]);
    expect(check(R, loadCompose(service('    scale: 3\n', ['"80"', '"127.0.0.1::81"', '{ target: 82 }'])))).toEqual([]);
    expect(check(R, loadCompose(service('    deploy:\n      replicas: 1\n', ['"8080:80"'])))).toEqual([]);
  });
});
