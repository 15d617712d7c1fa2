/** The package's entry (dist/portlint.js): the programmatic API, and for bin/portlint.js the command line's `main` and whether the run changed V8's flags. */
export * from './api';
export { main } from './cli/main';
export { interruptBudgetRaised } from './util/interrupt-budget';
