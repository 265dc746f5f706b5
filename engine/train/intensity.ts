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
import { checkInteger, checkNumber } from '../validate.ts';
import type { Evaluation } from './evaluate.ts';
import { evaluateWithBatchStats } from './inference-stats.ts';

export interface IntensityChange {
  /** Multiplies every pixel, in [0, 10]; 1 leaves the image as it was. */
  contrast: number;
  /** Added to every pixel as a share of full white, in [-1, 1]; 0 leaves the image as it was. */
  brightness: number;
}

export interface IntensityResult {
  change: IntensityChange;
  /** Eval mode: BN with its running averages (what a deployed model does). */
  running: Evaluation;
  /** BN with each test batch's own statistics; null for a model without BN. */
  batch: Evaluation | null;
  /** Mean over the first Dense layer's units of |shift of the unit's mean| / its spread on unchanged images. */
  firstLayerShift: number;
}

export function checkIntensityChange(change: IntensityChange, where = 'intensity'): IntensityChange {
  checkNumber(where, 'contrast', change.contrast, 0, 10);
  checkNumber(where, 'brightness', change.brightness, -1, 1);
  return { contrast: change.contrast, brightness: change.brightness };
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

/** Eval-mode loss and accuracy, and the per-unit mean and spread of the first Dense layer's outputs, in one pass. */
function evaluateWithFirstLayer(model: Mlp, set: Dataset, batchSize: number): { evaluation: Evaluation; first: UnitStats } {
  const first = model.layers.find((l) => l.layer.kind === 'Dense');
  if (!first) throw new RangeError('intensityTest: the model has no Dense layer, expected at least one');
  const H = first.units;
  const sum = new Float64Array(H);
  const square = new Float64Array(H);
  const x = new Float32Array(batchSize * set.features);
  const y = new Uint8Array(batchSize);
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
  }
  const mean = sum.map((s) => s / set.count);
  const std = square.map((s, h) => Math.sqrt(Math.max(0, s / set.count - mean[h] * mean[h])));
  return { evaluation: { loss: lossSum / set.count, accuracy: correct / set.count }, first: { mean, std } };
}

/**
 * Tests `model` on `set` changed each way in `changes` (the model is left as it came). Batch
 * statistics use test batches of `batchSize` rows (default 256); `limit` tests only the first rows.
 */
export function intensityTest(model: Mlp, set: Dataset, changes: readonly IntensityChange[], options: { batchSize?: number; limit?: number } = {}): IntensityResult[] {
  const batchSize = checkInteger('intensityTest', 'batchSize', options.batchSize ?? 256, 2);
  const limit = checkInteger('intensityTest', 'limit', options.limit ?? set.count, 1);
  if (changes.length === 0) throw new RangeError('intensityTest: expected at least one intensity change, received none');
  changes.forEach((c, i) => checkIntensityChange(c, `intensityTest: changes[${i}]`));
  const rows = Math.min(limit, set.count);
  const subset: Dataset = { ...set, count: rows, images: set.images.subarray(0, rows * set.features), labels: set.labels.subarray(0, rows) };
  const hasBn = model.layers.some((l) => l.layer.kind === 'BatchNormalization');
  const clean = evaluateWithFirstLayer(model, subset, 1000).first;
  return changes.map((change) => {
    const changed = changeIntensity(subset, change);
    const { evaluation, first } = evaluateWithFirstLayer(model, changed, 1000);
    let shift = 0;
    for (let h = 0; h < first.mean.length; h++) shift += Math.abs(first.mean[h] - clean.mean[h]) / Math.max(clean.std[h], 1e-6);
    return {
      change: { ...change },
      running: evaluation,
      batch: hasBn ? evaluateWithBatchStats(model, changed, batchSize) : null,
      firstLayerShift: shift / first.mean.length,
    };
  });
}
