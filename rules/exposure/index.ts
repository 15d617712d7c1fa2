import type { Rule } from '../../src/engine/rule';

/** The exposure rules, in catalogue order. */
export const exposureRules: Rule<never>[] = [];
