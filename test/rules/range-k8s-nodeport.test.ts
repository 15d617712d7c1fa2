import { describe, expect, it } from 'vitest';
import rule from '../../rules/range/k8s-nodeport';
import { FIXTURES, load, loadCompose } from '../helpers';
import { runRules, type Finding } from '../../src/engine/run';
import type { LoadResult } from '../../src/model/types';
import type { Rule, Severity } from '../../src/engine/rule';
import { join } from 'node:path';

const r = rule as unknown as Rule<never>;

/** The rule is off by default: enable it the way a user would. */
function enabled(result: LoadResult, severity?: Severity): Finding[] {
  return runRules(result.projects, [r], { rules: severity ? { [rule.meta.id]: { severity } } : {}, settings: { platform: 'all', rootless: false } });
}

function fixture(name: string): LoadResult {
  const dir = join(FIXTURES, 'rules/range/k8s-nodeport', name);
  return load({ cwd: dir, paths: [dir] });
}

describe('range/k8s-nodeport', () => {
  it('is off by default', () => {
    expect(rule.meta.defaultSeverity).toBe('off');
    expect(enabled(fixture('hit'))).toEqual([]);
  });

  it('reports host ports in 30000-32767 once enabled', () => {
    const f = enabled(fixture('hit'), 'info');
    expect(f.map((x) => [x.loc.line, x.loc.column, x.service, x.severity])).toEqual([
      [6, 9, 'web', 'info'],
      [10, 9, 'metrics', 'info'],
    ]);
    expect(f[0].message).toBe(
      'host port 30080 is inside the Kubernetes NodePort range (30000-32767), so a NodePort Service on a Kubernetes node can take it; choose a host port outside that range',
    );
    expect(f[0].binding).toEqual({ hostIp: '', hostPort: '30080', containerPort: 80, protocol: 'tcp', count: 1 });
    expect(f[1].message).toContain('host ports 32700-32767 of 32700-32800 are inside');
    expect(f[1].message).toContain('can take them;');
  });

  it('does not report 29999 or 32768', () => {
    expect(enabled(fixture('miss'), 'warning')).toEqual([]);
  });

  it('30000 and 32767 are the bounds', () => {
    const f = enabled(loadCompose('services:\n  a:\n    image: x\n    ports: ["30000:1", "32767:2", "32768:3"]\n'), 'info');
    expect(f.map((x) => x.binding?.hostPort)).toEqual(['30000', '32767']);
  });
});
