import { describe, expect, it } from 'vitest';
import { defaultState, parseState } from '../params';
import {
  compare,
  conventions,
  fmtRho,
  pytorchMomentum,
  replaceSample,
  sampleStream,
  rhoFromSlider,
  schema,
  series,
  simulate,
  simulationKey,
  streamKey,
  sliderFromRho,
  stepsToForget,
  view,
} from './model';

const defaults = defaultState(schema);
const mean = (a: ArrayLike<number>, from = 0) =>
  Array.from(a)
    .slice(from)
    .reduce((s, v) => s + v, 0) /
  (a.length - from);

describe('running-stats model', () => {
  it('has the expected defaults', () => {
    expect(defaults).toEqual({ population: 'fixed', rho: 0.99, n: 32, variance: 'biased', steps: 1000, at: 50, seed: 1 });
  });

  it('simulate(state) runs the engine layer: the first update is (1 − ρ)·batch from the initial 0 and 1', () => {
    const sim = simulate({ ...defaults, rho: 0.9, steps: 10 });
    expect(sim.movingMean[0]).toBeCloseTo(0.1 * sim.batchMean[0], 5);
    expect(sim.movingVariance[0]).toBeCloseTo(0.9 + 0.1 * sim.batchVariance[0], 5);
    expect(sim.movingMean[1]).toBeCloseTo(0.9 * sim.movingMean[0] + 0.1 * sim.batchMean[1], 5);
  });

  it('moving ρ reuses the batch stream; the stream must match steps·n', () => {
    const stream = sampleStream({ ...defaults, steps: 20 });
    expect(stream).toHaveLength(20 * 32);
    expect(streamKey({ ...defaults, rho: 0.9, variance: 'unbiased' })).toBe(streamKey(defaults));
    expect(streamKey({ ...defaults, n: 8 })).not.toBe(streamKey(defaults));
    const a = simulate({ ...defaults, steps: 20, rho: 0.9 }, stream);
    expect(a.batchMean).toEqual(simulate({ ...defaults, steps: 20 }, stream).batchMean);
    expect(a.firstSample[3]).toBe(stream[3 * 32]);
    expect(() => simulate({ ...defaults, steps: 21 }, stream)).toThrow('the stream must hold steps·n = 672 values, received 640');
  });

  it('the same seed gives the same batches; another seed does not', () => {
    const a = simulate({ ...defaults, steps: 20 });
    expect(simulate({ ...defaults, steps: 20 }).batchMean).toEqual(a.batchMean);
    expect(simulate({ ...defaults, steps: 20, seed: 2 }).batchMean).not.toEqual(a.batchMean);
  });

  it('a moving variance fed biased variances settles at (m−1)/m·σ², fed unbiased ones at σ²', () => {
    const state = { ...defaults, n: 4, steps: 3000 };
    const biased = mean(simulate(state).movingVariance, 1000);
    const unbiased = mean(simulate({ ...state, variance: 'unbiased' }).movingVariance, 1000);
    expect(biased).toBeGreaterThan(2.75);
    expect(biased).toBeLessThan(3.25); // (3/4)·4 = 3
    expect(unbiased).toBeGreaterThan(3.75);
    expect(unbiased).toBeLessThan(4.25);
  });

  it('on a drifting population the moving mean lags by about drift·ρ/(1 − ρ)', () => {
    const state = { ...defaults, population: 'drifting' as const, steps: 3000 };
    const sim = simulate(state);
    const lags = Array.from(sim.movingMean, (m, i) => 3 + 0.003 * (i + 1) - m).slice(2000);
    expect(mean(lags)).toBeGreaterThan(0.297 - 0.1);
    expect(mean(lags)).toBeLessThan(0.297 + 0.1);
  });

  it('compare(state, sim): early eval outputs are far off, late ones close; train uses the batch', () => {
    const sim = simulate(defaults);
    const early = compare({ ...defaults, at: 5 }, sim);
    const late = compare({ ...defaults, at: 1000 }, sim);
    expect(early.sample).toBe(5);
    expect(early.truth.output).toBeCloseTo(2 / Math.sqrt(4.001), 12);
    expect(Math.abs(early.eval.output - early.truth.output)).toBeGreaterThan(1);
    expect(Math.abs(late.eval.output - late.truth.output)).toBeLessThan(0.15);
    const swapped = replaceSample(32, sim.batchMean[4], sim.batchVariance[4], sim.firstSample[4], 5);
    expect(early.train.mean).toBe(swapped.mean);
    expect(early.train.output).toBeCloseTo((5 - swapped.mean) / Math.sqrt(swapped.variance + 1e-3), 12);
    expect(early.initialWeight).toBeCloseTo(0.99 ** 5, 12);
    expect(compare({ ...defaults, at: 3000 }, sim).step).toBe(1000);
  });

  it('replaceSample(n, mean, variance, out, x) gives the statistics of the batch with one value swapped', () => {
    // [1, 2, 3, 6] → [5, 2, 3, 6]: mean 4, variance (1 + 4 + 1 + 4)/4 = 2.5
    const { mean, variance } = replaceSample(4, 3, 3.5, 1, 5);
    expect(mean).toBeCloseTo(4, 12);
    expect(variance).toBeCloseTo(2.5, 12);
  });

  it('with batches of 2, training mode outputs ±√(σ²/(σ² + ε)) ≈ ±1 for x*, whatever the other value', () => {
    const state = { ...defaults, n: 2, steps: 40 };
    const sim = simulate(state);
    for (let at = 1; at <= 40; at++) {
      const { train } = compare({ ...state, at }, sim);
      expect(Math.abs(train.output)).toBeCloseTo(Math.sqrt(train.variance / (train.variance + 1e-3)), 4);
      expect(Math.abs(train.output)).toBeGreaterThan(0.9);
    }
  });

  it('series(state, sim, stat) thins to maxPoints, keeps the last step and starts the line at the initial value', () => {
    const state = { ...defaults, steps: 3000 };
    const sim = simulate(state);
    const s = series(state, sim, 'variance', 600);
    expect(s.batch.length).toBeLessThanOrEqual(601);
    expect(series(state, sim, 'variance').batch.length).toBeLessThanOrEqual(401);
    expect(s.batch.at(-1)!.step).toBe(3000);
    expect(s.moving[0]).toEqual({ step: 0, value: 1 });
    expect(s.truth.map((p) => p.value)).toEqual([4, 4]);
    expect(s.expected.map((p) => p.value)).toEqual([3.875, 3.875]);
    expect(series({ ...state, variance: 'unbiased' }, sim, 'variance').expected).toEqual([]);
    expect(s.domain[0]).toBeLessThanOrEqual(1);
    expect(series(state, sim, 'mean').moving[0]).toEqual({ step: 0, value: 0 });
  });

  it('the ρ slider is logarithmic in 1 − ρ and round-trips 0.9, 0.99, 0.999', () => {
    expect(sliderFromRho(0.99)).toBeCloseTo(2, 12);
    for (const rho of [0.5, 0.9, 0.99, 0.999]) expect(rhoFromSlider(sliderFromRho(rho))).toBe(rho);
    expect(rhoFromSlider(1.3)).toBe(0.9499);
  });

  it('every step of the ρ slider changes ρ, and fmtRho shows the difference', () => {
    const values = new Set<string>();
    for (let p = 2; p <= 3.0001; p += 0.01) values.add(fmtRho(rhoFromSlider(p)));
    expect(values.size).toBe(101);
    expect(fmtRho(0.99)).toBe('0.990');
    expect(fmtRho(0.5)).toBe('0.500');
    expect(fmtRho(rhoFromSlider(2.01))).toBe('0.99023');
    expect(pytorchMomentum(rhoFromSlider(2.01))).toBe('0.00977');
  });

  it('conventions name the PyTorch momentum, the averaging window and the forgetting time', () => {
    expect(pytorchMomentum(0.99)).toBe('0.01');
    expect(stepsToForget(0.99)).toBe(459);
    expect(stepsToForget(0.9)).toBe(44);
    expect(conventions(defaults)).toBe(
      'Keras momentum ρ = 0.990 is PyTorch momentum α = 1 − ρ = 0.01. The average spans about 1/(1 − ρ) = 100 steps; the initial values weigh less than 1 % after 459 steps.',
    );
  });

  it('view(state) summarizes the comparison in one text', () => {
    const { summary } = view(defaults);
    expect(summary).toMatch(/^After step 50 \(batch size 32, ρ = 0\.990\): moving mean [\d.]+ against a true 3\.00/);
    expect(summary).toMatch(/For x\* = 5\.00, eval mode outputs −?[\d.]+ where the population statistics give 1\.00/);
  });

  it('simulationKey ignores the compared step only', () => {
    expect(simulationKey({ ...defaults, at: 7 })).toBe(simulationKey(defaults));
    expect(simulationKey({ ...defaults, n: 8 })).not.toBe(simulationKey(defaults));
  });

  it('settings parsed from garbage fall back to defaults', () => {
    expect(parseState(schema, () => 'garbage')).toEqual(defaults);
    expect(parseState(schema, (k) => (k === 'rho' ? '0.9999' : undefined)).rho).toBe(0.99);
  });
});
