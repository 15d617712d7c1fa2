import type { Rule } from '../../src/engine/rule';
import exposedOnSeveralEngines from './exposed-on-several-engines';
import inconsistentPublish from './inconsistent-publish';

/** The fleet rules (facts across the engines of one audit), in catalogue order. */
export const fleetRules: Rule<never>[] = [exposedOnSeveralEngines, inconsistentPublish];
