/**
 * SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).
 * Pure: the rule catalogue with its documentation pages comes in through the context.
 */
import { pathToFileURL } from 'node:url';
import type { Finding } from '../engine/run';
import type { Severity } from '../engine/rule';
import { unreadEngines, type Report } from './format';
import { ciMessage, engineErrorText, fingerprints, FINGERPRINT_KEY, hasFile, isRepoRelative, repoPath, ruleCategory, type CiContext } from './ci';

/** The project's home; rule pages are linked under it. */
export const REPOSITORY_URL = 'https://github.com/portlint/portlint';
/** Base of the links to rule documentation pages (a page's repository path is appended). */
export const DOCS_BASE_URL = `${REPOSITORY_URL}/blob/main/`;

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

/** A rule as SARIF describes it: catalogue metadata plus its documentation page. */
export interface RuleInfo {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** Repository-relative path of the documentation page. */
  docs: string;
  /** The page's Markdown, when it could be read. */
  markdown?: string;
}

export interface SarifContext extends CiContext {
  toolVersion: string;
  rules: readonly RuleInfo[];
}

type Level = 'error' | 'warning' | 'note' | 'none';

export function sarifLevel(severity: Severity): Level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : severity === 'info' ? 'note' : 'none';
}

/** `exposure/unbound-publish` → `ExposureUnboundPublish`. */
export function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** An artifact location: `%SRCROOT%`-relative inside the root, an absolute file URI outside it. */
function artifactLocation(file: string, root: string): { uri: string; uriBaseId?: string } {
  if (isRepoRelative(file, root)) {
    return { uri: repoPath(file, root).split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(file).href };
}

function region(loc: { line: number; column: number; endLine: number; endColumn: number }) {
  const startLine = Math.max(1, loc.line || 1);
  const startColumn = Math.max(1, loc.column || 1);
  const endLine = Math.max(startLine, loc.endLine || startLine);
  let endColumn = Math.max(1, loc.endColumn || startColumn);
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  return { startLine, startColumn, endLine, endColumn };
}

/** First paragraph of the page's "What it reports" section, Markdown kept. */
function firstParagraph(markdown: string | undefined): string | undefined {
  if (!markdown) return undefined;
  const lines = markdown.split(/\r?\n/);
  let i = lines.findIndex((l) => /^##\s+What it reports/i.test(l));
  if (i < 0) i = lines.findIndex((l) => /^#\s/.test(l));
  if (i < 0) return undefined;
  // The paragraph, and the list right after it when the paragraph ends with a colon.
  const para: string[] = [];
  let list = false;
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j];
    if (/^#/.test(l) || /^```/.test(l)) break;
    if (l.trim() === '') {
      if (!para.length) continue;
      if (!list && para[para.length - 1].endsWith(':') && /^\s*[-*] /.test(lines[j + 1] ?? '')) {
        list = true;
        continue;
      }
      break;
    }
    if (list && /^\s*[-*] /.test(l)) para.push(`\n${l.trim()}`);
    else para.push((para.length ? ' ' : '') + l.trim());
  }
  return para.length ? para.join('') : undefined;
}

/** A readable plain-text rendering of a Markdown page (for consumers that do not render Markdown). */
export function markdownToText(markdown: string): string {
  return markdown
    .split(/\r?\n/)
    .filter((l) => !/^```/.test(l))
    .map((l) =>
      l
        .replace(/^#{1,6}\s+/, '')
        .replace(/\*\*([^*]+)\*\*/g, '$1')
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
        .replace(/`([^`]+)`/g, '$1'),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function stripInlineMarkdown(text: string): string {
  return text.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1').replace(/`([^`]+)`/g, '$1');
}

function ruleDescriptor(rule: RuleInfo) {
  const helpUri = DOCS_BASE_URL + rule.docs;
  const full = firstParagraph(rule.markdown);
  const category = ruleCategory(rule.id);
  const level = sarifLevel(rule.defaultSeverity);
  const tags = [category === 'Security' ? 'security' : category === 'Compatibility' ? 'portability' : 'correctness', rule.id.split('/')[0]];
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: full ? { text: stripInlineMarkdown(full), markdown: full } : { text: rule.description },
    help: rule.markdown
      ? { text: markdownToText(rule.markdown), markdown: rule.markdown }
      : { text: `${rule.description} See ${helpUri}`, markdown: `${rule.description} [Documentation](${helpUri})` },
    helpUri,
    defaultConfiguration: rule.defaultSeverity === 'off' ? { enabled: false, level: 'note' as Level } : { level },
    properties: {
      tags,
      ...(category === 'Security' ? { 'security-severity': securitySeverity(rule.defaultSeverity) } : {}),
    },
  };
}

/** GitHub's security-severity score: error high, warning medium, info low. */
function securitySeverity(severity: Severity): string {
  return severity === 'error' ? '8.0' : severity === 'warning' ? '5.0' : '2.0';
}

export function formatSarif(r: Report, ctx: SarifContext): string {
  const rules = ctx.rules.map(ruleDescriptor);
  const index = new Map<string, number>();
  rules.forEach((d, i) => index.set(d.id, i));
  // A finding of a rule the catalogue does not list still gets a descriptor, so every ruleIndex is valid.
  for (const f of r.findings) {
    if (!index.has(f.ruleId)) {
      index.set(f.ruleId, rules.length);
      rules.push(ruleDescriptor({ id: f.ruleId, description: f.ruleId, defaultSeverity: f.severity, docs: 'README.md' }));
    }
  }

  const prints = fingerprints(r.findings, ctx.root);
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  r.findings.forEach((f, i) => {
    if (!hasFile(f)) {
      // GitHub rejects a result without a physical location, so a finding about a running
      // container (no file) is reported as a notification of the run instead.
      notifications.push({
        level: sarifLevel(f.severity),
        message: { text: ciMessage(f) },
        associatedRule: { id: f.ruleId, index: index.get(f.ruleId)! },
        properties: findingProperties(f),
      });
      return;
    }
    const related = (f.related ?? []).filter((x) => x.loc.file);
    results.push({
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: sarifLevel(f.severity),
      message: { text: ciMessage(f) },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.loc.file, ctx.root), region: region(f.loc) } }],
      ...(related.length
        ? {
            relatedLocations: related.map((x, id) => ({
              id,
              physicalLocation: { artifactLocation: artifactLocation(x.loc.file, ctx.root), region: region(x.loc) },
              message: { text: x.message },
            })),
          }
        : {}),
      partialFingerprints: { [FINGERPRINT_KEY]: prints[i] },
      properties: findingProperties(f),
    });
  });

  for (const e of r.errors) {
    const location = e.file
      ? {
          physicalLocation: {
            artifactLocation: artifactLocation(e.file, ctx.root),
            ...(e.line > 0 ? { region: { startLine: e.line, startColumn: Math.max(1, e.column || 1) } } : {}),
          },
        }
      : undefined;
    notifications.push({
      level: 'error',
      message: { text: e.message },
      descriptor: { id: 'load-error' },
      ...(location ? { locations: [location] } : {}),
    });
  }

  for (const e of unreadEngines(r)) notifications.push({ level: 'error', message: { text: engineErrorText(e) }, descriptor: { id: 'engine-error' } });

  const log = {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'portlint',
            version: ctx.toolVersion,
            semanticVersion: ctx.toolVersion,
            informationUri: REPOSITORY_URL,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: r.errors.length === 0 && !unreadEngines(r).length,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(ctx.root) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function findingProperties(f: Finding) {
  return {
    project: f.project,
    ...(f.engine ? { engine: f.engine } : {}),
    ...(f.container ? { container: f.container } : {}),
    ...(f.service !== undefined ? { service: f.service } : {}),
    ...(f.binding ? { binding: f.binding } : {}),
    // The other rules' findings this one speaks for on the same entry (src/engine/voice.ts).
    ...(f.also ? { also: f.also } : {}),
  };
}
