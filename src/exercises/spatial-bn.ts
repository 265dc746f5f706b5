/**
 * Exercise (lesson 14, BN in a ConvNet): spatial BN forward and backward for an (N, R, S, C)
 * feature map, written as a reshape to (N·R·S, C) rows, the Dense BN the reader wrote in lessons 2
 * and 3 on those rows, and the reshape back — checked stage by stage (rows, μ, σ², y, then dx, dγ,
 * dβ) against the engine's `spatialBatchNorm` (engine/layers/spatial-batch-norm.ts), which is
 * built the same way.
 */
import { spatialBatchNorm } from '@engine/layers/spatial-batch-norm.ts';
import { compareStage, flatten, matches, type StageResult } from './compare.ts';
import { callReader, field, type Exercise } from './exercise.ts';
import { copy, expected, normalMatrix, normalVector } from './inputs.ts';

interface SpatialCase {
  name: string;
  /** x[n][r][s][c] */
  x: number[][][][];
  dout: number[][][][];
  gamma: number[];
  beta: number[];
  eps: number;
}

/** An (N, R, S, C) nested array of seeded normal values. */
function tensor(seed: number, N: number, R: number, S: number, C: number, scale = 1, shift = 0): number[][][][] {
  const flat = normalMatrix(seed, N * R * S, C, scale, shift);
  return Array.from({ length: N }, (_, n) =>
    Array.from({ length: R }, (_, r) => Array.from({ length: S }, (_, s) => flat[(n * R + r) * S + s])),
  );
}

function cases(): SpatialCase[] {
  const make = (name: string, seed: number, N: number, R: number, S: number, C: number, gammaScale = 1): SpatialCase => ({
    name,
    x: tensor(seed, N, R, S, C, 2, 0.5),
    dout: tensor(seed + 50, N, R, S, C),
    gamma: normalVector(seed + 100, C, 0.3 * gammaScale, gammaScale),
    beta: normalVector(seed + 200, C, 0.5),
    eps: 1e-3,
  });
  const constant = make('a channel constant over the batch (σ² = 0)', 4, 2, 2, 2, 2);
  for (const image of constant.x) for (const row of image) for (const pixel of row) pixel[1] = 3;
  return [
    make('batch 2 × 3 × 3 × 2', 1, 2, 3, 3, 2),
    make('one image (N = 1): still 16 values a channel', 2, 1, 4, 4, 3),
    constant,
    make('large γ (×1000)', 3, 3, 2, 2, 2, 1000),
  ];
}

const dims = (c: SpatialCase) => ({ N: c.x.length, R: c.x[0].length, S: c.x[0][0].length, C: c.gamma.length });
const flat4 = (t: number[][][][]) => Float32Array.from(t.flat(3));

/** The engine's spatial BN on one case, in training mode: its batch statistics, y, then dx, dγ, dβ for `dout`. */
function engine(c: SpatialCase) {
  const { N, R, S, C } = dims(c);
  const layer = spatialBatchNorm({ rows: R, cols: S, channels: C }, { epsilon: c.eps });
  layer.gamma.value.set(c.gamma);
  layer.beta.value.set(c.beta);
  const y = Float32Array.from(layer.forward(flat4(c.x), N, 'train'));
  const stats = layer.lastBatchStats()!;
  const mu = Float32Array.from(stats.mean);
  const variance = Float32Array.from(stats.variance);
  const dx = Float32Array.from(layer.backward(flat4(c.dout)));
  return { N, R, S, C, mu, variance, y, dx, dgamma: Float32Array.from(layer.gamma.grad), dbeta: Float32Array.from(layer.beta.grad) };
}

/** Statistics per (r, s, c) over the N images only: the per-position mistake. */
function perPositionMeans(c: SpatialCase): number[] {
  const { N, R, S, C } = dims(c);
  const out: number[] = [];
  for (let r = 0; r < R; r++)
    for (let s = 0; s < S; s++) for (let k = 0; k < C; k++) out.push(c.x.reduce((a, img) => a + img[r][s][k], 0) / N);
  return out;
}

/** μ of the wrong shape is most often the per-position mistake: say so instead of only naming the shape. */
function perPositionMistake(c: SpatialCase, value: unknown): string | null {
  let got: number[];
  try {
    got = flatten(value, 'mu').data;
  } catch {
    return null;
  }
  const { R, S, C } = dims(c);
  return got.length === R * S * C && matches(perPositionMeans(c), got)
    ? `μ has ${got.length} values, one per position and channel averaged over the N images only: spatial BN averages each channel over all N·R·S positions of the batch, ${C} values`
    : null;
}

const denseBn = `// The Dense BN you wrote in lessons 2 and 3, on rows (M × C): given, unchanged.
function denseBnForward(rows, gamma, beta, eps) {
  const M = rows.length, C = rows[0].length;
  const mu = new Array(C).fill(0), variance = new Array(C).fill(0);
  for (const row of rows) row.forEach((v, c) => { mu[c] += v / M; });
  for (const row of rows) row.forEach((v, c) => { variance[c] += (v - mu[c]) ** 2 / M; });
  const xhat = rows.map((row) => row.map((v, c) => (v - mu[c]) / Math.sqrt(variance[c] + eps)));
  const y = xhat.map((row) => row.map((v, c) => gamma[c] * v + beta[c]));
  return { mu, variance, xhat, y };
}
function denseBnBackward(drows, xhat, variance, gamma, eps) {
  const M = drows.length, C = gamma.length;
  const dgamma = new Array(C).fill(0), dbeta = new Array(C).fill(0);
  drows.forEach((row, m) => row.forEach((v, c) => { dgamma[c] += v * xhat[m][c]; dbeta[c] += v; }));
  const dx = drows.map((row, m) => row.map((v, c) =>
    (gamma[c] / (M * Math.sqrt(variance[c] + eps))) * (M * v - dbeta[c] - xhat[m][c] * dgamma[c])));
  return { dx, dgamma, dbeta };
}
`;

const starter = `${denseBn}
// x[n][r][s][c]: N images of R × S positions with C channels (channels-last).
// Return the reshaped rows ((N·R·S) × C), mu and variance (C each) and y (N × R × S × C).
function spatialBnForward(x, gamma, beta, eps) {
  const rows = []; // TODO: one row per (n, r, s): the C channel values at that position
  const { mu, variance, y: yRows } = denseBnForward(rows.length ? rows : [[0]], gamma, beta, eps);
  const y = x; // TODO: reshape yRows back to N × R × S × C
  return { rows, mu, variance, y };
}

// dout, x: N × R × S × C. Return dx (N × R × S × C), dgamma and dbeta (C each).
function spatialBnBackward(dout, x, gamma, eps) {
  // TODO: the same reshape, then denseBnBackward, then reshape dx back
  return { dx: dout, dgamma: gamma.map(() => 0), dbeta: gamma.map(() => 0) };
}

// Try it: the last expression's value is shown under the cell.
spatialBnForward([[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]], [1, 1], [0, 0], 1e-3).mu
`;

const solution = `${denseBn}
const toRows = (x) => x.flatMap((image) => image.flatMap((row) => row.map((pixel) => [...pixel])));
const fromRows = (rows, N, R, S) =>
  Array.from({ length: N }, (_, n) => Array.from({ length: R }, (_, r) => Array.from({ length: S }, (_, s) => rows[(n * R + r) * S + s])));

function spatialBnForward(x, gamma, beta, eps) {
  const rows = toRows(x);
  const { mu, variance, y } = denseBnForward(rows, gamma, beta, eps);
  return { rows, mu, variance, y: fromRows(y, x.length, x[0].length, x[0][0].length) };
}

function spatialBnBackward(dout, x, gamma, eps) {
  const { variance, xhat } = denseBnForward(toRows(x), gamma, gamma.map(() => 0), eps);
  const { dx, dgamma, dbeta } = denseBnBackward(toRows(dout), xhat, variance, gamma, eps);
  return { dx: fromRows(dx, x.length, x[0].length, x[0][0].length), dgamma, dbeta };
}

spatialBnForward([[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]], [1, 1], [0, 0], 1e-3).mu
`;

export const spatialBn: Exercise = {
  id: 'spatial-bn',
  functions: ['spatialBnForward', 'spatialBnBackward'],
  starter,
  hint: 'Channels-last makes the reshape a flattening: the C values at one position (n, r, s) are one row, so the (N, R, S, C) tensor is N·R·S rows of C features. Run the Dense BN on those rows, then cut its output back into N images of R rows of S positions.',
  solution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const c of cases()) {
      const e = engine(c);
      const forward = callReader(fns, 'spatialBnForward', [copy(c.x), copy(c.gamma), copy(c.beta), c.eps], c.name, context);
      if (forward.failure) return [...results, forward.failure];
      const got = (name: string) => field(forward.value, name, 'spatialBnForward');
      const M = e.N * e.R * e.S;
      const mu = compareStage(c.name, 'mu', expected(e.mu, e.C), got('mu'));
      results.push(
        compareStage(c.name, 'rows', expected(flat4(c.x), M, e.C), got('rows')),
        mu.pass ? mu : { ...mu, message: perPositionMistake(c, got('mu')) ?? mu.message },
        compareStage(c.name, 'variance', expected(e.variance, e.C), got('variance')),
        compareStage(c.name, 'y', expected(e.y, e.N, e.R, e.S, e.C), got('y')),
      );
      const backward = callReader(fns, 'spatialBnBackward', [copy(c.dout), copy(c.x), copy(c.gamma), c.eps], c.name, context);
      if (backward.failure) return [...results, backward.failure];
      const back = (name: string) => field(backward.value, name, 'spatialBnBackward');
      results.push(
        compareStage(c.name, 'dx', expected(e.dx, e.N, e.R, e.S, e.C), back('dx'), undefined, 1),
        compareStage(c.name, 'dgamma', expected(e.dgamma, e.C), back('dgamma')),
        compareStage(c.name, 'dbeta', expected(e.dbeta, e.C), back('dbeta')),
      );
    }
    return results;
  },
};
