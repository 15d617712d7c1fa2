/** The fast YAML reader against the library, on one text: the differential check the YAML and fuzz suites share. */
import { expect } from 'vitest';
import { readYamlFast } from '../src/load/yaml-fast';
import { readYamlFull, type YNode } from '../src/load/yaml-tree';

type Shape = unknown;

function shape(n: YNode): Shape {
  if (n.kind === 'scalar') return ['s', n.start, n.end, n.text, n.style, n.tag];
  if (n.kind === 'map') return ['m', n.start, n.end, n.tag, n.entries.map((e) => [e.key, shape(e.keyNode), shape(e.value)])];
  return ['q', n.start, n.end, n.tag, n.items.map(shape)];
}

export type Outcome = 'same' | 'fallback';

/** Compares both readers on one text; fails the test on any difference. */
export function compareReaders(text: string, label: string): Outcome {
  const fast = readYamlFast('compose.yaml', text);
  if (!fast) return 'fallback';
  const full = readYamlFull('compose.yaml', text);
  const context = `${label}:\n${text}`;
  expect(full.errors, context).toEqual([]);
  expect(fast.errors).toEqual([]);
  expect(fast.file.lines.lineStarts, context).toEqual(full.file.lines.lineStarts);
  const a = JSON.stringify(full.documents.map(shape));
  const b = JSON.stringify(fast.documents.map(shape));
  if (a !== b) expect(fast.documents.map(shape), context).toEqual(full.documents.map(shape));
  return 'same';
}

