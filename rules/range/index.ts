import type { Rule } from '../../src/engine/rule';
import privilegedHostPort from './privileged-host-port';
import ephemeral from './ephemeral';
import macosReserved from './macos-reserved';
import hostService from './host-service';
import k8sNodeport from './k8s-nodeport';

/** The range rules, in catalogue order (on one entry, the most specific speaks first: src/engine/voice.ts). */
export const rangeRules: Rule<never>[] = [
  hostService,
  macosReserved,
  privilegedHostPort,
  ephemeral,
  k8sNodeport,
];
