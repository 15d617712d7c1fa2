import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/netmode/ports-with-shared-netns';
import { check, checkFixture, FIXTURES, load, loadCompose } from '../helpers';
import type { Finding } from '../../src/engine/run';

const at = (fs: Finding[]) => fs.map((f) => `${f.loc.line}:${f.loc.column} ${f.service}`);

describe('netmode/ports-with-shared-netns', () => {
  it('meta', () => {
    expect(rule.meta.id).toBe('netmode/ports-with-shared-netns');
    expect(rule.meta.defaultSeverity).toBe('error');
    expect(rule.meta.fixable).toBe(false);
  });

  it('hit: service:x and container:x with ports, one finding per problem, at the ports', () => {
    const fs = checkFixture(rule, 'rules/netmode/ports-with-shared-netns/hit');
    expect(at(fs)).toEqual(['10:7 qbittorrent', '15:7 sidecar']);
    expect(fs.every((f) => f.severity === 'error' && f.ruleId === 'netmode/ports-with-shared-netns')).toBe(true);
    expect(fs[0].message).toBe(
      'the Engine refuses to start service "qbittorrent": it has ports but network_mode "service:vpn"; publish them on service vpn instead',
    );
    expect(fs[1].message).toBe(
      'the Engine refuses to start service "sidecar": it has ports but network_mode "container:legacy-vpn"; publish them on container legacy-vpn instead',
    );
  });

  it('miss: ports on the namespace owner, none on the sharer, an inactive profile', () => {
    expect(checkFixture(rule, 'rules/netmode/ports-with-shared-netns/miss')).toEqual([]);
  });

  it('miss fixture with the debug profile active: reported', () => {
    const dir = join(FIXTURES, 'rules/netmode/ports-with-shared-netns/miss');
    expect(at(check(rule, load({ cwd: dir, paths: [dir], profiles: ['debug'] })))).toEqual(['16:7 debug']);
  });

  it('reports only problems of its own kind', () => {
    const r = loadCompose('services:\n  a:\n    image: x\n    ports: ["localhost:8080:80"]\n  b:\n    image: x\n    network_mode: "service:a"\n    ports: ["9090:90"]\n');
    expect(r.projects[0].problems.map((p) => p.kind).sort()).toEqual(['host-ip-not-ip', 'ports-with-shared-netns']);
    expect(at(check(rule, r))).toEqual(['8:12 b']);
  });

  it('network_mode bridge or a network name with ports is fine', () => {
    const r = loadCompose('services:\n  a:\n    image: x\n    network_mode: bridge\n    ports: ["127.0.0.1:8080:80"]\n');
    expect(check(rule, r)).toEqual([]);
  });
});
