/**
 * BN followed by injected noise: Santurkar, Tsipras, Ilyas & Madry (2018), "How Does Batch
 * Normalization Help Optimization?", section 2.1 (https://arxiv.org/abs/1805.11604). After every
 * training-mode normalization, each unit h draws a fresh noise distribution for this step,
 *   mean μ_h ~ U(−s, s),   standard deviation σ_h ~ U(0, s),
 * and every activation of the batch gets i.i.d. noise from it added:
 *   y'_ih = y_ih + μ_h + σ_h · z_ih,   z_ih ~ N(0, 1).
 * So the next layer's input moves by a random mean and widens by a random variance at every step —
 * an internal covariate shift BN does not remove. The noise is additive, so the gradient passes
 * through unchanged (dy = dy′): BN's backward is the plain one. Eval mode adds no noise (like
 * dropout). The strength s is in units of the normalized output, whose spread is γ ≈ 1.
 */
import type { Random } from '../types.ts';
import { checkNumber } from '../validate.ts';
import { batchNorm, type BatchNorm, type BatchNormOptions } from './batch-norm.ts';

/** A factory for `mlp`'s `batchNorm` option: each BN layer with noise of strength `s` drawn from `random`. */
export function noisyBatchNorm(s: number, random: Random): (features: number, options: BatchNormOptions) => BatchNorm {
  checkNumber('noisyBatchNorm', 'strength', s, 0, 10);
  return (features, options) => {
    const bn = batchNorm(features, options);
    const forward = bn.forward.bind(bn);
    const mu = new Float32Array(features); // (H)
    const sigma = new Float32Array(features); // (H)
    bn.forward = (x, n, mode) => {
      const y = forward(x, n, mode); // (N, H), BN's own output buffer: written in place
      if (mode !== 'train' || s === 0) return y;
      for (let h = 0; h < features; h++) {
        mu[h] = (2 * random() - 1) * s;
        sigma[h] = random() * s;
      }
      for (let i = 0; i < n; i++) {
        for (let h = 0; h < features; h++) y[i * features + h] += mu[h] + sigma[h] * standardNormal(random);
      }
      return y;
    };
    return bn;
  };
}

function standardNormal(random: Random): number {
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
