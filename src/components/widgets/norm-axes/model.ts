/**
 * The N × C × (H·W) block of the GroupNorm paper (Wu & He 2018, Figure 2), as data: which cells of
 * one layer's activations share one mean and variance under BN, LayerNorm, InstanceNorm and
 * GroupNorm with G groups, and how many values stand behind each statistic. A cell (n, c) stands
 * for the H·W positions of channel c in example n:
 *
 *   BN            one statistic per channel, over N·H·W values (the batch)
 *   LayerNorm     one per example, over C·H·W values (Wu & He's LN: GroupNorm with G = 1)
 *   InstanceNorm  one per example and channel, over H·W values (G = C)
 *   GroupNorm     one per example and group of C/G consecutive channels, over (C/G)·H·W values
 *
 * With real activations (channels-last N × H × W × C, the conv output before normalization) it
 * also gives each statistic's mean and variance, computed as the engine's layers do (biased).
 */
export const methods = ['batch', 'layer', 'instance', 'group'] as const;
export type Method = (typeof methods)[number];

export const methodLabels: Record<Method, string> = {
  batch: 'BatchNorm',
  layer: 'LayerNorm',
  instance: 'InstanceNorm',
  group: 'GroupNorm',
};

export interface Geometry {
  batch: number; // N
  height: number; // H
  width: number; // W
  channels: number; // C
}

/** The layers the widget offers, as the small ConvNet's conv outputs (valid 3×3 convs, 2×2 pools). */
export const layers: readonly { id: string; label: string; height: number; width: number; channels: number }[] = [
  { id: 'conv1', label: 'first conv (26 × 26, 8 channels)', height: 26, width: 26, channels: 8 },
  { id: 'conv2', label: 'second conv (11 × 11, 16 channels)', height: 11, width: 11, channels: 16 },
  { id: 'conv3', label: 'a third conv (3 × 3, 32 channels)', height: 3, width: 3, channels: 32 },
];

export const batchSizes = [1, 2, 4, 8] as const;

/** The group counts GroupNorm can take: the divisors of C. */
export function groupChoices(channels: number): number[] {
  return Array.from({ length: channels }, (_, i) => i + 1).filter((g) => channels % g === 0);
}

function checkGroups(method: Method, groups: number, channels: number): void {
  if (method === 'group' && !(Number.isInteger(groups) && groups >= 1 && channels % groups === 0))
    throw new RangeError(`norm axes: groups must divide the ${channels} channels, received ${groups}`);
}

/** The statistic cell (n, c) is normalized with, numbered 0 … count − 1. */
export function statisticOf(method: Method, groups: number, g: Geometry, n: number, c: number): number {
  checkGroups(method, groups, g.channels);
  switch (method) {
    case 'batch':
      return c;
    case 'layer':
      return n;
    case 'instance':
      return n * g.channels + c;
    case 'group':
      return n * groups + Math.floor(c / (g.channels / groups));
  }
}

/** How many means (and variances) the layer computes per forward pass. */
export function statisticCount(method: Method, groups: number, g: Geometry): number {
  checkGroups(method, groups, g.channels);
  return { batch: g.channels, layer: g.batch, instance: g.batch * g.channels, group: g.batch * groups }[method];
}

/** The factors of the number of values behind one statistic, e.g. [['N', 2], ['H', 26], ['W', 26]]. */
export function valuesBehind(method: Method, groups: number, g: Geometry): { factors: [string, number][]; count: number } {
  checkGroups(method, groups, g.channels);
  const hw: [string, number][] = [
    ['H', g.height],
    ['W', g.width],
  ];
  const factors: [string, number][] = {
    batch: [['N', g.batch] as [string, number], ...hw],
    layer: [['C', g.channels] as [string, number], ...hw],
    instance: hw,
    group: [['C/G', g.channels / groups] as [string, number], ...hw],
  }[method];
  return { factors, count: factors.reduce((p, [, v]) => p * v, 1) };
}

const int = (x: number) => x.toLocaleString('en');

/** One sentence: what shares a statistic, how many there are, and how many values each averages. */
export function describe(method: Method, groups: number, g: Geometry): string {
  const { factors, count } = valuesBehind(method, groups, g);
  const product = `${factors.map(([k]) => k).join(' · ')} = ${factors.map(([, v]) => int(v)).join(' × ')} = ${int(count)} values`;
  const stats = statisticCount(method, groups, g);
  const what = {
    batch: `one mean and variance per channel, shared by all ${g.batch} example${g.batch === 1 ? '' : 's'} of the batch`,
    layer: 'one mean and variance per example, over all its channels',
    instance: 'one mean and variance per example and channel',
    group: `one mean and variance per example and group of ${g.channels / groups} channel${g.channels / groups === 1 ? '' : 's'}`,
  }[method];
  const name = method === 'group' ? `GroupNorm with ${groups} group${groups === 1 ? '' : 's'}` : methodLabels[method];
  const warning =
    method === 'batch' && count === g.height * g.width && g.batch === 1
      ? ' With one example BN normalizes each image by itself (InstanceNorm in disguise), and the engine refuses to train BN at batch 1.'
      : '';
  return `${name}: ${what} — ${int(stats)} statistic${stats === 1 ? '' : 's'}, each over ${product}.${warning}`;
}

/** Real activations: x (N, H, W, C) channels last, as the engine keeps them. */
export interface Activations extends Geometry {
  x: Float32Array;
}

/** Each cell's mean over its H·W positions, [n][c]. */
export function cellMeans(a: Activations): number[][] {
  const P = a.height * a.width;
  const C = a.channels;
  return Array.from({ length: a.batch }, (_, n) =>
    Array.from({ length: C }, (_, c) => {
      let s = 0;
      for (let p = 0; p < P; p++) s += a.x[(n * P + p) * C + c];
      return s / P;
    }),
  );
}

/** Every statistic's mean and biased variance in float64 (index = `statisticOf`), and its count of values. */
export function statistics(a: Activations, method: Method, groups: number): { mean: number; variance: number; count: number }[] {
  if (a.x.length !== a.batch * a.height * a.width * a.channels)
    throw new RangeError(
      `norm axes: activations must hold N·H·W·C = ${a.batch * a.height * a.width * a.channels} values, received ${a.x.length}`,
    );
  const k = statisticCount(method, groups, a);
  const sum = new Float64Array(k);
  const square = new Float64Array(k);
  const count = new Float64Array(k);
  const P = a.height * a.width;
  for (let n = 0; n < a.batch; n++)
    for (let c = 0; c < a.channels; c++) {
      const s = statisticOf(method, groups, a, n, c);
      for (let p = 0; p < P; p++) {
        const v = a.x[(n * P + p) * a.channels + c];
        sum[s] += v;
        square[s] += v * v;
        count[s]++;
      }
    }
  return Array.from(sum, (t, s) => {
    const mean = t / count[s];
    return { mean, variance: Math.max(0, square[s] / count[s] - mean * mean), count: count[s] };
  });
}
