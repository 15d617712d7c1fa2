/**
 * Writes a fixed file atomically: a temporary file in the same folder, then a rename over the
 * original, keeping its mode (and owner, where permitted). A file that changed on disk since
 * portlint read it, or that is read-only, is left alone. So the file always holds either its old
 * or its new full text: a full disk fails the temporary file, never the original.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../util/fs';

/** The file as portlint read it: the text the fixes were computed on, and its size then. */
export interface FileSnapshot {
  text: string;
  size?: number;
}

export class FixWriteError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** The text portlint read and the file's size now, to tell later whether it changed. */
export function statSnapshot(path: string, text: string): FileSnapshot {
  try {
    return { text, size: statSync(path).size };
  } catch {
    return { text };
  }
}

/** Throws FixWriteError unless the file on disk still holds exactly the snapshot's text. */
export function assertUnchanged(path: string, snapshot: FileSnapshot): void {
  const changed = () => new FixWriteError(path, 'it changed on disk since portlint read it; run portlint --fix again');
  let bytes: Buffer;
  try {
    // A different size is a change without reading further; otherwise the content decides
    // (a new mtime with the same content, e.g. a touch, is no change).
    if (snapshot.size !== undefined && statSync(path).size !== snapshot.size) throw changed();
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof FixWriteError) throw e;
    throw new FixWriteError(path, `cannot read it again before writing: ${(e as Error).message}`);
  }
  const expected = Buffer.from(snapshot.text, 'utf8');
  if (bytes.equals(expected)) return;
  if (bytes.toString('utf8') === snapshot.text) throw new FixWriteError(path, 'it is not valid UTF-8 text, so portlint does not rewrite it');
  throw changed();
}

/**
 * Replaces the file's content with `text` if it still holds `snapshot.text`: temporary file in
 * the same folder (so the rename is atomic), same mode, then rename. Symbolic links are followed:
 * the file they point to is replaced, the link stays.
 */
export function writeFixedFile(path: string, text: string, snapshot: FileSnapshot): void {
  let target: string;
  try {
    target = realpathSync(path);
  } catch (e) {
    throw new FixWriteError(path, `cannot resolve it: ${(e as Error).message}`);
  }
  assertUnchanged(target, snapshot);
  const st = statSync(target);
  // The rename would replace a read-only file all the same (the folder decides): keep the owner's word.
  if ((st.mode & 0o222) === 0) throw new FixWriteError(path, 'it is read-only; make it writable (chmod u+w) for --fix to change it');
  try {
    // Last look just before the rename, to keep the window for a concurrent edit small.
    writeFileAtomic(target, text, { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, beforeRename: () => assertUnchanged(target, snapshot) });
  } catch (e) {
    if (e instanceof FixWriteError) throw e;
    throw new FixWriteError(path, `cannot write it: ${(e as Error).message}`);
  }
}
