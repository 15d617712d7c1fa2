/**
 * `check --fix` and `check --fix-dry-run`: the flags, and the run that lints, fixes in memory,
 * then writes the files (or prints the diff) and hands back the findings that remain.
 */
import type { Command } from 'commander';
import { FileCache } from '../load/project';
import { planDiff, planFixes, withReasons, writeFixes, type LintRun } from '../fix/fixer';
import { displayPath } from '../report/paths';
import { UsageError, warn as warnOnStderr, write } from './shared';

export interface FixOptionValues {
  fix?: boolean;
  fixDryRun?: boolean;
  stdin?: boolean;
}

export function addFixOptions(cmd: Command): Command {
  return cmd
    .option('--fix', 'fix what can be fixed in place (bind unbound publishes to 127.0.0.1, quote YAML 1.1 numbers), then report what remains')
    .option('--fix-dry-run', 'print the fixes as a unified diff instead of writing them (the report goes to -o only)');
}

/** True when this run fixes; a usage error for combinations that cannot work. */
export function fixRequested(o: FixOptionValues): boolean {
  if (o.fix && o.fixDryRun) throw new UsageError('use either --fix or --fix-dry-run, not both');
  if ((o.fix || o.fixDryRun) && o.stdin) throw new UsageError('--fix and --fix-dry-run rewrite files; they do not work with --stdin');
  return !!(o.fix || o.fixDryRun);
}

export interface FixRunResult<T extends LintRun> {
  /** The lint of the files as they are after fixing (as they would be, for a dry run). */
  run: T;
  /** True when a file could not be written: the exit code is then 2. */
  failed: boolean;
}

const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

/**
 * Fixes (or, with `dryRun`, prints the diff of) what the findings of `lint` offer. Progress and
 * problems go to standard error, so standard output holds only the report, or only the diff.
 */
export function runFix<T extends LintRun>(
  lint: (cache: FileCache) => T,
  o: {
    dryRun: boolean;
    cwd: string;
    /** The lint already made of the files on disk, and the files it read. */
    first?: { cache: FileCache; run: T };
    /** Runs just before each file is written (tests). */
    beforeWrite?: (file: string) => void;
    /** Where progress and problems go (default: standard error). */
    warn?: (line: string) => void;
  },
): FixRunResult<T> {
  const warn = o.warn ?? warnOnStderr;
  const plan = planFixes(lint, o.first);
  const total = plan.files.reduce((n, f) => n + f.fixes, 0);
  for (const r of plan.reverted) warn(`portlint: not fixed: ${displayPath(r.file, o.cwd)}: ${r.message}`);
  if (o.dryRun) {
    write(planDiff(plan, o.cwd));
    if (plan.files.length) warn(`portlint: --fix-dry-run: would fix ${entries(total)} in ${files(plan.files.length)}; nothing was written`);
    return { run: plan.run, failed: plan.reverted.length > 0 };
  }
  const outcome = writeFixes(plan, o.beforeWrite);
  for (const f of outcome.failed) warn(`portlint: not fixed: ${displayPath(f.file, o.cwd)}: ${f.message}`);
  if (outcome.written.length) {
    const n = outcome.written.reduce((sum, f) => sum + f.fixes, 0);
    warn(`portlint: fixed ${entries(n)} in ${files(outcome.written.length)}`);
  }
  // A file that could not be written still holds its old text: report from what is on disk.
  const fresh = outcome.failed.length ? lint(new FileCache()) : undefined;
  const run = fresh ? { ...fresh, findings: withReasons(fresh.findings) } : plan.run;
  return { run, failed: outcome.failed.length > 0 || plan.reverted.length > 0 };
}
