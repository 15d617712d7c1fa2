/**
 * V8's interrupt budget, raised once a run has real work to do. V8 tiers a function up to its
 * optimising compiler after it has used a budget of interrupt ticks; in a process that lives a
 * fraction of a second, the default budget sends dozens of functions to the compiler thread,
 * which competes with the garbage collector for the second core, for code that is about to
 * exit. A larger budget optimises only what is really hot (measured in docs/performance.md).
 * A small check does not raise it: loading node:v8 and changing a flag costs it more than the
 * budget saves, and a flag changed before the bundle is compiled would make V8 reject the
 * shipped code cache, which is keyed on the flags.
 */
let allowed = false;
let raised = false;
let inputBytes = 0;

/**
 * Input (compose files, .env files) read so far beyond which the budget pays for itself. Measured
 * on real compose files, raising it at the first file read: a 3 kB or 10 kB check 2 to 5 ms
 * slower, a 21 kB one 20 ms faster, 20 staged files (270 kB) 13 ms, 180 kB of wide ranges 110 ms.
 */
const LARGE_INPUT_BYTES = 16 * 1024;

/** Only the command line changes the flag: a program that uses the API keeps its own V8 settings, and so does the language server. */
export function allowInterruptBudget(allow = true): void {
  allowed = allow;
}

/** Counts input read; raises the budget once the run is a large one. */
export function noteInputBytes(bytes: number): void {
  if (!allowed || raised) return;
  inputBytes += bytes;
  if (inputBytes >= LARGE_INPUT_BYTES) raiseInterruptBudget();
}

/** For runs that are long whatever their input (audit waits on engines, fleets on hosts). */
export function raiseInterruptBudget(): void {
  if (raised || !allowed) return;
  raised = true;
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--interrupt-budget=1000000');
}

/** Whether this run changed V8's flags: a code cache written now would not match the next run's. */
export function interruptBudgetRaised(): boolean {
  return raised;
}
