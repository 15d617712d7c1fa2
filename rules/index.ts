/** The rule catalogue, in the order `portlint rules` lists it. */
import type { Rule } from '../src/engine/rule';
import { exposureRules } from './exposure';
import { netmodeRules } from './netmode';
import { collisionRules } from './collision';
import { rangeRules } from './range';
import { syntaxRules } from './syntax';
import { daemonRules } from './daemon';
import { auditRules } from './audit';
import { fleetRules } from './fleet';
import { swarmRules } from './swarm';

export const catalogue: readonly Rule<never>[] = [...exposureRules, ...netmodeRules, ...collisionRules, ...rangeRules, ...syntaxRules, ...daemonRules, ...auditRules, ...swarmRules, ...fleetRules];

export function findRule(id: string): Rule<never> | undefined {
  return catalogue.find((r) => r.meta.id === id);
}
