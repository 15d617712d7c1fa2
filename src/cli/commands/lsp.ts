import type { Command } from 'commander';
import { allowInterruptBudget } from '../../util/interrupt-budget';

export function registerLsp(program: Command): void {
  program
    .command('lsp')
    .description('run the language server (LSP over standard input and output) for editors: live diagnostics, quick fixes, hover')
    .option('--stdio', 'talk over standard input and output (the only transport; accepted because clients pass it)')
    .action(() => {
      // A server lives long: V8's default budget, which optimises hot code early, suits it.
      allowInterruptBudget(false);
      (require('../../lsp/server') as typeof import('../../lsp/server')).startServer();
    });
}
