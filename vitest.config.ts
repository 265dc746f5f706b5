import { defineConfig } from 'vitest/config';
import { aliases } from './aliases.config.mjs';

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    // Playwright's *.spec.ts files live in test/e2e and must not be picked up here.
    include: ['engine/**/*.test.ts', 'src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Compiles the wasm kernels first (skipped when up to date): the engine imports their bytes.
    globalSetup: ['./scripts/vitest-wasm-setup.ts'],
    // A limit, not a wait: the CLI tests spawn whole training runs, which took 100 s of wall clock at
    // a load average of 40 (3.9 s of CPU).
    testTimeout: 240_000,
  },
});
