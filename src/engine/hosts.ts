/**
 * Which projects of a run share a host. collision/cross-project compares the projects of each
 * group and the report counts them from the same groups, so the two never disagree.
 */
import type { Project } from '../model/types';
import { deploymentOf } from './rule';

/** The host `--same-host` and `sameHost: true` put every project on, and the one of configured projects without `host`. */
export const ONE_HOST = 'one host';

/**
 * The Compose projects that share a host, one list per host in order of first appearance,
 * each in load order; only groups with at least two project names (projects with one name
 * are alternatives of one project, never up together). Projects with no host are in none.
 */
export function sameHostGroups(projects: readonly Project[]): Project[][] {
  const byHost = new Map<string, Project[]>();
  for (const p of projects) {
    if (p.host === undefined || deploymentOf(p) !== 'compose') continue;
    const group = byHost.get(p.host);
    if (group) group.push(p);
    else byHost.set(p.host, [p]);
  }
  return [...byHost.values()].filter((g) => g.some((p) => p.name !== g[0].name));
}

/** What the report says about comparing projects: Compose projects checked, and how many of them are in a same-host group. */
export function projectCounts(projects: readonly Project[]): { checked: number; compared: number } {
  const checked = projects.filter((p) => deploymentOf(p) === 'compose').length;
  return { checked, compared: sameHostGroups(projects).reduce((n, g) => n + g.length, 0) };
}
