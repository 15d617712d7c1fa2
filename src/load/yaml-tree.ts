/**
 * Reads a YAML file into a small located tree: maps, sequences and scalars that
 * remember where they stand. Aliases are resolved and `<<` merge keys applied here,
 * so later stages see plain YAML semantics; scalar typing is left to the caller,
 * because Compose types plain scalars the way go-yaml does, not the way YAML 1.2 does.
 */
import type * as YamlLibrary from 'yaml';
import type { Node as YamlNode, Document, LineCounter, ParsedNode, Scalar } from 'yaml';
import type { SourceLocation } from '../model/types';
import { dropShadowed, mergeInto, readYamlFast } from './yaml-fast';

export interface SourceFile {
  path: string;
  text: string;
  lines: LineCounter;
}

/** `!reset` and `!override` are the only tags Compose gives meaning to. */
export type ComposeTag = '!reset' | '!override';

interface NodeBase {
  file: SourceFile;
  start: number;
  end: number;
  tag?: ComposeTag;
}

export interface YScalar extends NodeBase {
  kind: 'scalar';
  /** The scalar's string content (quotes removed, escapes applied). */
  text: string;
  /** Plain scalars are typed by the reader (go-yaml rules); quoted and block scalars are strings. */
  style: 'plain' | 'quoted' | 'block';
}

export interface YEntry {
  key: string;
  keyNode: YScalar;
  value: YNode;
}

export interface YMap extends NodeBase {
  kind: 'map';
  entries: YEntry[];
}

export interface YSeq extends NodeBase {
  kind: 'seq';
  items: YNode[];
}

export type YNode = YScalar | YMap | YSeq;

export interface YamlReadError {
  line: number;
  column: number;
  message: string;
}

export interface YamlReadResult {
  file: SourceFile;
  /** One root per non-empty document. */
  documents: YNode[];
  errors: YamlReadError[];
}

export function locate(file: SourceFile, start: number, end: number): SourceLocation {
  const a = file.lines.linePos(start);
  const b = file.lines.linePos(end);
  return { file: file.path, line: a.line, column: a.col, endLine: b.line, endColumn: b.col, offset: start, endOffset: end };
}

export function locOf(node: YNode | YEntry): SourceLocation {
  const n = 'kind' in node ? node : node.keyNode;
  return locate(n.file, n.start, n.end);
}

export function get(map: YNode | undefined, key: string): YNode | undefined {
  if (!map || map.kind !== 'map') return undefined;
  // Later entries win: merge keys were expanded in front of the local entries.
  for (let i = map.entries.length - 1; i >= 0; i--) if (map.entries[i].key === key) return map.entries[i].value;
  return undefined;
}

export function getEntry(map: YNode | undefined, key: string): YEntry | undefined {
  if (!map || map.kind !== 'map') return undefined;
  for (let i = map.entries.length - 1; i >= 0; i--) if (map.entries[i].key === key) return map.entries[i];
  return undefined;
}

export function describeKind(node: YNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  // A binary file reads as one scalar of thousands of characters: its start is enough to recognize it.
  return `the scalar ${JSON.stringify(node.text.length > 60 ? `${node.text.slice(0, 60)}…` : node.text)}`;
}

const composeTags = ['!reset', '!override'].flatMap((tag) =>
  (['map', 'seq', undefined] as const).map((collection) => ({
    tag,
    collection,
    resolve: (value: unknown) => value,
  })),
) as never[];

function firstLine(message: string): string {
  const nl = message.indexOf(':\n');
  const text = nl >= 0 ? message.slice(0, nl) : message.split('\n')[0];
  return text.replace(/ at line \d+, column \d+$/, '');
}

/** The `yaml` library, required on first use: a run whose files all take the fast reader never loads it. */
let { Parser, Composer, isAlias, isMap, isScalar, isSeq, visit } = {} as typeof YamlLibrary;
let YamlLineCounter: typeof YamlLibrary.LineCounter;
function loadYamlLibrary(): void {
  if (Parser) return;
  const lib = require('yaml') as typeof YamlLibrary;
  ({ Parser, Composer, isAlias, isMap, isScalar, isSeq, visit } = lib);
  YamlLineCounter = lib.LineCounter;
}

/**
 * Parses every document of a file. Errors carry line and column; they never throw.
 * Plain block YAML goes through the fast reader (yaml-fast.ts), which builds the same tree;
 * everything else, and every file with an error, through the `yaml` library.
 */
export function readYaml(path: string, text: string): YamlReadResult {
  return readYamlFast(path, text) ?? readYamlFull(path, text);
}

/** The reference reader: the `yaml` library's parser and composer, then the converter below. */
export function readYamlFull(path: string, text: string): YamlReadResult {
  loadYamlLibrary();
  const lines = new YamlLineCounter();
  const file: SourceFile = { path, text, lines };
  const errors: YamlReadError[] = [];
  const documents: YNode[] = [];
  const parser = new Parser(lines.addNewLine);
  // Duplicate keys, in the order the composer finds them, to word the error as Compose does.
  const duplicates: Array<{ key: string; first: number }> = [];
  const uniqueKeys = (a: unknown, b: unknown) => {
    const same = a === b || (isScalar(a) && isScalar(b) && a.value === b.value);
    if (same && isScalar(a)) duplicates.push({ key: String(a.value), first: a.range?.[0] ?? 0 });
    return same;
  };
  const composer = new Composer({ schema: 'failsafe', customTags: composeTags, uniqueKeys, prettyErrors: false });
  const docs: Document.Parsed[] = [];
  for (const doc of composer.compose(parser.parse(text), true, text.length)) docs.push(doc);
  for (const doc of docs) {
    for (const e of doc.errors) {
      const p = lines.linePos(e.pos[0]);
      const dup = e.code === 'DUPLICATE_KEY' ? duplicates.shift() : undefined;
      const message = dup ? `mapping key ${JSON.stringify(dup.key)} already defined at line ${lines.linePos(dup.first).line}` : firstLine(e.message);
      errors.push({ line: p.line, column: p.col, message });
    }
  }
  if (errors.length) return { file, documents, errors };
  const converter = new Converter(file, errors);
  for (const doc of docs) {
    if (doc.contents == null || (isScalar(doc.contents) && (doc.contents.value == null || (doc.contents.value === '' && doc.contents.type === 'PLAIN')))) continue;
    const root = converter.convert(doc.contents as ParsedNode, doc);
    if (root) documents.push(root);
  }
  return { file, documents, errors };
}

class Converter {
  private readonly memo = new Map<YamlNode, YNode | null>();
  private aliasDoc: Document.Parsed | undefined;
  private aliasTargets = new Map<YamlNode, YamlNode | undefined>();
  constructor(private readonly file: SourceFile, private readonly errors: YamlReadError[]) {}

  /**
   * What `alias.resolve(doc)` returns (the last node before the alias, in document order, that
   * carries its anchor), for every alias of the document in one walk: resolve() walks the whole
   * document for each alias, which is quadratic in files that use an anchor many times.
   */
  private aliasTarget(alias: YamlNode & { source: string }, doc: Document.Parsed): YamlNode | undefined {
    if (this.aliasDoc !== doc) {
      this.aliasDoc = doc;
      const targets = new Map<YamlNode, YamlNode | undefined>();
      const latest = new Map<string, YamlNode>();
      visit(doc, {
        Node: (_key, node) => {
          if (isAlias(node)) targets.set(node, latest.get(node.source));
          else if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) latest.set(node.anchor, node);
        },
      });
      this.aliasTargets = targets;
    }
    return this.aliasTargets.get(alias);
  }

  private fail(offset: number, message: string): null {
    const p = this.file.lines.linePos(offset);
    this.errors.push({ line: p.line, column: p.col, message });
    return null;
  }

  convert(node: YamlNode | null | undefined, doc: Document.Parsed): YNode | null {
    if (node == null) return null;
    if (isAlias(node)) {
      const target = this.aliasTarget(node, doc);
      if (!target) return this.fail(node.range?.[0] ?? 0, `unknown anchor ${node.source}`);
      if (this.memo.has(target)) {
        const done = this.memo.get(target);
        if (done === undefined || done === null) return this.fail(node.range?.[0] ?? 0, `anchor ${node.source} refers to itself`);
        return done;
      }
      return this.convert(target, doc);
    }
    const cached = this.memo.get(node);
    if (cached) return cached;
    const range = node.range ?? [0, 0, 0];
    const tag = node.tag === '!reset' || node.tag === '!override' ? (node.tag as ComposeTag) : undefined;
    // A block collection's range runs past its trailing line break; locations end at the last character.
    let end = range[1];
    while (end > range[0] && isSpace(this.file.text.charCodeAt(end - 1))) end--;
    const base = { file: this.file, start: range[0], end, tag };
    if (isScalar(node)) {
      const t = (node as Scalar).type;
      const style = t === 'PLAIN' ? 'plain' : t === 'BLOCK_FOLDED' || t === 'BLOCK_LITERAL' ? 'block' : 'quoted';
      const value = node.value;
      const out: YScalar = { ...base, kind: 'scalar', text: value == null ? '' : String(value), style };
      this.memo.set(node, out);
      return out;
    }
    if (isSeq(node)) {
      this.memo.set(node, null);
      const out: YSeq = { ...base, kind: 'seq', items: [] };
      for (const item of node.items) {
        const converted = this.convert(item as YamlNode, doc);
        if (converted) out.items.push(converted);
        else if (item == null || (isScalar(item) && item.value == null)) out.items.push(this.emptyScalar(range[1]));
      }
      this.memo.set(node, out);
      return out;
    }
    if (isMap(node)) {
      this.memo.set(node, null);
      const merged: YEntry[] = [];
      const local: YEntry[] = [];
      for (const pair of node.items) {
        const keyNode = this.convert(pair.key as YamlNode, doc);
        if (!keyNode || keyNode.kind !== 'scalar') {
          this.fail((pair.key as YamlNode | null)?.range?.[0] ?? range[0], 'mapping keys must be scalars');
          continue;
        }
        const valueNode = pair.value == null ? this.emptyScalar(keyNode.end) : this.convert(pair.value as YamlNode, doc) ?? this.emptyScalar(keyNode.end);
        if (keyNode.style === 'plain' && keyNode.text === '<<') {
          mergeInto(merged, valueNode, (source) => this.fail(source.start, 'a merge key (<<) needs a mapping or a list of mappings'));
          continue;
        }
        local.push({ key: keyNode.text, keyNode, value: valueNode });
      }
      const out: YMap = { ...base, kind: 'map', entries: merged.length ? dropShadowed(merged, local) : local };
      this.memo.set(node, out);
      return out;
    }
    return null;
  }

  private emptyScalar(at: number): YScalar {
    return { file: this.file, start: at, end: at, kind: 'scalar', text: '', style: 'plain' };
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}
