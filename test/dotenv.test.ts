import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { describe, it, expect, beforeAll, afterAll } from 'vitest';

import { parseDotEnv, readEnvFiles } from '../src/load/dotenv';
import type { Lookup } from '../src/load/interpolate';

const envOf =
  (vars: Record<string, string>): Lookup =>
  (name) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;

const none: Lookup = () => undefined;

/** Parses and returns the variables as a plain object (asserting there was no error). */
function vars(text: string, lookup: Lookup = none): Record<string, string> {
  const r = parseDotEnv(text, lookup);
  expect(r.errors).toEqual([]);
  return Object.fromEntries(r.vars);
}

/** The single value of a one-statement text. */
function one(text: string, key: string, lookup: Lookup = none): string | undefined {
  return vars(text, lookup)[key];
}

describe('parseDotEnv: statements', () => {
  it('reads KEY=VALUE lines and skips blank and comment lines', () => {
    expect(vars('# comment\n\nA=1\n   # indented comment\n\t\nB=2\n')).toEqual({ A: '1', B: '2' });
  });

  it('accepts Windows line endings', () => {
    expect(vars('A=1\r\nB="two"\r\n\r\nC=3')).toEqual({ A: '1', B: 'two', C: '3' });
  });

  it('drops whitespace around the key and before the value', () => {
    expect(one('FOO =bar', 'FOO')).toBe('bar');
    expect(one('FOO= bar', 'FOO')).toBe('bar');
    expect(one('   KEY = value  ', 'KEY')).toBe('value');
    expect(one('\tKEY=value', 'KEY')).toBe('value');
  });

  it('understands the export prefix', () => {
    expect(vars('export OPTION_A=2')).toEqual({ OPTION_A: '2' });
    expect(vars('export\tOPTION_A=2')).toEqual({ OPTION_A: '2' });
    expect(vars('  export OPTION_A=2')).toEqual({ OPTION_A: '2' });
    expect(vars('export exportFoo=2')).toEqual({ exportFoo: '2' });
    expect(vars('exportFOO=2')).toEqual({ exportFOO: '2' });
    expect(vars('export_FOO =2')).toEqual({ export_FOO: '2' });
    expect(vars('export.FOO= 2')).toEqual({ 'export.FOO': '2' });
  });

  it('accepts the YAML-like KEY: VALUE form', () => {
    expect(vars('OPTION_A: 1')).toEqual({ OPTION_A: '1' });
    expect(vars('OPTION_A: Foo=bar')).toEqual({ OPTION_A: 'Foo=bar' });
    expect(vars('OPTION_A=1:B')).toEqual({ OPTION_A: '1:B' });
    expect(vars('OPTION_A=postgres://localhost:5432/db?sslmode=disable')).toEqual({
      OPTION_A: 'postgres://localhost:5432/db?sslmode=disable',
    });
  });

  it('accepts dots, dashes, brackets and non-ASCII letters in keys', () => {
    expect(vars('a=b\na[1]=c\na.propertyKey=d\nárvíztűrő-TÜKÖRFÚRÓGÉP=ÁRVÍZTŰRŐ-tükörfúrógép\n')).toEqual({
      a: 'b',
      'a[1]': 'c',
      'a.propertyKey': 'd',
      'árvíztűrő-TÜKÖRFÚRÓGÉP': 'ÁRVÍZTŰRŐ-tükörfúrógép',
    });
  });

  it('a later line overrides an earlier one', () => {
    expect(vars('A=1\nA=2')).toEqual({ A: '2' });
  });

  it('ignores a UTF-8 byte order mark', () => {
    expect(vars('\uFEFFA=1')).toEqual({ A: '1' });
  });

  it('takes a bare KEY from the lookup when it has one', () => {
    const lookup = envOf({ FROM_ENV: 'value', EMPTY: '' });
    expect(vars('FROM_ENV\nEMPTY\nMISSING\nB=2\n', lookup)).toEqual({ FROM_ENV: 'value', EMPTY: '', B: '2' });
    expect(vars('export FROM_ENV\n', lookup)).toEqual({ FROM_ENV: 'value' });
    expect(vars('FROM_ENV', lookup)).toEqual({ FROM_ENV: 'value' });
  });
});

describe('parseDotEnv: unquoted values', () => {
  it('trims trailing whitespace', () => {
    expect(one('FOO=bar   ', 'FOO')).toBe('bar');
    expect(one('FOO=a b c\t', 'FOO')).toBe('a b c');
  });

  it('an inline comment starts at " #"', () => {
    expect(one('FOO=bar # this is foo', 'FOO')).toBe('bar');
    expect(one('FOO=bar#baz', 'FOO')).toBe('bar#baz');
    expect(one('FOO=bar\t#baz', 'FOO')).toBe('bar\t#baz');
    // The blanks before the value are dropped first, so this `#` has no space before it.
    expect(one('FOO= #notacomment', 'FOO')).toBe('#notacomment');
  });

  it('an empty value is the empty string', () => {
    expect(vars('A=\nB=')).toEqual({ A: '', B: '' });
    expect(vars('A=   \nB=1')).toEqual({ A: '', B: '1' });
  });

  it('keeps quotes that do not open the value', () => {
    expect(one(`key=va"lu"e`, 'key')).toBe('va"lu"e');
    expect(one(`key=it's`, 'key')).toBe("it's");
  });
});

describe('parseDotEnv: quoted values', () => {
  it('strips the quotes', () => {
    expect(vars(`ONE=1\nTWO='2'\nTHREE = "3"`)).toEqual({ ONE: '1', TWO: '2', THREE: '3' });
    expect(vars(`A=""\nB=''`)).toEqual({ A: '', B: '' });
  });

  it('keeps # inside quotes and ignores a comment after them', () => {
    expect(one(`FOO="bar#baz" # comment`, 'FOO')).toBe('bar#baz');
    expect(one(`FOO='bar#baz' # comment`, 'FOO')).toBe('bar#baz');
    expect(one(`FOO="ba #r"`, 'FOO')).toBe('ba #r');
  });

  it('single-quoted values are literal except for an escaped single quote', () => {
    expect(one(`OPTION_B='\\n'`, 'OPTION_B')).toBe('\\n');
    expect(one("A='quote $FOO ${FOO}'", 'A', envOf({ FOO: 'x' }))).toBe('quote $FOO ${FOO}');
    expect(one(`A='it\\'s'`, 'A')).toBe("it's");
    expect(one(`A='"d"'`, 'A')).toBe('"d"');
  });

  it('double-quoted values expand escapes', () => {
    expect(one(`FOO="bar\\nbaz"`, 'FOO')).toBe('bar\nbaz');
    expect(one(`FOO="escaped\\"bar"`, 'FOO')).toBe('escaped"bar');
    expect(one(`FOO="a\\\\b"`, 'FOO')).toBe('a\\b');
    expect(one(`FOO="tab\\there\\r"`, 'FOO')).toBe('tab\there\r');
    expect(one(`FOO="\\a\\b\\f\\v"`, 'FOO')).toBe('\x07\b\f\v');
    expect(one(`FOO="\\0101\\0102"`, 'FOO')).toBe('AB');
    expect(one(`FOO="'d'"`, 'FOO')).toBe(`'d'`);
  });

  it('double-quoted values keep unknown escapes as written', () => {
    expect(one(`FOO="\\x41\\u0041\\q"`, 'FOO')).toBe('\\x41\\u0041\\q');
  });

  it('a backslash before the closing quote does not hide it when itself escaped', () => {
    expect(vars(`A="a\\\\"\nB=2`)).toEqual({ A: 'a\\', B: '2' });
  });

  it('double-quoted values may span lines', () => {
    const text = 'OPTION_J="first line\nsecond line\nthird line\nand so on"\nOPTION_Z=last value\n';
    expect(vars(text)).toEqual({
      OPTION_J: 'first line\nsecond line\nthird line\nand so on',
      OPTION_Z: 'last value',
    });
  });

  it('line numbers stay right after a multi-line value', () => {
    const r = parseDotEnv('A="1\n2\n3"\nB=ok\nC D=x\n', none);
    expect(r.vars.get('A')).toBe('1\n2\n3');
    expect(r.vars.get('B')).toBe('ok');
    expect(r.errors).toEqual([{ line: 5, message: 'key cannot contain a space' }]);
  });
});

describe('parseDotEnv: interpolation', () => {
  it('expands earlier entries in unquoted and double-quoted values', () => {
    expect(vars('FOO=test\nBAR=$FOO')).toEqual({ FOO: 'test', BAR: 'test' });
    expect(vars('FOO=test\nBAR=${FOO}bar')).toEqual({ FOO: 'test', BAR: 'testbar' });
    expect(vars('FOO=test\nBAR="quote $FOO"')).toEqual({ FOO: 'test', BAR: 'quote test' });
  });

  it('an unknown name expands to the empty string', () => {
    expect(vars('BAR=$FOO')).toEqual({ BAR: '' });
  });

  it('a later entry is not visible to an earlier line', () => {
    expect(vars('A=$B\nB=1')).toEqual({ A: '', B: '1' });
  });

  it('the lookup wins over an earlier entry of the file', () => {
    expect(vars('PORT=1\nP=${PORT}', envOf({ PORT: '9' }))).toEqual({ PORT: '1', P: '9' });
    expect(vars('P=${PORT:-8080}', envOf({}))).toEqual({ P: '8080' });
    expect(vars('HOST=0.0.0.0\nBIND=${HOST}:${PORT:-80}', envOf({ PORT: '81' }))).toEqual({
      HOST: '0.0.0.0',
      BIND: '0.0.0.0:81',
    });
  });

  it('supports the operators and nesting', () => {
    expect(vars('A=${NOPE:-${ALSO:-deep}}\nB=${A:+set}\nC=${EMPTY-x}', envOf({ EMPTY: '' }))).toEqual({
      A: 'deep',
      B: 'set',
      C: '',
    });
  });

  it('escaped dollars stay literal', () => {
    const lookup = envOf({ BAR: 'no' });
    expect(one('FOO="foo\\$BAR"', 'FOO', lookup)).toBe('foo$BAR');
    expect(one('FOO="foo\\${BAR}"', 'FOO', lookup)).toBe('foo${BAR}');
    expect(one('FOO=foo$$BAR', 'FOO', lookup)).toBe('foo$BAR');
    expect(vars('FOO=test\nBAR="foo\\${FOO} ${FOO}"')).toEqual({ FOO: 'test', BAR: 'foo${FOO} test' });
  });
});

describe('parseDotEnv: invalid lines', () => {
  it('reports a bad key character with its line and goes on', () => {
    const r = parseDotEnv('A=1\n%!(EXTRA string)=foo\nB=2\n', none);
    expect(r.errors).toEqual([
      { line: 2, message: 'unexpected character "%" in variable name "%!(EXTRA string)=foo"' },
    ]);
    expect(Object.fromEntries(r.vars)).toEqual({ A: '1', B: '2' });
  });

  it('reports a key with a space', () => {
    const r = parseDotEnv('MY KEY=1\nOK=1', none);
    expect(r.errors).toEqual([{ line: 1, message: 'key cannot contain a space' }]);
    expect(Object.fromEntries(r.vars)).toEqual({ OK: '1' });
  });

  it('reports an unterminated quote and resumes on the next line', () => {
    const r = parseDotEnv('A=1\nB="open\nC=3\n', none);
    expect(r.errors).toEqual([{ line: 2, message: 'unterminated quoted value "open' }]);
    expect(Object.fromEntries(r.vars)).toEqual({ A: '1', C: '3' });
  });

  it('reports interpolation errors in compose .env wording', () => {
    const r = parseDotEnv('A=${\nB="${ x}"\nC=${NEED:?set NEED}\nD=${NEED2?}\nE=ok', none);
    expect(r.errors).toEqual([
      { line: 1, message: 'Invalid template: "${"' },
      { line: 2, message: 'Invalid template: "${ x}"' },
      { line: 3, message: 'required variable NEED is missing a value: set NEED' },
      { line: 4, message: 'required variable NEED2 is missing a value' },
    ]);
    expect(Object.fromEntries(r.vars)).toEqual({ E: 'ok' });
  });
});

describe('readEnvFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portlint-dotenv-'));
    fs.writeFileSync(path.join(dir, 'base.env'), 'PORT=8080\nHOST=127.0.0.1\nONLY_BASE=1\n');
    fs.writeFileSync(path.join(dir, 'override.env'), 'PORT=9090\nBIND=${HOST}:${PORT}\nbad key=1\n');
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('merges files in order, later ones overriding earlier ones', () => {
    const r = readEnvFiles([path.join(dir, 'base.env'), path.join(dir, 'override.env')], none);
    expect(Object.fromEntries(r.vars)).toEqual({
      PORT: '9090',
      HOST: '127.0.0.1',
      ONLY_BASE: '1',
      // ${PORT} resolves through the earlier file before this file's own PORT line, as in compose.
      BIND: '127.0.0.1:8080',
    });
    expect(r.errors).toEqual([
      { file: path.join(dir, 'override.env'), line: 3, message: 'key cannot contain a space' },
    ]);
  });

  it('the lookup comes first when resolving names', () => {
    const r = readEnvFiles([path.join(dir, 'base.env'), path.join(dir, 'override.env')], envOf({ HOST: '::1' }));
    expect(r.vars.get('BIND')).toBe('::1:8080');
    expect(r.vars.get('HOST')).toBe('127.0.0.1');
  });

  it('a missing file is an error and the other files are still read', () => {
    const missing = path.join(dir, 'nope.env');
    const r = readEnvFiles([missing, path.join(dir, 'base.env')], none);
    expect(r.errors).toEqual([{ file: missing, line: 0, message: `couldn't find env file: ${missing}` }]);
    expect(r.vars.get('PORT')).toBe('8080');
  });

  it('a directory is an error', () => {
    const r = readEnvFiles([dir], none);
    expect(r.errors).toEqual([{ file: dir, line: 0, message: `${dir} is a directory` }]);
    expect(r.vars.size).toBe(0);
  });
});
