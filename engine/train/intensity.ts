/**
 * A trained model tested on images whose intensity was changed after training:
 *   contrast   p' = c · p          (c < 1 fades the digits, c > 1 makes the strokes brighter),
 *   brightness p' = p + 255 · b    (b > 0 lifts the black background toward grey),
 * both rounded and clipped to the byte range [0, 255] like a real edited image.
 *
 * For each change it reports (a) the test accuracy in eval mode, where BN normalizes with the
 * running averages it learned on unchanged images, (b) for a model with BN, the accuracy when every
 * test batch is normalized with its own statistics (`evaluateWithBatchStats`: the batch mean
 * follows the shifted input, so BN re-centers it), and (c) how far the first Dense layer's outputs
 * moved: the mean over its units of |μ'_h − μ_h| / σ_h, the unit's mean on changed images minus
 * its mean on unchanged ones, in units of its spread on unchanged ones. That is what the first BN
 * layer sees; with running statistics it passes the shift on, with batch statistics it removes it.
 *
 * Ioffe & Szegedy (2015), section 3.1: at inference the normalization is a fixed linear map.
 */
import { fillBatch, type Dataset } from '../data/mnist.ts';
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import type { Mlp } from '../model/mlp.ts';
import { nullable, number, object, type Infer } from '../schema.ts';
import { checkInteger } from '../validate.ts';
import { Evaluation } from './evaluate.ts';
import { evaluateWithBatchStatsSlices } from './inference-stats.ts';
import { forwardMacs, runToEnd, type Slices } from './slices.ts';

export const IntensityChange = object({
  /** Multiplies every pixel, in [0, 10]; 1 leaves the image as it was. */
  contrast: number({ min: 0, max: 10 }),
  /** Added to every pixel as a share of full white, in [-1, 1]; 0 leaves the image as it was. */
  brightness: number({ min: -1, max: 1 }),
});
export type IntensityChange = Infer<typeof IntensityChange>;

export const IntensityResult = object({
  change: IntensityChange,
  /** Eval mode: BN with its running averages (what a deployed model does). */
  running: Evaluation,
  /** BN with each test batch's own statistics; null for a model without BN. */
  batch: nullable(Evaluation),
  /** Mean over the first Dense layer's units of |shift of the unit's mean| / its spread on unchanged images. */
  firstLayerShift: number({ min: 0 }),
});
export type IntensityResult = Infer<typeof IntensityResult>;

/** The change checked (each number finite and in its range); `where` names it in the error. */
export function checkIntensityChange(change: unknown, where = 'intensity'): IntensityChange {
  return IntensityChange.parse(change, where);
}

/** A copy of `set` with every pixel changed by `change` (labels shared, not copied). */
export function changeIntensity(set: Dataset, change: IntensityChange): Dataset {
  const { contrast, brightness } = checkIntensityChange(change, 'changeIntensity');
  const table = Uint8Array.from({ length: 256 }, (_, p) => Math.min(255, Math.max(0, Math.round(contrast * p + 255 * brightness))));
  const images = new Uint8Array(set.images.length);
  for (let i = 0; i < images.length; i++) images[i] = table[set.images[i]];
  return { ...set, images };
}

interface UnitStats {
  mean: Float64Array; // (H)
  std: Float64Array; // (H)
}

/** Eval-mode loss and accuracy, and the per-unit mean and spread of the first Dense layer's outputs, in one pass (a slice per batch). */
function* evaluateWithFirstLayer(model: Mlp, set: Dataset, batchSize: number): Slices<{ evaluation: Evaluation; first: UnitStats }> {
  const first = model.layers.find((l) => l.layer.kind === 'Dense');
  if (!first) throw new RangeError('intensityTest: the model has no Dense layer, expected at least one');
  const H = first.units;
  const sum = new Float64Array(H);
  const square = new Float64Array(H);
  const x = new Float32Array(batchSize * set.features);
  const y = new Uint8Array(batchSize);
  const macs = forwardMacs(model);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    const xb = x.subarray(0, n * set.features);
    const yb = y.subarray(0, n);
    fillBatch(set, null, start, n, xb, yb);
    const logits = model.forward(xb, n, 'eval');
    const r = softmaxCrossEntropy(logits, yb, n, logits.length / n, model.backend);
    lossSum += r.loss * n;
    correct += r.correct;
    const a = first.lastOutput()!; // (n, H)
    for (let i = 0; i < n; i++) {
      for (let h = 0; h < H; h++) {
        const v = a[i * H + h];
        sum[h] += v;
        square[h] += v * v;
      }
    }
    yield n * macs;
  }
  const mean = sum.map((s) => s / set.count);
  const std = square.map((s, h) => Math.sqrt(Math.max(0, s / set.count - mean[h] * mean[h])));
  return { evaluation: { loss: lossSum / set.count, accuracy: correct / set.count }, first: { mean, std } };
}

/**
 * Tests `model` on `set` changed each way in `changes` (the model is left as it came). Batch
 * statistics use test batches of `batchSize` rows (default 256); `limit` tests only the first
 * rows; eval-mode passes take `rows` rows at a time (default 1000; the results do not depend on it).
 */
export function intensityTest(
  model: Mlp,
  set: Dataset,
  changes: readonly IntensityChange[],
  options: IntensityOptions = {},
): IntensityResult[] {
  return runToEnd(intensityTestSlices(model, set, changes, options));
}

export interface IntensityOptions {
  batchSize?: number;
  limit?: number;
  rows?: number;
}

export function intensityTestSlices(
  model: Mlp,
  set: Dataset,
  changes: readonly IntensityChange[],
  options: IntensityOptions = {},
): Slices<IntensityResult[]> {
  const batchSize = checkInteger('intensityTest', 'batchSize', options.batchSize ?? 256, 2);
  const limit = checkInteger('intensityTest', 'limit', options.limit ?? set.count, 1);
  const passRows = checkInteger('intensityTest', 'rows', options.rows ?? 1000, 1);
  if (changes.length === 0) throw new RangeError('intensityTest: expected at least one intensity change, received none');
  changes.forEach((c, i) => checkIntensityChange(c, `intensityTest.changes[${i}]`));
  return (function* () {
    const rows = Math.min(limit, set.count);
    const subset: Dataset = {
      ...set,
      count: rows,
      images: set.images.subarray(0, rows * set.features),
      labels: set.labels.subarray(0, rows),
    };
    const hasBn = model.layers.some((l) => l.layer.kind === 'BatchNormalization');
    const clean = (yield* evaluateWithFirstLayer(model, subset, passRows)).first;
    const results: IntensityResult[] = [];
    for (const change of changes) {
      const changed = changeIntensity(subset, change);
      const { evaluation, first } = yield* evaluateWithFirstLayer(model, changed, passRows);
      let shift = 0;
      for (let h = 0; h < first.mean.length; h++) shift += Math.abs(first.mean[h] - clean.mean[h]) / Math.max(clean.std[h], 1e-6);
      results.push({
        change: { ...change },
        running: evaluation,
        batch: hasBn ? yield* evaluateWithBatchStatsSlices(model, changed, batchSize) : null,
        firstLayerShift: shift / first.mean.length,
      });
    }
    return results;
  })();
}
