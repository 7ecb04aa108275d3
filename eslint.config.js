// Type-aware lint for the whole project; generated and third-party output is ignored.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'bench/results/', '.data/', '.venv/', '.tools/', '.scratch/', 'coverage/', 'reports/', '.stryker-tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Adapters implement async ports with synchronous bodies (in-memory queues, LMDB reads).
      '@typescript-eslint/require-await': 'off',
      'no-restricted-imports': 'off',
    },
  },
  {
    // vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed any.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      // core/ is pure: the world comes in through ports.
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'node:fs', message: 'core/ is pure; use a port.' },
          { name: 'node:fs/promises', message: 'core/ is pure; use a port.' },
          { name: 'node:child_process', message: 'core/ is pure; use a port.' },
          { name: 'node:http', message: 'core/ is pure; use a port.' },
        ],
        patterns: [
          { group: ['@aws-sdk/*', 'lmdb', 'hardhat', 'hardhat/*'], message: 'core/ is pure; use a port.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'core/ takes configuration as an argument.' },
        { name: 'setTimeout', message: 'core/ uses the injected Clock.' },
        { name: 'setInterval', message: 'core/ uses the injected Clock.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'core/ uses the injected Clock.' },
        { object: 'Math', property: 'random', message: 'core/ takes a seed.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', setInterval: 'readonly' },
    },
  },
);
