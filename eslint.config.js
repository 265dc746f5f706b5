import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-course/', '.astro/', 'node_modules/', 'public/', 'test-results/', 'playwright-report/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,js,mjs}'],
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine runs in a worker and in Node: randomness must be injected and seeded.
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Inject a seeded generator (createRandom) instead.' }],
    },
  },
  {
    // Terminal programs and build scripts talk to the user through the console.
    files: ['engine/cli/**/*.ts', 'scripts/**/*.{ts,js,mjs}', 'test/**/*.ts', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
);
