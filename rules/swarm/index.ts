import type { Rule } from '../../src/engine/rule';
import sensitivePortPublic from './sensitive-port-public';
import hostIpIgnored from './host-ip-ignored';
import ingressPortConflict from './ingress-port-conflict';
import hostModeReplicas from './host-mode-replicas';

/** The swarm rules (docker stack deploy, swarm services), in catalogue order. */
export const swarmRules: Rule<never>[] = [sensitivePortPublic, hostIpIgnored, ingressPortConflict, hostModeReplicas];
