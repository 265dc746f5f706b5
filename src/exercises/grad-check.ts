/**
 * Exercise (backprop lesson): the numerical gradient check the reader runs on their own backward pass.
 * They write `numericalGradient(f, x, h)` — central differences (f(x + h) − f(x − h)) / 2h for
 * every element of a matrix x — checked against the engine's `numericGradient`
 * (engine/testing/grad-check.ts) on the BN loss L = Σ dy·y; the starter then uses it to check a
 * backward pass and prints the largest relative difference.
 */
import { numericGradient } from '@engine/testing/grad-check.ts';
import { compareStage, matches, type StageResult } from './compare.ts';
import { bnCases, columnStats } from './bn-forward.ts';
import { callReader, type Exercise } from './exercise.ts';
import { expected, normalMatrix } from './inputs.ts';

const starter = `// Central differences: nudge one element at a time by ±h and watch f move.
// f takes a matrix (rows of numbers) and returns a number. Restore each element afterwards!
function numericalGradient(f, x, h) {
  return x.map((row) => row.map(() => 0)); // TODO
}

// Use it on BN: L = Σ dy·y, whose gradient with respect to x is the dx of your backward pass.
function bnForward(x, gamma, beta, eps) {
  const N = x.length;
  const mu = x[0].map((_, h) => x.reduce((s, r) => s + r[h], 0) / N);
  const v = mu.map((m, h) => x.reduce((s, r) => s + (r[h] - m) ** 2, 0) / N);
  return x.map((r) => r.map((val, h) => gamma[h] * (val - mu[h]) / Math.sqrt(v[h] + eps) + beta[h]));
}
// Paste your batchNormBackwardCompact here to check it; this one is deliberately wrong.
function batchNormBackwardCompact(dy, xhat, gamma, variance, eps) {
  return dy.map((row) => row.map((g, h) => g * gamma[h] / Math.sqrt(variance[h] + eps)));
}

const x = [[1, 2], [3, -1], [0.5, 4], [2, 2]];
const dy = [[0.1, -0.3], [0.7, 0.2], [-0.4, 0.5], [0.3, 0.1]];
const gamma = [1.5, 0.8], beta = [0, 0], eps = 1e-3;
const loss = (xx) => bnForward(xx, gamma, beta, eps).flat().reduce((s, y, i) => s + y * dy.flat()[i], 0);
const numeric = numericalGradient(loss, x, 1e-5);

const N = x.length;
const mu = x[0].map((_, h) => x.reduce((s, r) => s + r[h], 0) / N);
const variance = mu.map((m, h) => x.reduce((s, r) => s + (r[h] - m) ** 2, 0) / N);
const xhat = x.map((r) => r.map((v, h) => (v - mu[h]) / Math.sqrt(variance[h] + eps)));
const analytic = batchNormBackwardCompact(dy, xhat, gamma, variance, eps);
const diff = Math.max(...analytic.flat().map((a, i) => Math.abs(a - numeric.flat()[i])));
const scale = Math.max(...numeric.flat().map(Math.abs));
if (scale === 0) console.log('numericalGradient returns only zeros so far: write it first');
else console.log('largest |analytic − numeric| / scale =', diff / scale);
`;

const solution = `function numericalGradient(f, x, h) {
  return x.map((row, n) => row.map((_, j) => {
    const keep = x[n][j];
    x[n][j] = keep + h;
    const plus = f(x);
    x[n][j] = keep - h;
    const minus = f(x);
    x[n][j] = keep;
    return (plus - minus) / (2 * h);
  }));
}
`;

export const gradCheck: Exercise = {
  id: 'grad-check',
  functions: ['numericalGradient'],
  starter,
  hint: 'For each element: keep its value, set x + h and evaluate f, set x − h and evaluate f, put the value back, and store (f₊ − f₋)/2h. Forgetting to restore the element shifts every later difference.',
  solution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const [i, c] of bnCases().entries()) {
      const n = c.x.length;
      const h = c.gamma.length;
      const dy = normalMatrix(400 + i, n, h);
      const loss = (x: number[][]) => {
        const { mu, variance } = columnStats(x);
        return x.reduce(
          (s, r, k) =>
            s + r.reduce((t, v, j) => t + dy[k][j] * ((c.gamma[j] * (v - mu[j])) / Math.sqrt(variance[j] + c.eps) + c.beta[j]), 0),
          0,
        );
      };
      const rows = (v: Float64Array) => Array.from({ length: n }, (_, k) => Array.from(v.subarray(k * h, (k + 1) * h)));
      const numeric = numericGradient((v) => loss(rows(v)), Float64Array.from(c.x.flat()), 1e-5);
      const x = c.x.map((r) => [...r]);
      const call = callReader(fns, 'numericalGradient', [loss, x, 1e-5], c.name, context);
      if (call.failure) return [...results, call.failure];
      const forward = c.x.flat().map((_, k) => {
        const v = Float64Array.from(c.x.flat());
        const f0 = loss(rows(v));
        v[k] += 1e-5;
        return (loss(rows(v)) - f0) / 1e-5;
      });
      const diagnose = (got: number[]) => {
        if (matches(forward, got))
          return 'that is a one-sided difference (f(x + h) − f(x)) / h; the central one, (f(x + h) − f(x − h)) / 2h, is far more accurate';
        if (x.flat().some((v, k) => v !== c.x.flat()[k])) return 'x was left changed: restore each element after nudging it';
        return null;
      };
      results.push(compareStage(c.name, 'gradient', expected(numeric, n, h), call.value, diagnose));
    }
    return results;
  },
};
