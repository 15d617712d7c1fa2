/** File-system helpers shared by the loader, the config reader, the report writer and the fixer. */
import { chmodSync, chownSync, closeSync, constants, fstatSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { basename, dirname, join } from 'node:path';
import { noteInputBytes } from './interrupt-budget';

/** Why a file could not be read, in a few words: "no such file", "is a directory", "permission denied". */
export function readFailure(e: unknown): string {
  if (e instanceof UnreadableFile) return e.message;
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
}

/** The largest file portlint reads: a compose file of 5,000 services is about 3 MB. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** A file portlint will not read, with why ("it is a FIFO"): the loader and the config reader report it. */
export class UnreadableFile extends Error {}

/**
 * A text file's content. Only a regular file is read, and only up to MAX_FILE_BYTES: a FIFO or a
 * device named like a compose file would block or never end (it is opened without blocking and
 * refused). The bytes are decoded as go-yaml's reader does (decodeText).
 */
export function readTextFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw new UnreadableFile(`it is ${st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file'}, not a file portlint reads`);
    if (st.size > MAX_FILE_BYTES) throw new UnreadableFile(`it is ${Math.round(st.size / 1024 / 1024)} MB, more than the ${MAX_FILE_BYTES / 1024 / 1024} MB portlint reads`);
    const bytes = readFileSync(fd);
    noteInputBytes(bytes.length);
    return decodeText(bytes);
  } finally {
    closeSync(fd);
  }
}

/** Text that YAML refuses before it parses anything, and where (1-based line and column). */
export class InvalidText extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

// What go-yaml's reader accepts (YAML's c-printable): anything else stops docker compose with
// "yaml: control characters are not allowed". A lone surrogate (from broken UTF-16) is outside too.
const NOT_PRINTABLE_ASCII = /[^\t\n\r\x20-\x7e]/;
const NOT_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/**
 * Bytes decoded as go-yaml's reader decodes them: UTF-16 (little or big endian) after its byte
 * order mark, UTF-8 otherwise. Invalid UTF-8 and characters YAML does not allow throw InvalidText
 * at their place, since docker compose refuses the file there rather than reading it.
 */
export function decodeText(bytes: Buffer): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = bytes.subarray(2).toString('utf16le');
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  else {
    text = bytes.toString('utf8');
    if (!isUtf8(bytes)) {
      // Every U+FFFD before the first invalid sequence is a real one (three bytes), so the byte
      // offset of the first replacement that stands for no real one is exact.
      for (let at = text.indexOf('\ufffd'); at >= 0; at = text.indexOf('\ufffd', at + 1)) {
        const offset = Buffer.byteLength(text.slice(0, at));
        if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) continue;
        throw invalidAt(text, at, `invalid UTF-8 (the byte 0x${bytes[offset].toString(16).toUpperCase().padStart(2, '0')})`);
      }
    }
  }
  // Nearly every compose file is printable ASCII; the full test's Unicode pattern costs a small
  // check more to compile than the file takes to read.
  if (!NOT_PRINTABLE_ASCII.test(text)) return text;
  const bad = NOT_PRINTABLE.exec(text);
  if (bad) throw invalidAt(text, bad.index, `control characters are not allowed (U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  return text;
}

function invalidAt(text: string, index: number, message: string): InvalidText {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return new InvalidText(message, line, index - lineStart + 1);
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
  // Required here, not at the top: only writes need node:crypto, and loading it costs every run.
  const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
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
