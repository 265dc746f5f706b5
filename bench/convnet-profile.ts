/**
 * Where a training step of the course ConvNet goes (issue 17): conv 8 → BN → ReLU → pool →
 * conv 16 → BN → ReLU → pool → dense 10, 3×3 valid, batch 32, Adam 1e-3, wasm, real MNIST.
 * Wraps every layer's forward and backward with a timer, runs warm-up steps, then `--steps`
 * timed steps, and prints each layer's share of the step (the rest is the loss, Adam and
 * batching). Timers cost ~1 µs per call, small against a ~2 ms step.
 *   npx tsx bench/convnet-profile.ts [--steps 1000] [--norm batch|none]
 */
import { loadavg } from 'node:os';
import { splitValidation } from '../engine/data/mnist.ts';
import { loadMnist } from '../engine/cli/mnist-files.ts';
import { parseTrainConfig } from '../engine/train/config.ts';
import { createSession } from '../engine/train/session.ts';

const argv = process.argv.slice(2);
const option = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const steps = Number(option('--steps') ?? 1000);
const norm = option('--norm') ?? 'batch';

const { train } = splitValidation(loadMnist().train, 0.1);
const session = createSession(parseTrainConfig({ model: 'cnn', norm, batchSize: 32, epochs: 1000, backend: 'wasm' }), { train });
const spent = new Map<string, number>();
const add = (key: string, ms: number) => spent.set(key, (spent.get(key) ?? 0) + ms);
for (const { name, layer } of session.model.layers) {
  const { forward, backward } = layer;
  const timed = layer as { forward: typeof forward; backward: typeof backward };
  timed.forward = (x, n, mode) => {
    const t0 = performance.now();
    const y = forward.call(layer, x, n, mode);
    add(`${name} forward`, performance.now() - t0);
    return y;
  };
  timed.backward = (dy) => {
    const t0 = performance.now();
    const dx = backward.call(layer, dy);
    add(`${name} backward`, performance.now() - t0);
    return dx;
  };
}
for (let i = 0; i < 300; i++) session.step();
spent.clear();
const load = loadavg()[0];
const t0 = performance.now();
for (let i = 0; i < steps; i++) session.step();
const total = performance.now() - t0;
const rows = [...spent].sort((a, b) => b[1] - a[1]);
const layersTotal = rows.reduce((s, [, ms]) => s + ms, 0);
console.log(
  `ConvNet (${norm}) step, batch 32, wasm: ${((1000 * total) / steps).toFixed(0)} µs per step, ${Math.round((32 * steps * 1000) / total)} samples/s, load ${load.toFixed(2)}`,
);
for (const [key, ms] of rows)
  console.log(`${key.padEnd(34)} ${((1000 * ms) / steps).toFixed(0).padStart(6)} µs  ${((100 * ms) / total).toFixed(1).padStart(5)} %`);
console.log(
  `${'loss, optimizer, batching'.padEnd(34)} ${((1000 * (total - layersTotal)) / steps).toFixed(0).padStart(6)} µs  ${((100 * (total - layersTotal)) / total).toFixed(1).padStart(5)} %`,
);
