import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { catalogue } from '../../../rules';
import { CONFIG_FILE_NAMES } from '../../config/load';
import { starterConfig, STARTER_FILE_NAME } from '../../config/init';
import { EXIT_CLEAN, UsageError, warn, write, type SetExit } from '../shared';

export function registerInit(program: Command, setExit: SetExit): void {
  program
    .command('init')
    .description(`write a commented starter ${STARTER_FILE_NAME} in the current directory`)
    .option('--force', `overwrite an existing ${STARTER_FILE_NAME}`, false)
    .action((o: { force: boolean }) => {
      const cwd = process.cwd();
      const target = join(cwd, STARTER_FILE_NAME);
      try {
        writeFileSync(target, starterConfig(catalogue), { flag: o.force ? 'w' : 'wx' });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new UsageError(`${STARTER_FILE_NAME} already exists; portlint init --force overwrites it`);
        throw new UsageError(`cannot write ${STARTER_FILE_NAME}: ${(e as Error).message}`);
      }
      write(`wrote ${STARTER_FILE_NAME}\n`);
      const shadowed = CONFIG_FILE_NAMES.filter((n) => n !== STARTER_FILE_NAME && existsSync(join(cwd, n)));
      if (shadowed.length) warn(`portlint: note: ${shadowed.join(' and ')} in this folder ${shadowed.length > 1 ? 'are' : 'is'} no longer used: ${STARTER_FILE_NAME} comes first`);
      setExit(EXIT_CLEAN);
    });
}
