import type { Rule } from '../../src/engine/rule';
import drift from './drift';

/** The audit rules (live audit), in catalogue order. */
export const auditRules: Rule<never>[] = [drift];
