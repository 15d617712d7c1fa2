import type { Rule } from '../../src/engine/rule';
import host from './host';
import portsDiscarded from './ports-discarded';
import portsWithSharedNetns from './ports-with-shared-netns';

/** The netmode rules, in catalogue order. */
export const netmodeRules: Rule<never>[] = [host, portsDiscarded, portsWithSharedNetns];
