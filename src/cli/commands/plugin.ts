/**
 * `portlint plugin install|uninstall`: makes `docker portlint ...` work by linking
 * <cli-plugins>/docker-portlint to this installation's executable (see ../docker-plugin.ts).
 */
import { lstatSync, mkdirSync, readlinkSync, realpathSync, renameSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { PLUGIN_EXECUTABLE } from '../docker-plugin';
import { EXIT_CLEAN, UsageError, write, type SetExit } from '../shared';

interface PluginOptionValues {
  dir?: string;
  force: boolean;
}

/** The docker CLI's user plugin folder: $DOCKER_CONFIG/cli-plugins, else ~/.docker/cli-plugins. */
function defaultPluginDir(): string {
  return join(process.env.DOCKER_CONFIG || join(require('node:os').homedir(), '.docker'), 'cli-plugins');
}

/** The real file of the running executable (bin/portlint.js), through npm's and our own links. */
function ownExecutable(): string {
  const started = process.argv[1];
  const file = started ? realpathOrUndefined(started) : undefined;
  if (!file || basename(file) !== 'portlint.js') throw new UsageError('portlint plugin: run it from the portlint command (bin/portlint.js), not through another script');
  if ((statSync(file).mode & 0o111) === 0) throw new UsageError(`portlint plugin: ${file} is not executable, and the docker CLI runs plugins directly: chmod +x it first`);
  return file;
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** What is at the plugin's path now: nothing, a link (to where, resolved), or another file. */
function existing(link: string): { kind: 'none' } | { kind: 'link'; to: string; resolved?: string } | { kind: 'file' } {
  try {
    const s = lstatSync(link);
    if (!s.isSymbolicLink()) return { kind: 'file' };
    return { kind: 'link', to: readlinkSync(link), resolved: realpathOrUndefined(link) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw new UsageError(`portlint plugin: cannot read ${link}: ${(e as Error).message}`);
  }
}

function describe(found: ReturnType<typeof existing>): string {
  return found.kind === 'link' ? `a link to ${found.to}` : 'a file that is not a link';
}

function install(o: PluginOptionValues): string {
  const target = ownExecutable();
  const dir = resolve(o.dir ?? defaultPluginDir());
  const link = join(dir, PLUGIN_EXECUTABLE);
  const found = existing(link);
  if (found.kind === 'link' && found.resolved === target) return `${link} already links to ${target}\n`;
  if (found.kind !== 'none' && !o.force) throw new UsageError(`portlint plugin: ${link} exists (${describe(found)}); --force replaces it`);
  try {
    mkdirSync(dir, { recursive: true });
    // A new link under a temporary name, renamed over the old one: the path is never missing.
    const temp = `${link}.${process.pid}.tmp`;
    symlinkSync(target, temp);
    try {
      renameSync(temp, link);
    } catch (e) {
      unlinkSync(temp);
      throw e;
    }
  } catch (e) {
    throw new UsageError(`portlint plugin: cannot write ${link}: ${(e as Error).message}`);
  }
  return `linked ${link} -> ${target}\nrun: docker portlint check (or audit, ports, ...)\n`;
}

function uninstall(o: PluginOptionValues): string {
  const link = join(resolve(o.dir ?? defaultPluginDir()), PLUGIN_EXECUTABLE);
  const found = existing(link);
  if (found.kind === 'none') return `${link} does not exist: nothing to remove\n`;
  const ours = found.kind === 'link' && !!found.resolved && basename(found.resolved) === 'portlint.js';
  if (!ours && !o.force) throw new UsageError(`portlint plugin: ${link} is ${describe(found)}, not portlint's; --force removes it`);
  try {
    unlinkSync(link);
  } catch (e) {
    throw new UsageError(`portlint plugin: cannot remove ${link}: ${(e as Error).message}`);
  }
  return `removed ${link}\n`;
}

export function registerPlugin(program: Command, setExit: SetExit): void {
  const plugin = program.command('plugin').description('make portlint a docker CLI plugin: docker portlint check, docker portlint audit');
  const dirOption = ['--dir <folder>', 'the docker CLI plugin folder (default: $DOCKER_CONFIG/cli-plugins, else ~/.docker/cli-plugins)'] as const;
  const action = (run: (o: PluginOptionValues) => string) => (o: PluginOptionValues) => {
    if (process.platform === 'win32') throw new UsageError('portlint plugin: on Windows the docker CLI runs only .exe plugins; run portlint directly');
    write(run(o));
    setExit(EXIT_CLEAN);
  };
  plugin
    .command('install')
    .description(`link ${PLUGIN_EXECUTABLE} in the docker CLI plugin folder to this portlint`)
    .option(...dirOption)
    .option('--force', `replace an existing ${PLUGIN_EXECUTABLE}`, false)
    .action(action(install));
  plugin
    .command('uninstall')
    .description(`remove the ${PLUGIN_EXECUTABLE} link`)
    .option(...dirOption)
    .option('--force', `remove ${PLUGIN_EXECUTABLE} even when it is not portlint's`, false)
    .action(action(uninstall));
}
