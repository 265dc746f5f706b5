/**
 * Dropout as an ensemble, measured on one trained model (the weights are never changed).
 *
 * Every dropout mask picks a thinned sub-network; training samples one per example and step.
 * Srivastava et al. (2014, §7.5) compare two ways of predicting with the trained weights:
 *
 *   scaled    eval mode: dropout is the identity (inverted dropout already scaled in training),
 *             one deterministic pass — the "weight scaling" approximation;
 *   averaged  K passes with independent masks, as in training, and the class probabilities
 *             averaged: p̄(y|x) = (1/K) Σ_k softmax(f(x; mask_k)) — Monte Carlo model averaging.
 *
 * BN layers stay in eval mode (moving statistics) during the sampled passes, so only the masks
 * vary. The layers before the first dropout do not depend on the mask and run once per batch.
 * Masks come from a generator seeded here, separate from the model's own dropout stream.
 *
 * Source: Srivastava et al. 2014, https://jmlr.org/papers/v15/srivastava14a.html (§7.5, Monte-Carlo model
 * averaging vs. weight scaling).
 */
import { fillBatch, type Dataset } from '../data/mnist.ts';
import { dropout, type Dropout } from '../layers/dropout.ts';
import type { Mlp } from '../model/mlp.ts';
import { createRandom } from '../random.ts';
import { array, number, object, refine, type Infer } from '../schema.ts';
import { checkInteger } from '../validate.ts';
import { layerMacs, runToEnd, type Slices } from './slices.ts';

export interface EnsembleOptions {
  /** Numbers of sampled masks to report, ascending, e.g. [1, 10, 100]; see `EnsembleSamples`. */
  samples: readonly number[];
  /** Seed of the masks; default 1. */
  seed?: number;
  /** Rows per pass; default 500. */
  batchSize?: number;
}

export const EnsemblePoint = object({
  /** K: masks averaged. */
  samples: number({ integer: true, min: 1 }),
  /** Accuracy of the averaged prediction. */
  accuracy: number({ min: 0, max: 1 }),
  /** Share of rows where the averaged prediction's class equals the scaled network's. */
  agreement: number({ min: 0, max: 1 }),
});
export type EnsemblePoint = Infer<typeof EnsemblePoint>;

export const EnsembleResult = object({
  /** Accuracy of the scaled network (eval mode). */
  scaledAccuracy: number({ min: 0, max: 1 }),
  ensembles: array(EnsemblePoint),
});
export type EnsembleResult = Infer<typeof EnsembleResult>;

export function dropoutEnsemble(model: Mlp, set: Dataset, options: EnsembleOptions): EnsembleResult {
  return runToEnd(dropoutEnsembleSlices(model, set, options));
}

/** Multiply-adds per row: the scaled pass, the layers before the first dropout once more, and `samples` passes of the rest. */
export function ensembleMacs(model: Pick<Mlp, 'spec' | 'layers'>, samples: number): number {
  const macs = layerMacs(model);
  const first = Math.max(
    0,
    model.layers.findIndex((l) => l.layer.kind === 'Dropout'),
  );
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return sum(macs) + sum(macs.slice(0, first)) + samples * sum(macs.slice(first));
}

/** `dropoutEnsemble` a slice at a time: one slice per sampled pass over a batch (the masks, and so the result, are the same). */
export function dropoutEnsembleSlices(model: Mlp, set: Dataset, options: EnsembleOptions): Slices<EnsembleResult> {
  const samples = EnsembleSamples.parse(options?.samples, 'dropoutEnsemble.samples');
  const seed = checkInteger('dropoutEnsemble', 'seed', options.seed ?? 1, 0, 0xffffffff);
  const batchSize = checkInteger('dropoutEnsemble', 'batchSize', options.batchSize ?? 500, 1);
  if (set.count === 0) throw new RangeError('dropoutEnsemble: the dataset is empty, expected at least 1 row');
  const layers = model.layers.map((l) => l.layer);
  const first = layers.findIndex((l) => l.kind === 'Dropout');
  if (first < 0) throw new RangeError('dropoutEnsemble: the model has no Dropout layer (rate 0), expected at least one');
  const random = createRandom(seed);
  // Sampling twins of the model's dropout layers: same rate, masks from our own stream.
  const twins = new Map<object, Dropout>(layers.flatMap((l) => (l.kind === 'Dropout' ? [[l, dropout(l.rate, { random })] as const] : [])));
  const rest = layers.slice(first);
  const K = samples[samples.length - 1];
  const macs = layerMacs(model);
  const prefixMacs = macs.slice(0, first).reduce((a, b) => a + b, 0);
  const restMacs = macs.slice(first).reduce((a, b) => a + b, 0);
  return (function* () {
    const rows = Math.min(batchSize, set.count);
    const x = new Float32Array(rows * set.features);
    const y = new Uint8Array(rows);
    let scaledCorrect = 0;
    const correct = samples.map(() => 0);
    const agree = samples.map(() => 0);
    for (let start = 0; start < set.count; start += rows) {
      const n = Math.min(rows, set.count - start);
      const xb = x.subarray(0, n * set.features);
      fillBatch(set, null, start, n, xb, y.subarray(0, n));
      const scaled = argmaxRows(model.forward(xb, n, 'eval'), n);
      let prefix: Float32Array = xb;
      for (const l of layers.slice(0, first)) prefix = l.forward(prefix, n, 'eval');
      prefix = prefix.slice(); // a backend view is valid only until the next forward
      yield n * (prefixMacs + restMacs);
      let classes = 0;
      let sum = new Float64Array(0);
      let next = 0;
      for (let k = 1; k <= K; k++) {
        let h = prefix;
        for (const l of rest) h = l.kind === 'Dropout' ? twins.get(l)!.forward(h, n, 'train') : l.forward(h, n, 'eval');
        if (k === 1) {
          classes = h.length / n;
          sum = new Float64Array(h.length);
        }
        addSoftmax(h, n, classes, sum);
        if (k === samples[next]) {
          const averaged = argmaxRows(sum, n);
          for (let r = 0; r < n; r++) {
            if (averaged[r] === y[r]) correct[next]++;
            if (averaged[r] === scaled[r]) agree[next]++;
          }
          next++;
        }
        yield n * restMacs;
      }
      for (let r = 0; r < n; r++) if (scaled[r] === y[r]) scaledCorrect++;
    }
    return {
      scaledAccuracy: scaledCorrect / set.count,
      ensembles: samples.map((s, i) => ({ samples: s, accuracy: correct[i] / set.count, agreement: agree[i] / set.count })),
    };
  })();
}

/** Numbers of masks K to report: 1–8 of them, strictly ascending, each in [1, 10000] (the CLI's --ensemble and the worker's probe take the same). */
export const EnsembleSamples = refine(array(number({ integer: true, min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 }), (k) =>
  k.every((v, i) => i === 0 || v > k[i - 1]) ? null : 'strictly ascending numbers of masks such as [1, 10, 100]',
);

/** sum[r, c] += softmax(logits[r, :])[c], in float64 with the row maximum subtracted. */
function addSoftmax(logits: Float32Array, n: number, classes: number, sum: Float64Array): void {
  for (let r = 0; r < n; r++) {
    const o = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]);
    let z = 0;
    for (let c = 0; c < classes; c++) z += Math.exp(logits[o + c] - max);
    for (let c = 0; c < classes; c++) sum[o + c] += Math.exp(logits[o + c] - max) / z;
  }
}

/** The first largest entry of each row. */
function argmaxRows(values: ArrayLike<number>, n: number): Uint8Array {
  const classes = values.length / n;
  const out = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[r * classes + c] > values[r * classes + best]) best = c;
    out[r] = best;
  }
  return out;
}
