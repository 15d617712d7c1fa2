import { describe, it, expect } from 'vitest';

import { hasInterpolation, interpolate, type Lookup } from '../src/load/interpolate';

const envOf =
  (vars: Record<string, string>): Lookup =>
  (name) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;

// FOO set, BAR set but empty, everything else unset (the fixture compose-go's own tests use).
const env = envOf({ FOO: 'first', BAR: '' });

const invalid = (template: string, path = 'value') =>
  `invalid interpolation format for ${path}.\nYou may need to escape any $ with another $.\n${template}`;

describe('interpolate: operator table (unset / set-empty / set-non-empty)', () => {
  const lookup = envOf({ SET: 'val', EMPTY: '' });
  const rows: Array<[string, string, string | { error: string }, string | { error: string }, string]> = [
    // form, variable, unset, set empty, set non-empty ("val")
    ['$%', 'plain $VAR', '', '', 'val'],
    ['${%}', 'braced ${VAR}', '', '', 'val'],
    ['${%:-d}', ':-', 'd', 'd', 'val'],
    ['${%-d}', '-', 'd', '', 'val'],
    [
      '${%:?e}',
      ':?',
      { error: 'required variable NOPE is missing a value: e' },
      { error: 'required variable EMPTY is missing a value: e' },
      'val',
    ],
    ['${%?e}', '?', { error: 'required variable NOPE is missing a value: e' }, '', 'val'],
    ['${%:+r}', ':+', '', '', 'r'],
    ['${%+r}', '+', '', 'r', 'r'],
  ];

  for (const [form, label, unsetExp, emptyExp, setExp] of rows) {
    const cases: Array<[string, string, string | { error: string }]> = [
      ['unset', 'NOPE', unsetExp],
      ['set, empty', 'EMPTY', emptyExp],
      ['set, non-empty', 'SET', setExp],
    ];
    for (const [state, name, expected] of cases) {
      it(`${label} with the variable ${state}`, () => {
        const template = `<${form.replace('%', name)}>`;
        const r = interpolate(template, lookup);
        expect(r.variables).toEqual([name]);
        if (typeof expected === 'string') {
          expect(r.error).toBeUndefined();
          expect(r.value).toBe(`<${expected}>`);
        } else {
          expect(r.error).toBe(expected.error);
          expect(r.value).toBe(template);
        }
      });
    }
  }

  it('only a plain reference to an unset variable is listed as unset', () => {
    expect(interpolate('$NOPE', lookup).unset).toEqual(['NOPE']);
    expect(interpolate('${NOPE}', lookup).unset).toEqual(['NOPE']);
    expect(interpolate('${EMPTY}', lookup).unset).toEqual([]);
    for (const t of ['${NOPE:-d}', '${NOPE-d}', '${NOPE:+r}', '${NOPE+r}', '${EMPTY:+r}']) {
      expect(interpolate(t, lookup).unset, t).toEqual([]);
    }
  });
});

describe('interpolate: escapes, names and literals', () => {
  it('$$ is a literal dollar and is not interpolated further', () => {
    expect(interpolate('$$', env).value).toBe('$');
    expect(interpolate('$${foo}', env)).toEqual({ value: '${foo}', variables: [], unset: [] });
    expect(interpolate('$$FOO', env)).toEqual({ value: '$FOO', variables: [], unset: [] });
    expect(interpolate('$$$FOO', env).value).toBe('$first');
    expect(interpolate('a$$$$b', env).value).toBe('a$$b');
  });

  it('an unbraced name is greedy', () => {
    const r = interpolate('$PORT_80', envOf({ PORT: '1', PORT_80: '8080' }));
    expect(r.value).toBe('8080');
    expect(r.variables).toEqual(['PORT_80']);
    expect(interpolate('$PORT_80', envOf({ PORT: '1' })).value).toBe('');
  });

  it('an unbraced name stops at the first non-name character', () => {
    expect(interpolate('$FOO-bar', env).value).toBe('first-bar');
    expect(interpolate('$FOO:80', env).value).toBe('first:80');
    expect(interpolate('$FOO.x', env).value).toBe('first.x');
    expect(interpolate('${FOO}bar', env).value).toBe('firstbar');
    expect(interpolate('This $FOO var', env).value).toBe('This first var');
  });

  it('lower-case names are accepted but lookup is case-sensitive', () => {
    const r = interpolate('${foo}:$foo', env);
    expect(r.value).toBe(':');
    expect(r.variables).toEqual(['foo']);
    expect(r.unset).toEqual(['foo']);
    expect(interpolate('${port}', envOf({ port: '81', PORT: '82' })).value).toBe('81');
  });

  it('leaves $1, a lone $, $} and other non-names literally', () => {
    for (const t of ['$1', 'a $ string', '^REGEX$', '$}', '$', '$-x', '80$', '$ {FOO}', '$.x']) {
      expect(interpolate(t, env), t).toEqual({ value: t, variables: [], unset: [] });
    }
    expect(interpolate('$1:$FOO', env).value).toBe('$1:first');
  });

  it('folds case the way compose does: the Kelvin sign starts a name', () => {
    const r = interpolate('$\u212Aa', envOf({ '\u212Aa': 'kelvin' }));
    expect(r.value).toBe('kelvin');
    expect(r.variables).toEqual(['\u212Aa']);
  });

  it('a string without $ comes back unchanged and never calls lookup', () => {
    let calls = 0;
    const counting: Lookup = () => {
      calls++;
      return 'x';
    };
    const r = interpolate('127.0.0.1:8080:80/tcp', counting);
    expect(r).toEqual({ value: '127.0.0.1:8080:80/tcp', variables: [], unset: [] });
    expect(calls).toBe(0);
  });
});

describe('interpolate: errors', () => {
  for (const t of ['${1}', '${ foo}', '${foo }', '${foo!}', '${}', '${', '${ }', '${foo:bar}', '${foo:}', 'x ${']) {
    it(`${JSON.stringify(t)} is an invalid interpolation`, () => {
      const r = interpolate(t, env);
      expect(r.error).toBe(invalid(t));
      expect(r.value).toBe(t);
    });
  }

  it('names the path in the message', () => {
    expect(interpolate('${1}:80', env, 'services.web.ports.[]').error).toBe(
      'invalid interpolation format for services.web.ports.[].\nYou may need to escape any $ with another $.\n${1}:80',
    );
  });

  it('an operator whose closing brace is not on the same line is invalid', () => {
    expect(interpolate('${A:-a\nb}', env).error).toBe(invalid('${A:-a\nb}'));
    expect(interpolate('${A:-x}\n${B:-y}', env).value).toBe('x\ny');
  });

  it('an invalid expression after a completed one reports only the text compose re-scans', () => {
    // compose interpolates what follows the first balanced `}` as a separate string.
    expect(interpolate('${A:-x} ${ B}', env).error).toBe(invalid(' ${ B}'));
    // Without an operator the expression ends at its own brace, so the whole value is reported.
    expect(interpolate('${FOO} ${ B}', env).error).toBe(invalid('${FOO} ${ B}'));
  });

  it('an invalid expression nested in a default reports the default', () => {
    expect(interpolate('${A:-${ B}}', env).error).toBe(invalid('${ B}'));
  });

  it('defaults are interpolated even when unused, so their errors still count', () => {
    expect(interpolate('${FOO:-${ x}}', env).error).toBe(invalid('${ x}'));
    expect(interpolate('${FOO:-${NOPE:?boom}}', env).error).toBe('required variable NOPE is missing a value: boom');
  });

  it('required-variable messages, with and without text', () => {
    expect(interpolate('not ok ${UNSET_VAR:?Mandatory Variable Unset}', env).error).toBe(
      'required variable UNSET_VAR is missing a value: Mandatory Variable Unset',
    );
    expect(interpolate('not ok ${BAR:?Mandatory Variable Empty}', env).error).toBe(
      'required variable BAR is missing a value: Mandatory Variable Empty',
    );
    expect(interpolate('not ok ${UNSET_VAR:?}', env).error).toBe('required variable UNSET_VAR is missing a value');
    expect(interpolate('not ok ${UNSET_VAR?}', env).error).toBe('required variable UNSET_VAR is missing a value');
    expect(interpolate('ok ${FOO:?err}', env)).toEqual({ value: 'ok first', variables: ['FOO'], unset: [] });
    expect(interpolate('ok ${BAR?err}', env).value).toBe('ok ');
  });

  it('the required message is itself interpolated', () => {
    expect(interpolate('${UNSET_VAR:?Mandatory Variable ${FOO}}', env).error).toBe(
      'required variable UNSET_VAR is missing a value: Mandatory Variable first',
    );
    expect(interpolate('${UNSET_VAR?need $FOO}', env).error).toBe(
      'required variable UNSET_VAR is missing a value: need first',
    );
  });
});

describe('interpolate: nesting and the first-operator rule', () => {
  it('nested defaults', () => {
    expect(interpolate('${A:-${B:-8080}}', env).value).toBe('8080');
    expect(interpolate('${A:-${B:-8080}}', envOf({ B: '9090' })).value).toBe('9090');
    expect(interpolate('${A:-${B:-8080}}', envOf({ A: '7070', B: '9090' })).value).toBe('7070');
    expect(interpolate('${A:-${B:-${C:-c}}}:80', envOf({ C: '' })).value).toBe('c:80');
  });

  it('defaults and replacements may hold several references', () => {
    expect(interpolate('ok ${UNSET_VAR-$FOO}', env).value).toBe('ok first');
    expect(interpolate('ok ${UNSET_VAR-${FOO} ${FOO}}', env).value).toBe('ok first first');
    expect(interpolate('ok ${BAR:-${FOO} ${FOO}}', env).value).toBe('ok first first');
    expect(interpolate('ok ${BAR+$FOO ${FOO:+second}}', env).value).toBe('ok first second');
    expect(interpolate('+ok ${UNSET:-${BAR-defaultValue}}', env).value).toBe('+ok ');
  });

  it('only the first operator in the expression counts', () => {
    expect(interpolate('ok ${BAR:-/non:-alphanumeric}', env).value).toBe('ok /non:-alphanumeric');
    expect(interpolate('${UNSET_VAR-myerror?msg}', env).value).toBe('myerror?msg');
    expect(interpolate('${UNSET_VAR?bar-baz}', env).error).toBe('required variable UNSET_VAR is missing a value: bar-baz');
    expect(interpolate('${FOO?bar-baz}', env).value).toBe('first');
    expect(interpolate('${FOO:+a:-b}', env).value).toBe('a:-b');
    expect(interpolate('${NOPE-a:+b}', env).value).toBe('a:+b');
  });

  it('text around and between expressions is kept', () => {
    expect(interpolate(':-ok ${UNSET-defaultValue}', env).value).toBe(':-ok defaultValue');
    expect(interpolate(':?ok ${BAR:-defaultValue}', env).value).toBe(':?ok defaultValue');
    expect(interpolate('ok ${SUBDOMAIN:-redis}.${FOO:?}', env).value).toBe('ok redis.first');
    expect(interpolate('${HOST_IP:-127.0.0.1}:${PORT:-8080}:80', envOf({ PORT: '9000' })).value).toBe(
      '127.0.0.1:9000:80',
    );
  });

  it('braces inside a default', () => {
    expect(interpolate('ok ${missing:-{"json":1}}', env).value).toBe('ok {"json":1}');
    expect(interpolate('ok ${FOO:-{"json":1}}', env).value).toBe('ok first');
    expect(interpolate('${missing:-a}}', env).value).toBe('a}');
  });
});

describe('interpolate: variables and unset bookkeeping', () => {
  it('lists every referenced name once, in order', () => {
    const r = interpolate('${B}$A${B:-x}${C:+${A}}', envOf({ A: '1', C: '' }));
    expect(r.variables).toEqual(['B', 'A', 'C']);
    expect(r.unset).toEqual(['B']);
    expect(r.value).toBe('1x');
  });

  it('lists unset plain references once each', () => {
    const r = interpolate('$X:$Y:${X}', env);
    expect(r.value).toBe('::');
    expect(r.unset).toEqual(['X', 'Y']);
  });

  it('a default referencing an unset variable reports it, even when the default is not used', () => {
    expect(interpolate('${A:-$B}', env)).toEqual({ value: '', variables: ['A', 'B'], unset: ['B'] });
    // compose evaluates the default eagerly and warns about B here too.
    expect(interpolate('${FOO:-$B}', env)).toEqual({ value: 'first', variables: ['FOO', 'B'], unset: ['B'] });
    expect(interpolate('${A:+${A},}B', env)).toEqual({ value: 'B', variables: ['A'], unset: ['A'] });
  });

  it('keeps what it saw when it fails', () => {
    const r = interpolate('$NOPE:${REQ:?x}', env);
    expect(r.error).toBe('required variable REQ is missing a value: x');
    expect(r.variables).toEqual(['NOPE', 'REQ']);
    expect(r.unset).toEqual(['NOPE']);
  });
});

describe('hasInterpolation', () => {
  it('is true only for a $ that is not part of $$', () => {
    expect(hasInterpolation('8080:80')).toBe(false);
    expect(hasInterpolation('')).toBe(false);
    expect(hasInterpolation('$$')).toBe(false);
    expect(hasInterpolation('a$$b$$')).toBe(false);
    expect(hasInterpolation('$${PORT}')).toBe(false);
    expect(hasInterpolation('$PORT')).toBe(true);
    expect(hasInterpolation('${PORT}:80')).toBe(true);
    expect(hasInterpolation('$$$PORT')).toBe(true);
    expect(hasInterpolation('80$')).toBe(true);
  });
});
