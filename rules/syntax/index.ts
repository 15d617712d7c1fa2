import type { Rule } from '../../src/engine/rule';
import invalidPort from './invalid-port';
import hostIpNotIp from './host-ip-not-ip';
import yaml11Number from './yaml11-number';
import unresolvedVariable from './unresolved-variable';
import invalidCompose from './invalid-compose';
import composeVersion from './compose-version';

/** The syntax rules, in catalogue order. */
export const syntaxRules: Rule<never>[] = [invalidPort, hostIpNotIp, yaml11Number, unresolvedVariable, invalidCompose, composeVersion];
