import type { Rule } from '../../src/engine/rule';

/** The netmode rules, in catalogue order. */
export const netmodeRules: Rule<never>[] = [];
