import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/netmode/host';
import { check, checkFixture, FIXTURES, load, loadCompose } from '../helpers';
import type { Finding } from '../../src/engine/run';

const at = (fs: Finding[]) => fs.map((f) => `${f.loc.line}:${f.loc.column} ${f.service}`);

describe('netmode/host', () => {
  it('meta', () => {
    expect(rule.meta.id).toBe('netmode/host');
    expect(rule.meta.defaultSeverity).toBe('warning');
    expect(rule.meta.fixable).toBe(false);
  });

  it('hit: reported at the network_mode value, with no binding; an exporter that needs the host network gets the trade-off, not "drop it"', () => {
    const fs = checkFixture(rule, 'rules/netmode/host/hit');
    expect(at(fs)).toEqual(['5:19 node-exporter', '16:19 api']);
    expect(fs.every((f) => f.binding === undefined)).toBe(true);
    expect(fs[0].severity).toBe('info');
    expect(fs[0].message).toBe(
      'service "node-exporter" uses network_mode: host, so every port it listens on opens on the host\'s interfaces; prom/node-exporter:v1.8.2 needs it ' +
        "(it measures the host's own interfaces and traffic, which it sees only from the host's network namespace), so keep it and limit what listens: " +
        'bind the service to one address (e.g. --web.listen-address=127.0.0.1:9100 for an exporter) or filter its ports in the host firewall, which applies here because Docker publishes nothing',
    );
    expect(fs[0].message).not.toContain('drop it');
    expect(fs[1].severity).toBe('warning');
    expect(fs[1].message).toBe(
      'service "api" uses network_mode: host, so every port it listens on opens on the host\'s interfaces; drop it and publish only the needed ports on 127.0.0.1',
    );
  });

  it('miss: bridge, none, service:x and a host service in an inactive profile', () => {
    expect(checkFixture(rule, 'rules/netmode/host/miss')).toEqual([]);
  });

  it('miss fixture with the debug profile active: the sniffer is reported', () => {
    const dir = join(FIXTURES, 'rules/netmode/host/miss');
    expect(at(check(rule, load({ cwd: dir, paths: [dir], profiles: ['debug'] })))).toEqual(['15:19 sniffer']);
  });

  it('judges the interpolated value', () => {
    const compose = 'services:\n  a:\n    image: x\n    network_mode: ${NET_MODE:-host}\n';
    expect(at(check(rule, loadCompose(compose)))).toEqual(['4:19 a']);
    expect(check(rule, loadCompose(compose, { '.env': 'NET_MODE=bridge\n' }))).toEqual([]);
  });

  it('an override file that sets network_mode: host is reported where it stands', () => {
    const r = loadCompose('services:\n  a:\n    image: x\n', { 'compose.override.yaml': 'services:\n  a:\n    network_mode: host\n' });
    const fs = check(rule, r);
    expect(fs).toHaveLength(1);
    expect(fs[0].loc.file.endsWith('compose.override.yaml')).toBe(true);
    expect(fs[0].loc.line).toBe(3);
  });
});
