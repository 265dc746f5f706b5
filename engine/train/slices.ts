/**
 * Long computations cut into slices, so a driver that must stay responsive (the worker reads
 * Stop and other messages between slices) can run them a slice at a time, while the CLI and the
 * tests run them to the end in one call. A computation is a generator: each `next()` does one
 * batch and yields the multiply-adds it just did (for progress against a declared cost); the
 * generator's return value is the result.
 */
import { fillBatch, type Dataset } from '../data/mnist.ts';
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import type { Mlp } from '../model/mlp.ts';
import type { Evaluation } from './evaluate.ts';

export type Slices<T> = Generator<number, T, void>;

/** Runs every slice at once and returns the result. */
export function runToEnd<T>(slices: Slices<T>): T {
  for (;;) {
    const step = slices.next();
    if (step.done) return step.value;
  }
}

/** Multiply-adds per row of each of `model.layers` in a forward pass (Dense layers; 0 for the others). */
export function layerMacs(model: Pick<Mlp, 'spec' | 'layers'>): number[] {
  let inputs = model.spec.inputs;
  return model.layers.map((l) => {
    if (l.layer.kind !== 'Dense') return 0;
    const macs = inputs * l.units;
    inputs = l.units;
    return macs;
  });
}

/** Multiply-adds per row of a whole forward pass. */
export function forwardMacs(model: Pick<Mlp, 'spec' | 'layers'>): number {
  return layerMacs(model).reduce((a, b) => a + b, 0);
}

/**
 * `evaluate` (engine/train/evaluate.ts) one batch of `rows` per slice: the same batches in the
 * same order as `evaluate(model, set, { batchSize: rows })`, so the result is the same.
 */
export function* evaluateSlices(model: Mlp, set: Dataset, rows: number): Slices<Evaluation> {
  if (set.count === 0) throw new RangeError('evaluateSlices: the dataset is empty, expected at least 1 row');
  const size = Math.min(rows, set.count);
  const macs = forwardMacs(model);
  const x = new Float32Array(size * set.features);
  const y = new Uint8Array(size);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < set.count; start += size) {
    const n = Math.min(size, set.count - start);
    const xb = n === size ? x : x.subarray(0, n * set.features);
    const yb = n === size ? y : y.subarray(0, n);
    fillBatch(set, null, start, n, xb, yb);
    const logits = model.forward(xb, n, 'eval');
    const r = softmaxCrossEntropy(logits, yb, n, logits.length / n, model.backend);
    lossSum += r.loss * n;
    correct += r.correct;
    yield n * macs;
  }
  return { loss: lossSum / set.count, accuracy: correct / set.count };
}
