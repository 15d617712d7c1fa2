/**
 * The command line. Exit codes: 0 clean, 1 findings at error severity (or over
 * --max-warnings), 2 portlint could not do its job (unreadable input, bad usage).
 */
import { Command, CommanderError, Option } from 'commander';
import { loadProjects, type SelectOptions } from '../load';
import { errorLines, portsJson, portsTable } from '../report/ports';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;

const collect = (value: string, previous: string[]) => previous.concat([value]);

/** Options every command that reads compose projects shares, named as docker compose names them. */
export function addProjectOptions(cmd: Command): Command {
  return cmd
    .argument('[paths...]', 'compose files or directories (searched recursively); default: the project in the current directory')
    .option('-f, --file <file>', 'compose file, repeatable: one merged project, like docker compose -f a -f b', collect, [])
    .option('--env-file <file>', 'interpolation values instead of the project .env, repeatable', collect, [])
    .option('--profile <name>', 'activate a profile, repeatable (default: COMPOSE_PROFILES)', collect, [])
    .option('--project-directory <dir>', 'project directory (default: the first file\'s directory)')
    .option('-p, --project-name <name>', 'project name');
}

export interface ProjectOptionValues {
  file: string[];
  envFile: string[];
  profile: string[];
  projectDirectory?: string;
  projectName?: string;
}

export function selectOptions(paths: string[], o: ProjectOptionValues): SelectOptions {
  return {
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

function write(text: string): void {
  process.stdout.write(text);
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('portlint')
    .description('Lint Docker Compose port publishing: exposure, collisions and troublesome ranges, as Docker will bind them.')
    .version(require('../../../package.json').version)
    .showHelpAfterError('(run portlint --help for usage)')
    .exitOverride();

  addProjectOptions(program.command('ports').description('print the bindings Docker will create for each project'))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((paths: string[], o: ProjectOptionValues & { format: string }) => {
      const cwd = process.cwd();
      const result = loadProjects(selectOptions(paths, o));
      if (result.fatal) {
        process.stderr.write(`portlint: ${result.fatal}\n`);
        setExit(EXIT_FAILURE);
        return;
      }
      write(o.format === 'json' ? portsJson(result.projects, result.errors, cwd) : portsTable(result.projects, result.errors, cwd));
      process.stderr.write(errorLines(result.errors, cwd));
      setExit(result.errors.length ? EXIT_FAILURE : EXIT_CLEAN);
    });

  return program;
}

export function main(argv: string[]): void {
  let code = EXIT_CLEAN;
  const program = buildProgram((c) => (code = c));
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      code = e.exitCode === 0 ? EXIT_CLEAN : EXIT_FAILURE;
    } else {
      const err = e as Error;
      process.stderr.write(`portlint: internal error: ${err.message}\nPlease report this with the file that caused it.${process.env.PORTLINT_DEBUG ? `\n${err.stack}` : ''}\n`);
      code = EXIT_FAILURE;
    }
  }
  process.exitCode = code;
}
