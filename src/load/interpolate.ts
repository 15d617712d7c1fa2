/**
 * Variable interpolation exactly as Docker Compose (compose-go v2 `template.Substitute`
 * with its default pattern) performs it on every string scalar of a Compose file.
 *
 * Grammar, in the order compose tries it at each `$`:
 *   `$$`                 a literal `$`
 *   `$NAME`              NAME = [_a-zA-Z][_a-zA-Z0-9]* (greedy)
 *   `${NAME}`
 *   `${NAME<op>ARG}`     op is one of `:-` `-` `:?` `?` `:+` `+`; ARG runs to the LAST `}` on the
 *                        same line, then is cut back at the first balanced `}`; whatever follows
 *                        that brace is interpolated on its own and appended
 *   `${` anything else   an error (invalid interpolation format)
 *   `$` anything else    left as is (`$1`, `$}`, a trailing `$`)
 *
 * ARG (default, error message or replacement) is interpolated first, whether or not it ends up
 * used (compose evaluates it eagerly), so an unset variable inside an unused default is still
 * reported as unset and an invalid `${` inside it is still an error.
 *
 * The scanner is hand-written and linear in the input for ordinary templates; a template with
 * no `$` returns at once.
 */

export type Lookup = (name: string) => string | undefined;

export interface Interpolated {
  /** The interpolated text; on error, the template unchanged. */
  value: string;
  /**
   * Every variable name referenced, in order of appearance, without duplicates (including names
   * inside defaults and replacements). Treat as read-only: it may be a shared empty array.
   */
  variables: string[];
  /**
   * Variables referenced as `$VAR` / `${VAR}` that were not set, so they became "" (the case
   * where compose warns `The "VAR" variable is not set. Defaulting to a blank string.`).
   * A variable handled by an operator (`:-`, `-`, `:+`, `+`, `:?`, `?`) is never listed for that
   * use. Treat as read-only: it may be a shared empty array.
   */
  unset: string[];
  /** Compose's error text, when interpolation fails. */
  error?: string;
}

/** Why interpolation failed, before it is turned into compose's wording. */
export type InterpolationFailure =
  /** A `${` that does not form a valid expression. `template` is the text compose reports. */
  | { kind: 'invalid'; template: string }
  /** A `:?` / `?` expression whose variable is missing. `reason` is the interpolated message. */
  | { kind: 'required'; variable: string; reason: string }
  /** Defaults nested deeper than MAX_NESTING. */
  | { kind: 'too-deep' };

export interface SubstituteResult {
  value: string;
  variables: string[];
  unset: string[];
  failure?: InterpolationFailure;
}

const EMPTY: string[] = Object.freeze([]) as unknown as string[];

const DOLLAR = 36; // $
const LBRACE = 123; // {
const RBRACE = 125; // }
const COLON = 58; // :
const MINUS = 45; // -
const PLUS = 43; // +
const QUESTION = 63; // ?

/**
 * `[_a-z]` under compose's case-insensitive pattern. Besides ASCII letters and `_`, Unicode case
 * folding makes U+017F (long s) and U+212A (Kelvin sign) match as well.
 */
function isNameStart(c: number): boolean {
  if (c === 95) return true;
  const l = c | 32;
  if (l >= 97 && l <= 122) return true;
  return c === 0x17f || c === 0x212a;
}

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || isNameStart(c);
}

/** True when `s` contains a `$` that is not part of a `$$` escape. */
export function hasInterpolation(s: string): boolean {
  let i = s.indexOf('$');
  while (i !== -1) {
    if (s.charCodeAt(i + 1) !== DOLLAR) return true;
    i = s.indexOf('$', i + 2);
  }
  return false;
}

/** How deep defaults may nest (`${A:-${B:-...}}`) before portlint gives up on the value. */
export const MAX_NESTING = 500;

interface State {
  lookup: Lookup;
  depth: number;
  variables: string[] | null;
  unset: string[] | null;
  failure: InterpolationFailure | null;
}

function noteVariable(st: State, name: string): void {
  const list = st.variables;
  if (list === null) st.variables = [name];
  else if (!list.includes(name)) list.push(name);
}

function noteUnset(st: State, name: string): void {
  const list = st.unset;
  if (list === null) st.unset = [name];
  else if (!list.includes(name)) list.push(name);
}

/** A plain `$NAME` / `${NAME}` reference. */
function plain(st: State, name: string): string {
  noteVariable(st, name);
  const v = st.lookup(name);
  if (v === undefined) {
    noteUnset(st, name);
    return '';
  }
  return v;
}

/**
 * Interpolates `s`. Returns undefined on failure (recorded in `st.failure`).
 */
function substitute(s: string, st: State): string | undefined {
  let i = s.indexOf('$');
  if (i === -1) return s;
  const n = s.length;
  let out = '';
  let last = 0; // start of literal text not yet copied to `out`

  // compose interpolates the text after an expression's closing brace in a separate pass over
  // just that text, so an invalid `${` found there reports only that text. [segStart, segEnd)
  // is the text compose would report at the current position.
  let segStart = 0;
  let segEnd = n;

  // The last `}` before a given line end, cached: every expression on a line stretches to it.
  let cachedLineEnd = -1;
  let cachedLastBrace = -1;

  while (i !== -1) {
    if (i >= segEnd) {
      segStart = 0;
      segEnd = n;
    }
    const c = i + 1 < n ? s.charCodeAt(i + 1) : -1;

    if (c === DOLLAR) {
      out += s.slice(last, i) + '$';
      last = i + 2;
      i = s.indexOf('$', last);
      continue;
    }

    if (c !== -1 && isNameStart(c)) {
      let k = i + 2;
      while (k < n && isNameChar(s.charCodeAt(k))) k++;
      out += s.slice(last, i) + plain(st, s.slice(i + 1, k));
      last = k;
      i = s.indexOf('$', last);
      continue;
    }

    if (c !== LBRACE) {
      // `$1`, `$}`, `$-`, a trailing `$`: literal.
      i = s.indexOf('$', i + 1);
      continue;
    }

    // `${`
    const nameStart = i + 2;
    if (nameStart < n && isNameStart(s.charCodeAt(nameStart))) {
      let nameEnd = nameStart + 1;
      while (nameEnd < n && isNameChar(s.charCodeAt(nameEnd))) nameEnd++;

      let p = nameEnd;
      let colon = false;
      if (p < n && s.charCodeAt(p) === COLON) {
        colon = true;
        p++;
      }
      const op = p < n ? s.charCodeAt(p) : -1;
      if (op === MINUS || op === PLUS || op === QUESTION) {
        const argStart = p + 1;
        let lineEnd = s.indexOf('\n', argStart);
        if (lineEnd === -1) lineEnd = n;
        if (lineEnd !== cachedLineEnd) {
          cachedLineEnd = lineEnd;
          cachedLastBrace = lineEnd > 0 ? s.lastIndexOf('}', lineEnd - 1) : -1;
        }
        const end = cachedLastBrace; // inclusive end of the whole match
        if (end >= argStart) {
          // Cut the match back at its first balanced closing brace, counting every `{` as an
          // opener and, like compose, skipping the character right after it.
          let depth = 0;
          let close = -1;
          for (let q = i; q <= end; q++) {
            const ch = s.charCodeAt(q);
            if (ch === RBRACE) {
              depth--;
              if (depth === 0) {
                close = q;
                break;
              }
            }
            if (ch === LBRACE) {
              depth++;
              q++;
            }
          }
          const headEnd = close === -1 ? end : close; // the `}` that ends this expression

          const name = s.slice(nameStart, nameEnd);
          noteVariable(st, name);
          // Each nested default is a call: stop long before the stack does (compose has no limit, no file needs one).
          if (++st.depth > MAX_NESTING) {
            st.failure = { kind: 'too-deep' };
            return undefined;
          }
          const arg = substitute(s.slice(argStart, headEnd), st);
          st.depth--;
          if (arg === undefined) return undefined;
          const v = st.lookup(name);

          let value: string;
          if (op === MINUS) {
            value = v === undefined || (colon && v === '') ? arg : v;
          } else if (op === PLUS) {
            value = v !== undefined && (!colon || v !== '') ? arg : (v ?? '');
          } else {
            if (v === undefined || (colon && v === '')) {
              st.failure = { kind: 'required', variable: name, reason: arg };
              return undefined;
            }
            value = v;
          }

          out += s.slice(last, i) + value;
          if (headEnd < end) {
            segStart = headEnd + 1;
            segEnd = end + 1;
          }
          last = headEnd + 1;
          i = s.indexOf('$', last);
          continue;
        }
      }

      if (nameEnd < n && s.charCodeAt(nameEnd) === RBRACE) {
        out += s.slice(last, i) + plain(st, s.slice(nameStart, nameEnd));
        last = nameEnd + 1;
        i = s.indexOf('$', last);
        continue;
      }
    }

    // `${}`, `${1}`, `${ x}`, `${x }`, `${x!}`, `${x:y}`, an unterminated `${`, a default
    // running over a line break.
    st.failure = { kind: 'invalid', template: s.slice(segStart, segEnd) };
    return undefined;
  }

  return out + s.slice(last);
}

/**
 * Lower-level form of {@link interpolate}: the failure is returned as data, so callers that word
 * errors differently (the `.env` parser) can do so.
 */
export function substituteTemplate(template: string, lookup: Lookup): SubstituteResult {
  if (template.indexOf('$') === -1) return { value: template, variables: EMPTY, unset: EMPTY };
  const st: State = { lookup, depth: 0, variables: null, unset: null, failure: null };
  const value = substitute(template, st);
  const variables = st.variables ?? EMPTY;
  const unset = st.unset ?? EMPTY;
  if (value === undefined) {
    return { value: template, variables, unset, failure: st.failure as InterpolationFailure };
  }
  return { value, variables, unset };
}

/** compose's message for a `:?` / `?` failure. */
export function requiredMessage(variable: string, reason: string): string {
  return reason === ''
    ? `required variable ${variable} is missing a value`
    : `required variable ${variable} is missing a value: ${reason}`;
}

/**
 * Interpolates `template` the way compose does. `path` names the value in the error text
 * (compose uses the YAML path, e.g. `services.web.ports.[]`); it defaults to "value".
 */
export function interpolate(template: string, lookup: Lookup, path?: string): Interpolated {
  if (template.indexOf('$') === -1) return { value: template, variables: EMPTY, unset: EMPTY };
  const r = substituteTemplate(template, lookup);
  const f = r.failure;
  if (f === undefined) return { value: r.value, variables: r.variables, unset: r.unset };
  const error =
    f.kind === 'invalid'
      ? `invalid interpolation format for ${path ?? 'value'}.\nYou may need to escape any $ with another $.\n${f.template}`
      : f.kind === 'too-deep'
        ? `interpolation nested more than ${MAX_NESTING} defaults deep in ${path ?? 'value'}; portlint does not follow it`
        : requiredMessage(f.variable, f.reason);
  return { value: template, variables: r.variables, unset: r.unset, error };
}

/**
 * The docker CLI's dialect (`docker stack deploy`, cli/compose/template): one regular expression,
 * `\$(?i:(\$)|(NAME(?::?[-?][^}]*)?)|{(NAME(?::?[-?][^}]*)?)}|())` with NAME = [_a-z][_a-z0-9]*,
 * replaced match by match. So, unlike Compose:
 * - only `:-`, `-`, `:?` and `?` exist (`:+` / `+` are invalid), and nothing nests: an argument
 *   ends at the first `}`;
 * - an unbraced name takes an operator too, to the end of the text: `$PORT-8080:80` is
 *   `${PORT-8080:80}`;
 * - any other `$` (`$1`, a lone `$`) is an error;
 * - which operator applies is decided by `strings.Contains` in the order `:-`, `-`, `:?`, `?`,
 *   on the whole expression (name included);
 * - an unset variable becomes "" without a warning.
 * The CLI keeps only the error of the last expression it replaced; that is reproduced too.
 */
const CLI_PATTERN = /\$(?:(\$)|([_a-z][_a-z0-9]*(?::?[-?][^}]*)?)|\{([_a-z][_a-z0-9]*(?::?[-?][^}]*)?)\}|())/gi;

export function interpolateCli(template: string, lookup: Lookup, path = 'value'): Interpolated {
  if (template.indexOf('$') === -1) return { value: template, variables: EMPTY, unset: EMPTY };
  const variables: string[] = [];
  const unset: string[] = [];
  const note = (list: string[], name: string) => {
    if (!list.includes(name)) list.push(name);
  };
  let error: string | undefined;
  const value = template.replace(CLI_PATTERN, (_match, escaped: string | undefined, named: string | undefined, braced: string | undefined) => {
    if (escaped) return escaped;
    const expr = named || braced;
    if (!expr) {
      error = JSON.stringify(template);
      return '';
    }
    error = undefined;
    const cut = (sep: string) => {
      const at = expr.indexOf(sep);
      return [expr.slice(0, at), expr.slice(at + sep.length)];
    };
    for (const sep of [':-', '-', ':?', '?']) {
      if (!expr.includes(sep)) continue;
      const [name, arg] = cut(sep);
      note(variables, name);
      const v = lookup(name);
      if (sep === ':-') return v === undefined || v === '' ? arg : v;
      if (sep === '-') return v === undefined ? arg : v;
      if (v === undefined || (sep === ':?' && v === '')) {
        error = JSON.stringify(`required variable ${name} is missing a value: ${arg}`);
        return '';
      }
      return v;
    }
    note(variables, expr);
    const v = lookup(expr);
    if (v === undefined) note(unset, expr);
    return v ?? '';
  });
  if (error !== undefined) return { value: template, variables, unset, error: `invalid interpolation format for ${path}: ${error}; you may need to escape any $ with another $` };
  return { value, variables, unset };
}
