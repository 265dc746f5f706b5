// Vitest global setup: the engine imports engine/wasm/kernels-bytes.generated.ts, so a plain
// `npx vitest run` on a fresh clone compiles the AssemblyScript kernels first (a no-op when the
// outputs are newer than the sources).
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vitest setup: node scripts/build-wasm.mjs failed with exit code ${r.status}`);
}
