import type { Rule } from '../../src/engine/rule';

/** The collision rules, in catalogue order. */
export const collisionRules: Rule<never>[] = [];
