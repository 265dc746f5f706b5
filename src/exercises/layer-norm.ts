/**
 * Exercises (small-batch lesson): LayerNorm forward and backward for a Dense layer, stage by stage,
 * in CS231n's staged form. LayerNorm is BN with the axes swapped: each row (one example) is
 * normalized over its own D features, so μ and σ² have one value per example, not per feature:
 *
 *   forward   μ[n] = (1/D) Σ_d x      σ²[n] = (1/D) Σ_d (x − μ)²      x̂ = (x − μ)/√(σ² + ε)      y = γ·x̂ + β
 *   backward  dx̂ = dy·γ      dσ²[n] = Σ_d dx̂·(x − μ)·(−½)(σ² + ε)^(−3/2)
 *             dμ[n] = −Σ_d dx̂/√(σ² + ε) + dσ²·(−2/D)·Σ_d (x − μ)
 *             dx = dx̂/√(σ² + ε) + dσ²·2(x − μ)/D + dμ/D      dγ = Σ_n dy·x̂      dβ = Σ_n dy
 *
 * x̂, y, dx, dγ and dβ are checked against the engine's `layerNorm` (engine/layers/layer-norm.ts);
 * μ, σ², dx̂, dσ² and dμ, which the engine never forms as such, against the same formulas in float64.
 * Source: CS231n assignment 2 (LayerNormalization in BatchNormalization.ipynb); Ba, Kiros & Hinton 2016.
 */
import { layerNorm } from '@engine/layers/layer-norm.ts';
import { compareStage, matches, type StageResult } from './compare.ts';
import { bnCases, columnStats, type BnCase } from './bn-forward.ts';
import { callReader, field, type Exercise } from './exercise.ts';
import { copy, expected, normalMatrix, normalVector, toFloat32 } from './inputs.ts';

/** Row means and biased variances in float64 (one per example). */
export function rowStats(x: number[][]) {
  const d = x[0].length;
  const mu = x.map((r) => r.reduce((s, v) => s + v, 0) / d);
  const variance = x.map((r, n) => r.reduce((s, v) => s + (v - mu[n]) ** 2, 0) / d);
  return { mu, variance };
}

/**
 * BN's edge cases read the other way, plus the case LayerNorm exists for: a batch of one example,
 * where BN has no statistics at all. (BN's "identical rows" become identical features here.)
 */
export function lnCases(): BnCase[] {
  const [plain, two, , large, eps] = bnCases();
  const flat = [0.3, 0.3, 0.3, 0.3];
  return [
    // Square first, so statistics taken on BN's axis have the right shape and are named as such.
    {
      name: 'random batch 4×4',
      x: normalMatrix(12, 4, 4, 2, 0.5),
      gamma: normalVector(13, 4, 0.3, 1),
      beta: normalVector(14, 4, 0.5),
      eps: 1e-3,
    },
    plain,
    two,
    {
      name: 'one example (batch 1)',
      x: normalMatrix(11, 1, 6, 1.5, 0.7),
      gamma: [1, 2, 0.5, -1, 1.5, 0.2],
      beta: [0, 0.1, 0.2, 0.3, 0.4, 0.5],
      eps: 1e-3,
    },
    { name: 'a row of equal features (σ² = 0)', x: [flat, [1, 2, 3, 4]], gamma: [1.5, -0.5, 2, 1], beta: [0.1, 0.2, -0.3, 0], eps: 1e-3 },
    large,
    eps,
  ];
}

function engineForward(c: BnCase) {
  const n = c.x.length;
  const d = c.gamma.length;
  const layer = layerNorm(d, { epsilon: c.eps });
  layer.gamma.value.set(c.gamma);
  layer.beta.value.set(c.beta);
  const y = Float32Array.from(layer.forward(toFloat32(c.x), n, 'train'));
  const xhat = Float32Array.from(layerNorm(d, { epsilon: c.eps }).forward(toFloat32(c.x), n, 'train'));
  return { layer, xhat, y, n, d };
}

/** The staged chain rule in float64 (rows of D). */
function stagedBackward(c: BnCase, dy: number[][]) {
  const D = c.gamma.length;
  const { mu, variance } = rowStats(c.x);
  const std = variance.map((v) => Math.sqrt(v + c.eps));
  const dxhat = dy.map((r) => r.map((v, d) => v * c.gamma[d]));
  const dvariance = c.x.map((r, n) => r.reduce((s, v, d) => s + dxhat[n][d] * (v - mu[n]) * -0.5 * (variance[n] + c.eps) ** -1.5, 0));
  const dmu = c.x.map((r, n) => r.reduce((s, v, d) => s - dxhat[n][d] / std[n] + (dvariance[n] * -2 * (v - mu[n])) / D, 0));
  const withoutMeanTerm = c.x.map((r, n) => r.map((v, d) => dxhat[n][d] / std[n] + (dvariance[n] * 2 * (v - mu[n])) / D));
  return { dxhat, dvariance, dmu, withoutMeanTerm };
}

/** The size of dx's terms before they cancel: max |γ·dy| / √(σ² + ε). */
function dxTermScale(c: BnCase, dy: number[][]): number {
  const { variance } = rowStats(c.x);
  return Math.max(...dy.flatMap((r, n) => r.map((v, d) => Math.abs(v * c.gamma[d]) / Math.sqrt(variance[n] + c.eps))));
}

/** μ taken per feature over the batch (BN's axis) instead of per example over its features. */
function diagnoseMu(c: BnCase) {
  return (got: number[]) =>
    matches(columnStats(c.x).mu, got)
      ? 'μ has one value per feature, averaged over the batch: that is BN. LayerNorm takes one μ per example, over its own features'
      : null;
}

const forwardStarter = `// x: N rows of D features (x[n][d]); gamma, beta: D values; eps: a small number.
// LayerNorm normalizes each ROW over its own features. Return mu and variance (N each),
// xhat and y (N × D).
function layerNormForward(x, gamma, beta, eps) {
  const N = x.length, D = x[0].length;
  const mu = new Array(N).fill(0);       // TODO: mean of row n
  const variance = new Array(N).fill(0); // TODO: mean squared deviation of row n
  const xhat = x.map((row) => row.map(() => 0)); // TODO
  const y = x.map((row) => row.map(() => 0));    // TODO: γ[d]·x̂ + β[d]
  return { mu, variance, xhat, y };
}

// A batch of ONE example is fine here:
layerNormForward([[1, 2, 3, 6]], [1, 1, 1, 1], [0, 0, 0, 0], 1e-3).xhat
`;

const forwardSolution = `function layerNormForward(x, gamma, beta, eps) {
  const N = x.length, D = x[0].length;
  const mu = x.map((row) => row.reduce((s, v) => s + v, 0) / D);
  const variance = x.map((row, n) => row.reduce((s, v) => s + (v - mu[n]) ** 2, 0) / D);
  const xhat = x.map((row, n) => row.map((v) => (v - mu[n]) / Math.sqrt(variance[n] + eps)));
  const y = xhat.map((row) => row.map((v, d) => gamma[d] * v + beta[d]));
  return { mu, variance, xhat, y };
}

layerNormForward([[1, 2, 3, 6]], [1, 1, 1, 1], [0, 0, 0, 0], 1e-3).xhat
`;

export const lnForward: Exercise = {
  id: 'ln-forward',
  functions: ['layerNormForward'],
  starter: forwardStarter,
  hint: 'Your BN forward with the axes swapped: sum over d (the features of one row), not over n. μ and σ² have one value per example; γ and β still have one per feature.',
  solution: forwardSolution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const c of lnCases()) {
      const call = callReader(fns, 'layerNormForward', [copy(c.x), copy(c.gamma), copy(c.beta), c.eps], c.name, context);
      if (call.failure) return [...results, call.failure];
      const e = engineForward(c);
      const { mu, variance } = rowStats(c.x);
      const got = (name: string) => field(call.value, name, 'layerNormForward');
      results.push(
        compareStage(c.name, 'mu', expected(mu, e.n), got('mu'), diagnoseMu(c)),
        compareStage(c.name, 'variance', expected(variance, e.n), got('variance')),
        compareStage(c.name, 'xhat', expected(e.xhat, e.n, e.d), got('xhat')),
        compareStage(c.name, 'y', expected(e.y, e.n, e.d), got('y')),
      );
    }
    return results;
  },
};

const backwardStarter = `// dy: N × D upstream gradient; cache: what the forward kept (mu, variance: N values each).
// The same graph as BN's backward, with every sum taken over the D features of one row
// (except dgamma and dbeta, which are per feature and sum over the batch).
function layerNormBackward(dy, cache) {
  const { x, mu, variance, xhat, gamma, eps } = cache;
  const N = x.length, D = x[0].length;
  const dbeta = new Array(D).fill(0);  // TODO: Σₙ dy
  const dgamma = new Array(D).fill(0); // TODO: Σₙ dy·x̂
  const dxhat = dy.map((row) => row.map(() => 0)); // TODO: dy·γ
  const dvariance = new Array(N).fill(0); // TODO: Σ_d dx̂·(x − μ)·(−½)(σ² + ε)^(−3/2)
  const dmu = new Array(N).fill(0);       // TODO: −Σ_d dx̂/√(σ² + ε) + dσ²·(−2/D)·Σ_d (x − μ)
  const dx = dy.map((row) => row.map(() => 0)); // TODO: dx̂/√(σ²+ε) + dσ²·2(x − μ)/D + dμ/D
  return { dxhat, dvariance, dmu, dx, dgamma, dbeta };
}
`;

const backwardSolution = `function layerNormBackward(dy, cache) {
  const { x, mu, variance, xhat, gamma, eps } = cache;
  const N = x.length, D = x[0].length;
  const std = variance.map((v) => Math.sqrt(v + eps));
  const dbeta = new Array(D).fill(0);
  const dgamma = new Array(D).fill(0);
  dy.forEach((row, n) => row.forEach((g, d) => { dbeta[d] += g; dgamma[d] += g * xhat[n][d]; }));
  const dxhat = dy.map((row) => row.map((g, d) => g * gamma[d]));
  const dvariance = x.map((row, n) =>
    row.reduce((s, v, d) => s + dxhat[n][d] * (v - mu[n]) * -0.5 * (variance[n] + eps) ** -1.5, 0));
  const dmu = x.map((row, n) =>
    row.reduce((s, v, d) => s - dxhat[n][d] / std[n] + dvariance[n] * -2 * (v - mu[n]) / D, 0));
  const dx = x.map((row, n) => row.map((v, d) =>
    dxhat[n][d] / std[n] + dvariance[n] * 2 * (v - mu[n]) / D + dmu[n] / D));
  return { dxhat, dvariance, dmu, dx, dgamma, dbeta };
}
`;

export const lnBackward: Exercise = {
  id: 'ln-backward',
  functions: ['layerNormBackward'],
  starter: backwardStarter,
  hint: 'Copy your BN backward and swap the axes of μ and σ²: dσ² and dμ are per example (sums over d), and dx adds dμ[n]/D to every feature of row n. dγ and dβ stay per feature, summed over the batch.',
  solution: backwardSolution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const [i, c] of lnCases().entries()) {
      const dy = normalMatrix(400 + i, c.x.length, c.gamma.length);
      const e = engineForward(c);
      const dx = Float32Array.from(e.layer.backward(toFloat32(dy)));
      const { mu, variance } = rowStats(c.x);
      const xhat = c.x.map((r, n) => r.map((v) => (v - mu[n]) / Math.sqrt(variance[n] + c.eps)));
      const cache = { x: copy(c.x), mu, variance, xhat, gamma: copy(c.gamma), eps: c.eps };
      const call = callReader(fns, 'layerNormBackward', [copy(dy), cache], c.name, context);
      if (call.failure) return [...results, call.failure];
      const s = stagedBackward(c, dy);
      const got = (name: string) => field(call.value, name, 'layerNormBackward');
      const diagnoseDx = (g: number[]) =>
        matches(s.withoutMeanTerm.flat(), g)
          ? 'dx is missing the path through μ: every feature of row n also moves μ[n], which adds dμ[n]/D'
          : null;
      results.push(
        compareStage(c.name, 'dxhat', expected(s.dxhat.flat(), e.n, e.d), got('dxhat')),
        compareStage(c.name, 'dvariance', expected(s.dvariance, e.n), got('dvariance')),
        compareStage(c.name, 'dmu', expected(s.dmu, e.n), got('dmu')),
        compareStage(c.name, 'dx', expected(dx, e.n, e.d), got('dx'), diagnoseDx, dxTermScale(c, dy)),
        compareStage(c.name, 'dgamma', expected(Float32Array.from(e.layer.gamma.grad), e.d), got('dgamma')),
        compareStage(c.name, 'dbeta', expected(Float32Array.from(e.layer.beta.grad), e.d), got('dbeta')),
      );
    }
    return results;
  },
};
