/**
 * Exercise (small-batch lesson): GroupNorm forward on a channels-last N × H × W × C tensor, stage by
 * stage — μ and σ² per example and group (N × G), then x̂ and y (N × H × W × C) — checked against the
 * engine's `groupNorm` (engine/layers/group-norm.ts). Group g holds the C/G consecutive channels
 * g·C/G … (g + 1)·C/G − 1, as in PyTorch's `GroupNorm`; each statistic averages H·W·C/G values of
 * one example. G = 1 is LayerNorm over C × H × W, G = C is InstanceNorm.
 * Source: Wu & He (2018), Group Normalization, Figure 3 (its code, in NCHW).
 */
import { groupNorm } from '@engine/layers/group-norm.ts';
import { compareStage, matches, type StageResult } from './compare.ts';
import { callReader, field, type Exercise } from './exercise.ts';
import { copy, expected, normalMatrix, normalVector } from './inputs.ts';

export interface GnCase {
  name: string;
  /** x[n][i][j][c]: N examples of H × W positions with C channels. */
  x: number[][][][];
  groups: number;
  gamma: number[];
  beta: number[];
  eps: number;
}

function tensor(seed: number, n: number, h: number, w: number, c: number, scale = 1, shift = 0): number[][][][] {
  const rows = normalMatrix(seed, n * h * w, c, scale, shift);
  return Array.from({ length: n }, (_, a) =>
    Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => rows[(a * h + i) * w + j])),
  );
}

export function gnCases(): GnCase[] {
  const make = (name: string, seed: number, n: number, h: number, w: number, c: number, groups: number, scale = 1): GnCase => ({
    name,
    x: tensor(seed, n, h, w, c, 2 * scale, 0.5 * scale),
    groups,
    gamma: normalVector(seed + 100, c, 0.3, 1),
    beta: normalVector(seed + 200, c, 0.5),
    eps: 1e-3,
  });
  return [
    make('2 examples, 3×3, 4 channels in 2 groups', 1, 2, 3, 3, 4, 2),
    make('one example, 6 channels in 3 groups', 2, 1, 4, 2, 6, 3),
    make('G = 1 (LayerNorm over C×H×W)', 3, 2, 2, 3, 4, 1),
    make('G = C (InstanceNorm)', 4, 3, 3, 2, 3, 3),
    make('ε that matters (σ² ≈ ε)', 5, 2, 2, 2, 4, 2, 0.015),
  ];
}

const flat = (x: number[][][][]) => Float32Array.from(x.flat(3));

/** Per example and group, the mean and biased variance in float64 (N × G each). */
export function groupStats(c: GnCase, groupsOf: (channel: number) => number = (ch) => Math.floor(ch / (c.gamma.length / c.groups))) {
  const mu = c.x.map(() => new Array<number>(c.groups).fill(0));
  const variance = c.x.map(() => new Array<number>(c.groups).fill(0));
  const counts = new Array<number>(c.groups).fill(0);
  c.gamma.forEach((_, ch) => (counts[groupsOf(ch)] += c.x[0].length * c.x[0][0].length));
  c.x.forEach((ex, n) =>
    ex.forEach((row) => row.forEach((px) => px.forEach((v, ch) => (mu[n][groupsOf(ch)] += v / counts[groupsOf(ch)])))),
  );
  c.x.forEach((ex, n) =>
    ex.forEach((row) =>
      row.forEach((px) => px.forEach((v, ch) => (variance[n][groupsOf(ch)] += (v - mu[n][groupsOf(ch)]) ** 2 / counts[groupsOf(ch)]))),
    ),
  );
  return { mu, variance };
}

function engineForward(c: GnCase) {
  const [N, H, W, C] = [c.x.length, c.x[0].length, c.x[0][0].length, c.gamma.length];
  const layer = groupNorm({ rows: H, cols: W, channels: C }, c.groups, { epsilon: c.eps });
  layer.gamma.value.set(c.gamma);
  layer.beta.value.set(c.beta);
  const y = Float32Array.from(layer.forward(flat(c.x), N, 'train'));
  const xhat = Float32Array.from(groupNorm({ rows: H, cols: W, channels: C }, c.groups, { epsilon: c.eps }).forward(flat(c.x), N, 'train'));
  return { y, xhat, shape: [N, H, W, C] };
}

/** Channels dealt out round-robin (c mod G) instead of in consecutive blocks. */
function diagnoseGrouping(c: GnCase) {
  return (got: number[]) =>
    c.groups > 1 && c.groups < c.gamma.length && matches(groupStats(c, (ch) => ch % c.groups).mu.flat(), got)
      ? 'the groups are channels c, c + G, c + 2G…: group g holds the consecutive channels g·C/G up to (g + 1)·C/G − 1'
      : null;
}

const starter = `// x[n][i][j][c]: N examples, H × W positions, C channels (channels last).
// G groups of C/G consecutive channels; gamma, beta: C values.
// Return mu and variance (N × G: one per example and group), xhat and y (N × H × W × C).
function groupNormForward(x, G, gamma, beta, eps) {
  const N = x.length, H = x[0].length, W = x[0][0].length, C = x[0][0][0].length;
  const mu = x.map(() => new Array(G).fill(0));       // TODO
  const variance = x.map(() => new Array(G).fill(0)); // TODO
  const xhat = x.map((e) => e.map((r) => r.map((p) => p.map(() => 0)))); // TODO
  const y = x.map((e) => e.map((r) => r.map((p) => p.map(() => 0))));    // TODO
  return { mu, variance, xhat, y };
}

// One example, 1 × 2 positions, 4 channels in 2 groups:
groupNormForward([[[[1, 2, 10, 20], [3, 4, 30, 40]]]], 2, [1, 1, 1, 1], [0, 0, 0, 0], 1e-3).mu
`;

const solution = `function groupNormForward(x, G, gamma, beta, eps) {
  const N = x.length, H = x[0].length, W = x[0][0].length, C = x[0][0][0].length;
  const group = (c) => Math.floor(c / (C / G));
  const M = H * W * (C / G); // values behind each statistic
  const mu = x.map(() => new Array(G).fill(0));
  const variance = x.map(() => new Array(G).fill(0));
  x.forEach((e, n) => e.forEach((r) => r.forEach((p) => p.forEach((v, c) => { mu[n][group(c)] += v / M; }))));
  x.forEach((e, n) => e.forEach((r) => r.forEach((p) => p.forEach((v, c) => {
    variance[n][group(c)] += (v - mu[n][group(c)]) ** 2 / M;
  }))));
  const xhat = x.map((e, n) => e.map((r) => r.map((p) => p.map((v, c) =>
    (v - mu[n][group(c)]) / Math.sqrt(variance[n][group(c)] + eps)))));
  const y = xhat.map((e) => e.map((r) => r.map((p) => p.map((v, c) => gamma[c] * v + beta[c]))));
  return { mu, variance, xhat, y };
}

groupNormForward([[[[1, 2, 10, 20], [3, 4, 30, 40]]]], 2, [1, 1, 1, 1], [0, 0, 0, 0], 1e-3).mu
`;

export const gnForward: Exercise = {
  id: 'gn-forward',
  functions: ['groupNormForward'],
  starter,
  hint: 'Channel c belongs to group ⌊c / (C/G)⌋. Each (example, group) statistic averages H·W·C/G values — never values of another example. γ and β stay per channel.',
  solution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const c of gnCases()) {
      const call = callReader(fns, 'groupNormForward', [copy(c.x), c.groups, copy(c.gamma), copy(c.beta), c.eps], c.name, context);
      if (call.failure) return [...results, call.failure];
      const e = engineForward(c);
      const { mu, variance } = groupStats(c);
      const [N] = e.shape;
      const got = (name: string) => field(call.value, name, 'groupNormForward');
      results.push(
        compareStage(c.name, 'mu', expected(mu.flat(), N, c.groups), got('mu'), diagnoseGrouping(c)),
        compareStage(c.name, 'variance', expected(variance.flat(), N, c.groups), got('variance')),
        compareStage(c.name, 'xhat', expected(e.xhat, ...e.shape), got('xhat')),
        compareStage(c.name, 'y', expected(e.y, ...e.shape), got('y')),
      );
    }
    return results;
  },
};
