/**
 * Hover on a port entry: what Docker will do with it. The bindings and the sockets the Engine
 * opens for them, where each variable of the entry got its value, and what it collides with.
 */
import { basename, dirname } from 'node:path';
import type { Hover } from 'vscode-languageserver';
import type { Binding, PortItem, Project, SourceLocation } from '../model/types';
import { formatListener } from '../model/listeners';
import { displayPath } from '../report/paths';
import { entryAt, holds } from './actions';
import { rangeOf } from './diagnostics';
import type { DocumentLint } from './workspace';

export function hoverAt(lint: DocumentLint, offset: number, env: Record<string, string | undefined>): Hover | undefined {
  const item = entryAt(lint, offset);
  if (!item) return undefined;
  const project = lint.projects.find((p) => p.services.some((s) => s.ports.includes(item)))!;
  const service = project.services.find((s) => s.ports.includes(item))!;
  const here = dirname(lint.file);
  const where = (loc: SourceLocation) => `${loc.file === lint.file ? basename(loc.file) : displayPath(loc.file, here, 'relative')}:${loc.line}`;
  const lines = [`**${item.syntax === 'short' ? `\`${item.spec}\`` : 'port entry'}**: service \`${service.name}\` of project \`${project.name}\``, ''];

  const bindings = project.bindings.filter((b) => b.item === item);
  if (bindings.length) {
    lines.push('Docker Engine opens:');
    for (const b of bindings) lines.push(`- ${b.listeners.map((l) => `\`${formatListener(l)}\``).join(', ') || '`*` (a port the Engine picks)'} → container ${containerPorts(b)}${b.listeners.some((l) => l.picksOne) ? ' (the Engine picks one port of the range)' : ''}`);
  } else {
    lines.push(`Publishes nothing: ${whyNothing(service, project)}.`);
  }

  if (item.variables.length) {
    lines.push('', 'Values:');
    for (const name of item.variables) lines.push(`- \`${name}\`: ${variableSource(name, item, project, env, here)}`);
  }

  const collisions = collisionsOf(lint, item);
  if (collisions.length) {
    lines.push('', 'Collides with:');
    for (const c of collisions) lines.push(`- ${c.service ? `service \`${c.service}\` ` : ''}at ${where(c.loc)} (${c.ruleId})`);
  }
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range: rangeOf(item.loc) };
}

function containerPorts(b: Binding): string {
  const last = b.containerPort + b.count - 1;
  return `${b.count > 1 ? `${b.containerPort}-${last}` : b.containerPort}/${b.protocol}`;
}

function whyNothing(service: Project['services'][number], project: Project): string {
  if (!service.enabled) return `the service's profiles (${service.profiles.join(', ')}) are not active${project.activeProfiles.length ? ` (active: ${project.activeProfiles.join(', ')})` : ''}`;
  const mode = service.networkMode?.value;
  if (mode) return `network_mode ${mode} (the container uses ${mode === 'host' ? "the host's" : 'another'} network stack, so ports are not published)`;
  if (service.replicas?.value === 0) return 'the service is scaled to 0';
  return 'the entry is not valid (see the problem reported on it)';
}

function variableSource(name: string, item: PortItem, project: Project, env: Record<string, string | undefined>, here: string): string {
  if (env[name] !== undefined) return `\`${env[name]}\` from the environment`;
  const origin = project.variableOrigins?.get(name);
  if (origin) return `from ${displayPath(origin.file, here, 'relative')}:${origin.line}`;
  if (item.unsetVariables.includes(name)) return 'not set anywhere: it becomes an empty string (docker compose warns)';
  return 'not set: the default written in the entry applies';
}

/** The other side of every collision finding that involves this entry. */
function collisionsOf(lint: DocumentLint, item: PortItem): Array<{ ruleId: string; service?: string; loc: SourceLocation }> {
  const inside = (loc: SourceLocation) => holds(item, loc.file, loc.offset);
  const owner = (loc: SourceLocation) => lint.projects.flatMap((p) => p.services).find((s) => s.ports.some((i) => holds(i, loc.file, loc.offset)))?.name;
  const out: Array<{ ruleId: string; service?: string; loc: SourceLocation }> = [];
  for (const f of lint.findings) {
    if (!f.ruleId.startsWith('collision/')) continue;
    if (inside(f.loc)) for (const r of f.related ?? []) out.push({ ruleId: f.ruleId, service: owner(r.loc), loc: r.loc });
    else if (f.related?.some((r) => inside(r.loc))) out.push({ ruleId: f.ruleId, service: f.service, loc: f.loc });
  }
  return out;
}
