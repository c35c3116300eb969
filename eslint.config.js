import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/db/drizzle/**', '**/*.config.*', 'scripts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: ['@gleaner/*/src/*', '../../apps/*', '../../../apps/*'] },
      ],
    },
  },
  {
    // The contributor's node runs all day on someone's computer: its code keeps off the global fetch, whose
    // implementation costs an idle node about 9 MiB once loaded (see bench/node/README.md).
    files: ['packages/node-core/src/**/*.ts', 'packages/fetcher/src/**/*.ts', 'apps/node/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/node-core/src/test-*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'use requestJson (@gleaner/node-core) or the SafeFetcher' },
      ],
    },
  },
);
