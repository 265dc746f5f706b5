/**
 * Where a training step of the course ConvNet goes (issue 17): conv 8 → BN → ReLU → pool →
 * conv 16 → BN → ReLU → pool → dense 10, 3×3 valid, batch 32, Adam 1e-3, wasm, real MNIST.
 * Wraps every layer's forward and backward with a timer, runs warm-up steps, then `--steps`
 * timed steps, and prints the median time of each call and of a whole step (medians, so the steps
 * during which a shared machine gave the core to another process do not count) and each layer's
 * share of the step (the rest is the loss, Adam and batching). Timers cost ~1 µs per call.
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
const spent = new Map<string, number[]>();
const add = (key: string, ms: number) => spent.set(key, [...(spent.get(key) ?? []), ms]);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
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
const stepTimes: number[] = [];
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  session.step();
  stepTimes.push(performance.now() - t0);
}
const step = median(stepTimes);
const rows = [...spent].map(([key, ms]) => [key, median(ms)] as const).sort((a, b) => b[1] - a[1]);
const layersTotal = rows.reduce((sum, [, ms]) => sum + ms, 0);
const line = (what: string, ms: number) =>
  console.log(`${what.padEnd(34)} ${(1000 * ms).toFixed(0).padStart(6)} µs  ${((100 * ms) / step).toFixed(1).padStart(5)} %`);
console.log(
  `ConvNet (${norm}) step, batch 32, wasm: median ${(1000 * step).toFixed(0)} µs per step (${Math.round((32 * 1000) / step)} samples/s), load ${load.toFixed(2)}`,
);
for (const [key, ms] of rows) line(key, ms);
line('loss, optimizer, batching', step - layersTotal);
