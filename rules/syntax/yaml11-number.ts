import { defineRule, type RuleFinding } from '../../src/engine/rule';
import { yaml11Reading } from '../../src/model/yaml-scalar';
import type { PortItem } from '../../src/model/types';
import { writtenItems } from './items';
import { quoteChooser, quoteNumberFix } from '../../src/fix/port-fixes';

const YAML11 = 'YAML 1.1 tools (docker-compose v1, PyYAML)';
const YAML12 = 'YAML 1.2 tools';

/**
 * The integer a YAML 1.1 parser (PyYAML's resolver and constructor) reads an unquoted scalar as,
 * or undefined when it reads a string: binary 0b, leading-zero octal, decimal, hex 0x and base 60,
 * with underscores anywhere after the first digit.
 */
export function yaml11Int(raw: string): number | undefined {
  if (/^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$/.test(raw)) return yaml11Reading(raw);
  if (!/^[-+]?(?:0b[0-1_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+)$/.test(raw)) return undefined;
  let v = raw.replace(/_/g, '');
  const sign = v.startsWith('-') ? -1 : 1;
  if (v[0] === '-' || v[0] === '+') v = v.slice(1);
  if (v === '0') return 0;
  if (v.startsWith('0b')) return sign * parseInt(v.slice(2), 2);
  if (v.startsWith('0x')) return sign * parseInt(v.slice(2), 16);
  if (v.startsWith('0')) return sign * parseInt(v, 8);
  return sign * parseInt(v, 10);
}

/** The integer a YAML 1.2 core-schema parser reads an unquoted scalar as, or undefined for a string. */
export function yaml12Int(raw: string): number | undefined {
  if (/^[-+]?[0-9]+$/.test(raw)) return parseInt(raw, 10);
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.slice(2), 16);
  return undefined;
}

function reading(v: number | undefined, raw: string): string {
  return v === undefined ? `the string "${raw}", which is not a port` : `${v}`;
}

/**
 * The message for an item whose readings differ, or undefined when every parser agrees. `reader`
 * is the Docker tool that reads the file (the docker CLI's yaml.v3 types scalars as go-yaml does).
 */
export function yaml11Message(item: PortItem, reader = 'Compose v2'): string | undefined {
  if (item.syntax !== 'short' || item.scalarStyle !== 'plain') return undefined;
  const raw = item.raw;
  if (item.plainType === 'str') {
    const base60 = yaml11Reading(raw);
    if (base60 === undefined) return undefined;
    const effect = base60 <= 65535 ? `publish container port ${base60} on a random host port` : 'reject it as a port';
    return `unquoted ${raw} is the base-60 number ${base60} to ${YAML11}, which ${effect}, while ${reader} reads the string "${raw}"; quote it: "${raw}"`;
  }
  if (item.plainType !== 'int') return undefined;
  const compose = Number(item.spec);
  const y11 = yaml11Int(raw);
  const y12 = yaml12Int(raw);
  if (y11 === compose && y12 === compose) return undefined;
  const octal = /^[-+]?0[0-9_]*[0-9]$/.test(raw) ? ' (octal)' : '';
  const parts = [y11 === compose ? `${reader} and ${YAML11} read container port ${compose}${octal}` : `${reader} reads container port ${compose}${octal}`];
  if (y11 !== compose) parts.push(`${YAML11} read ${reading(y11, raw)}`);
  if (y12 !== compose) parts.push(`${YAML12} read ${reading(y12, raw)}`);
  const publisher = reader === 'Compose v2' ? 'Compose' : 'Swarm';
  const alternative = y12 !== undefined && y12 !== compose ? ` (what ${publisher} publishes now) or "${y12}"` : '';
  return `unquoted ${raw} means different things to different YAML parsers: ${parts.join(', ')}; quote the port you mean: "${compose}"${alternative}`;
}

export default defineRule<Record<string, never>>({
  meta: {
    id: 'syntax/yaml11-number',
    description: 'An unquoted port that YAML 1.1 or YAML 1.2 tools read as a different number (22:22, 0120).',
    defaultSeverity: 'warning',
    fixable: true,
    docs: 'docs/rules/syntax/yaml11-number.md',
  },
  check({ projects }) {
    const findings: RuleFinding[] = [];
    const quote = quoteChooser(projects);
    for (const { project, item, service, binding } of writtenItems(projects)) {
      const message = yaml11Message(item, project.stack ? 'docker stack deploy' : undefined);
      if (!message) continue;
      // --fix quotes the scalar, keeping what Compose v2 reads now (0120 → "80", 22:22 → "22:22").
      const fix = quoteNumberFix(item, quote(item.loc.file));
      findings.push({ project, service, loc: item.loc, message, binding, ...(fix && { fix }) });
    }
    return findings;
  },
});
