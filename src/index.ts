/** The package's entry (dist/portlint.js): the programmatic API, and the command line's `main` for bin/portlint.js. */
export * from './api';
export { main } from './cli/main';
