// Builds the test-only ConvNet page into the root e2e build (dist-e2e/root/e2e-only/convnet/),
// never into dist/: see main.ts. Run by test/e2e/convnet.perf.spec.ts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { aliases } from '../../../aliases.config.mjs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/e2e-only/convnet/',
  logLevel: 'warn',
  resolve: { alias: aliases },
  worker: { format: 'es' },
  build: { outDir: `${repo}${process.env.E2E_OUT ?? 'dist-e2e'}/root/e2e-only/convnet`, emptyOutDir: true },
});
