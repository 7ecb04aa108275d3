import { defineConfig } from 'vitest/config';

const IGNORED = ['node_modules/**', 'cdk.out/**', '.data/**', '.venv/**', '.tools/**', '.scratch/**', '.stryker-tmp/**', 'reports/**'];
/** Suites that talk to emulated AWS; they share one set of emulators, started by the integration project. */
const AWS_SUITES = ['adapters/aws/**/*.test.ts', 'functions/**/*.test.ts', 'batch-images/**/*.test.ts', 'test/integration/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
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
        },
      },
    ],
  },
});
