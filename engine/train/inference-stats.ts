/**
 * BN at inference, three ways, on one trained model (the weights are never changed):
 *   (a) running averages — what `evaluate` does in eval mode: x̂ = (x − movingMean) / √(movingVar + ε);
 *   (b) recalibrated statistics — one pass over the training set in train-mode BN (dropout off),
 *       each BN layer's population mean and variance of its inputs over all those rows
 *       (PyTorch's "precise BN"; the lecture notes' option of re-estimating the statistics after
 *       training): mean = Σ n_b·μ_b / N, variance = Σ n_b·(σ²_b + μ_b²) / N − mean²;
 *   (c) batch statistics at test time ("forgot eval mode"): every test batch of size B is
 *       normalized with its own mean and variance, so a prediction depends on its batch-mates.
 * Train-mode BN forwards update the moving averages; every function here restores them, so the
 * model leaves exactly as it came. Each comes in slices (`…Slices`, one batch per slice, see
 * slices.ts) for the worker, and whole for the CLI and the tests.
 */
import { fillBatch, type Dataset } from '../data/mnist.ts';
import type { BatchNorm } from '../layers/batch-norm.ts';
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import type { Mlp } from '../model/mlp.ts';
import { checkInteger } from '../validate.ts';
import type { Evaluation } from './evaluate.ts';
import { evaluateSlices, forwardMacs, runToEnd, type Slices } from './slices.ts';

export interface BnLayerStats {
  name: string;
  mean: Float32Array; // (H)
  variance: Float32Array; // (H)
}

function bnLayers(model: Mlp): { name: string; bn: BatchNorm }[] {
  return model.layers.flatMap((l) => (l.layer.kind === 'BatchNormalization' ? [{ name: l.name, bn: l.layer }] : []));
}

/** Runs the slices of `inner` and puts every BN layer's moving statistics back as they were, even if abandoned midway. */
function* keepingMovingStats<T>(model: Mlp, inner: () => Slices<T>): Slices<T> {
  const saved = bnLayers(model).map(({ bn }) => ({ bn, mean: bn.movingMean.slice(), variance: bn.movingVariance.slice() }));
  try {
    return yield* inner();
  } finally {
    for (const { bn, mean, variance } of saved) {
      bn.movingMean.set(mean);
      bn.movingVariance.set(variance);
    }
  }
}

/** Forward with BN normalizing by the batch's own statistics and dropout off (the identity). */
function forwardBatchStats(model: Mlp, x: Float32Array, n: number): Float32Array {
  let h = x;
  for (const { layer } of model.layers) h = layer.forward(h, n, layer.kind === 'BatchNormalization' ? 'train' : 'eval');
  return h;
}

/** Each BN layer's population statistics of its inputs over `set`, from train-mode BN passes in batches of `batchSize` (any size ≥ 2 gives the same statistics). */
export function recalibratedStats(model: Mlp, set: Dataset, options: { batchSize?: number } = {}): BnLayerStats[] {
  return runToEnd(recalibratedStatsSlices(model, set, options));
}

export function recalibratedStatsSlices(model: Mlp, set: Dataset, options: { batchSize?: number } = {}): Slices<BnLayerStats[]> {
  const batchSize = checkInteger('recalibratedStats', 'batchSize', options.batchSize ?? 256, 2);
  const layers = bnLayers(model);
  if (layers.length === 0) throw new RangeError('recalibratedStats: the model has no BatchNormalization layer, expected at least one');
  return keepingMovingStats(model, function* () {
    const sums = layers.map(({ bn }) => ({ mean: new Float64Array(bn.movingMean.length), square: new Float64Array(bn.movingMean.length) }));
    const x = new Float32Array(batchSize * set.features);
    const y = new Uint8Array(batchSize);
    const macs = forwardMacs(model);
    let rows = 0;
    for (let start = 0; start < set.count; start += batchSize) {
      const n = Math.min(batchSize, set.count - start);
      // A last batch of one row has no variance to measure; it is left out.
      if (n < 2) break;
      fillBatch(set, null, start, n, x.subarray(0, n * set.features), y.subarray(0, n));
      forwardBatchStats(model, x.subarray(0, n * set.features), n);
      layers.forEach(({ bn }, i) => {
        const { mean, variance } = bn.lastBatchStats()!;
        for (let h = 0; h < mean.length; h++) {
          sums[i].mean[h] += n * mean[h];
          sums[i].square[h] += n * (variance[h] + mean[h] * mean[h]);
        }
      });
      rows += n;
      yield n * macs;
    }
    return layers.map(({ name }, i) => {
      const mean = Float32Array.from(sums[i].mean, (s) => s / rows);
      const variance = Float32Array.from(sums[i].square, (s, h) => Math.max(0, s / rows - mean[h] * mean[h]));
      return { name, mean, variance };
    });
  });
}

/** (b): eval mode with the given statistics in place of the moving averages, in batches of `batchSize` (default 1000; the result does not depend on it). */
export function evaluateWithStats(
  model: Mlp,
  set: Dataset,
  stats: readonly BnLayerStats[],
  options: { batchSize?: number } = {},
): Evaluation {
  return runToEnd(evaluateWithStatsSlices(model, set, stats, options));
}

export function evaluateWithStatsSlices(
  model: Mlp,
  set: Dataset,
  stats: readonly BnLayerStats[],
  options: { batchSize?: number } = {},
): Slices<Evaluation> {
  const layers = bnLayers(model);
  if (stats.length !== layers.length)
    throw new RangeError(`evaluateWithStats: expected statistics for ${layers.length} BN layers, received ${stats.length}`);
  const batchSize = checkInteger('evaluateWithStats', 'batchSize', options.batchSize ?? 1000, 1);
  return keepingMovingStats(model, () => {
    layers.forEach(({ bn }, i) => {
      bn.movingMean.set(stats[i].mean);
      bn.movingVariance.set(stats[i].variance);
    });
    return evaluateSlices(model, set, batchSize);
  });
}

/** (c): every test batch of `batchSize` rows normalized by its own statistics (a last single row is skipped). */
export function evaluateWithBatchStats(model: Mlp, set: Dataset, batchSize: number): Evaluation {
  return runToEnd(evaluateWithBatchStatsSlices(model, set, batchSize));
}

export function evaluateWithBatchStatsSlices(model: Mlp, set: Dataset, batchSize: number): Slices<Evaluation> {
  checkInteger('evaluateWithBatchStats', 'batchSize', batchSize, 1);
  return keepingMovingStats(model, function* () {
    const x = new Float32Array(batchSize * set.features);
    const y = new Uint8Array(batchSize);
    const macs = forwardMacs(model);
    let lossSum = 0;
    let correct = 0;
    let rows = 0;
    // Passes over a few rows are slow per row (each reads every weight): one slice holds at least 32 rows.
    let sliceRows = 0;
    for (let start = 0; start < set.count; start += batchSize) {
      const n = Math.min(batchSize, set.count - start);
      if (n < Math.min(2, batchSize)) break;
      const xb = x.subarray(0, n * set.features);
      const yb = y.subarray(0, n);
      fillBatch(set, null, start, n, xb, yb);
      const logits = forwardBatchStats(model, xb, n);
      const r = softmaxCrossEntropy(logits, yb, n, logits.length / n);
      lossSum += r.loss * n;
      correct += r.correct;
      rows += n;
      sliceRows += n;
      if (sliceRows >= 32 || start + batchSize >= set.count) {
        yield sliceRows * macs;
        sliceRows = 0;
      }
    }
    return { loss: lossSum / rows, accuracy: correct / rows };
  });
}
