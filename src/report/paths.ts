import { relative, sep } from 'node:path';
import { memoize } from '../util/memo';

/** `path.relative` by "from\0file": every finding and binding shown asks for its file's path, and a run has few files. */
const relativePath = memoize((key) => {
  const [from, file] = key.split('\0');
  return relative(from, file);
});

/**
 * Paths as users typed them: relative to `from` (the working directory), with forward slashes.
 * A file outside `from` is shown absolute, or with `outside: 'relative'` as "../…" (how rule
 * messages name a file relative to the project directory).
 */
export function displayPath(file: string, from: string, outside: 'absolute' | 'relative' = 'absolute'): string {
  if (!file) return file;
  const rel = relativePath(`${from}\0${file}`);
  const shown = rel && (outside === 'relative' || !rel.startsWith('..')) ? rel : file;
  return sep === '/' ? shown : shown.split(sep).join('/');
}
