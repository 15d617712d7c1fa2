/** What every command shares: exit codes, project-selection flags, usage errors. */
import type { Command } from 'commander';
import type { SelectOptions } from '../load';

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

export function write(text: string): void {
  process.stdout.write(text);
}

export function warn(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
