/**
 * The configuration file: found by walking up from the working directory, parsed
 * (YAML or JSON), validated against the schema composed from the rule catalogue, and
 * turned into settings with absolute paths. Every problem is reported with its place
 * in the file; nothing is cached between runs.
 */
import { InvalidText, isFile, readFailure, readTextFile } from '../util/fs';
import { dirname, join, resolve } from 'node:path';
import type * as YamlLibrary from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { ErrorObject } from 'ajv';
import { catalogue } from '../../rules';
import type { Platform, Severity } from '../engine/rule';
import type { RuleSetting } from '../engine/run';
import { compileGlob, type IgnorePattern } from './glob';
import { buildConfigSchema, SEVERITIES } from './schema';
import { composeReleaseProblem, parseComposeRelease, type ComposeRelease } from '../model/compose-releases';

/** Looked for in each directory, in this order; the nearest directory wins. */
export const CONFIG_FILE_NAMES = ['.portlintrc.yaml', '.portlintrc.yml', '.portlintrc.json', 'portlint.config.json'];

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** The configuration could not be used; each problem is located in the file. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'));
  }
}

export interface PortInterval {
  start: number;
  end: number;
}

/** An intended exposure: the service may publish these host ports. */
export interface Allowance {
  service: string;
  ports: PortInterval[];
  project?: string;
  /** Rule ids it applies to; undefined: every exposure/* rule. */
  rules?: string[];
  reason?: string;
}

export interface ConfiguredProject {
  name: string;
  /** Absolute paths, in load order. */
  files: string[];
  envFiles?: string[];
  profiles?: string[];
  projectDirectory?: string;
  /** The host it runs on; configured projects without one share one host. */
  host?: string;
}

export interface PortlintConfig {
  /** Absolute path of the file. */
  file: string;
  /** Its directory: relative paths and ignore globs start here. */
  dir: string;
  rules: Record<string, RuleSetting>;
  platform?: Platform;
  rootless?: boolean;
  /** The oldest docker compose release the files must work with (`--compose`). */
  compose?: ComposeRelease;
  /** Read files as docker stack deploy does (`--swarm`). */
  swarm?: boolean;
  reportUnusedDisable?: boolean;
  /** Every project this configuration's run checks runs on one host (`--same-host`): collision/cross-project compares them all. */
  sameHost?: boolean;
  ignore: IgnorePattern[];
  /** Compose files of other names that directory searches take too. */
  include: IgnorePattern[];
  projects?: ConfiguredProject[];
  allow: Allowance[];
}

/** The nearest configuration file, from `cwd` up to the root. */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The configuration of a run: `--config <file>` (explicit), none with `--no-config` (false),
 * else the nearest file found walking up from `cwd`.
 */
export function resolveConfig(cwd: string, config: string | false | undefined): PortlintConfig | undefined {
  if (config === false) return undefined;
  const file = config ? resolve(cwd, config) : findConfigFile(cwd);
  return file ? loadConfigFile(file) : undefined;
}

export function loadConfigFile(file: string): PortlintConfig {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (e) {
    if (e instanceof InvalidText) throw new ConfigError(file, [{ file, line: e.line, column: e.column, message: `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${e.message}` }]);
    throw new ConfigError(file, [{ file, line: 0, column: 0, message: `cannot read the configuration file: ${readFailure(e)}` }]);
  }
  return parseConfig(file, text);
}

type Segment = string | number;

// The yaml library is loaded only when there is a configuration file to read (parseConfig).
let { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = {} as typeof YamlLibrary;

/** Parses, validates and normalizes a configuration text; throws ConfigError with every problem. */
export function parseConfig(file: string, text: string): PortlintConfig {
  ({ isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = require('yaml') as typeof YamlLibrary);
  const isJson = file.endsWith('.json');
  const lines = new LineCounter();
  const at = (offset: number, message: string): ConfigProblem => {
    const p = lines.linePos(offset);
    return { file, line: p.line, column: p.col, message };
  };
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  let data: unknown;
  if (isJson) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      const pos = /position (\d+)/.exec((e as Error).message);
      const message = `not valid JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')}`;
      throw new ConfigError(file, [pos ? at(Number(pos[1]), message) : { file, line: 1, column: 1, message }]);
    }
  } else {
    if (doc.errors.length) throw new ConfigError(file, doc.errors.map((e) => at(e.pos[0], `not valid YAML: ${firstLine(e.message)}`)));
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      throw new ConfigError(file, [{ file, line: 1, column: 1, message: `not valid YAML: ${(e as Error).message}` }]);
    }
  }
  if (data === null || data === undefined) data = {};

  const locate = (path: Segment[], keyOf?: string): number => offsetOf(doc, path, keyOf);
  const problems: ConfigProblem[] = [];
  const report = (path: Segment[], message: string, keyOf?: string) => problems.push(at(locate(path, keyOf), `${label(path)}${message}`));

  // ajv is loaded only when there is a configuration to check.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv').default as typeof import('ajv').default;
  // The shipped schema, less the entries of rules this file does not list (same verdicts, a
  // fraction of the compile time); the schema itself is checked by the tests, not on every run.
  const listed = typeof data === 'object' && data && typeof (data as RawConfig).rules === 'object' ? Object.keys((data as RawConfig).rules ?? {}) : [];
  const ajv = new Ajv({ allErrors: true, verbose: true, strictTuples: false, allowUnionTypes: true, validateSchema: false });
  const validate = ajv.compile(buildConfigSchema(catalogue, new Set(listed)));
  if (!validate(data)) {
    for (const e of selectErrors(validate.errors ?? [])) {
      const path = pointer(e.instancePath);
      const described = describe(e, path);
      report(path, described.message, described.keyOf);
    }
  }
  semanticChecks(data, report);
  if (problems.length) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(file, problems);
  }
  return normalize(file, data as RawConfig);
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

// ---------------------------------------------------------------------------------------------
// Locating a JSON pointer in the YAML document

function pointer(instancePath: string): Segment[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Offset of the node at `path` (or of the key `keyOf` inside it); the deepest existing node when the path stops early. */
function offsetOf(doc: Document, path: Segment[], keyOf?: string): number {
  let node: unknown = doc.contents;
  let offset = (node as YamlNode | null)?.range?.[0] ?? 0;
  const deref = (n: unknown): unknown => (isAlias(n) ? n.resolve(doc) : n);
  node = deref(node);
  const steps: Segment[] = keyOf === undefined ? path : [...path, keyOf];
  for (let i = 0; i < steps.length; i++) {
    const seg = steps[i];
    const wantKey = keyOf !== undefined && i === steps.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyNode = pair.key as YamlNode;
      if (wantKey) return keyNode.range?.[0] ?? offset;
      const value = deref(pair.value) as YamlNode | null;
      offset = value?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      node = value;
    } else if (isSeq(node)) {
      const item = deref(node.items[Number(seg)]) as YamlNode | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

// ---------------------------------------------------------------------------------------------
// Turning ajv's errors into one message per problem

/**
 * With allErrors, a failed `oneOf` reports the errors of every branch. Keep the errors of the
 * branch whose type matches the value (the form the author meant); when no branch has the
 * right type, keep only the oneOf error (described by `describe`).
 */
export function selectErrors(errors: ErrorObject[]): ErrorObject[] {
  let kept = [...errors];
  const within = (e: ErrorObject, o: ErrorObject) => e.instancePath === o.instancePath || e.instancePath.startsWith(`${o.instancePath}/`);
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const o of oneOfs) {
    if (!kept.includes(o)) continue;
    const base = `${o.schemaPath}/`;
    const branchOf = (e: ErrorObject) => (e !== o && within(e, o) && e.schemaPath.startsWith(base) ? Number(e.schemaPath.slice(base.length).split('/')[0]) : -1);
    const inBranches = kept.filter((e) => branchOf(e) >= 0);
    const branches = Array.isArray(o.schema) ? o.schema.length : 0;
    const typeFailed = new Set(
      inBranches.filter((e) => e.keyword === 'type' && e.instancePath === o.instancePath && e.schemaPath === `${base}${branchOf(e)}/type`).map(branchOf),
    );
    const candidates = [...Array(branches).keys()].filter((i) => !typeFailed.has(i));
    if (candidates.length === 1) kept = kept.filter((e) => e !== o && (branchOf(e) < 0 || branchOf(e) === candidates[0]));
    else if (candidates.length === 0) kept = kept.filter((e) => branchOf(e) < 0);
  }
  // A failed `type` makes the other keywords of that schema meaningless.
  const typeAt = new Set(kept.filter((e) => e.keyword === 'type').map((e) => `${e.instancePath}\0${e.schemaPath.replace(/\/type$/, '')}`));
  return kept.filter((e) => e.keyword === 'type' || !typeAt.has(`${e.instancePath}\0${e.schemaPath.replace(/\/[^/]+$/, '')}`));
}

const typeWords: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function typesText(types: unknown): string {
  const list = (Array.isArray(types) ? types : [types]).filter((t) => t !== 'null').map((t) => typeWords[String(t)] ?? String(t));
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : list[0];
}

/** Where a path points, as a reader of the file names it: `rules.exposure/unbound-publish[1].allowedPorts[0]`. */
function label(segs: Segment[]): string {
  if (!segs.length) return '';
  let out = '';
  for (const s of segs) out += /^\d+$/.test(String(s)) ? `[${s}]` : out ? `.${s}` : String(s);
  return `${out}: `;
}

function isRuleEntry(path: Segment[]): boolean {
  return path.length === 2 && path[0] === 'rules';
}

function isRuleOptions(path: Segment[]): boolean {
  return path.length === 3 && path[0] === 'rules' && (path[2] === '1' || path[2] === 'options');
}

function describe(e: ErrorObject, path: Segment[]): { message: string; keyOf?: string } {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String(params.additionalProperty);
      const isRules = path.length === 1 && path[0] === 'rules';
      const known = isRules ? catalogue.map((r) => r.meta.id) : Object.keys(((e.parentSchema as Record<string, unknown>)?.properties as object) ?? {});
      const near = nearest(prop, known);
      const hint = near.length ? ` (did you mean ${near.join(' or ')}?)` : '';
      if (isRules) return { message: `unknown rule "${prop}"${hint}; portlint rules lists them`, keyOf: prop };
      if (isRuleOptions(path)) {
        return { message: `unknown option "${prop}" of ${path[1]}${hint}${known.length ? `; its options are ${known.join(', ')}` : '; it takes no options'}`, keyOf: prop };
      }
      return { message: `unknown setting "${prop}"${hint}; expected one of ${known.join(', ')}`, keyOf: prop };
    }
    case 'required':
      return { message: `missing required key "${String(params.missingProperty)}"` };
    case 'type':
      return { message: `must be ${typesText(params.type)}` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      const isSeverity = JSON.stringify(params.allowedValues) === JSON.stringify(SEVERITIES);
      const near = typeof e.data === 'string' ? nearest(e.data, allowed) : [];
      const got = JSON.stringify(e.data);
      if (isSeverity) return { message: `${got} is not a severity: use ${allowed.join(', ')}` };
      return { message: `${got} is not one of ${allowed.join(', ')}${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}` };
    }
    case 'oneOf': {
      if (isRuleEntry(path)) return { message: 'must be a severity (off, info, warning, error), [severity, options] or { severity, options }' };
      const types = (e.schema as Array<Record<string, unknown>>).map((b) => b.type).filter(Boolean);
      const desc = (e.parentSchema as Record<string, unknown>)?.description;
      return { message: desc ? `must be ${lowerFirst(String(desc)).replace(/\.$/, '')}` : `must be ${typesText(types)}` };
    }
    case 'pattern': {
      if (path[0] === 'ignore' || path[0] === 'include') return { message: `negated patterns ("!…") are not supported; list only what to ${path[0] === 'ignore' ? 'skip' : 'take'}` };
      if (/0-9/.test(String(params.pattern))) return { message: `${JSON.stringify(e.data)} is not a port (0-65535) or a range "a-b"` };
      return { message: `${JSON.stringify(e.data)} does not match ${String(params.pattern)}` };
    }
    case 'minimum':
    case 'maximum':
      return { message: `${JSON.stringify(e.data)} must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}` };
    case 'minItems':
      return { message: `must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}` };
    case 'maxItems':
    case 'additionalItems':
      return { message: `must list at most ${String(params.limit)} item${params.limit === 1 ? '' : 's'}` };
    case 'minLength':
      return { message: 'must not be empty' };
    default:
      return { message: e.message ?? `fails ${e.keyword}` };
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Known names close to a misspelt one. */
export function nearest(name: string, known: readonly string[]): string[] {
  const tail = name.split('/').pop() ?? name;
  const byTail = known.filter((k) => tail.length > 2 && (k.split('/').pop() === tail || k.endsWith(`/${tail}`)));
  if (byTail.length) return byTail.slice(0, 3);
  const scored = known.map((k) => ({ k, d: distance(name.toLowerCase(), k.toLowerCase()) })).filter((x) => x.d <= Math.max(2, Math.floor(x.k.length / 4)));
  return scored.sort((a, b) => a.d - b.d).slice(0, 3).map((x) => x.k);
}

function distance(a: string, b: string): number {
  const row = [...Array(b.length + 1).keys()];
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

// ---------------------------------------------------------------------------------------------
// After the schema: checks across entries, then normalization

type RawRule = Severity | [Severity, Record<string, unknown>?] | { severity?: Severity; options?: Record<string, unknown> };

interface RawConfig {
  rules?: Record<string, RawRule> | null;
  platform?: Platform;
  rootless?: boolean;
  compose?: string;
  swarm?: boolean;
  reportUnusedDisable?: boolean;
  sameHost?: boolean;
  ignore?: string[] | null;
  include?: string[] | null;
  projects?: Array<{ name: string; files: string[]; envFiles?: string[] | null; profiles?: string[] | null; projectDirectory?: string; host?: string }> | null;
  allow?: Array<{ service: string; ports: Array<number | string>; project?: string; rules?: string[]; reason?: string }> | null;
}

function parsePort(entry: number | string): PortInterval | undefined {
  if (typeof entry === 'number') return { start: entry, end: entry };
  const [a, b = a] = entry.split('-').map(Number);
  return a <= 65535 && b <= 65535 && a <= b ? { start: a, end: b } : undefined;
}

/** Checks across entries that a schema cannot express; defensive, as it runs on invalid input too. */
function semanticChecks(data: unknown, report: (path: Segment[], message: string) => void): void {
  const raw = (typeof data === 'object' && data ? data : {}) as Record<string, unknown>;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const names = new Map<string, number>();
  list(raw.projects).forEach((p, i) => {
    const name = (p as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    const first = names.get(name);
    if (first !== undefined) report(['projects', i, 'name'], `project "${name}" is already defined by projects[${first}]`);
    else names.set(name, i);
  });
  // Port strings the schema's pattern lets through but no port list accepts: "99999", "443-80".
  const badPort = (v: unknown) => typeof v === 'string' && /^[0-9]{1,5}(-[0-9]{1,5})?$/.test(v) && !parsePort(v);
  const walk = (v: unknown, path: Segment[]) => {
    if (badPort(v)) report(path, `${JSON.stringify(v)} is not a port (0-65535) or a range "a-b" with a <= b`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (typeof v === 'object' && v) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  list(raw.allow).forEach((a, i) => walk((a as { ports?: unknown } | null)?.ports, ['allow', i, 'ports']));
  if (typeof raw.compose === 'string' && !parseComposeRelease(raw.compose)) report(['compose'], composeReleaseProblem(raw.compose));
  const rules = raw.rules;
  if (typeof rules === 'object' && rules) {
    for (const [id, v] of Object.entries(rules)) {
      if (Array.isArray(v)) walk(v[1], ['rules', id, 1]);
      else if (typeof v === 'object' && v) walk((v as { options?: unknown }).options, ['rules', id, 'options']);
    }
  }
}

function normalize(file: string, raw: RawConfig): PortlintConfig {
  const dir = dirname(file);
  const rules: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(raw.rules ?? {})) {
    if (typeof value === 'string') rules[id] = { severity: value };
    else if (Array.isArray(value)) rules[id] = { severity: value[0], ...(value[1] ? { options: value[1] } : {}) };
    else rules[id] = { ...(value.severity ? { severity: value.severity } : {}), ...(value.options ? { options: value.options } : {}) };
  }
  const abs = (p: string) => resolve(dir, p);
  return {
    file,
    dir,
    rules,
    platform: raw.platform,
    rootless: raw.rootless,
    compose: raw.compose === undefined ? undefined : parseComposeRelease(raw.compose),
    swarm: raw.swarm,
    reportUnusedDisable: raw.reportUnusedDisable,
    sameHost: raw.sameHost,
    ignore: (raw.ignore ?? []).map(compileGlob),
    include: (raw.include ?? []).map(compileGlob),
    projects: raw.projects?.length
      ? raw.projects.map((p) => ({
          name: p.name,
          files: p.files.map(abs),
          envFiles: p.envFiles?.length ? p.envFiles.map(abs) : undefined,
          profiles: p.profiles?.length ? p.profiles : undefined,
          projectDirectory: p.projectDirectory ? abs(p.projectDirectory) : undefined,
          host: p.host,
        }))
      : undefined,
    allow: (raw.allow ?? []).map((a) => ({
      service: a.service,
      ports: a.ports.map((p) => parsePort(p)!),
      project: a.project,
      rules: a.rules,
      reason: a.reason,
    })),
  };
}
