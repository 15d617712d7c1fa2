/**
 * Loads every compose file of a third-party corpus, each as its own project, to catch
 * crashes, unlocated errors and silent regressions. The corpus is not part of the
 * repository: point PORTLINT_CORPUS at its directory to run these tests.
 */
import { dirname, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadError } from '../src/model/types';
import { load, yamlFilesUnder } from './helpers';

const CORPUS = process.env.PORTLINT_CORPUS;

/** Errors without a position are allowed only for files that could not be read at all. */
const UNREADABLE = /cannot read|couldn't find env file|no such file|is a directory/;

/** The one corpus file the YAML parser rejects (its README says so). */
const YAML_ERROR_FILES = ['bitnami-containers/bitnami/nginx/docker-compose.yml'];

/** Corpus files without any document content. */
const EMPTY_FILES = ['compose-go-testdata/loader/testdata/empty.yaml', 'opentelemetry-demo/compose.extras.yaml'];

interface Outcome {
  file: string;
  crash?: string;
  errors: LoadError[];
  bindings: number;
  projects: number;
}

const suite = CORPUS ? describe : describe.skip;

suite(CORPUS ? `corpus at ${CORPUS}` : 'corpus (skipped: set PORTLINT_CORPUS to the corpus directory to run)', () => {
  const root = CORPUS ?? '';
  let outcomes: Outcome[] = [];

  beforeAll(() => {
    outcomes = yamlFilesUnder(root).map((file) => {
      try {
        const r = load({ cwd: dirname(file), files: [file] });
        return { file, errors: r.errors, bindings: r.projects.reduce((n, p) => n + p.bindings.reduce((k, b) => k + b.count, 0), 0), projects: r.projects.length };
      } catch (e) {
        return { file, crash: (e as Error).stack ?? String(e), errors: [], bindings: 0, projects: 0 };
      }
    });
  });

  const rel = (f: string) => relative(root, f);

  it('finds the compose files', () => {
    expect(outcomes.length).toBeGreaterThan(100);
  });

  it('loads every file without an exception, each as one project', () => {
    expect(outcomes.filter((o) => o.crash).map((o) => `${rel(o.file)}: ${o.crash}`)).toEqual([]);
    expect(outcomes.filter((o) => o.projects !== 1).map((o) => rel(o.file))).toEqual([]);
  });

  it('every error is located (line >= 1, column >= 1) unless a file could not be read at all', () => {
    const unlocated = outcomes.flatMap((o) =>
      o.errors.filter((e) => !(e.line >= 1 && e.column >= 1) && !UNREADABLE.test(e.message)).map((e) => `${rel(o.file)}: ${rel(e.file)}:${e.line}:${e.column} ${e.message}`),
    );
    expect(unlocated).toEqual([]);
  });

  it(`only ${YAML_ERROR_FILES.join(', ')} has a YAML error`, () => {
    const yamlErrors = outcomes.filter((o) => o.errors.some((e) => e.file === o.file && e.message.startsWith('not valid YAML'))).map((o) => rel(o.file));
    expect(yamlErrors).toEqual(YAML_ERROR_FILES);
    const nginx = outcomes.find((o) => rel(o.file) === YAML_ERROR_FILES[0])!;
    expect(nginx.errors[0]).toMatchObject({ line: 3, column: 3 });
  });

  it(`the empty files report "empty compose file": ${EMPTY_FILES.join(', ')}`, () => {
    const empty = outcomes.filter((o) => o.errors.some((e) => e.file === o.file && e.message.includes('empty compose file'))).map((o) => rel(o.file));
    expect(empty).toEqual(EMPTY_FILES);
  });

  it('no other file has an error of its own', () => {
    const others = outcomes
      .filter((o) => !YAML_ERROR_FILES.includes(rel(o.file)) && !EMPTY_FILES.includes(rel(o.file)))
      .flatMap((o) => o.errors.map((e) => `${rel(o.file)}: ${rel(e.file)}:${e.line}:${e.column} ${e.message}`));
    expect(others).toEqual([]);
  });

  it('yields a realistic number of Engine bindings (631 when this test was written; a run counts its ports)', () => {
    const total = outcomes.reduce((n, o) => n + o.bindings, 0);
    expect(total).toBeGreaterThan(500);
  });
});
