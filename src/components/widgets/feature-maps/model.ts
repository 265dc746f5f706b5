/**
 * The feature-maps widget's arithmetic, no DOM: a batch of one conv block's outputs (N, R, S, C
 * channels-last, from the worker's `feature-maps` probe) normalized in the page two ways.
 *
 *   per channel (spatial BN)   μ[c], σ²[c] over the N·R·S values of channel c
 *   per position               μ[r,s,c], σ²[r,s,c] over the N values at one place of one channel
 *
 *   y = γ[c]·(x − μ) / √(σ² + ε) + β[c]   (γ = 1, β = 0, ε = 10⁻³ when the block has no norm)
 *
 * Per channel, every position of a channel is shifted and scaled the same way, so a pattern moved
 * across the image gives the same output moved (the convolution's translation equivariance
 * survives); per position, each place gets its own shift and scale from only N values.
 */
import type { FeatureMaps } from '@engine/worker/protocol.ts';

export type StatsMode = 'channel' | 'position';

export interface BatchStats {
  mode: StatsMode;
  /** (C) per channel, or (R·S·C) per position, row-major (r, s, c). */
  mean: Float32Array;
  variance: Float32Array;
  /** Values each mean and variance is computed from: N·R·S per channel, N per position. */
  count: number;
}

const shape = (m: Pick<FeatureMaps, 'batch' | 'height' | 'width' | 'channels'>) => ({
  N: m.batch,
  P: m.height * m.width,
  C: m.channels,
});

/** The batch's mean and biased variance (1/M, as BN in training) per channel or per position. */
export function batchStats(m: FeatureMaps, mode: StatsMode): BatchStats {
  const { N, P, C } = shape(m);
  const x = m.preNorm;
  if (x.length !== N * P * C) throw new RangeError(`batchStats: preNorm must hold N·R·S·C = ${N * P * C} values, received ${x.length}`);
  const groups = mode === 'channel' ? C : P * C;
  const group = (i: number) => (mode === 'channel' ? i % C : i % (P * C));
  const count = mode === 'channel' ? N * P : N;
  const mean = new Float64Array(groups);
  for (let i = 0; i < x.length; i++) mean[group(i)] += x[i];
  for (let g = 0; g < groups; g++) mean[g] /= count;
  const variance = new Float64Array(groups);
  for (let i = 0; i < x.length; i++) variance[group(i)] += (x[i] - mean[group(i)]) ** 2;
  for (let g = 0; g < groups; g++) variance[g] /= count;
  return { mode, mean: Float32Array.from(mean), variance: Float32Array.from(variance), count };
}

/** γ, β and ε of the block's norm; without one (a model without BN), the identity affine and Keras' ε. */
function affine(m: FeatureMaps): { gamma: ArrayLike<number>; beta: ArrayLike<number>; epsilon: number } {
  const C = m.channels;
  return {
    gamma: m.norm.gamma ?? new Float32Array(C).fill(1),
    beta: m.norm.beta ?? new Float32Array(C),
    epsilon: m.norm.epsilon ?? 1e-3,
  };
}

/** The batch normalized with `stats`, then scaled by γ and shifted by β (N, R, S, C). */
export function normalize(m: FeatureMaps, stats: BatchStats): Float32Array {
  const { P, C } = shape(m);
  const { gamma, beta, epsilon } = affine(m);
  const x = m.preNorm;
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % C;
    const g = stats.mode === 'channel' ? c : i % (P * C);
    y[i] = (gamma[c] * (x[i] - stats.mean[g])) / Math.sqrt(stats.variance[g] + epsilon) + beta[c];
  }
  return y;
}

/** Per channel, the mean and variance over N·R·S of any (N, R, S, C) tensor: what the table shows before and after. */
export function channelSummary(m: FeatureMaps, values: Float32Array): { mean: number[]; variance: number[] } {
  const s = batchStats({ ...m, preNorm: values }, 'channel');
  return { mean: [...s.mean], variance: [...s.variance] };
}

/** One image's channel c as a (R, S) map, row-major. */
export function channelMap(m: FeatureMaps, values: Float32Array, image: number, c: number): Float32Array {
  const { P, C } = shape(m);
  const out = new Float32Array(P);
  for (let p = 0; p < P; p++) out[p] = values[(image * P + p) * C + c];
  return out;
}

/**
 * How far per-position statistics treat the same pattern differently at different places: for
 * each channel, the spread (max − min) over positions of the per-position scale 1/√(σ² + ε),
 * relative to its mean. 0 would mean one scale everywhere (as per channel); the larger, the more
 * a pattern's output depends on where it sits.
 */
export function positionScaleSpread(m: FeatureMaps, stats: BatchStats): number[] {
  if (stats.mode !== 'position') throw new RangeError(`positionScaleSpread: expected per-position statistics, received ${stats.mode}`);
  const { P, C } = shape(m);
  const { epsilon } = affine(m);
  return Array.from({ length: C }, (_, c) => {
    const scales = Array.from({ length: P }, (_, p) => 1 / Math.sqrt(stats.variance[p * C + c] + epsilon));
    const mean = scales.reduce((a, b) => a + b, 0) / P;
    return (Math.max(...scales) - Math.min(...scales)) / mean;
  });
}
