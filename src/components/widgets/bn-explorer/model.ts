/**
 * The BN explorer's settings and everything derived from them, without the DOM: the batch, the
 * transform, chart domains, the worked example as TeX and the one-line summary. The Astro
 * component calls it at build time (so the page reads well without JavaScript) and the custom
 * element calls it on every input.
 */
import { choiceParam, numberParam, sliderGrid } from '../params';
import type { StateOf } from '../params';
import {
  batchMoments,
  bnTransform,
  distributions,
  extent,
  identityParams,
  maxAbsDifference,
  sampleBatch,
  type BnResult,
} from '../../../lib/bn-transform';

/** The ε slider moves in tenths of a decade: position = log10(ε), 10⁻⁵ … 10. */
export const epsSlider = { min: -5, max: 1, step: 0.1 };
export const epsFromSlider = (position: number): number => 10 ** position;
/** Dragging sample x₁: −20 … 20 in steps of 0.5. */
export const shiftSlider = { min: -20, max: 20, step: 0.5 };

export const schema = {
  dist: choiceParam(distributions, 'skewed'),
  n: numberParam({ min: 2, max: 256, default: 32, integer: true }),
  gamma: numberParam({ min: -2, max: 20, default: 1 }),
  beta: numberParam({ min: -20, max: 20, default: 0 }),
  eps: numberParam({ min: 1e-5, max: 10, default: 1e-3, grid: sliderGrid(epsSlider, epsFromSlider) }),
  /** How far sample x₁ has been dragged from where it was drawn. */
  shift: numberParam({ min: -20, max: 20, default: 0, grid: sliderGrid(shiftSlider) }),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

/** Index of the sample the reader moves (x₁) and of the one worked through in the formula (x₂). */
export const moved = 0;
export const worked = 1;

export interface Exploration {
  x: Float64Array;
  result: BnResult;
  /** Shared by the x and y histograms, so "y = x" looks like it. */
  valueDomain: [number, number];
  xhatDomain: [number, number];
  /** y reproduces x (γ = √(σ²+ε), β = μ). */
  recovered: boolean;
  summary: string;
  tex: string;
}

export function explore(state: State): Exploration {
  const x = sampleBatch(state.dist, state.n, state.seed);
  x[moved] += state.shift;
  const result = bnTransform(x, { gamma: state.gamma, beta: state.beta, epsilon: state.eps });
  const recovered = maxAbsDifference(result.y, x) <= 1e-9 * (1 + Math.max(...x.map(Math.abs)));
  return {
    x,
    result,
    valueDomain: niceDomain(extent(x, result.y)),
    xhatDomain: niceDomain(extent(result.xhat, [-3, 3])),
    recovered,
    summary: summarize(state, x, result, recovered),
    tex: workedExample(state, x, result),
  };
}

/** γ and β that make y = x for the current batch. */
export function recoverInput(state: State): State {
  const x = sampleBatch(state.dist, state.n, state.seed);
  x[moved] += state.shift;
  const { gamma, beta } = identityParams(x, state.eps);
  return { ...state, gamma, beta };
}

/**
 * The extent widened to multiples of a round step (half a power of ten of the span). Small moves
 * of γ or β then leave the axis alone, which keeps the picture steady and lets unchanged charts
 * skip their redraw.
 */
export function niceDomain([lo, hi]: [number, number]): [number, number] {
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span)) / 2;
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  return [start, end > start ? end : start + step];
}

/** Fixed decimals, a real minus sign, and "−0.00" folded to "0.00". */
export function fmt(value: number, digits = 2): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text.replace('-', '−');
}

/** ε spans 10⁻⁵…10: scientific notation below 0.01. */
export function fmtEpsilon(eps: number): string {
  if (eps >= 0.01) return String(Number(eps.toPrecision(3)));
  const exponent = Math.floor(Math.log10(eps));
  const mantissa = eps / 10 ** exponent;
  const m = Number(mantissa.toPrecision(2));
  return m === 1 ? `1e${exponent}` : `${m}e${exponent}`;
}

function texNumber(value: number, digits = 2): string {
  const text = fmt(value, digits).replace('−', '-');
  return value < 0 && Number(text) !== 0 ? `(${text})` : text;
}

function texEpsilon(eps: number): string {
  const text = fmtEpsilon(eps);
  const [m, e] = text.split('e');
  if (e === undefined) return text;
  return m === '1' ? `10^{${e}}` : `${m}\\times 10^{${e}}`;
}

function workedExample(state: State, x: Float64Array, r: BnResult): string {
  const i = worked;
  return [
    `\\begin{gathered}`,
    `\\mu = ${texNumber(r.mean)},\\quad \\sigma^2 = ${texNumber(r.variance)},\\quad \\varepsilon = ${texEpsilon(state.eps)},\\quad m = ${state.n}`,
    `\\\\[0.4em]`,
    `y_2 = \\gamma\\,\\frac{x_2 - \\mu}{\\sqrt{\\sigma^2 + \\varepsilon}} + \\beta`,
    ` = ${texNumber(state.gamma)}\\cdot\\frac{${texNumber(x[i])} - ${texNumber(r.mean)}}{\\sqrt{${texNumber(r.variance)} + ${texEpsilon(state.eps)}}} + ${texNumber(state.beta)}`,
    ` = ${texNumber(state.gamma)}\\cdot ${texNumber(r.xhat[i])} + ${texNumber(state.beta)} = ${fmt(r.y[i]).replace('−', '-')}`,
    `\\end{gathered}`,
  ].join('');
}

function summarize(state: State, x: Float64Array, r: BnResult, recovered: boolean): string {
  const xhat = batchMoments(r.xhat);
  const y = batchMoments(r.y);
  const parts = [
    `Batch of ${state.n}: μ = ${fmt(r.mean)}, σ² = ${fmt(r.variance)}.`,
    `x̂ has mean ${fmt(xhat.mean)} and variance ${fmt(xhat.variance, 3)}; y has mean ${fmt(y.mean)} and standard deviation ${fmt(Math.sqrt(y.variance))}.`,
    `Sample x₂ = ${fmt(x[worked])} gives y₂ = ${fmt(r.y[worked])}.`,
  ];
  if (recovered) parts.push('y equals x: γ = √(σ² + ε) and β = μ undo the normalization.');
  return parts.join(' ');
}
