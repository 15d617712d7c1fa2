/**
 * The command line. Exit codes: 0 clean, 1 findings at error severity (or over
 * --max-warnings), 2 portlint could not do its job (unreadable input, bad usage).
 */
import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit';
import { registerCheck } from './commands/check';
import { registerInit } from './commands/init';
import { registerLsp } from './commands/lsp';
import { registerMap } from './commands/map';
import { registerPlugin } from './commands/plugin';
import { registerPorts } from './commands/ports';
import { registerRules } from './commands/rules';
import { version } from '../version';
import { allowInterruptBudget } from '../util/interrupt-budget';
import { isMetadataRequest, isPluginExecutable, pluginInvocation, pluginMetadata, PluginUsageError } from './docker-plugin';
import { EXIT_CLEAN, EXIT_FAILURE, UsageError, warn, write, type SetExit } from './shared';

export function buildProgram(setExit: SetExit, name = 'portlint'): Command {
  const program = new Command(name)
    .description('Lint Docker Compose port publishing: exposure, collisions and troublesome ranges, as Docker will bind them.')
    .version(version)
    .showHelpAfterError(`(run ${name} --help for usage)`)
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: warn });
  registerCheck(program, setExit);
  registerAudit(program, setExit);
  registerPorts(program, setExit);
  registerMap(program, setExit);
  registerRules(program);
  registerInit(program, setExit);
  registerPlugin(program, setExit);
  registerLsp(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  allowInterruptBudget();
  let code = EXIT_CLEAN;
  let name = 'portlint';
  if (isPluginExecutable(argv[1])) {
    // Run by the docker CLI as docker-portlint: see docker-plugin.ts.
    if (isMetadataRequest(argv)) return write(pluginMetadata());
    try {
      const plugin = pluginInvocation(argv);
      argv = plugin.argv;
      for (const [key, value] of Object.entries(plugin.env)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    } catch (e) {
      if (!(e instanceof PluginUsageError)) throw e;
      warn(e.message);
      process.exitCode = EXIT_FAILURE;
      return;
    }
    name = 'docker portlint';
  }
  const program = buildProgram((c) => (code = c), name);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      code = e.exitCode === 0 ? EXIT_CLEAN : EXIT_FAILURE;
    } else if (e instanceof UsageError) {
      warn(`portlint: ${e.message}`);
      code = EXIT_FAILURE;
    } else {
      const err = e as Error;
      warn(`portlint: internal error: ${err.message}\nPlease report this with the file that caused it.${process.env.PORTLINT_DEBUG ? `\n${err.stack}` : ''}`);
      code = EXIT_FAILURE;
    }
  }
  process.exitCode = code;
}
