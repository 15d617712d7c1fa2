/**
 * The same service on several engines: what the fleet rules compare. A compose container is its
 * project and service (replicas and hosts alike); any other container is its name. Swarm task
 * containers are left to the swarm rules, which judge their service once for the cluster.
 */
import type { LiveContainer, LiveInput } from '../../src/live/types';
import type { Binding, Project } from '../../src/model/types';
import { joinAnd } from '../../src/engine/words';

export const SWARM_TASK_LABEL = 'com.docker.swarm.task.id';

export interface Member {
  engine: LiveInput;
  container: LiveContainer;
  project: Project;
}

export interface FleetService {
  /** "service db of project shop", "container redis". */
  text: string;
  /** Running members, by engine in the order the engines were asked for. */
  byEngine: Map<LiveInput, Member[]>;
}

function identity(c: LiveContainer): { key: string; text: string } | undefined {
  if (c.labels[SWARM_TASK_LABEL] !== undefined) return undefined;
  if (c.compose && !c.compose.oneoff) return { key: `compose\0${c.compose.project}\0${c.compose.service}`, text: `service ${c.compose.service} of project ${c.compose.project}` };
  return { key: `container\0${c.ref.name}`, text: `container ${c.ref.name}` };
}

/** The running services of every engine, keyed by identity; only those found on two engines or more. */
export function servicesOnSeveralEngines(fleet: readonly LiveInput[] | undefined): FleetService[] {
  if (!fleet || fleet.length < 2) return [];
  const services = new Map<string, FleetService>();
  for (const engine of fleet) {
    engine.containers.forEach((container, i) => {
      const id = identity(container);
      if (!id || container.ref.state !== 'running') return;
      let s = services.get(id.key);
      if (!s) services.set(id.key, (s = { text: id.text, byEngine: new Map() }));
      const list = s.byEngine.get(engine) ?? [];
      list.push({ engine, container, project: engine.projects[i] });
      s.byEngine.set(engine, list);
    });
  }
  return [...services.values()].filter((s) => s.byEngine.size > 1);
}

/** The bindings of members. */
export function memberBindings(members: readonly Member[]): Binding[] {
  return members.flatMap((m) => m.project.bindings);
}

/** "prod-1, prod-2 and staging". */
export function engineNames(engines: Iterable<LiveInput>): string {
  return joinAnd([...engines].map((e) => e.ref.name));
}
