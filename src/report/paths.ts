import { relative, sep } from 'node:path';

/**
 * Paths as users typed them: relative to `from` (the working directory), with forward slashes.
 * A file outside `from` is shown absolute, or with `outside: 'relative'` as "../…" (how rule
 * messages name a file relative to the project directory).
 */
export function displayPath(file: string, from: string, outside: 'absolute' | 'relative' = 'absolute'): string {
  if (!file) return file;
  const rel = relative(from, file);
  const shown = rel && (outside === 'relative' || !rel.startsWith('..')) ? rel : file;
  return sep === '/' ? shown : shown.split(sep).join('/');
}
