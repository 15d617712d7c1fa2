/**
 * The fleet rules over hand-written engines: the same compose service (or container name) on
 * several engines, a hit and a near miss for each rule.
 */
import { describe, expect, it } from 'vitest';
import exposedOnSeveralEngines from '../../rules/fleet/exposed-on-several-engines';
import inconsistentPublish from '../../rules/fleet/inconsistent-publish';
import { runRules } from '../../src/engine/run';
import type { Rule } from '../../src/engine/rule';
import type { LiveInput } from '../../src/live/types';
import { container, engine, liveOf } from '../live-objects';

const compose = (service: string) => ({ 'com.docker.compose.project': 'shop', 'com.docker.compose.service': service });
const publish = (ip: string, port: number, target = port) => ({ bindings: { [`${target}/tcp`]: [{ HostIp: ip, HostPort: String(port) }] }, effective: { [`${target}/tcp`]: ip ? [{ HostIp: ip, HostPort: String(port) }] : [{ HostIp: '0.0.0.0', HostPort: String(port) }, { HostIp: '::', HostPort: String(port) }] } });

/** An engine named `name` with one container `shop-<service>-1` of compose service `service`. */
function host(name: string, service: string, how: ReturnType<typeof publish>, extra: Parameters<typeof container>[0][] = []): LiveInput {
  return liveOf([container({ name: `shop-${service}-1`, labels: compose(service), ...how }), ...extra.map(container)], engine('28.3.3', { endpoint: `ssh://${name}` }), undefined, name);
}

function fleet(rule: Rule<never>, engines: LiveInput[], options: Record<string, unknown> = {}) {
  return runRules(engines.flatMap((e) => e.projects), [rule], { rules: { [rule.meta.id]: { options } }, settings: { platform: 'linux', rootless: false }, mode: 'fleet', fleet: engines });
}

describe('fleet/exposed-on-several-engines', () => {
  it('one finding for the service, on the first engine, naming every engine it is public on', () => {
    const fs = fleet(exposedOnSeveralEngines, [host('prod-1', 'db', publish('', 5432)), host('prod-2', 'db', publish('', 5432)), host('staging', 'db', publish('127.0.0.1', 5432))]);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ ruleId: 'fleet/exposed-on-several-engines', severity: 'warning', engine: { name: 'prod-1', endpoint: 'ssh://prod-1' }, container: { name: 'shop-db-1', project: 'shop' } });
    expect(fs[0].message).toMatch(/^service db of project shop publishes port 5432 on every interface on 2 engines \(prod-1 and prod-2\): /);
    expect(fs[0].related!.map((r) => r.message)).toEqual(['engine prod-2: publishes "5432:5432"']);
  });

  it('counts an explicit 0.0.0.0 as every interface, across container names that differ per host', () => {
    const a = liveOf([container({ name: 'shop_db_1', labels: compose('db'), ...publish('0.0.0.0', 5432) })], engine(), undefined, 'a');
    const b = host('b', 'db', publish('', 5432));
    expect(fleet(exposedOnSeveralEngines, [a, b])[0].message).toContain('on 2 engines (a and b)');
  });

  it('near misses: public on one engine only, loopback elsewhere; allowed ports; one engine; swarm tasks', () => {
    expect(fleet(exposedOnSeveralEngines, [host('a', 'db', publish('', 5432)), host('b', 'db', publish('127.0.0.1', 5432))])).toEqual([]);
    expect(fleet(exposedOnSeveralEngines, [host('a', 'web', publish('', 443)), host('b', 'web', publish('', 443))], { allowedPorts: [443] })).toEqual([]);
    expect(fleet(exposedOnSeveralEngines, [host('a', 'db', publish('', 5432))])).toEqual([]);
    const task = (n: string) => liveOf([container({ name: 'shop_web.1.x', labels: { 'com.docker.swarm.task.id': 'x', 'com.docker.swarm.service.name': 'shop_web' }, ...publish('', 8080) })], engine(), undefined, n);
    expect(fleet(exposedOnSeveralEngines, [task('a'), task('b')])).toEqual([]);
  });

  it('different services with the same port are not the same service', () => {
    expect(fleet(exposedOnSeveralEngines, [host('a', 'db', publish('', 5432)), host('b', 'cache', publish('', 5432))])).toEqual([]);
  });
});

describe('fleet/inconsistent-publish', () => {
  it('a warning when the difference changes who can reach it, on the engine where it reaches furthest', () => {
    const fs = fleet(inconsistentPublish, [host('staging', 'db', publish('127.0.0.1', 5432)), host('prod-1', 'db', publish('', 5432)), host('prod-2', 'db', publish('', 5432))]);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'warning', engine: { name: 'prod-1' } });
    expect(fs[0].message).toBe(
      'service db of project shop publishes different ports on different engines: "127.0.0.1:5432:5432" on staging; "5432:5432" on prod-1 and prod-2, so it is reachable on loopback only on staging but every interface on prod-1 and prod-2; redeploy it from the same files everywhere',
    );
  });

  it('info when only the host port differs', () => {
    const fs = fleet(inconsistentPublish, [host('a', 'web', publish('', 8080, 80)), host('b', 'web', publish('', 8081, 80))]);
    expect(fs.map((f) => [f.severity, f.message])).toEqual([['info', 'service web of project shop publishes different ports on different engines: "8080:80" on a; "8081:80" on b; redeploy it from the same files everywhere']]);
  });

  it('near misses: the same bindings everywhere (engine-chosen ports included), stopped containers', () => {
    expect(fleet(inconsistentPublish, [host('a', 'db', publish('', 5432)), host('b', 'db', publish('', 5432))])).toEqual([]);
    const random = (n: string) => host(n, 'web', { bindings: { '80/tcp': [{ HostIp: '', HostPort: '' }] }, effective: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: n === 'a' ? '32768' : '32790' }] } });
    expect(fleet(inconsistentPublish, [random('a'), random('b')])).toEqual([]);
    const stopped = liveOf([container({ name: 'shop-db-1', state: 'exited', labels: compose('db'), ...publish('127.0.0.1', 5432) })], engine(), undefined, 'b');
    expect(fleet(inconsistentPublish, [host('a', 'db', publish('', 5432)), stopped])).toEqual([]);
  });
});
