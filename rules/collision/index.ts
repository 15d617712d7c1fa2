import type { Rule } from '../../src/engine/rule';
import hostPort from './host-port';
import replicasFixedPort from './replicas-fixed-port';
import overrideAppends from './override-appends';
import crossProject from './cross-project';
import live from './live';

/** The collision rules, in catalogue order. */
export const collisionRules: Rule<never>[] = [hostPort, replicasFixedPort, overrideAppends, crossProject, live];
