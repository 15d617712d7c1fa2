/** Real Docker Engines in vitest: the engines of ./engines.ts, and `describe` blocks that need them. */
import { describe, it } from 'vitest';
import { REQUIRE_DOCKER } from './engines';

export * from './engines';

/**
 * `describe` that needs Docker: skipped with the reason in its name when `problem` is set, or,
 * under PORTLINT_REQUIRE_DOCKER=1, one failing test that says why.
 */
export function describeDocker(name: string, problem: string | undefined, body: () => void): void {
  if (problem && REQUIRE_DOCKER) {
    describe(name, () => {
      it('is required (PORTLINT_REQUIRE_DOCKER=1)', () => {
        throw new Error(`PORTLINT_REQUIRE_DOCKER=1 but ${problem}`);
      });
    });
  } else if (problem) {
    console.warn(`${name}: skipped, ${problem} (set PORTLINT_REQUIRE_DOCKER=1 to make this a failure)`);
    describe.skip(`${name}: skipped, ${problem}`, () => it('needs Docker', () => undefined));
  } else describe(name, body);
}

