import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@components\//, replacement: here('./src/components/') },
      { find: /^@layouts\//, replacement: here('./src/layouts/') },
      { find: /^@charts\//, replacement: here('./src/charts/') },
      { find: /^@client\//, replacement: here('./src/client/') },
      { find: /^@styles\//, replacement: here('./src/styles/') },
      { find: /^@measurements\//, replacement: here('./src/measurements/') },
      { find: /^@engine$/, replacement: here('./engine/index.ts') },
      { find: /^@engine\//, replacement: here('./engine/') },
    ],
  },
  test: {
    // Playwright's *.spec.ts files live in test/e2e and must not be picked up here.
    include: ['engine/**/*.test.ts', 'src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Compiles the wasm kernels first (skipped when up to date): the engine imports their bytes.
    globalSetup: ['./scripts/vitest-wasm-setup.ts'],
    testTimeout: 60_000,
  },
});
