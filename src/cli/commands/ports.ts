import { Option, type Command } from 'commander';
import { addConfigOptions, loadWithConfig, type ConfigOptionValues } from '../config-run';
import { errorLines, portsJson, portsTable } from '../../report/ports';
import { addProjectOptions, EXIT_CLEAN, EXIT_FAILURE, selectOptions, warn, warnNotices, write, type ProjectOptionValues, type SetExit } from '../shared';

export function registerPorts(program: Command, setExit: SetExit): void {
  addConfigOptions(addProjectOptions(program.command('ports').description('print the bindings Docker will create for each project')))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((paths: string[], o: ProjectOptionValues & ConfigOptionValues & { format: string }) => {
      const cwd = process.cwd();
      const result = loadWithConfig(selectOptions(paths, o), o);
      if (result.fatal) {
        warn(`portlint: ${result.fatal}`);
        setExit(EXIT_FAILURE);
        return;
      }
      write(o.format === 'json' ? portsJson(result.projects, result.errors, cwd) : portsTable(result.projects, cwd, result.errors.length > 0));
      const errors = errorLines(result.errors, cwd);
      if (errors) warn(errors);
      warnNotices(result.notices);
      setExit(result.errors.length ? EXIT_FAILURE : EXIT_CLEAN);
    });
}
