import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/netmode/ports-discarded';
import { check, checkFixture, FIXTURES, load, loadCompose } from '../helpers';
import type { Finding } from '../../src/engine/run';

const at = (fs: Finding[]) => fs.map((f) => `${f.loc.line}:${f.loc.column} ${f.service}`);

describe('netmode/ports-discarded', () => {
  it('meta', () => {
    expect(rule.meta.id).toBe('netmode/ports-discarded');
    expect(rule.meta.defaultSeverity).toBe('warning');
    expect(rule.meta.fixable).toBe(false);
  });

  it('hit: each port item of a host or none service, short and long syntax', () => {
    const fs = checkFixture(rule, 'rules/netmode/ports-discarded/hit');
    expect(at(fs)).toEqual(['7:9 jellyfin', '8:9 jellyfin', '15:9 backup']);
    expect(fs.every((f) => f.severity === 'warning' && f.binding === undefined)).toBe(true);
    expect(fs[0].message).toBe(
      'port "8096:8096" publishes nothing: service "jellyfin" uses network_mode: host, so Docker discards it; remove the entry, or drop network_mode: host',
    );
    expect(fs[1].message).toContain('port "target=7359,published=7359,protocol=udp" publishes nothing');
    expect(fs[2].message).toBe(
      'port "127.0.0.1:9000:9000" publishes nothing: service "backup" uses network_mode: none, so it has no network at all; remove the entry, or drop network_mode: none',
    );
  });

  it('miss: host/none without ports, bridge with ports, an inactive profile', () => {
    expect(checkFixture(rule, 'rules/netmode/ports-discarded/miss')).toEqual([]);
  });

  it('miss fixture with the dlna profile active: its port is reported', () => {
    const dir = join(FIXTURES, 'rules/netmode/ports-discarded/miss');
    expect(at(check(rule, load({ cwd: dir, paths: [dir], profiles: ['dlna'] })))).toEqual(['19:9 dlna']);
  });

  it('service:x is not this rule (the Engine refuses it: netmode/ports-with-shared-netns)', () => {
    const r = loadCompose('services:\n  a:\n    image: x\n  b:\n    image: x\n    network_mode: "service:a"\n    ports: ["8080:80"]\n');
    expect(check(rule, r)).toEqual([]);
  });

  it('ports from a base file with network_mode from an override: reported at the base file items', () => {
    const r = loadCompose('services:\n  a:\n    image: x\n    ports: ["8080:80", "9090:90"]\n', {
      'compose.override.yaml': 'services:\n  a:\n    network_mode: host\n',
    });
    const fs = check(rule, r);
    expect(fs.map((f) => `${f.loc.file.endsWith('compose.yaml')} ${f.loc.line}:${f.loc.column}`)).toEqual(['true 4:13', 'true 4:24']);
  });
});
