/**
 * Long computations cut into slices, so a driver that must stay responsive (the worker reads
 * Stop and other messages between slices) can run them a slice at a time, while the CLI and the
 * tests run them to the end in one call. A computation is a generator: each `next()` does one
 * batch and yields the multiply-adds it just did (for progress against a declared cost); the
 * generator's return value is the result.
 */
import type { Dataset } from '../data/mnist.ts';
import type { Mlp } from '../model/mlp.ts';
import { evaluateBatches, type Evaluation } from './evaluate.ts';

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
  const macs = forwardMacs(model);
  const batches = evaluateBatches(model, set, rows);
  for (;;) {
    const next = batches.next();
    if (next.done) return next.value;
    yield next.value * macs;
  }
}
