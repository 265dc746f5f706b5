import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-e2e/',
      '.astro/',
      'node_modules/',
      'public/',
      'test-results/',
      'playwright-report/',
      'reports/',
      // AssemblyScript (its own types: i32, v128…) and the bytes module generated from it.
      'engine/wasm/assembly/',
      'bench/assembly/',
      'engine/wasm/*.generated.ts',
    ],
  },
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
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Inject a seeded generator (createRandom) instead.' },
      ],
    },
  },
  {
    // Build scripts, configs and tests run in Node.
    files: ['scripts/**/*.{ts,js,mjs}', 'bench/**/*.{ts,js,mjs}', '*.config.{ts,js,mjs}', 'test/**/*.{ts,js,mjs}', 'engine/cli/**/*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // Terminal programs and build scripts talk to the user through the console.
    files: ['engine/cli/**/*.ts', 'scripts/**/*.{ts,js,mjs}', 'bench/**/*.{ts,js,mjs}', 'test/**/*.ts', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
);
