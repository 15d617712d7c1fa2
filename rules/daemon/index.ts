import type { Rule } from '../../src/engine/rule';
import loopbackLeakEngine from './loopback-leak-engine';

/** The daemon rules (live audit), in catalogue order. */
export const daemonRules: Rule<never>[] = [loopbackLeakEngine];
