import { defineConfig } from 'vitest/config';

/**
 * The vitest configuration `npm run test:mutation` hands to Stryker: one flat project with no emulators (the AWS suites
 * are never run under mutation), and only the test files Stryker is told to run for the folder being mutated.
 */
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'cdk.out/**', '.data/**', '.venv/**', '.tools/**', '.scratch/**', '.stryker-tmp/**'],
    // The merge tree's exhaustive tests take a while instrumented on a busy machine.
    testTimeout: 120_000,
    // One module graph for all test files: Stryker switches mutants at run time, so re-importing viem and the world
    // for every test file of every mutant run would be most of the cost.
    isolate: false,
  },
});
