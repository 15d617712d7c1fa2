import { relative, sep } from 'node:path';

/** Paths as users typed them: relative to the working directory, with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  if (!file) return file;
  const rel = relative(cwd, file);
  const shown = rel && !rel.startsWith('..') ? rel : file;
  return sep === '/' ? shown : shown.split(sep).join('/');
}
