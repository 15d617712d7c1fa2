/**
 * The small glob dialect of the `ignore` setting, matched against paths relative to
 * the configuration file's directory, with `/` separators:
 *
 * - `*` any run of characters but `/`; `?` one character but `/`; `[abc]`, `[a-z]`, `[!a]` a class;
 *   `{a,b}` either alternative; `**` any number of whole path segments (also none).
 * - A pattern with no `/` but a trailing one matches a name at any depth (`legacy`, `*.example.yaml`);
 *   a pattern with a `/` is anchored to the configuration file's directory (`services/old/**`).
 *   A leading `/` or `./` anchors too and is dropped.
 * - A trailing `/` matches directories only. A pattern that matches a directory ignores
 *   everything below it.
 */

export interface IgnorePattern {
  source: string;
  regexp: RegExp;
  dirOnly: boolean;
}

export function compileGlob(source: string): IgnorePattern {
  let p = source.trim().replace(/\\/g, '/');
  const dirOnly = p.endsWith('/');
  p = p.replace(/\/+$/, '');
  const anchored = p.includes('/');
  p = p.replace(/^\.\//, '').replace(/^\/+/, '');
  if (!anchored) p = `**/${p}`;
  return { source, regexp: new RegExp(`^${globBody(p)}$`), dirOnly };
}

function escape(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Translates a glob (already normalized) to the body of a regular expression. */
function globBody(p: string): string {
  let out = '';
  let i = 0;
  let braces = 0;
  while (i < p.length) {
    const ch = p[i];
    if (ch === '*') {
      if (p[i + 1] === '*') {
        const atStart = i === 0 || p[i - 1] === '/';
        let j = i + 2;
        while (p[j] === '*') j++;
        const atEnd = j === p.length || p[j] === '/';
        if (atStart && atEnd) {
          if (j === p.length) {
            out += '.*'; // "a/**": everything below a
            i = j;
          } else {
            out += '(?:[^/]*/)*'; // "**/": any number of segments
            i = j + 1;
          }
          continue;
        }
        out += '[^/]*';
        i = j;
        continue;
      }
      out += '[^/]*';
      i++;
      continue;
    }
    if (ch === '?') {
      out += '[^/]';
      i++;
      continue;
    }
    if (ch === '[') {
      const close = p.indexOf(']', i + 2);
      if (close > 0) {
        let body = p.slice(i + 1, close);
        const negate = body.startsWith('!') || body.startsWith('^');
        if (negate) body = body.slice(1);
        out += `[${negate ? '^/' : ''}${body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]')}]`;
        i = close + 1;
        continue;
      }
    }
    if (ch === '{') {
      braces++;
      out += '(?:';
      i++;
      continue;
    }
    if (ch === '}' && braces > 0) {
      braces--;
      out += ')';
      i++;
      continue;
    }
    if (ch === ',' && braces > 0) {
      out += '|';
      i++;
      continue;
    }
    out += escape(ch);
    i++;
  }
  while (braces-- > 0) out += ')';
  return out;
}

/**
 * True when a path (relative to the patterns' base, `/`-separated, no leading `./`) or one of
 * its parent directories matches a pattern. Paths outside the base (`../x`) never match.
 */
export function matchesAny(relPath: string, patterns: readonly IgnorePattern[]): boolean {
  if (!patterns.length || relPath === '' || relPath.startsWith('../') || relPath === '..') return false;
  const segments = relPath.split('/');
  for (let n = 1; n <= segments.length; n++) {
    const candidate = segments.slice(0, n).join('/');
    const isDir = n < segments.length;
    for (const pat of patterns) {
      if (pat.dirOnly && !isDir) continue;
      if (pat.regexp.test(candidate)) return true;
    }
  }
  return false;
}
