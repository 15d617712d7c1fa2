import type { Rule } from '../../src/engine/rule';

/** The syntax rules, in catalogue order. */
export const syntaxRules: Rule<never>[] = [];
