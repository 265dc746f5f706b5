/**
 * Exercise (BN-transform lesson): the BN forward pass in training mode, stage by stage — μ, σ², x̂, y —
 * checked against the engine's `batchNorm` layer (engine/layers/batch-norm.ts).
 */
import { batchNorm } from '@engine/layers/batch-norm.ts';
import { compareStage, matches, type StageResult } from './compare.ts';
import { callReader, field, type Exercise } from './exercise.ts';
import { copy, expected, normalMatrix, normalVector, toFloat32 } from './inputs.ts';

export interface BnCase {
  name: string;
  x: number[][];
  gamma: number[];
  beta: number[];
  eps: number;
}

/** The edge cases every BN exercise runs: a plain batch, a batch of 2, identical rows, large γ, ε that matters. */
export function bnCases(): BnCase[] {
  const plain = (name: string, seed: number, n: number, h: number, xScale = 1, gammaScale = 1): BnCase => ({
    name,
    x: normalMatrix(seed, n, h, 2 * xScale, 0.5 * xScale),
    gamma: normalVector(seed + 100, h, 0.3 * gammaScale, gammaScale),
    beta: normalVector(seed + 200, h, 0.5),
    eps: 1e-3,
  });
  const row = normalVector(7, 3, 1.5);
  return [
    plain('random batch 8×5', 1, 8, 5),
    plain('batch of 2', 2, 2, 4),
    {
      name: 'identical rows (σ² = 0)',
      x: [row, row, row, row].map((r) => [...r]),
      gamma: [1.5, -0.5, 2],
      beta: [0.1, 0.2, -0.3],
      eps: 1e-3,
    },
    plain('large γ (×1000)', 4, 6, 3, 1, 1000),
    plain('ε that matters (σ² ≈ ε)', 5, 8, 4, 0.015),
  ];
}

/** The engine's train-mode forward on one case: μ, σ² (biased), x̂ and y as float32 arrays. */
export function engineForward(c: BnCase) {
  const n = c.x.length;
  const h = c.gamma.length;
  const layer = batchNorm(h, { epsilon: c.eps });
  layer.gamma.value.set(c.gamma);
  layer.beta.value.set(c.beta);
  const y = Float32Array.from(layer.forward(toFloat32(c.x), n, 'train'));
  const stats = layer.lastBatchStats()!;
  // x̂ is y of the same layer with γ = 1 and β = 0.
  const unit = batchNorm(h, { epsilon: c.eps });
  const xhat = Float32Array.from(unit.forward(toFloat32(c.x), n, 'train'));
  return { layer, mu: Float32Array.from(stats.mean), variance: Float32Array.from(stats.variance), xhat, y, n, h };
}

/** Column means and biased or unbiased variances in float64, for diagnoses. */
export function columnStats(x: number[][], unbiased = false) {
  const n = x.length;
  const h = x[0].length;
  const mu = Array.from({ length: h }, (_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  const variance = mu.map((m, j) => x.reduce((s, r) => s + (r[j] - m) ** 2, 0) / (unbiased ? n - 1 : n));
  return { mu, variance };
}

function diagnoseVariance(c: BnCase) {
  return (got: number[]) =>
    c.x.length > 1 && matches(columnStats(c.x, true).variance, got)
      ? 'σ² is divided by N − 1 (the unbiased variance): in training BN normalizes with the biased variance, dividing by N'
      : null;
}

function diagnoseXhat(c: BnCase) {
  return (got: number[]) => {
    const { mu, variance } = columnStats(c.x);
    const noEps = c.x.flatMap((r) => r.map((v, j) => (v - mu[j]) / Math.sqrt(variance[j])));
    if (got.some((v) => !Number.isFinite(v)) && variance.some((v) => v === 0)) {
      return 'x̂ is not finite where σ² = 0: divide by √(σ² + ε), not by √σ² — ε is what keeps identical inputs finite';
    }
    if (matches(noEps, got)) return 'x̂ ignores ε: divide by √(σ² + ε), not by √σ²';
    const unbiased = columnStats(c.x, true).variance;
    const withUnbiased = c.x.flatMap((r) => r.map((v, j) => (v - mu[j]) / Math.sqrt(unbiased[j] + c.eps)));
    if (c.x.length > 1 && matches(withUnbiased, got)) return 'x̂ uses the unbiased variance (÷ N − 1): training BN divides by N';
    return null;
  };
}

const starter = `// x: N rows of H features (x[n][h]); gamma, beta: H values; eps: a small number.
// Return every stage: mu and variance (H each), xhat and y (N × H).
function batchNormForward(x, gamma, beta, eps) {
  const N = x.length, H = x[0].length;
  const mu = new Array(H).fill(0);
  const variance = new Array(H).fill(0);
  // TODO: μ[h] = mean over the batch, σ²[h] = mean of squared deviations
  const xhat = x.map((row) => row.map(() => 0)); // TODO: (x − μ) / √(σ² + ε)
  const y = x.map((row) => row.map(() => 0));    // TODO: γ·x̂ + β
  return { mu, variance, xhat, y };
}

// Try it: the last expression's value is shown under the cell.
batchNormForward([[1, 2], [3, 6]], [1, 1], [0, 0], 1e-3).xhat
`;

const solution = `function batchNormForward(x, gamma, beta, eps) {
  const N = x.length, H = x[0].length;
  const mu = new Array(H).fill(0);
  const variance = new Array(H).fill(0);
  for (const row of x) row.forEach((v, h) => { mu[h] += v / N; });
  for (const row of x) row.forEach((v, h) => { variance[h] += (v - mu[h]) ** 2 / N; });
  const xhat = x.map((row) => row.map((v, h) => (v - mu[h]) / Math.sqrt(variance[h] + eps)));
  const y = xhat.map((row) => row.map((v, h) => gamma[h] * v + beta[h]));
  return { mu, variance, xhat, y };
}

batchNormForward([[1, 2], [3, 6]], [1, 1], [0, 0], 1e-3).xhat
`;

export const bnForward: Exercise = {
  id: 'bn-forward',
  functions: ['batchNormForward'],
  starter,
  hint: 'Divide by N (not N − 1) for σ², and put ε inside the square root: x̂ = (x − μ) / √(σ² + ε). Each stage is a plain loop over the batch for every feature h.',
  solution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const c of bnCases()) {
      const call = callReader(fns, 'batchNormForward', [copy(c.x), copy(c.gamma), copy(c.beta), c.eps], c.name, context);
      if (call.failure) return [...results, call.failure];
      const e = engineForward(c);
      const got = (name: string) => field(call.value, name, 'batchNormForward');
      results.push(
        compareStage(c.name, 'mu', expected(e.mu, e.h), got('mu')),
        compareStage(c.name, 'variance', expected(e.variance, e.h), got('variance'), diagnoseVariance(c)),
        compareStage(c.name, 'xhat', expected(e.xhat, e.n, e.h), got('xhat'), diagnoseXhat(c)),
        compareStage(c.name, 'y', expected(e.y, e.n, e.h), got('y')),
      );
    }
    return results;
  },
};
