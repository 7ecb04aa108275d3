import { defineConfig } from 'vitest/config';

const IGNORED = ['node_modules/**', 'cdk.out/**', '.data/**', '.venv/**', '.tools/**', '.scratch/**', '.stryker-tmp/**', 'reports/**'];
/**
 * Suites that talk to emulated AWS; they share one set of emulators, started by the integration project. The agent
 * image's own tests (batch-images/) are pure and run as unit tests; the agent against AWS is tested in test/integration.
 */
const AWS_SUITES = ['adapters/aws/**/*.test.ts', 'functions/**/*.test.ts', 'runtime/aws/**/*.test.ts', 'test/integration/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Quiet unless a test fails: what a passing test logs is dropped, a failing test's is shown with it.
    silent: 'passed-only',
    env: {
      // SDK releases after January 2027 need Node 22 and say so once per process; the suite runs on Node 20.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['**/*.test.ts'], exclude: [...IGNORED, ...AWS_SUITES] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: AWS_SUITES,
          exclude: IGNORED,
          globalSetup: ['test/integration/harness/globalSetup.ts'],
          testTimeout: 120_000,
          // The handlers' Powertools loggers write through the global console, which the `silent` option governs.
          env: { POWERTOOLS_DEV: 'true' },
        },
      },
    ],
  },
});
