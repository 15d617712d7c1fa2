import type { Rule } from '../../src/engine/rule';

/** The range rules, in catalogue order. */
export const rangeRules: Rule<never>[] = [];
