/**
 * The command line raises V8's interrupt budget once its input is large
 * (src/util/interrupt-budget.ts); a program that uses the API keeps its own V8 flags.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../src/api';
import { allowInterruptBudget, interruptBudgetRaised, noteInputBytes } from '../src/util/interrupt-budget';
import { tempProject } from './helpers';

const largeProject = () => {
  const services = Array.from({ length: 400 }, (_, i) => `  web${i}:\n    image: nginx:1.27\n    ports:\n      - "${10000 + i}:80"\n`);
  return tempProject({ 'compose.yaml': `services:\n${services.join('')}` });
};

describe('the interrupt budget', () => {
  it('the API never raises it, however large the input', () => {
    const report = lint({ cwd: largeProject(), config: false });
    expect(report.findings.length).toBeGreaterThanOrEqual(400);
    expect(interruptBudgetRaised()).toBe(false);
  });

  it('the command line raises it once 16 kB of input have been read, not before', () => {
    allowInterruptBudget();
    noteInputBytes(10 * 1024);
    expect(interruptBudgetRaised()).toBe(false);
    noteInputBytes(6 * 1024);
    expect(interruptBudgetRaised()).toBe(true);
  });
});
