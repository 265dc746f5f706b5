/**
 * Exercise (backprop lesson): BN backward staged through the computational graph — dx̂, dσ², dμ, dx,
 * dγ, dβ — then the compact one-line dx. dx, dγ and dβ are checked against the engine's
 * `batchNorm.backward` (engine/layers/batch-norm.ts); the engine never forms dx̂, dσ² and dμ (it
 * uses the compact formula), so those three are checked against the staged chain rule in float64:
 *
 *   dx̂ = dy·γ                      dσ² = Σ_n dx̂·(x − μ)·(−½)(σ² + ε)^(−3/2)
 *   dμ  = −Σ_n dx̂ / √(σ² + ε) + dσ²·(−2/N)·Σ_n (x − μ)
 *   dx  = dx̂ / √(σ² + ε) + dσ²·2(x − μ)/N + dμ/N          dγ = Σ_n dy·x̂      dβ = Σ_n dy
 *
 * Source: CS231n assignment 2 (BatchNormalization.ipynb); Ioffe & Szegedy 2015, §3.
 */
import { matches, compareStage, type StageResult } from './compare.ts';
import { bnCases, columnStats, engineForward, type BnCase } from './bn-forward.ts';
import { callReader, field, type Exercise } from './exercise.ts';
import { copy, expected, normalMatrix, toFloat32 } from './inputs.ts';

/** The staged chain rule in float64 (rows of H). */
function stagedBackward(c: BnCase, dy: number[][]) {
  const N = c.x.length;
  const { mu, variance } = columnStats(c.x);
  const std = variance.map((v) => Math.sqrt(v + c.eps));
  const dxhat = dy.map((r) => r.map((v, h) => v * c.gamma[h]));
  const dvariance = mu.map((m, h) => c.x.reduce((s, r, n) => s + dxhat[n][h] * (r[h] - m) * -0.5 * (variance[h] + c.eps) ** -1.5, 0));
  const dmu = mu.map((m, h) => c.x.reduce((s, r, n) => s - dxhat[n][h] / std[h] + (dvariance[h] * -2 * (r[h] - m)) / N, 0));
  const withoutMeanTerm = c.x.map((r, n) => r.map((v, h) => dxhat[n][h] / std[h] + (dvariance[h] * 2 * (v - mu[h])) / N));
  return { dxhat, dvariance, dmu, withoutMeanTerm };
}

/** Per-case upstream gradient dy (same shape as x). */
function upstream(c: BnCase, i: number): number[][] {
  return normalMatrix(300 + i, c.x.length, c.gamma.length);
}

/** The size of dx's terms before they cancel: max |γ·dy| / √(σ² + ε). */
function dxTermScale(c: BnCase, dy: number[][]): number {
  const { variance } = columnStats(c.x);
  return Math.max(...dy.flatMap((r) => r.map((v, h) => Math.abs(v * c.gamma[h]) / Math.sqrt(variance[h] + c.eps))));
}

function engineBackward(c: BnCase, dy: number[][]) {
  const e = engineForward(c);
  const dx = Float32Array.from(e.layer.backward(toFloat32(dy)));
  return { ...e, dx, dgamma: Float32Array.from(e.layer.gamma.grad), dbeta: Float32Array.from(e.layer.beta.grad) };
}

function diagnoseDx(c: BnCase, dy: number[][]) {
  return (got: number[]) =>
    matches(stagedBackward(c, dy).withoutMeanTerm.flat(), got)
      ? 'dx is missing the mean-of-gradients term: every x[n] also moves μ, which adds dμ/N (in the compact form, the −Σₙ dy term)'
      : null;
}

function diagnoseCompact(c: BnCase, dy: number[][]) {
  return (got: number[]) => {
    const N = c.x.length;
    const { mu, variance } = columnStats(c.x);
    const xhat = c.x.map((r) => r.map((v, h) => (v - mu[h]) / Math.sqrt(variance[h] + c.eps)));
    const sumDyXhat = c.gamma.map((_, h) => dy.reduce((s, r, n) => s + r[h] * xhat[n][h], 0));
    const noMean = dy.flatMap((r, n) =>
      r.map((v, h) => (c.gamma[h] / (N * Math.sqrt(variance[h] + c.eps))) * (N * v - xhat[n][h] * sumDyXhat[h])),
    );
    return matches(noMean, got)
      ? 'dx is missing the mean-of-gradients term −Σₙ dy (the path through μ): dx = γ/(N·σ)·(N·dy − Σₙdy − x̂·Σₙ dy·x̂)'
      : null;
  };
}

const stagedStarter = `// dy: N × H upstream gradient; cache: what the forward kept.
// Return every stage so each can be checked on its own.
function batchNormBackward(dy, cache) {
  const { x, mu, variance, xhat, gamma, eps } = cache;
  const N = x.length, H = x[0].length;
  const dbeta = new Array(H).fill(0);  // TODO: Σₙ dy
  const dgamma = new Array(H).fill(0); // TODO: Σₙ dy·x̂
  const dxhat = dy.map((row) => row.map(() => 0)); // TODO: dy·γ
  const dvariance = new Array(H).fill(0); // TODO: Σₙ dx̂·(x − μ)·(−½)(σ² + ε)^(−3/2)
  const dmu = new Array(H).fill(0);       // TODO: −Σₙ dx̂/√(σ² + ε) + dσ²·(−2/N)·Σₙ(x − μ)
  const dx = dy.map((row) => row.map(() => 0)); // TODO: dx̂/√(σ²+ε) + dσ²·2(x − μ)/N + dμ/N
  return { dxhat, dvariance, dmu, dx, dgamma, dbeta };
}
`;

const stagedSolution = `function batchNormBackward(dy, cache) {
  const { x, mu, variance, xhat, gamma, eps } = cache;
  const N = x.length, H = x[0].length;
  const std = variance.map((v) => Math.sqrt(v + eps));
  const dbeta = new Array(H).fill(0);
  const dgamma = new Array(H).fill(0);
  dy.forEach((row, n) => row.forEach((g, h) => { dbeta[h] += g; dgamma[h] += g * xhat[n][h]; }));
  const dxhat = dy.map((row) => row.map((g, h) => g * gamma[h]));
  const dvariance = new Array(H).fill(0);
  const dmu = new Array(H).fill(0);
  x.forEach((row, n) => row.forEach((v, h) => {
    dvariance[h] += dxhat[n][h] * (v - mu[h]) * -0.5 * (variance[h] + eps) ** -1.5;
  }));
  x.forEach((row, n) => row.forEach((v, h) => {
    dmu[h] += -dxhat[n][h] / std[h] + dvariance[h] * -2 * (v - mu[h]) / N;
  }));
  const dx = x.map((row, n) => row.map((v, h) =>
    dxhat[n][h] / std[h] + dvariance[h] * 2 * (v - mu[h]) / N + dmu[h] / N));
  return { dxhat, dvariance, dmu, dx, dgamma, dbeta };
}
`;

export const bnBackward: Exercise = {
  id: 'bn-backward',
  functions: ['batchNormBackward'],
  starter: stagedStarter,
  hint: 'Walk the graph backwards one node at a time: y = γ·x̂ + β gives dx̂ = dy·γ; x̂ depends on σ² and μ, so collect their gradients (summed over the batch) before dx. dx has three paths: through x̂ directly, through σ², and through μ — the last adds dμ/N to every row.',
  solution: stagedSolution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const [i, c] of bnCases().entries()) {
      const dy = upstream(c, i);
      const e = engineBackward(c, dy);
      const { mu, variance } = columnStats(c.x);
      const xhat = c.x.map((r) => r.map((v, h) => (v - mu[h]) / Math.sqrt(variance[h] + c.eps)));
      const cache = { x: copy(c.x), mu, variance, xhat, gamma: copy(c.gamma), eps: c.eps };
      const call = callReader(fns, 'batchNormBackward', [copy(dy), cache], c.name, context);
      if (call.failure) return [...results, call.failure];
      const s = stagedBackward(c, dy);
      const got = (name: string) => field(call.value, name, 'batchNormBackward');
      results.push(
        compareStage(c.name, 'dxhat', expected(s.dxhat.flat(), e.n, e.h), got('dxhat')),
        compareStage(c.name, 'dvariance', expected(s.dvariance, e.h), got('dvariance')),
        compareStage(c.name, 'dmu', expected(s.dmu, e.h), got('dmu')),
        compareStage(c.name, 'dx', expected(e.dx, e.n, e.h), got('dx'), diagnoseDx(c, dy), dxTermScale(c, dy)),
        compareStage(c.name, 'dgamma', expected(e.dgamma, e.h), got('dgamma')),
        compareStage(c.name, 'dbeta', expected(e.dbeta, e.h), got('dbeta')),
      );
    }
    return results;
  },
};

const compactStarter = `// The same dx in one expression per element, from x̂ alone:
//   dx = γ / (N·√(σ² + ε)) · (N·dy − Σₙ dy − x̂·Σₙ dy·x̂)
function batchNormBackwardCompact(dy, xhat, gamma, variance, eps) {
  const N = dy.length, H = dy[0].length;
  return dy.map((row) => row.map(() => 0)); // TODO
}
`;

const compactSolution = `function batchNormBackwardCompact(dy, xhat, gamma, variance, eps) {
  const N = dy.length, H = dy[0].length;
  const sumDy = new Array(H).fill(0);
  const sumDyXhat = new Array(H).fill(0);
  dy.forEach((row, n) => row.forEach((g, h) => { sumDy[h] += g; sumDyXhat[h] += g * xhat[n][h]; }));
  return dy.map((row, n) => row.map((g, h) =>
    gamma[h] / (N * Math.sqrt(variance[h] + eps)) * (N * g - sumDy[h] - xhat[n][h] * sumDyXhat[h])));
}
`;

export const bnBackwardCompact: Exercise = {
  id: 'bn-backward-compact',
  functions: ['batchNormBackwardCompact'],
  starter: compactStarter,
  hint: 'Two sums per feature over the batch — Σₙ dy and Σₙ dy·x̂ — then one expression per element. Forgetting −Σₙ dy drops the path through μ.',
  solution: compactSolution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const [i, c] of bnCases().entries()) {
      const dy = upstream(c, i);
      const e = engineBackward(c, dy);
      const { mu, variance } = columnStats(c.x);
      const xhat = c.x.map((r) => r.map((v, h) => (v - mu[h]) / Math.sqrt(variance[h] + c.eps)));
      const call = callReader(fns, 'batchNormBackwardCompact', [copy(dy), xhat, copy(c.gamma), variance, c.eps], c.name, context);
      if (call.failure) return [...results, call.failure];
      results.push(compareStage(c.name, 'dx', expected(e.dx, e.n, e.h), call.value, diagnoseCompact(c, dy), dxTermScale(c, dy)));
    }
    return results;
  },
};
