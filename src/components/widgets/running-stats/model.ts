/**
 * The running-statistics widget without the DOM. A stream of mini-batches of one feature feeds
 * the course engine's own BN layer in training mode; after every step we read its moving mean
 * and variance (Keras direction, https://keras.io/api/layers/normalization_layers/batch_normalization/):
 *
 *   moving ← ρ·moving + (1 − ρ)·batch        PyTorch writes the same update with α = 1 − ρ
 *
 * The moving mean starts at 0 and the moving variance at 1, so after t steps the initial value
 * still weighs ρᵗ. The widget then compares, for one sample x* one population standard deviation
 * above the population mean, the output in training mode (normalized with the batch's own
 * statistics), in eval mode (with the moving estimates) and the ideal (with the true population
 * statistics).
 */
import { batchNorm } from '@engine';
import { createRandom } from '@engine/random.ts';
import { gaussian } from '../../../lib/bn-transform';
import { choiceParam, listParam, numberParam, type StateOf } from '../params';

export const populations = ['fixed', 'drifting'] as const;
export const populationLabels: Record<(typeof populations)[number], string> = {
  fixed: 'Fixed: mean 3, variance 4',
  drifting: 'Drifting: +0.3 per 100 steps',
};
export const horizons = [100, 300, 1000, 3000] as const;
export const varianceKinds = ['biased', 'unbiased'] as const;
export const varianceLabels: Record<(typeof varianceKinds)[number], string> = {
  biased: 'biased σ² (Keras, default)',
  unbiased: 'unbiased (PyTorch)',
};

export const schema = {
  population: choiceParam(populations, 'fixed'),
  /** Keras momentum ρ (PyTorch's momentum is 1 − ρ). */
  rho: numberParam({ min: 0.5, max: 0.999, default: 0.99 }),
  n: numberParam({ min: 2, max: 256, default: 32, integer: true }),
  /** Which batch variance feeds the moving variance (the engine's `runningVariance` option). */
  variance: choiceParam(varianceKinds, 'biased'),
  steps: listParam(horizons, 1000),
  /** The step after which train and eval outputs are compared (clamped to `steps`). */
  at: numberParam({ min: 1, max: 3000, default: 50, integer: true }),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

/** The population: normal, variance 4, mean 3 (drifting: + 0.003 per step). ε as Keras and the engine. */
export const population = { mean: 3, variance: 4, drift: 0.003, epsilon: 1e-3 } as const;

export function trueMean(state: Pick<State, 'population'>, step: number): number {
  return population.mean + (state.population === 'drifting' ? population.drift * step : 0);
}

/**
 * ρ slider: position p = −log₁₀(1 − ρ), so 0.9, 0.99 and 0.999 sit evenly apart. 1 − ρ is rounded
 * to three significant digits, so every step of the slider changes ρ and 0.99 stays 0.99.
 */
export const rhoSlider = { min: Math.log10(2), max: 3, step: 0.01 };
export const rhoFromSlider = (position: number): number => Number((1 - Number((10 ** -position).toPrecision(3))).toFixed(6));
export const sliderFromRho = (rho: number): number => -Math.log10(1 - rho);

/** Steps until the initial value's weight ρᵗ falls below 1 %. */
export function stepsToForget(rho: number, fraction = 0.01): number {
  return Math.ceil(Math.log(fraction) / Math.log(rho));
}

export interface Simulation {
  steps: number;
  /** Per step (index t − 1): the batch's mean and biased variance, as training normalizes with. */
  batchMean: Float64Array;
  batchVariance: Float64Array;
  /** Per step: the engine layer's moving estimates after that step's update. */
  movingMean: Float64Array;
  movingVariance: Float64Array;
  /** Per step: the batch's first sample, the one x* takes the place of in the comparison. */
  firstSample: Float64Array;
}

/** The seeded batch stream, (steps, n) row-major: independent of ρ and of the variance kind. */
export function sampleStream(state: State): Float32Array {
  const { steps, n } = state;
  const normal = gaussian(createRandom(state.seed));
  const sd = Math.sqrt(population.variance);
  const stream = new Float32Array(steps * n);
  for (let t = 1; t <= steps; t++) {
    const mu = trueMean(state, t);
    const row = (t - 1) * n;
    for (let i = 0; i < n; i++) stream[row + i] = mu + sd * normal();
  }
  return stream;
}

/** The stream's key: moving ρ or the variance kind reuses the same batches. */
export function streamKey(state: State): string {
  return [state.population, state.n, state.steps, state.seed].join('|');
}

/** Runs `steps` training-mode forwards of a one-feature engine BN layer over the batch stream. */
export function simulate(state: State, stream: Float32Array = sampleStream(state)): Simulation {
  const { steps, n } = state;
  if (stream.length !== steps * n) {
    throw new RangeError(`running-stats: the stream must hold steps·n = ${steps * n} values, received ${stream.length}`);
  }
  const layer = batchNorm(1, { momentum: state.rho, epsilon: population.epsilon, runningVariance: state.variance });
  const sim: Simulation = {
    steps,
    batchMean: new Float64Array(steps),
    batchVariance: new Float64Array(steps),
    movingMean: new Float64Array(steps),
    movingVariance: new Float64Array(steps),
    firstSample: new Float64Array(steps),
  };
  for (let t = 1; t <= steps; t++) {
    const x = stream.subarray((t - 1) * n, t * n);
    layer.forward(x, n, 'train');
    const stats = layer.lastBatchStats();
    if (!stats) throw new Error('running-stats: the BN layer reported no batch statistics after a train forward');
    sim.batchMean[t - 1] = stats.mean[0];
    sim.batchVariance[t - 1] = stats.variance[0];
    sim.movingMean[t - 1] = layer.movingMean[0];
    sim.movingVariance[t - 1] = layer.movingVariance[0];
    sim.firstSample[t - 1] = x[0];
  }
  return sim;
}

export interface Comparison {
  step: number;
  /** x*: one population standard deviation above the population mean at this step. */
  sample: number;
  truth: { mean: number; variance: number; output: number };
  train: { mean: number; variance: number; output: number };
  eval: { mean: number; variance: number; output: number };
  /** ρᵗ: the weight the initial values (0 and 1) still carry. */
  initialWeight: number;
  /** What the moving variance settles to on a fixed population: (m−1)/m·σ² when fed biased variances. */
  expectedVariance: number;
}

const normalize = (x: number, mean: number, variance: number) => (x - mean) / Math.sqrt(variance + population.epsilon);

/** Mean and biased variance of a batch of `n` after its value `out` is replaced by `x`. */
export function replaceSample(n: number, mean: number, variance: number, out: number, x: number): { mean: number; variance: number } {
  const sum = n * mean - out + x;
  const squares = n * (variance + mean * mean) - out * out + x * x;
  const m = sum / n;
  return { mean: m, variance: Math.max(0, squares / n - m * m) };
}

/**
 * Outputs of x* after step `at`: training mode (x* in the place of the first sample of that step's
 * batch, normalized with that batch's statistics), eval mode (the moving estimates after the
 * step's update) and ideal (the population statistics).
 */
export function compare(state: State, sim: Simulation): Comparison {
  const step = Math.min(state.at, sim.steps);
  const i = step - 1;
  const mean = trueMean(state, step);
  const sample = mean + Math.sqrt(population.variance);
  const truth = { mean, variance: population.variance, output: normalize(sample, mean, population.variance) };
  const train = replaceSample(state.n, sim.batchMean[i], sim.batchVariance[i], sim.firstSample[i], sample);
  const moving = { mean: sim.movingMean[i], variance: sim.movingVariance[i] };
  return {
    step,
    sample,
    truth,
    train: { ...train, output: normalize(sample, train.mean, train.variance) },
    eval: { ...moving, output: normalize(sample, moving.mean, moving.variance) },
    initialWeight: state.rho ** step,
    expectedVariance: state.variance === 'biased' ? ((state.n - 1) / state.n) * population.variance : population.variance,
  };
}

export interface SeriesPoint {
  step: number;
  value: number;
}

export interface StatSeries {
  batch: SeriesPoint[];
  moving: SeriesPoint[];
  truth: SeriesPoint[];
  /** Where a biased moving variance settles, when that differs from the truth. */
  expected: SeriesPoint[];
  domain: [number, number];
}

/** Chart data for one statistic, thinned to at most `maxPoints` steps (the last step always kept). */
export function series(state: State, sim: Simulation, stat: 'mean' | 'variance', maxPoints = 400): StatSeries {
  const stride = Math.max(1, Math.ceil(sim.steps / maxPoints));
  const steps: number[] = [];
  for (let t = 1; t <= sim.steps; t += stride) steps.push(t);
  if (steps.at(-1) !== sim.steps) steps.push(sim.steps);
  const batchValues = stat === 'mean' ? sim.batchMean : sim.batchVariance;
  const movingValues = stat === 'mean' ? sim.movingMean : sim.movingVariance;
  const truthAt = (t: number) => (stat === 'mean' ? trueMean(state, t) : population.variance);
  const batch = steps.map((t) => ({ step: t, value: batchValues[t - 1] }));
  const moving = [{ step: 0, value: stat === 'mean' ? 0 : 1 }, ...steps.map((t) => ({ step: t, value: movingValues[t - 1] }))];
  const truth = [0, sim.steps].map((t) => ({ step: t, value: truthAt(t) }));
  const biasedGap = stat === 'variance' && state.variance === 'biased';
  const expected = biasedGap ? truth.map((p) => ({ step: p.step, value: ((state.n - 1) / state.n) * p.value })) : [];
  // Batch statistics of tiny batches scatter widely; keep the axis on what the moving line does.
  const sorted = Array.from(batchValues).sort((a, b) => a - b);
  const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
  const values = [...moving.map((p) => p.value), ...truth.map((p) => p.value), q(0.02), q(0.98)];
  return { batch, moving, truth, expected, domain: [Math.min(...values), Math.max(...values)] };
}

/** Fixed decimals with a real minus sign; "−0.00" folds to "0.00". */
export function fmt(value: number, digits = 2): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text.replace('-', '−');
}

/** At least three decimals (0.990), more when ρ has them (0.99023). */
export function fmtRho(rho: number): string {
  const text = String(Number(rho.toFixed(6)));
  const decimals = text.split('.')[1]?.length ?? 0;
  return decimals >= 3 ? text : rho.toFixed(3);
}

/** 1 − ρ without float noise (1 − 0.99 = 0.010000000000000009). */
export const pytorchMomentum = (rho: number): string => String(Number((1 - rho).toFixed(6)));

/** The conventions line under the sliders: ρ in both frameworks, the averaging window, forgetting time. */
export function conventions(state: State): string {
  return `Keras momentum ρ = ${fmtRho(state.rho)} is PyTorch momentum α = 1 − ρ = ${pytorchMomentum(state.rho)}. The average spans about 1/(1 − ρ) = ${Math.round(1 / (1 - state.rho))} steps; the initial values weigh less than 1 % after ${stepsToForget(state.rho)} steps.`;
}

export function summarize(state: State, c: Comparison): string {
  const off = c.eval.output - c.truth.output;
  return [
    `After step ${c.step} (batch size ${state.n}, ρ = ${fmtRho(state.rho)}): moving mean ${fmt(c.eval.mean)} against a true ${fmt(c.truth.mean)}, moving variance ${fmt(c.eval.variance)} against ${fmt(c.truth.variance)}; the initial values still weigh ρ^t = ${fmt(c.initialWeight, 3)}.`,
    `For x* = ${fmt(c.sample)}, eval mode outputs ${fmt(c.eval.output)} where the population statistics give ${fmt(c.truth.output)} (off by ${fmt(off)}); training mode, with x* in this step's batch, outputs ${fmt(c.train.output)}.`,
  ].join(' ');
}

export interface RunningStatsView {
  sim: Simulation;
  comparison: Comparison;
  summary: string;
  conventions: string;
}

export function view(state: State, sim: Simulation = simulate(state)): RunningStatsView {
  const comparison = compare(state, sim);
  return { sim, comparison, summary: summarize(state, comparison), conventions: conventions(state) };
}

/** The simulation depends on everything but `at`: moving the step slider reuses it. */
export function simulationKey(state: State): string {
  return [state.population, state.rho, state.n, state.variance, state.steps, state.seed].join('|');
}
