/**
 * What the CI formats (sarif, github, gitlab, junit) share: repository-relative paths,
 * the stable identity of a finding (its fingerprint) and the category of a rule.
 * Pure functions: no file system access.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import type { Finding } from '../engine/run';
import type { EngineSummary } from './format';

/** What a CI formatter needs besides the report. */
export interface CiContext {
  /** Absolute directory that paths are made relative to (the repository root, else the working directory). */
  root: string;
}

/**
 * A file as CI systems name it: relative to the repository root with forward slashes,
 * or the absolute path (forward slashes) when the file lies outside the root.
 */
export function repoPath(file: string, root: string): string {
  if (!file) return '';
  const rel = relative(root, file);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  const shown = inside ? rel : file;
  return sep === '/' ? shown : shown.split(sep).join('/');
}

/** True when the path is relative to the root (so `%SRCROOT%`-relative in SARIF). */
export function isRepoRelative(file: string, root: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * What a finding without a file is about (a running container found by a live audit):
 * the container name (not its id, which changes when the container is recreated), else the
 * service or project.
 */
export function subjectOf(f: Finding): string {
  return f.container?.name || f.swarm?.service || f.service || f.project;
}

/**
 * The finding's message as CI systems show it: with the engine it was found on (an audit can
 * read several, and the same file line can be reported from each), and what it is about: for a
 * finding in a file its service (services sharing an anchor share its lines; a swarm finding
 * names its service and stack already), else the container or service.
 */
export function ciMessage(f: Finding): string {
  const engine = f.engine ? `engine ${f.engine.name}: ` : '';
  if (!hasFile(f)) return `${engine}${subjectOf(f)}: ${f.message}`;
  return `${engine}${f.service !== undefined && !f.swarm ? `service ${f.service}: ` : ''}${f.message}`;
}

/** "engine prod (ssh://deploy@prod-1): <why>", for an engine that could not be read. */
export function engineErrorText(e: EngineSummary): string {
  return `engine ${e.name}${e.endpoint ? ` (${e.endpoint})` : ''} was not read: ${e.error}`;
}

/** True when the finding has no file to point at. */
export function hasFile(f: Pick<Finding, 'loc'>): boolean {
  return !!f.loc.file;
}

/**
 * The message with `file:line:column` references removed (collision messages point at the
 * other entry that way), so moving lines does not change a finding's identity.
 * A reference is a token ending in a file extension followed by `:<line>:<column>`; port specs
 * such as "127.0.0.1:8080:80" do not match (their last dot is followed by a digit).
 */
export function messageTemplate(message: string): string {
  return message.replace(/(\.[A-Za-z][A-Za-z0-9_-]*):\d+:\d+/g, '$1');
}

/** Version of the fingerprint scheme: bump it when the identity below changes. */
export const FINGERPRINT_KEY = 'portlint/v1';

/**
 * One fingerprint per finding, in order: sha256 (hex) of
 *   rule id, repository-relative file (or the container name for a finding without a file),
 *   the engine (audit), project, service, binding (hostIp|hostPort|containerPort|protocol) and the message with
 *   `file:line:column` references removed,
 * plus an occurrence number among findings with that same identity (in report order, which
 * is file, line, column), so identical findings stay distinct. No line or column goes in,
 * so inserting or moving lines leaves fingerprints unchanged.
 */
export function fingerprints(findings: readonly Finding[], root: string): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const b = f.binding;
    const identity = [
      f.ruleId,
      hasFile(f) ? repoPath(f.loc.file, root) : `container:${subjectOf(f)}`,
      f.engine ? `engine:${f.engine.name}` : '',
      f.project,
      f.service ?? '',
      b ? `${b.hostIp}|${b.hostPort}|${b.containerPort}|${b.protocol}` : '',
      messageTemplate(f.message),
    ].join('\u0000');
    const n = seen.get(identity) ?? 0;
    seen.set(identity, n + 1);
    return createHash('sha256').update(`${identity}\u0000${n}`).digest('hex');
  });
}

/** Fingerprint of a load error (file and message; no position). */
export function loadErrorFingerprint(file: string, message: string, root: string): string {
  return createHash('sha256').update(`load-error\u0000${repoPath(file, root)}\u0000${messageTemplate(message)}`).digest('hex');
}

export type Category = 'Security' | 'Bug Risk' | 'Compatibility';

/** Rules outside the exposure category that are about who can reach a port. */
const SECURITY_RULES: ReadonlySet<string> = new Set(['swarm/sensitive-port-public', 'swarm/host-ip-ignored', 'fleet/exposed-on-several-engines']);

/**
 * What kind of problem a rule finds (the Code Climate categories GitLab uses):
 * exposure rules, `network_mode: host` and the swarm and fleet rules about exposure are
 * Security, port ranges are Compatibility
 * (they depend on the platform or rootless mode), the rest are Bug Risk.
 */
export function ruleCategory(ruleId: string): Category {
  if (ruleId.startsWith('exposure/') || ruleId === 'netmode/host' || SECURITY_RULES.has(ruleId)) return 'Security';
  if (ruleId.startsWith('range/')) return 'Compatibility';
  return 'Bug Risk';
}

/** A location normalised for annotations: a span ending at column 1 of a later line ends on the line before. */
export function displaySpan(loc: { line: number; column: number; endLine: number; endColumn: number }): {
  line: number;
  column: number;
  endLine: number;
  /** Exclusive end column, only when the span stays on one line. */
  endColumn?: number;
} {
  const line = Math.max(1, loc.line || 1);
  const column = Math.max(1, loc.column || 1);
  let endLine = Math.max(line, loc.endLine || line);
  let endColumn: number | undefined = loc.endColumn;
  if (endLine > line && endColumn === 1) {
    endLine -= 1;
    endColumn = undefined;
  }
  if (endLine !== line) return { line, column, endLine };
  if (endColumn === undefined || !(endColumn > column)) return { line, column, endLine };
  return { line, column, endLine, endColumn };
}
