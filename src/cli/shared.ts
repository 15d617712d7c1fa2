/** What every command shares: exit codes, project-selection flags, usage errors. */
import { fstatSync, statSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import type { SelectOptions } from '../load';
import type { Notice } from '../model/types';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;

/** A problem with how portlint was called; main prints the message and exits 2. */
export class UsageError extends Error {}

export type SetExit = (code: number) => void;

export const collect = (value: string, previous: string[]) => previous.concat([value]);

/** Options every command that reads compose projects shares, named as docker compose names them. */
export function addProjectOptions(cmd: Command): Command {
  return cmd
    .argument('[paths...]', 'compose files or directories (searched recursively); default: the project in the current directory')
    .option('-f, --file <file>', 'compose file, repeatable: one merged project, like docker compose -f a -f b', collect, [])
    .option('--env-file <file>', 'interpolation values instead of the project .env, repeatable', collect, [])
    .option('--profile <name>', 'activate a profile, repeatable (default: COMPOSE_PROFILES)', collect, [])
    .option('--project-directory <dir>', "project directory (default: the first file's directory)")
    .option('-p, --project-name <name>', 'project name (with --swarm: the stack name)')
    .option('--swarm', 'read the files as docker stack deploy does: the docker CLI loader, Swarm publishing (ingress mesh, no host IP); also the swarm config key', false);
}

export interface ProjectOptionValues {
  file: string[];
  envFile: string[];
  profile: string[];
  projectDirectory?: string;
  projectName?: string;
  swarm?: boolean;
}

export function selectOptions(paths: string[], o: ProjectOptionValues): SelectOptions {
  return {
    ...(o.swarm && { swarm: true }),
    cwd: process.cwd(),
    env: process.env,
    paths,
    files: o.file,
    envFiles: o.envFile,
    profiles: o.profile.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean),
    projectDirectory: o.projectDirectory,
    projectName: o.projectName,
  };
}

/**
 * Output goes straight to the descriptors: process.stdout and process.stderr are streams whose
 * first use loads node's tty or net modules, the largest single cost of a small check's start.
 * A reader that goes away early (`portlint ... | head`) is not an error of portlint's: the rest
 * is dropped and the exit code stays the findings'. A descriptor that another process made
 * non-blocking (EAGAIN) gets the rest through node's stream, which waits for it.
 */
function writeToDescriptor(fd: 1 | 2): (text: string) => void {
  let closed = false;
  let stream: NodeJS.WriteStream | undefined;
  return (text) => {
    if (closed || text === '') return;
    if (stream) {
      stream.write(text);
      return;
    }
    let bytes = Buffer.from(text, 'utf8');
    while (bytes.length > 0) {
      let written: number;
      try {
        written = writeSync(fd, bytes);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed = true;
          return;
        }
        if (code === 'EAGAIN') {
          stream = fd === 1 ? process.stdout : process.stderr;
          stream.on('error', () => (closed = true));
          stream.write(bytes);
          return;
        }
        closed = true;
        if (fd === 2) return; // Nowhere left to say it.
        throw new UsageError(`cannot write to standard output: ${(e as Error).message}`);
      }
      bytes = bytes.subarray(written);
    }
  };
}

export const write = writeToDescriptor(1);
const writeError = writeToDescriptor(2);

export function warn(text: string): void {
  writeError(text.endsWith('\n') ? text : `${text}\n`);
}

/** What gave nothing to check, on standard error (the JSON report carries it too). */
export function warnNotices(notices: readonly Notice[] | undefined): void {
  for (const n of notices ?? []) warn(`portlint: notice: ${n.message}`);
}

/** Whether standard output is a terminal, asked without creating node's stdout stream. */
export function stdoutIsTerminal(): boolean {
  try {
    const s = fstatSync(1);
    if (!s.isCharacterDevice() || s.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  return (require('node:tty') as typeof import('node:tty')).isatty(1);
}
