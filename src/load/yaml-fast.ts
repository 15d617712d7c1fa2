/**
 * A fast reader for the plain block YAML that nearly every compose file is written in. It
 * builds the same located tree as the full reader in `yaml-tree.ts` (which runs the `yaml`
 * library), about ten times faster and with a fraction of the memory, and gives up on
 * anything else: `readYamlFast` returns undefined and the caller runs the full reader,
 * which stays the reference for semantics and for every error message.
 *
 * Accepted: one document (a leading `---` too) of block mappings and block sequences
 * (compact `- key: value` items too); single-line plain, single-quoted and double-quoted
 * scalars (escapes included); block scalars (`|`, `>`, with the exceptions listed at
 * `blockScalar`); single-line flow sequences of scalars and aliases, `[]` and `{}`; anchors
 * and aliases; `<<` merge keys; the `!reset` and `!override` tags; comments and blank lines.
 * Given up on: other tags, multi-line flow collections and multi-line plain or quoted
 * scalars, flow mappings with content, explicit keys, more documents, directives, tabs, CR,
 * BOM and other control characters, duplicate keys, anchors defined twice, and any line
 * whose shape is not one of the above.
 * Giving up is always safe; accepting input the library would read differently is not,
 * so test/yaml-fast.test.ts compares both readers on every fixture and on generated
 * documents, node by node, offsets included.
 *
 * Offsets follow the library exactly, including where a collection ends when comments
 * follow its last entry: the library lets such comments extend the collection (or the
 * value before them), and the rules for that are reproduced in `close`.
 */
import type { ComposeTag, SourceFile, YamlReadResult, YEntry, YMap, YNode, YScalar, YSeq } from './yaml-tree';

/** Thrown (never escapes) when the input leaves the subset. */
const GIVE_UP = Symbol('give up');

/** Characters that send a file to the full reader wherever they stand. */
const UNSUPPORTED_CHARS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

const NL = 10;
const SPACE = 32;
const HASH = 35;
const DQUOTE = 34;
const SQUOTE = 39;
const COLON = 58;
const DASH = 45;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const AMP = 38;
const BACKSLASH = 92;
const PIPE = 124;
const GT = 62;
const PLUS = 43;
const STAR = 42;
const BANG = 33;

/** Keys longer than this may hit the library's 1024-character implicit key limit. */
const MAX_KEY = 1000;

/** How the last entry of a collection ended, for `close`. */
const enum Tail {
  /** A scalar or flow collection on the entry's line: indented comments below it extend it. */
  Inline,
  /** An empty value: every comment up to the next content line belongs to it. */
  Empty,
  /** A nested block collection or a block scalar: its own tail was already resolved (tailEnd, tailRest). */
  Block,
}

interface Comment {
  indent: number;
  end: number;
}

export function readYamlFast(path: string, text: string): YamlReadResult | undefined {
  if (UNSUPPORTED_CHARS.test(text)) return undefined;
  try {
    return new FastReader(path, text).read();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

/**
 * Line starts and offset → line/column, the same as the `yaml` library's LineCounter
 * (without loading the library): 1-based lines and columns, line 0 before the first line.
 */
export class LineCounter {
  readonly lineStarts: number[] = [];
  readonly addNewLine = (offset: number): number => this.lineStarts.push(offset);
  readonly linePos = (offset: number): { line: number; col: number } => {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] < offset) low = mid + 1;
      else high = mid;
    }
    if (starts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - starts[low - 1] + 1 };
  };
}

function giveUp(): never {
  throw GIVE_UP;
}

class FastReader {
  private readonly file: SourceFile;
  private readonly n: number;
  /** Start of the current content line, or -1 at the end of the text. */
  private ls = 0;
  /** Its indentation (leading spaces). */
  private ind = 0;
  /** Its end (the newline, or the end of the text). */
  private le = 0;
  /** Start of the first blank or comment line skipped before the current content line. */
  private gapStart = 0;
  private gapHasComment = false;
  /** Comments of the current gap, computed once when collections close on it. */
  private gapCache: Comment[] | undefined;
  private gapCacheAt = -2;
  /** Set by a collection when it returns: where its node ends and which gap comments it left to its parent. */
  private tailEnd = 0;
  private tailRest = 0;
  /** Anchors defined so far (a node is registered once it is complete). */
  private readonly anchors = new Map<string, YNode>();
  /** True while the first content line may still be a `---` document start. */
  private atDocStart = true;

  constructor(path: string, private readonly text: string) {
    this.n = text.length;
    const lines = new LineCounter();
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    this.file = { path, text, lines };
  }

  read(): YamlReadResult {
    const file = this.file;
    this.seek(0);
    if (this.ls === -1) return { file, documents: [], errors: [] };
    if (this.ind !== 0) giveUp();
    let root: YNode;
    if (this.isSeqItem(this.ls)) root = this.seq(0);
    else if (this.keyEnd(this.ls) >= 0) root = this.map(0, this.ls);
    else giveUp();
    if (this.ls !== -1) giveUp();
    return { file, documents: [root], errors: [] };
  }

  // -------------------------------------------------------------------------
  // Lines
  // -------------------------------------------------------------------------

  /** Moves to the first content line at or after `from` (a line start). */
  private seek(from: number): void {
    const t = this.text;
    this.gapStart = from;
    this.gapHasComment = false;
    let p = from;
    while (p < this.n) {
      let q = p;
      while (t.charCodeAt(q) === SPACE) q++;
      const c = t.charCodeAt(q);
      let le = t.indexOf('\n', q);
      if (le === -1) le = this.n;
      if (q === le) {
        p = le + 1;
        continue;
      }
      if (c === HASH) {
        this.gapHasComment = true;
        p = le + 1;
        continue;
      }
      this.ls = p;
      this.ind = q - p;
      this.le = le;
      // Directives and document markers: not ours, except one `---` before the content.
      if (q === p && (c === 0x25 || t.startsWith('---', p) || t.startsWith('...', p))) {
        if (!this.atDocStart || c !== DASH || t.charCodeAt(p + 3) === DASH) giveUp();
        let r = p + 3;
        if (r < le && t.charCodeAt(r) !== SPACE) giveUp();
        while (t.charCodeAt(r) === SPACE) r++;
        if (r < le && t.charCodeAt(r) !== HASH) giveUp();
        this.atDocStart = false;
        p = le + 1;
        continue;
      }
      this.atDocStart = false;
      return;
    }
    this.ls = -1;
    this.ind = -1;
    this.le = this.n;
  }

  /** Moves past the current line. */
  private nextLine(): void {
    this.seek(this.le + 1);
  }

  /** The comment lines of the current gap (those before the current content line, or before the end). */
  private gap(): Comment[] {
    if (!this.gapHasComment) return [];
    if (this.gapCacheAt === this.gapStart) return this.gapCache!;
    const t = this.text;
    const out: Comment[] = [];
    const stop = this.ls === -1 ? this.n : this.ls;
    for (let p = this.gapStart; p < stop; ) {
      let q = p;
      while (t.charCodeAt(q) === SPACE) q++;
      let le = t.indexOf('\n', q);
      if (le === -1 || le > stop) le = Math.min(stop, le === -1 ? this.n : le);
      if (t.charCodeAt(q) === HASH) out.push({ indent: q - p, end: trimEnd(t, q, le) });
      p = le + 1;
    }
    this.gapCache = out;
    this.gapCacheAt = this.gapStart;
    return out;
  }

  /** True when the current line continues a collection at `indent`, false when it closes it. */
  private continues(indent: number): boolean {
    if (this.ls === -1 || this.ind < indent) return false;
    if (this.ind > indent) giveUp();
    return true;
  }

  private isSeqItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const c = this.text.charCodeAt(at + 1);
    return c === SPACE || c === NL || at + 1 >= this.n;
  }

  // -------------------------------------------------------------------------
  // Collections
  // -------------------------------------------------------------------------

  /** A block mapping whose first key starts at `at` on the current line; `col` is its column. */
  private map(col: number, at: number): YMap {
    const node: YMap = { file: this.file, start: at, end: 0, tag: undefined, kind: 'map', entries: [] };
    const entries = node.entries;
    // Every key as written, `<<` included, for the duplicate check.
    const written: string[] = [];
    let keys: Set<string> | undefined;
    let merged: YEntry[] | undefined;
    let p = at;
    for (;;) {
      const keyNode = this.key(p);
      const key = keyNode.text;
      if (written.length < 8) {
        for (let i = 0; i < written.length; i++) if (written[i] === key) giveUp();
      } else {
        if (!keys) keys = new Set(written);
        if (keys.has(key)) giveUp();
      }
      written.push(key);
      keys?.add(key);
      const value = this.value(col, keyNode.end + 1, true);
      // `<<` merge keys, as the full reader applies them: earlier sources win, local keys win over all.
      if (key === '<<' && keyNode.style === 'plain') mergeInto((merged ??= []), value, giveUp); // not a mapping: an error for the full reader
      else entries.push({ key, keyNode, value } as YEntry);
      if (!this.continues(col)) {
        if (merged?.length) node.entries = dropShadowed(merged, entries);
        this.close(node, col);
        return node;
      }
      if (this.isSeqItem(this.ls + col)) giveUp();
      p = this.ls + col;
    }
  }

  /** A block sequence whose items start at column `col`, the first on the current line. */
  private seq(col: number): YSeq {
    const node: YSeq = { file: this.file, start: this.ls + col, end: 0, tag: undefined, kind: 'seq', items: [] };
    const items = node.items;
    for (;;) {
      const dash = this.ls + col;
      const item = this.value(col, dash + 1, false);
      items.push(item);
      if (!this.continues(col) || !this.isSeqItem(this.ls + col)) {
        this.close(node, col);
        return node;
      }
    }
  }

  /**
   * The value after a `key:` or `-` indicator that ends at `after` on the current line.
   * Leaves the reader on the next content line, with `lastTail`/`lastEnd` describing how it ended.
   */
  private value(col: number, after: number, inMap: boolean): YNode {
    const t = this.text;
    let q = after;
    while (t.charCodeAt(q) === SPACE) q++;
    const c = t.charCodeAt(q);
    if (q < this.le && (c === AMP || c === BANG)) return this.withProperty(col, q, inMap);
    if (q < this.le && c === STAR) {
      const [target, end] = this.alias(q, this.le);
      this.endInline(end);
      return target;
    }
    if (q < this.le && t.charCodeAt(q) !== HASH) {
      if (q === after && inMap) giveUp(); // "key:value" is not a key
      if (c === PIPE || c === GT) return this.blockScalar(col, q);
      if (!inMap) {
        if (this.isSeqItem(q)) giveUp(); // "- - x"
        if (this.keyEnd(q) >= 0) {
          // A compact mapping: "- key: value", more keys below at the same column.
          return this.nested(this.map(q - this.ls, q));
        }
      }
      const v = this.inline(q);
      this.endInline(v.end);
      return v;
    }
    return this.blockOrEmpty(col, q, inMap);
  }

  /** Ends a value written on the current line at `end`: records how the line ended and moves to the next line. */
  private endInline(end: number): void {
    this.lastTail = Tail.Inline;
    this.lastEnd = this.afterValue(end);
    this.nextLine();
  }

  /**
   * Nothing more on the line after an entry's indicator (or property) at `empty`, past the
   * spaces that follow it: the value is a nested block on the lines below, or empty.
   */
  private blockOrEmpty(col: number, empty: number, inMap: boolean): YNode {
    const sameLine = empty < this.le ? trimEnd(this.text, empty, this.le) : -1;
    this.nextLine();
    if (this.ls !== -1) {
      if (this.ind > col) {
        const at = this.ls + this.ind;
        if (this.isSeqItem(at)) return this.nested(this.seq(this.ind));
        if (this.keyEnd(at) >= 0) return this.nested(this.map(this.ind, at));
        giveUp(); // a scalar on its own line
      }
      if (inMap && this.ind === col && this.isSeqItem(this.ls + col)) return this.nested(this.seq(col));
    }
    this.lastTail = Tail.Empty;
    this.lastEnd = sameLine >= 0 ? sameLine : empty;
    return { file: this.file, start: empty, end: empty, tag: undefined, kind: 'scalar', text: '', style: 'plain' };
  }

  private lastTail: Tail = Tail.Inline;
  private lastEnd = 0;

  /**
   * A value with an anchor (`&name`) or a Compose tag (`!reset`, `!override`) at `q`: the
   * value follows on the line, or below it as a nested block, or is empty.
   */
  private withProperty(col: number, q: number, inMap: boolean): YNode {
    const t = this.text;
    let r = q + 1;
    while (r < this.le && t.charCodeAt(r) !== SPACE) r++;
    const prop = t.slice(q, r);
    let anchor: string | undefined;
    let tag: ComposeTag | undefined;
    if (prop === '!reset' || prop === '!override') tag = prop;
    else if (prop.charCodeAt(0) === AMP && validName(prop, 1)) anchor = prop.slice(1);
    else giveUp();
    if (anchor !== undefined && this.anchors.has(anchor)) giveUp(); // redefined: left to the library
    while (t.charCodeAt(r) === SPACE) r++;
    let node: YNode;
    if (r < this.le && t.charCodeAt(r) !== HASH) {
      const c = t.charCodeAt(r);
      // One property only; and a property before "key: value" belongs to the key.
      if (c === AMP || c === BANG || c === STAR || this.isSeqItem(r) || this.keyEnd(r) >= 0) giveUp();
      node = this.inline(r);
      this.endInline(node.end);
    } else {
      node = this.blockOrEmpty(col, r, inMap);
    }
    if (tag !== undefined) node.tag = tag;
    if (anchor !== undefined) this.anchors.set(anchor, node);
    return node;
  }

  /**
   * A block scalar (`|` or `>`, optionally with `-` or `+`) whose header is at `q`, the value
   * of an entry of the collection at column `col`. Its lines are those below the header that
   * are blank or indented at least as deep as the first non-blank one, which must be deeper
   * than `col`. The value is computed as the library computes it (resolve-block-scalar).
   * Given up on: indentation indicators, blank lines with more spaces than the content's
   * indentation, an empty body, and a body that ends the file without a line break.
   */
  private blockScalar(col: number, q: number): YScalar {
    const t = this.text;
    const n = this.n;
    const folded = t.charCodeAt(q) === GT;
    let r = q + 1;
    let chomp = 0; // -1 strip, 0 clip, 1 keep
    if (t.charCodeAt(r) === DASH) (chomp = -1), r++;
    else if (t.charCodeAt(r) === PLUS) (chomp = 1), r++;
    if (r < this.le && t.charCodeAt(r) !== SPACE) giveUp();
    while (t.charCodeAt(r) === SPACE) r++;
    if (r < this.le && t.charCodeAt(r) !== HASH) giveUp();
    if (this.le >= n) giveUp();
    // The body: [indent, content start, line end] per line, blank lines as [spaces, -1, -1].
    const indents: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let contentIndent = -1;
    let p = this.le + 1;
    while (p < n) {
      let c = p;
      while (t.charCodeAt(c) === SPACE) c++;
      let le = t.indexOf('\n', c);
      if (le === -1) giveUp(); // the body ends the file without a line break
      if (c === le) {
        indents.push(c - p);
        starts.push(-1);
        ends.push(-1);
        p = le + 1;
        continue;
      }
      const ind = c - p;
      if (contentIndent === -1) {
        if (ind <= col) giveUp(); // an empty body
        contentIndent = ind;
      }
      if (ind < contentIndent) break;
      indents.push(ind);
      starts.push(c);
      ends.push(le);
      p = le + 1;
    }
    if (contentIndent === -1) giveUp();
    for (let i = 0; i < indents.length; i++) if (starts[i] === -1 && indents[i] > contentIndent) giveUp();
    // As the library splits its source, the line after the last line break is an empty line.
    indents.push(0);
    starts.push(-1);
    ends.push(-1);
    let chompStart = indents.length;
    while (chompStart > 0 && starts[chompStart - 1] === -1) chompStart--;
    let contentStart = 0;
    while (starts[contentStart] === -1) contentStart++;
    let value = '';
    for (let i = 0; i < contentStart; i++) value += '\n';
    let sep = '';
    let prevMoreIndented = false;
    for (let i = contentStart; i < chompStart; i++) {
      const content = starts[i] === -1 ? '' : t.slice(starts[i], ends[i]);
      const extra = indents[i] > contentIndent ? ' '.repeat(indents[i] - contentIndent) : '';
      if (!folded) {
        value += sep + extra + content;
        sep = '\n';
      } else if (indents[i] > contentIndent) {
        if (sep === ' ') sep = '\n';
        else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
        value += sep + extra + content;
        sep = '\n';
        prevMoreIndented = true;
      } else if (content === '') {
        if (sep === '\n') value += '\n';
        else sep = '\n';
      } else {
        value += sep + content;
        sep = ' ';
        prevMoreIndented = false;
      }
    }
    if (chomp === 1) {
      for (let i = chompStart; i < indents.length; i++) value += '\n';
      if (value[value.length - 1] !== '\n') value += '\n';
    } else if (chomp === 0) value += '\n';
    const bodyEnd = p;
    let end = bodyEnd;
    while (end > q && isSpaceAt(t, end - 1)) end--;
    this.lastTail = Tail.Block;
    this.tailEnd = bodyEnd;
    this.tailRest = 0;
    this.seek(bodyEnd);
    return { file: this.file, start: q, end, tag: undefined, kind: 'scalar', text: value, style: 'block' };
  }

  /** The node an alias at `q` refers to, and where the alias ends (before `limit`). */
  private alias(q: number, limit: number): [YNode, number] {
    const t = this.text;
    let r = q + 1;
    while (r < limit) {
      const c = t.charCodeAt(r);
      if (c === SPACE || c === COMMA || c === RBRACKET) break;
      r++;
    }
    const name = t.slice(q + 1, r);
    if (!validName(name, 0)) giveUp();
    const target = this.anchors.get(name);
    if (target === undefined) giveUp(); // unknown, or the alias is inside its own anchor
    return [target, r];
  }

  private nested<T extends YNode>(node: T): T {
    this.lastTail = Tail.Block;
    return node;
  }

  /**
   * A collection at `col` closes on the current line: sets its end and resolves the
   * comments between its last entry and the current line, as the library does:
   * - comments indented deeper than the collection, right below a scalar or flow value,
   *   extend that value;
   * - comments below an empty value all belong to it;
   * - the remaining comments stay with the innermost closing collection if one of them is
   *   indented at least as deep as that collection (and it is not at column 0), extending
   *   it; otherwise they move up to the parent.
   */
  private close(node: YMap | YSeq, col: number): void {
    const gap = this.gap();
    let end: number;
    let rest: number;
    if (this.lastTail === Tail.Block) {
      end = this.tailEnd;
      rest = this.tailRest;
    } else if (this.lastTail === Tail.Empty) {
      end = gap.length ? gap[gap.length - 1].end : this.lastEnd;
      rest = gap.length;
    } else {
      end = this.lastEnd;
      rest = 0;
      while (rest < gap.length && gap[rest].indent > col) end = gap[rest++].end;
    }
    // As the converter does: a location ends at its last character, not after a line break or spaces.
    let own = end;
    while (own > node.start && isSpaceAt(this.text, own - 1)) own--;
    node.end = own;
    let tail = end;
    if (rest < gap.length && col !== 0) {
      for (let i = rest; i < gap.length; i++) {
        if (gap[i].indent >= col) {
          tail = gap[gap.length - 1].end;
          rest = gap.length;
          break;
        }
      }
    }
    this.tailEnd = tail;
    this.tailRest = rest;
  }

  // -------------------------------------------------------------------------
  // Scalars
  // -------------------------------------------------------------------------

  /** Where the key starting at `at` ends (its ':' follows), or -1 when the line is not `key: ...`. */
  private keyEnd(at: number): number {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) {
      const e = this.quoteEnd(at, this.le);
      if (e === -1) return -1;
      if (t.charCodeAt(e + 1) !== COLON) return -1;
      const after = t.charCodeAt(e + 2);
      return after === SPACE || e + 2 === this.le ? e + 1 : -1;
    }
    for (let p = at; p < this.le; p++) {
      const ch = t.charCodeAt(p);
      if (ch === COLON) {
        const next = p + 1 === this.le ? NL : t.charCodeAt(p + 1);
        if (next === SPACE || next === NL) return p;
      } else if (ch === HASH && p > at && t.charCodeAt(p - 1) === SPACE) {
        return -1;
      }
    }
    return -1;
  }

  /** The key at `p` on the current line; its `end` is the offset of the ':' that follows. */
  private key(p: number): YScalar {
    const t = this.text;
    const colon = this.keyEnd(p);
    if (colon < 0 || colon - p > MAX_KEY) giveUp();
    const c = t.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) return this.quoted(p, colon);
    if (!plainStart(t, p, colon)) giveUp();
    if (t.charCodeAt(colon - 1) === SPACE) giveUp();
    const text = t.slice(p, colon);
    return { file: this.file, start: p, end: colon, tag: undefined, kind: 'scalar', text, style: 'plain' };
  }

  /** A quoted scalar starting at `p` whose closing quote is right before `limit`. */
  private quoted(p: number, limit: number): YScalar {
    const t = this.text;
    const raw = t.slice(p + 1, limit - 1);
    let text = raw;
    if (t.charCodeAt(p) === DQUOTE) {
      if (raw.indexOf('\\') !== -1) text = unescape(raw);
    } else if (raw.indexOf("'") !== -1) {
      text = raw.replace(/''/g, "'");
    }
    return { file: this.file, start: p, end: limit, tag: undefined, kind: 'scalar', text, style: 'quoted' };
  }

  /** A value that starts at `q` and must end on the current line: a scalar or a flow collection. */
  private inline(q: number): YNode {
    const t = this.text;
    const le = this.le;
    const c = t.charCodeAt(q);
    if (c === DQUOTE || c === SQUOTE) {
      const e = this.closingQuote(q, le);
      return this.quoted(q, e + 1);
    }
    if (c === LBRACKET) return this.flowSeq(q);
    if (c === LBRACE) {
      let r = q + 1;
      while (t.charCodeAt(r) === SPACE) r++;
      if (t.charCodeAt(r) !== RBRACE) giveUp();
      return { file: this.file, start: q, end: r + 1, tag: undefined, kind: 'map', entries: [] };
    }
    if (!plainStart(t, q, le)) giveUp();
    let last = q;
    for (let p = q; p < le; p++) {
      const ch = t.charCodeAt(p);
      if (ch === SPACE) continue;
      if (ch === HASH && t.charCodeAt(p - 1) === SPACE) break;
      if (ch === COLON) {
        const next = p + 1 === le ? NL : t.charCodeAt(p + 1);
        if (next === SPACE || next === NL) giveUp();
      }
      last = p;
    }
    return { file: this.file, start: q, end: last + 1, tag: undefined, kind: 'scalar', text: t.slice(q, last + 1), style: 'plain' };
  }

  /** Offset of the quote that closes the quoted scalar at `q`, on this line. */
  private closingQuote(q: number, le: number): number {
    const e = this.quoteEnd(q, le);
    if (e === -1) giveUp();
    return e;
  }

  /** Offset of the quote that closes the quoted scalar at `q` before `le`, or -1. */
  private quoteEnd(q: number, le: number): number {
    const t = this.text;
    if (t.charCodeAt(q) === DQUOTE) {
      for (let e = q + 1; e < le; e++) {
        const c = t.charCodeAt(e);
        if (c === BACKSLASH) e++;
        else if (c === DQUOTE) return e;
      }
      return -1;
    }
    let e = t.indexOf("'", q + 1);
    while (e !== -1 && e < le && t.charCodeAt(e + 1) === SQUOTE) e = t.indexOf("'", e + 2);
    return e === -1 || e >= le ? -1 : e;
  }

  /** A single-line flow sequence of scalars starting at `q`. */
  private flowSeq(q: number): YSeq {
    const t = this.text;
    const le = this.le;
    const node: YSeq = { file: this.file, start: q, end: 0, tag: undefined, kind: 'seq', items: [] };
    let p = q + 1;
    for (;;) {
      while (t.charCodeAt(p) === SPACE) p++;
      if (p >= le) giveUp();
      const c = t.charCodeAt(p);
      if (c === RBRACKET) {
        if (node.items.length) giveUp(); // "[a, ]": trailing comma
        node.end = p + 1;
        return node;
      }
      let item: YNode;
      if (c === STAR) {
        [item, p] = this.alias(p, le);
      } else if (c === DQUOTE || c === SQUOTE) {
        const e = this.closingQuote(p, le);
        item = this.quoted(p, e + 1);
        p = e + 1;
      } else {
        if (!plainStart(t, p, le)) giveUp();
        // In a flow collection "-" must be followed by a character that may go on a plain scalar.
        if (c === DASH && isFlowIndicator(t.charCodeAt(p + 1))) giveUp();
        let last = p;
        let r = p;
        for (; r < le; r++) {
          const ch = t.charCodeAt(r);
          if (ch === COMMA || ch === RBRACKET) break;
          if (ch === SPACE) continue;
          if (ch === COLON || ch === LBRACKET || ch === LBRACE || ch === RBRACE) giveUp();
          if (ch === HASH && t.charCodeAt(r - 1) === SPACE) giveUp();
          last = r;
        }
        item = { file: this.file, start: p, end: last + 1, tag: undefined, kind: 'scalar', text: t.slice(p, last + 1), style: 'plain' };
        p = r;
      }
      node.items.push(item);
      while (t.charCodeAt(p) === SPACE) p++;
      const sep = t.charCodeAt(p);
      if (p >= le) giveUp();
      if (sep === RBRACKET) {
        node.end = p + 1;
        return node;
      }
      if (sep !== COMMA) giveUp();
      p++;
      while (t.charCodeAt(p) === SPACE) p++;
      if (t.charCodeAt(p) === RBRACKET) giveUp(); // trailing comma
    }
  }

  /**
   * After a value that ends at `end` on the current line: only spaces and a comment may
   * follow. Returns where the value's node ends for the library (after that comment).
   */
  private afterValue(end: number): number {
    const t = this.text;
    let p = end;
    while (t.charCodeAt(p) === SPACE) p++;
    if (p >= this.le) return end;
    if (t.charCodeAt(p) !== HASH || p === end) giveUp();
    return trimEnd(t, p, this.le);
  }
}

/** The escapes of a double-quoted scalar, as the library reads them (resolve-flow-scalar). */
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** The content of a single-line double-quoted scalar with escapes; an invalid escape gives up. */
function unescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = raw[++i];
    const code = ESCAPES[next];
    if (code !== undefined) out += code;
    else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = raw.substr(i + 1, length);
      if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) giveUp();
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) giveUp();
      out += String.fromCodePoint(cp);
      i += length;
    } else giveUp();
  }
  return out;
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

/** An anchor or alias name from `from`: no flow indicators, not empty. */
function validName(s: string, from: number): boolean {
  if (s.length <= from) return false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE || c === COLON) return false;
  }
  return true;
}

/**
 * YAML merge keys, for both readers: the value of `<<` is a mapping or a list of mappings whose
 * entries are added to `merged`, earlier sources winning over later ones; `notMap` is told of
 * any other source (the full reader reports it, this one gives up).
 */
export function mergeInto(merged: YEntry[], value: YNode, notMap: (source: YNode) => void): void {
  const sources = value.kind === 'seq' ? value.items : [value];
  for (const source of sources) {
    if (source.kind !== 'map') {
      notMap(source);
      continue;
    }
    for (const entry of source.entries) if (!merged.some((e) => e.key === entry.key)) merged.push(entry);
  }
}

/** A mapping's entries after merge keys: the merged ones the local keys do not shadow, then the local ones. */
export function dropShadowed(merged: YEntry[], local: YEntry[]): YEntry[] {
  const localKeys = new Set(local.map((e) => e.key));
  return merged.filter((e) => !localKeys.has(e.key)).concat(local);
}

function isSpaceAt(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return c === SPACE || c === NL;
}

/** End of the text in [from, le) without trailing spaces. */
function trimEnd(t: string, from: number, le: number): number {
  let e = le;
  while (e > from && t.charCodeAt(e - 1) === SPACE) e--;
  return e;
}

/**
 * True when a plain scalar may start at `p`: not an indicator, except `-` followed by
 * something other than a space. `?` and `:` starts are left to the library.
 */
function plainStart(t: string, p: number, limit: number): boolean {
  const c = t.charCodeAt(p);
  switch (c) {
    case DASH: {
      const next = p + 1 < limit ? t.charCodeAt(p + 1) : NL;
      return next !== SPACE && next !== NL;
    }
    case 0x3f: // ?
    case COLON:
    case COMMA:
    case LBRACKET:
    case RBRACKET:
    case LBRACE:
    case RBRACE:
    case HASH:
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case SQUOTE:
    case DQUOTE:
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
      return false;
    default:
      return true;
  }
}
