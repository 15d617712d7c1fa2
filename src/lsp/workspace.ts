/**
 * What the language server knows, without the protocol: the open documents, one file cache
 * that lives as long as the server (a file on disk is read again only when it changed, an open
 * document's unsaved text stands in for its file), and the last lint of every open document.
 * A document is linted as `portlint check --stdin --stdin-filename <file>` lints it: the project
 * of its folder (its .env, override files, include and extends as on disk), the nearest
 * configuration file, the whole catalogue.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { engineSettings } from '../cli/commands/check';
import { lintPrepared, prepareCheck } from '../cli/config-run';
import { UsageError } from '../cli/shared';
import type { Finding } from '../engine/run';
import { CONFIG_FILE_NAMES } from '../config/load';
import { FileCache } from '../load/project';
import { isComposeFileName, OVERRIDE_FILE_NAMES } from '../load/select';
import type { SelectOptions } from '../load';
import type { LoadError, Project } from '../model/types';

export interface DocumentLint {
  file: string;
  /** The document version the lint was made of. */
  version: number;
  /** The text it was made of (positions of its findings refer to it). */
  text: string;
  /** Every finding of the document's projects, in whichever file. */
  findings: Finding[];
  /** Files that could not be read or parsed, and a broken configuration (file: the configuration file). */
  errors: LoadError[];
  projects: Project[];
  /** The files the lint read or looked for: a change to one of them may change it. */
  dependencies: Set<string>;
}

interface OpenDocument {
  text: string;
  version: number;
}


export class LintWorkspace {
  private readonly cache = new FileCache({ revalidate: true });
  private readonly documents = new Map<string, OpenDocument>();
  private readonly lints = new Map<string, DocumentLint>();

  constructor(private readonly env: Record<string, string | undefined> = process.env) {}

  /** An opened or edited document: its text stands in for the file from now on. */
  setDocument(file: string, text: string, version: number): void {
    this.documents.set(file, { text, version });
    this.cache.inject(file, text);
  }

  closeDocument(file: string): void {
    this.documents.delete(file);
    this.lints.delete(file);
    this.cache.release(file);
  }

  isOpen(file: string): boolean {
    return this.documents.has(file);
  }

  openFiles(): string[] {
    return [...this.documents.keys()];
  }

  /** The last lint of an open document. */
  lastLint(file: string): DocumentLint | undefined {
    return this.lints.get(file);
  }

  /** Lints an open document as it is now. */
  lint(file: string): DocumentLint {
    const doc = this.documents.get(file);
    if (!doc) throw new Error(`${file} is not open`);
    const lint = this.lintText(file, doc.text, this.cache);
    const result = { ...lint, version: doc.version, text: doc.text };
    this.lints.set(file, result);
    return result;
  }

  /**
   * The lint of `file` with `text` in its place, read through `cache` (the fixer lints texts
   * of its own this way); the open documents' texts stand in for their files as usual.
   */
  lintText(file: string, text: string, cache: FileCache): Omit<DocumentLint, 'version' | 'text'> {
    const cwd = dirname(file);
    const select: SelectOptions = { cwd, env: this.env, paths: [], files: [], envFiles: [], profiles: [] };
    const dependencies = new Set<string>([file, resolve(cwd, '.env')]);
    for (let dir = cwd; ; dir = dirname(dir)) {
      for (const name of CONFIG_FILE_NAMES) dependencies.add(resolve(dir, name));
      if (dirname(dir) === dir) break;
    }
    try {
      const prepared = prepareCheck(select, { stdin: true, stdinFilename: file, stdinText: text }, engineSettings([], { platform: 'all', rootless: false }), false, cache);
      const { result } = prepared;
      if (result.fatal) return { file, findings: [], errors: [{ file, line: 0, column: 0, message: result.fatal }], projects: [], dependencies };
      const findings = lintPrepared(prepared, false);
      for (const p of result.projects) {
        for (const f of p.files) dependencies.add(f);
        for (const f of siblingsOf(p)) dependencies.add(f);
        for (const origin of p.variableOrigins?.values() ?? []) dependencies.add(origin.file);
        for (const s of p.services) {
          dependencies.add(s.loc.file);
          for (const item of s.ports) dependencies.add(item.loc.file);
        }
      }
      for (const e of result.errors) dependencies.add(e.file);
      return { file, findings, errors: result.errors, projects: result.projects, dependencies };
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      // A broken configuration file: its messages name the file first.
      const shown = /^(.+?):(?:\d+:\d+:)? /.exec(e.message)?.[1];
      return { file, findings: [], errors: [{ file: shown ? resolve(cwd, shown) : file, line: 0, column: 0, message: e.message }], projects: [], dependencies };
    }
  }

  /**
   * The open documents whose lint a change to these files may change: those that read or looked
   * for one of them, and those in the folder of a compose file that appeared (a new override file).
   */
  affectedBy(changed: readonly string[]): string[] {
    const files = new Set(changed);
    const dirs = new Set(changed.filter((f) => isComposeFileName(basename(f))).map((f) => dirname(f)));
    return this.openFiles().filter((open) => {
      const lint = this.lints.get(open);
      if (!lint) return true;
      for (const f of files) if (lint.dependencies.has(f)) return true;
      return dirs.has(dirname(open));
    });
  }

  /** A file cache of the given texts over this workspace's (for fixing in memory). */
  cacheWith(texts: ReadonlyMap<string, string>): FileCache {
    const cache = new FileCache({ revalidate: true });
    for (const [file, doc] of this.documents) cache.inject(file, doc.text);
    for (const [file, text] of texts) cache.inject(file, text);
    return cache;
  }
}

/** The override files that could appear beside a project's compose files: creating one changes the project. */
function siblingsOf(p: Project): string[] {
  return p.files.flatMap((f) => OVERRIDE_FILE_NAMES.map((name) => join(dirname(f), name)));
}
