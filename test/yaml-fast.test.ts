/**
 * The fast YAML reader against the reference reader (the `yaml` library): whenever the fast
 * reader accepts a text, the library must read it without error and both trees must be the
 * same node by node, offsets included (and the line table too). Inputs: every YAML file of
 * the fixtures, the third-party corpus when PORTLINT_CORPUS is set, generated compose-like
 * documents with comments and blank lines in every place, and random mutations of those.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng, yamlFilesUnder, type Rng } from './helpers';
import { compareReaders as compare, type Outcome } from './yaml-compare';
import { readYamlFast } from '../src/load/yaml-fast';

const KEYS = ['services', 'web', 'db', 'ports', 'image', 'environment', 'x-extra', 'target', 'published', 'host_ip', 'a b', 'k:v', '"quoted key"', "'single'", 'long-key-name_1', 'é'];
const PLAIN = ['nginx:1.27', '8080:80', '80', '127.0.0.1:8080:80', '${PORT:-8080}:80', 'a#b', 'x y z', '-1', 'http://example.com/a?b=c', 'true', '~', '0x50', '1:30', 'a,b', 'a[0]', 'a{b}', "it's", 'say "hi"', '%d'];
const QUOTED = ['"8080:80"', '"a: b # c"', "'x'", "'it''s'", '""', "''", '"[::1]:80:80"', '"${A}"', '"a\\"b"', '"t\\tx\\n"', '"\\u00e9\\x41\\U0001F600"', '"bad\\q"', '"\\\\"'];
const FLOW = ['[]', '{}', '[ ]', '{ }', '[a, b]', '["CMD", "curl", "-f"]', "['x', y]", '[80, "443:443"]', '[-1]', '[a b, c]'];

/** A compose-like document with comments, blank lines and odd but valid spacing anywhere. */
function document(r: Rng): string {
  const step = r.pick([2, 2, 2, 4, 3, 1]);
  const lines: string[] = [];
  const comment = (indent: number) => `${' '.repeat(Math.max(0, indent))}#${r.pick(['', ' note', ' - "443:443"', '#', ' a: b'])}`;
  const noise = (indent: number) => {
    while (r.chance(0.25)) lines.push(r.chance(0.5) ? comment(indent + r.int(-step * 2, step * 2)) : r.pick(['', ' ', '   ']));
  };
  const tail = () => (r.chance(0.15) ? `${' '.repeat(r.int(1, 3))}# t` : r.chance(0.1) ? ' ' : '');
  // Anchors, aliases, merge keys and the Compose tags, sometimes.
  const anchors: string[] = [];
  const prop = () => {
    if (r.chance(0.08)) return `${r.pick(['!reset', '!override'])} `;
    if (r.chance(0.1)) {
      const name = `a${anchors.length}`;
      anchors.push(name);
      return `&${name} `;
    }
    return '';
  };
  const alias = () => `*${anchors.length && r.chance(0.9) ? r.pick(anchors) : 'missing'}`;
  const inline = () => {
    if (anchors.length && r.chance(0.08)) return r.chance(0.2) ? `[${alias()}, ${alias()}]` : alias();
    return prop() + r.pick(r.chance(0.6) ? PLAIN : r.chance(0.6) ? QUOTED : FLOW);
  };
  const mapAnchors: string[] = [];
  // A block scalar: header on the entry's line, body below, sometimes with odd blank lines.
  const blockScalar = (indent: number): string => {
    const header = `${r.pick(['|', '>'])}${r.pick(['', '', '-', '+'])}${r.chance(0.15) ? '  # h' : ''}`;
    const body = indent + r.pick([1, 2, 2, 4]);
    for (let j = 0, m = r.int(1, 5); j < m; j++) {
      const k = r.next();
      if (k < 0.5) lines.push(`${' '.repeat(body)}${r.pick(['echo hi', 'a: b', '# not a comment', 'x  y', '- item', '"q"'])}`);
      else if (k < 0.65) lines.push(`${' '.repeat(body + r.int(1, 3))}more ${j}`);
      else if (k < 0.95) lines.push(' '.repeat(r.int(0, body + (r.chance(0.1) ? 2 : 0))));
      else lines.push(`${' '.repeat(r.int(indent, body))}${r.pick(['less', '# c'])}`);
    }
    return header;
  };
  const block = (indent: number, depth: number, first?: string): boolean => {
    // first: text to put on the current line before the first entry (a "- " of a parent item).
    const asSeq = r.chance(0.35);
    const n = r.int(1, 4);
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      const pad = i === 0 && first !== undefined ? first : ' '.repeat(indent);
      if (i > 0) noise(indent);
      if (asSeq) {
        const k = r.next();
        if (r.chance(0.06)) {
          const at = lines.push('') - 1;
          lines[at] = `${pad}- ${blockScalar(indent)}`;
        } else if (k < 0.45 || depth > 3) lines.push(`${pad}-${r.chance(0.1) ? '' : ' ' + inline()}${tail()}`);
        else if (k < 0.75) {
          // compact mapping in the item
          block(indent + 2, depth + 1, `${pad}- `);
        } else {
          lines.push(`${pad}-${tail()}`);
          noise(indent + step);
          block(indent + step, depth + 1);
        }
      } else {
        if (mapAnchors.length && !used.has('<<') && r.chance(0.12)) {
          // a merge key with one or two mappings defined above
          used.add('<<');
          const source = r.chance(0.7) ? `*${r.pick(mapAnchors)}` : `[*${r.pick(mapAnchors)}, *${r.pick(mapAnchors)}]`;
          lines.push(`${pad}<<: ${source}${tail()}`);
          continue;
        }
        let key = anchors.length && r.chance(0.03) ? '<<' : r.pick(KEYS);
        while (used.has(key)) key = `${key}${i}`;
        used.add(key);
        const k = r.next();
        if (r.chance(0.08)) {
          const at = lines.push('') - 1;
          lines[at] = `${pad}${key}: ${blockScalar(pad.length)}`;
        } else if (k < 0.5 || depth > 3) lines.push(`${pad}${key}:${r.chance(0.12) ? '' : ' ' + inline()}${tail()}`);
        else {
          const p = r.chance(0.25) ? (r.chance(0.7) ? `&m${anchors.push(`m${anchors.length}`) - 1}` : prop().trimEnd()) : '';
          lines.push(`${pad}${key}:${p ? ' ' + p : ''}${tail()}`);
          noise(indent + step);
          // a nested block, sometimes a sequence at the key's own indentation
          if (r.chance(0.2)) {
            const m = r.int(1, 3);
            for (let j = 0; j < m; j++) lines.push(`${' '.repeat(indent)}- ${inline()}${tail()}`);
          } else if (block(indent + step, depth + 1) && p.startsWith('&')) mapAnchors.push(p.slice(1));
        }
      }
    }
    noise(indent);
    return !asSeq;
  };
  noise(0);
  if (r.chance(0.1)) lines.push(r.pick(['---', '--- # doc', '---  ']));
  block(0, 0);
  return lines.join('\n') + (r.chance(0.9) ? '\n' : '');
}

const MUTATIONS = [':', ': ', '#', ' #', '-', '- ', '"', "'", '[', ']', '{', '}', ',', '&a ', '*a', '!', '|', '>', '?', '%', '@', '`', '\\', ' ', '  ', '\t', '\r', '---', '...', '<<: ', 'x'];

/** One random edit: a character inserted, deleted or replaced, or a line re-indented. */
function mutate(r: Rng, text: string): string {
  const lines = text.split('\n');
  const i = r.int(0, lines.length - 1);
  const line = lines[i];
  const at = r.int(0, line.length);
  const k = r.next();
  if (k < 0.25) lines[i] = ' '.repeat(r.int(0, 2)) + (r.chance(0.5) ? line.slice(1) : line);
  else if (k < 0.4) lines[i] = line.slice(0, at) + line.slice(at + 1);
  else if (k < 0.5) lines.splice(i, 0, r.pick(['', ' #x', '- y', 'k: v', '  k: v', '    - z']));
  else lines[i] = line.slice(0, at) + r.pick(MUTATIONS) + line.slice(at + (r.chance(0.5) ? 1 : 0));
  return lines.join('\n');
}

describe('fast YAML reader: same tree as the yaml library, or no answer', () => {
  it('every fixture file', () => {
    const files = yamlFilesUnder(join(__dirname, '..', 'fixtures'));
    expect(files.length).toBeGreaterThan(20);
    const outcomes = files.map((f) => compare(readFileSync(f, 'utf8'), f));
    // Most fixtures are plain block YAML: the fast reader must actually take them.
    expect(outcomes.filter((o) => o === 'same').length).toBeGreaterThan(files.length * 0.7);
  });

  it.skipIf(!process.env.PORTLINT_CORPUS)('every file of the corpus (PORTLINT_CORPUS)', () => {
    const files = yamlFilesUnder(process.env.PORTLINT_CORPUS!);
    const outcomes = files.map((f) => compare(readFileSync(f, 'utf8'), f));
    expect(outcomes.filter((o) => o === 'same').length).toBeGreaterThan(files.length * 0.8);
  });

  it('generated documents with comments and blank lines everywhere', () => {
    const r = rng(6);
    let same = 0;
    const total = 1500;
    const features = { anchor: 0, alias: 0, merge: 0, tag: 0, docStart: 0, comment: 0, blockScalar: 0 };
    for (let i = 0; i < total; i++) {
      const text = document(r);
      if (compare(text, `document ${i}`) !== 'same') continue;
      same++;
      if (/&a\d/.test(text)) features.anchor++;
      if (/\*a\d/.test(text)) features.alias++;
      if (/<<:/.test(text)) features.merge++;
      if (/!reset|!override/.test(text)) features.tag++;
      if (/^---/m.test(text)) features.docStart++;
      if (/#/.test(text)) features.comment++;
      if (/[|>][-+]?( {2}# h)?$/m.test(text)) features.blockScalar++;
    }
    // The generator writes mostly what the fast reader supports; every feature is exercised.
    expect(same).toBeGreaterThan(total * 0.45);
    for (const [feature, count] of Object.entries(features)) expect(count, feature).toBeGreaterThan(10);
  });

  it('random mutations of generated documents', () => {
    const r = rng(66);
    let same = 0;
    const total = 2500;
    for (let i = 0; i < total; i++) {
      let text = document(r);
      for (let m = r.int(1, 3); m > 0; m--) text = mutate(r, text);
      if (compare(text, `mutation ${i}`) === 'same') same++;
    }
    expect(same).toBeGreaterThan(0);
  });

  it('gives up on what it does not model', () => {
    for (const text of [
      'a: *x\nb: &x 1\n',
      'a: &x\n  b: *x\n',
      'a: &x 1\nb: &x 2\n',
      'a: &x 1\nb:\n  <<: *x\n',
      'a:\n  <<: {b: 1}\n',
      'a: !!str 1\n',
      'a: !custom x\n',
      'a: &x !reset []\n',
      '- &x b: 1\n',
      'a: |2\n  x\n',
      'a: |\n\n    \n  x\n',
      'a: |\nb: 1\n',
      'a: >-\n  x',
      'a: "x\\qy"\n',
      'a: "\\u12"\n',
      'a: "x\n  y"\n',
      'a: x\n  y\n',
      '--- a: 1\n',
      'a: 1\n---\nb: 2\n',
      '---\n---\na: 1\n',
      'a: 1\n...\n',
      '%YAML 1.2\n---\na: 1\n',
      '? a\n: 1\n',
      'a: 1\na: 2\n',
      'a:\tb\n',
      'a: b\r\n',
      '\ufeffa: 1\n',
      '  a: 1\n',
      'plain scalar\n',
      'a: [1,\n  2]\n',
      'a: {b: 1}\n',
    ]) {
      expect(readYamlFast('compose.yaml', text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('takes anchors, aliases, merge keys, the Compose tags, escapes, block scalars and a leading ---', () => {
    for (const text of [
      '---\na: 1\n',
      '--- # doc\nx-common: &common\n  restart: always\n  init: true\nservices:\n  web:\n    <<: *common\n    init: false\n',
      'x: &a\n  k: v\ny:\n  <<: [*a]\n  z: 1\n',
      'x: &p "8080:80"\nservices:\n  web:\n    ports:\n      - *p\n      - [*p, *p]\n',
      'services:\n  web:\n    ports: !reset []\n  db: !reset\n  api:\n    ports: !override\n      - "80:80"\n',
      'a: "x\\ny \\"q\\" \\u00e9"\nb: |\n  line\n\n  next\nc: >-\n  folded\n  text\n',
    ]) {
      expect(compare(text, 'supported'), JSON.stringify(text)).toBe('same');
    }
  });

  it('takes a typical compose file and reports no errors', () => {
    const text = [
      '# app',
      'services:',
      '  web:',
      '    image: nginx:1.27 # pinned',
      '    ports:',
      '      - "8080:80"',
      '      # - "8443:443"',
      '      - target: 80',
      '        published: "9090"',
      '',
      '  # the database',
      '  db:',
      '    ports: ["5432:5432"]',
      '    healthcheck:',
      '      test: ["CMD", "pg_isready"]',
      'networks:',
      '  front: {}',
      '',
    ].join('\n');
    expect(compare(text, 'typical')).toBe('same');
  });
});
