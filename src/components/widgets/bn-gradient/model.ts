/**
 * The BN-gradient widget without the DOM. One feature, a batch of m values and an upstream
 * gradient dy; the course engine's BN layer computes dx with its compact formula
 * (Ioffe & Szegedy 2015, Section 3, https://arxiv.org/abs/1502.03167):
 *
 *   dxᵢ = γ/(m·s) · (m·dyᵢ − Σⱼ dyⱼ − x̂ᵢ·Σⱼ dyⱼ·x̂ⱼ),   s = √(σ² + ε)
 *
 * and we check it against central finite differences of L(x) = Σᵢ dyᵢ·yᵢ(x), computed in float64
 * with the independent reference transform of lib/bn-transform.
 */
import { batchNorm } from '@engine';
import { createRandom } from '@engine/random.ts';
import { bnTransform, gaussian, sampleBatch } from '../../../lib/bn-transform';
import { choiceParam, numberParam, sliderGrid, type StateOf } from '../params';

export const upstreams = ['random', 'one', 'constant', 'aligned'] as const;
export type Upstream = (typeof upstreams)[number];
export const upstreamLabels: Record<Upstream, string> = {
  random: 'Random (typical)',
  one: 'Only sample 1 (1, 0, 0, …)',
  constant: 'The same for every sample',
  aligned: 'Along x̂ (dy = x̂)',
};

/** The γ slider: 0.1 … 3 in steps of 0.05. */
export const gammaSlider = { min: 0.1, max: 3, step: 0.05 };
/** The ε slider moves in tenths of a decade: position = log10(ε), 10⁻⁵ … 1, shown to two digits. */
export const epsSlider = { min: -5, max: 0, step: 0.1 };
export const epsFromSlider = (position: number): number => Number((10 ** position).toPrecision(2));

export const schema = {
  n: numberParam({ min: 2, max: 16, default: 6, integer: true }),
  upstream: choiceParam(upstreams, 'random'),
  gamma: numberParam({ min: 0.1, max: 3, default: 1, grid: sliderGrid(gammaSlider) }),
  eps: numberParam({ min: 1e-5, max: 1, default: 1e-3, grid: sliderGrid(epsSlider, epsFromSlider) }),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

export interface Gradients {
  x: Float64Array;
  xhat: Float64Array;
  dy: Float64Array;
  /** From the engine's backward (float32). */
  dx: Float64Array;
  /** Central finite differences of the float64 reference transform. */
  numeric: Float64Array;
  /** The direct path alone, γ·dyᵢ/s: what dx would be if μ and σ² did not depend on x. */
  direct: Float64Array;
  dgamma: number;
  dbeta: number;
  sumDx: number;
  /** Σ dxᵢ·x̂ᵢ: zero for ε = 0, tiny for small ε. */
  dotXhat: number;
  maxDifference: number;
}

export function upstreamGradient(upstream: Upstream, xhat: Float64Array, seed: number): Float64Array {
  const m = xhat.length;
  const dy = new Float64Array(m);
  if (upstream === 'random') {
    // A seed stream apart from the batch's, so the two are independent.
    const normal = gaussian(createRandom((seed + 0x9e3779b9) >>> 0));
    for (let i = 0; i < m; i++) dy[i] = normal();
  } else if (upstream === 'one') dy[0] = 1;
  else if (upstream === 'constant') dy.fill(1);
  else dy.set(xhat);
  return dy;
}

export function gradients(state: State): Gradients {
  const { n: m, gamma, eps } = state;
  const x = sampleBatch('shifted', m, state.seed);
  const reference = bnTransform(x, { gamma, beta: 0, epsilon: eps });
  const dy = upstreamGradient(state.upstream, reference.xhat, state.seed);

  const layer = batchNorm(1, { epsilon: eps });
  layer.gamma.value[0] = gamma;
  layer.forward(Float32Array.from(x), m, 'train');
  const dx = Float64Array.from(layer.backward(Float32Array.from(dy)));

  const loss = (values: Float64Array) => {
    const { y } = bnTransform(values, { gamma, beta: 0, epsilon: eps });
    let sum = 0;
    for (let i = 0; i < m; i++) sum += dy[i] * y[i];
    return sum;
  };
  const h = 1e-5 * reference.scale;
  const numeric = new Float64Array(m);
  const direct = new Float64Array(m);
  let sumDx = 0;
  let dotXhat = 0;
  let maxDifference = 0;
  let dgamma = 0;
  let dbeta = 0;
  for (let i = 0; i < m; i++) {
    const nudged = Float64Array.from(x);
    nudged[i] = x[i] + h;
    const up = loss(nudged);
    nudged[i] = x[i] - h;
    numeric[i] = (up - loss(nudged)) / (2 * h);
    direct[i] = (gamma * dy[i]) / reference.scale;
    sumDx += dx[i];
    dotXhat += dx[i] * reference.xhat[i];
    maxDifference = Math.max(maxDifference, Math.abs(dx[i] - numeric[i]));
    dgamma += dy[i] * reference.xhat[i];
    dbeta += dy[i];
  }
  return { x, xhat: reference.xhat, dy, dx, numeric, direct, dgamma, dbeta, sumDx, dotXhat, maxDifference };
}

/** Fixed decimals with a real minus sign; "−0.000" folds to "0.000". */
export function fmt(value: number, digits = 3): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text.replace('-', '−');
}

/** Small numbers in scientific notation (a difference of 2e-7 should not print as 0.000). */
export function fmtSmall(value: number): string {
  if (value === 0) return '0';
  return value.toExponential(1).replace('-', '−').replace('e−', 'e-').replace('e+', 'e');
}

/** ε spans 10⁻⁵…1: scientific notation below 0.01. */
export function fmtEpsilon(eps: number): string {
  if (eps >= 0.01) return String(Number(eps.toPrecision(2)));
  const exponent = Math.floor(Math.log10(eps));
  const m = Number((eps / 10 ** exponent).toPrecision(2));
  return m === 1 ? `1e${exponent}` : `${m}e${exponent}`;
}

export function summarize(state: State, g: Gradients): string {
  const what: Record<Upstream, string> = {
    random: 'Every dxᵢ mixes all the upstream gradients.',
    one: `Only sample 1 received a gradient, yet all ${state.n} inputs get one: the batch statistics couple them.`,
    constant: 'A gradient that would move every output up alike is absorbed by the mean: dx is zero.',
    aligned: 'A gradient along x̂ would only stretch the batch, which the division by s undoes: dx is (nearly) zero.',
  };
  return [
    `Batch of ${state.n}, γ = ${fmt(state.gamma, 2)}, ε = ${fmtEpsilon(state.eps)}: Σ dxᵢ = ${fmt(g.sumDx)}, Σ dxᵢ·x̂ᵢ = ${fmt(g.dotXhat)}; dγ = ${fmt(g.dgamma)}, dβ = ${fmt(g.dbeta)}.`,
    what[state.upstream],
    `Engine backward against finite differences: largest difference ${fmtSmall(g.maxDifference)}.`,
  ].join(' ');
}
