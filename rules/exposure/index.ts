import type { Rule } from '../../src/engine/rule';
import unboundPublish from './unbound-publish';
import explicitWildcard from './explicit-wildcard';
import sensitivePortPublic from './sensitive-port-public';
import publishAll from './publish-all';
import firewallBypass from './firewall-bypass';

/** The exposure rules, in catalogue order (on one entry, the most specific speaks first: src/engine/voice.ts). */
export const exposureRules: Rule<never>[] = [sensitivePortPublic, unboundPublish, explicitWildcard, publishAll, firewallBypass];
