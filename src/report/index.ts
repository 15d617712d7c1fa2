/**
 * The output formats of `portlint check`, by name. The CI formats are loaded only when asked
 * for, so the default stylish output does not pay for them.
 */
import { packageRoot, version } from '../version';
import { writeFileAtomic } from '../util/fs';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatJson, formatStylish, type Report } from './format';
import type { RuleInfo } from './sarif';

export const FORMATS = ['stylish', 'json', 'sarif', 'github', 'gitlab', 'junit'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface RenderOptions {
  /** ANSI colours (stylish only). */
  color: boolean;
}

/** Renders the report in the named format. */
export function renderReport(name: FormatName, report: Report, opts: RenderOptions): string {
  switch (name) {
    case 'stylish':
      return formatStylish(report, opts.color);
    case 'json':
      return formatJson(report);
    case 'sarif': {
      const { formatSarif } = require('./sarif') as typeof import('./sarif');
      return formatSarif(report, { root: findRepoRoot(report.cwd), toolVersion: version, rules: ruleInfos() });
    }
    case 'github': {
      const { formatGithub } = require('./github') as typeof import('./github');
      return formatGithub(report, { root: findRepoRoot(report.cwd) });
    }
    case 'gitlab': {
      const { formatGitlab } = require('./gitlab') as typeof import('./gitlab');
      return formatGitlab(report, { root: findRepoRoot(report.cwd) });
    }
    case 'junit': {
      const { formatJunit } = require('./junit') as typeof import('./junit');
      return formatJunit(report, { root: findRepoRoot(report.cwd) });
    }
  }
}

/**
 * The directory CI paths are relative to: the nearest folder at or above `cwd` that holds
 * `.git` (a repository or worktree), else `cwd` itself.
 */
export function findRepoRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; ) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

/** Every rule of the catalogue with its documentation page (when the package ships it). */
function ruleInfos(): RuleInfo[] {
  const { catalogue } = require('../../rules') as typeof import('../../rules');
  const root = packageRoot();
  return catalogue.map((rule) => {
    let markdown: string | undefined;
    try {
      markdown = readFileSync(join(root, rule.meta.docs), 'utf8');
    } catch {
      markdown = undefined;
    }
    return { id: rule.meta.id, description: rule.meta.description, defaultSeverity: rule.meta.defaultSeverity, docs: rule.meta.docs, markdown };
  });
}

/**
 * Writes the report to a file atomically: a temporary file in the same folder, then a rename,
 * so a reader (or a CI upload step) never sees half a report. Parent folders are created.
 */
export function writeOutputFile(file: string, text: string): void {
  const target = resolve(file);
  mkdirSync(dirname(target), { recursive: true });
  writeFileAtomic(target, text);
}
