/** File-system helpers shared by the loader, the config reader, the report writer and the fixer. */
import { chmodSync, chownSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Why a file could not be read, in a few words: "no such file", "is a directory", "permission denied". */
export function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Writes `text` to `target` atomically: a temporary file in the same folder (so the rename is
 * atomic), then a rename over the target, so no reader ever sees half a file. `mode` (and the
 * owner, where permitted) are given to the new file; `beforeRename` may throw to abandon the write.
 */
export function writeFileAtomic(target: string, text: string, opts: { mode?: number; uid?: number; gid?: number; beforeRename?: () => void } = {}): void {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.portlint-tmp`);
  try {
    writeFileSync(tmp, text, { encoding: 'utf8', flag: 'wx', mode: opts.mode });
    if (opts.mode !== undefined) chmodSync(tmp, opts.mode);
    if (opts.uid !== undefined && opts.gid !== undefined) {
      try {
        chownSync(tmp, opts.uid, opts.gid);
      } catch {
        // Only root may give a file away; a user keeps the file as theirs.
      }
    }
    opts.beforeRename?.();
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Not created, or already renamed.
    }
    throw e;
  }
}
