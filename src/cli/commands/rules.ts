import { Option, type Command } from 'commander';
import { catalogue } from '../../../rules';
import { write } from '../shared';

export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('list the rule catalogue')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((o: { format: string }) => {
      const rows = catalogue.map((r) => ({
        id: r.meta.id,
        description: r.meta.description,
        defaultSeverity: r.meta.defaultSeverity,
        fixable: r.meta.fixable,
        options: r.meta.optionsSchema ?? null,
        defaultOptions: r.meta.defaultOptions ?? {},
        docs: r.meta.docs,
      }));
      if (o.format === 'json') write(JSON.stringify(rows, null, 2) + '\n');
      else {
        const w = Math.max(...rows.map((r) => r.id.length));
        write(rows.map((r) => `${r.id.padEnd(w)}  ${r.defaultSeverity.padEnd(7)}  ${r.description}`).join('\n') + '\n');
      }
    });
}
