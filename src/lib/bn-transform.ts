/**
 * The batch-normalization transform on one feature of one mini-batch (training mode), as in
 * Ioffe & Szegedy 2015, Algorithm 1 (https://arxiv.org/abs/1502.03167):
 *
 *   μ = (1/m) Σ xᵢ          σ² = (1/m) Σ (xᵢ − μ)²   (biased: divide by m, as BN does in training)
 *   x̂ᵢ = (xᵢ − μ) / √(σ² + ε)      yᵢ = γ · x̂ᵢ + β
 *
 * Plus the mini-batch samplers the BN explorer draws from. Randomness is seeded so a shared URL
 * shows the same batch.
 */
import { createRandom } from '@engine/random.ts';

export const distributions = ['skewed', 'bimodal', 'shifted'] as const;
export type Distribution = (typeof distributions)[number];

export const distributionLabels: Record<Distribution, string> = {
  skewed: 'Skewed (exponential tail)',
  bimodal: 'Bimodal (two clusters)',
  shifted: 'Shifted (mean 6, sd 2.5)',
};

export interface BnParams {
  gamma: number;
  beta: number;
  epsilon: number;
}

export interface BnResult {
  mean: number;
  /** Biased batch variance (divide by m). */
  variance: number;
  /** √(σ² + ε), the divisor actually used. */
  scale: number;
  xhat: Float64Array;
  y: Float64Array;
}

export function batchMoments(x: ArrayLike<number>): { mean: number; variance: number } {
  const m = x.length;
  if (m === 0) throw new RangeError('batchMoments: the batch must hold at least one value, received 0');
  let sum = 0;
  for (let i = 0; i < m; i++) sum += x[i];
  const mean = sum / m;
  let squares = 0;
  for (let i = 0; i < m; i++) squares += (x[i] - mean) ** 2;
  return { mean, variance: squares / m };
}

export function bnTransform(x: ArrayLike<number>, { gamma, beta, epsilon }: BnParams): BnResult {
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`bnTransform: epsilon must be a finite number ≥ 0, received ${epsilon}`);
  }
  const { mean, variance } = batchMoments(x);
  const scale = Math.sqrt(variance + epsilon);
  const m = x.length;
  const xhat = new Float64Array(m);
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    // A constant batch with ε = 0 has nothing to normalize: x̂ = 0 rather than 0/0.
    xhat[i] = scale === 0 ? 0 : (x[i] - mean) / scale;
    y[i] = gamma * xhat[i] + beta;
  }
  return { mean, variance, scale, xhat, y };
}

/** The γ and β that undo the normalization exactly: y = x. (γ = σ only when ε = 0.) */
export function identityParams(x: ArrayLike<number>, epsilon: number): BnParams {
  const { mean, variance } = batchMoments(x);
  return { gamma: Math.sqrt(variance + epsilon), beta: mean, epsilon };
}

/** Standard normal draws by Box–Muller from a uniform generator. */
export function gaussian(random: () => number): () => number {
  return () => {
    const u = 1 - random(); // (0, 1]: keeps log finite
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** A seeded mini-batch of `size` activations of one feature from `distribution`. */
export function sampleBatch(distribution: Distribution, size: number, seed: number): Float64Array {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`sampleBatch: size must be a positive integer, received ${size}`);
  }
  const random = createRandom(seed);
  const normal = gaussian(random);
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    switch (distribution) {
      case 'skewed':
        // Exponential with mean 1.5, shifted by 1: a long right tail.
        x[i] = 1 - 1.5 * Math.log(1 - random());
        break;
      case 'bimodal':
        x[i] = random() < 0.5 ? -3 + 0.8 * normal() : 4 + normal();
        break;
      case 'shifted':
        x[i] = 6 + 2.5 * normal();
        break;
      default:
        throw new RangeError(`sampleBatch: distribution must be one of ${distributions.join(', ')}, received ${String(distribution)}`);
    }
  }
  return x;
}

export function extent(...arrays: ArrayLike<number>[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      if (a[i] < lo) lo = a[i];
      if (a[i] > hi) hi = a[i];
    }
  }
  if (lo > hi) throw new RangeError('extent: expected at least one value, received none');
  return [lo, hi];
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`maxAbsDifference: lengths differ, received ${a.length} and ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
