/**
 * Spatial batch normalization, as Keras `BatchNormalization()` after a `Conv2D` (axis −1) and
 * PyTorch `BatchNorm2d`: a channel is one feature, and its statistics are shared by every image
 * of the batch and every position, M = N·R·S values per channel (Ioffe & Szegedy 2015, §3.2:
 * "we jointly normalize all the activations in a mini-batch, over all locations").
 *
 *   train     μ[c] = (1/M) Σ_{n,p} x[n,p,c]    σ²[c] = (1/M) Σ_{n,p} (x[n,p,c] − μ[c])²
 *             y = γ[c]·(x − μ[c]) / √(σ²[c] + ε) + β[c];  moving statistics as the Dense BN
 *   eval      y = γ[c]·(x − movingMean[c]) / √(movingVariance[c] + ε) + β[c]
 *   backward  the Dense BN's, with M rows
 *
 * Channels-last makes this exactly the Dense `batchNorm` of engine/layers/batch-norm.ts over C
 * features on M = N·P rows, so it is that layer (same kernels on both backends, same options and
 * conventions: Keras momentum and ε, biased or unbiased moving variance — unbiased uses M/(M − 1)
 * as PyTorch's BatchNorm2d does — and `lastBatchStats`), called with n·P rows. Any factory of the
 * Dense BN works, so `noisyBatchNorm` gives noisy spatial BN (noise per channel and step) and
 * the recalibration in engine/train/inference-stats.ts treats it like any BN layer.
 *
 * Source: https://arxiv.org/abs/1502.03167 ; https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
 */
import type { SpatialShape } from '../types.ts';
import { checkInteger } from '../validate.ts';
import { batchNorm, type BatchNorm, type BatchNormOptions } from './batch-norm.ts';

export interface SpatialBatchNorm extends BatchNorm {
  /** The feature map it normalizes; `features` is its channel count. */
  readonly input: SpatialShape;
}

export function spatialBatchNorm(
  input: SpatialShape,
  options: BatchNormOptions = {},
  make: (features: number, options: BatchNormOptions) => BatchNorm = batchNorm,
): SpatialBatchNorm {
  const R = checkInteger('spatialBatchNorm', 'input.rows', input?.rows, 1);
  const S = checkInteger('spatialBatchNorm', 'input.cols', input?.cols, 1);
  const C = checkInteger('spatialBatchNorm', 'input.channels', input?.channels, 1);
  const P = R * S;
  const bn = make(C, options);
  const forward = bn.forward.bind(bn);
  bn.forward = (x, n, mode) => {
    checkInteger('spatialBatchNorm.forward', 'n', n, 1);
    return forward(x, n * P, mode);
  };
  return Object.assign(bn, { input: { rows: R, cols: S, channels: C } });
}
