import { relative, sep } from 'node:path';

const relatives = new Map<string, string>();

/**
 * Paths as users typed them: relative to `from` (the working directory), with forward slashes.
 * A file outside `from` is shown absolute, or with `outside: 'relative'` as "../…" (how rule
 * messages name a file relative to the project directory).
 */
export function displayPath(file: string, from: string, outside: 'absolute' | 'relative' = 'absolute'): string {
  if (!file) return file;
  // Every finding and binding shown asks for its file's path; a run has few distinct files.
  const key = `${from}\0${file}`;
  let rel = relatives.get(key);
  if (rel === undefined) {
    rel = relative(from, file);
    if (relatives.size >= 4096) relatives.clear();
    relatives.set(key, rel);
  }
  const shown = rel && (outside === 'relative' || !rel.startsWith('..')) ? rel : file;
  return sep === '/' ? shown : shown.split(sep).join('/');
}
