import { describe, expect, it } from 'vitest';
import { batchMoments, bnTransform, distributions, extent, identityParams, maxAbsDifference, sampleBatch } from './bn-transform';

describe('bnTransform', () => {
  it('bnTransform(x, params) matches a hand computation', () => {
    // μ = 5, σ² = 5 (biased), x̂₁ = (2 − 5)/√5
    const r = bnTransform([2, 4, 6, 8], { gamma: 2, beta: -1, epsilon: 0 });
    expect(r.mean).toBe(5);
    expect(r.variance).toBe(5);
    expect(r.xhat[0]).toBeCloseTo(-3 / Math.sqrt(5), 12);
    expect(r.y[0]).toBeCloseTo(2 * (-3 / Math.sqrt(5)) - 1, 12);
  });

  it('bnTransform gives x̂ zero mean and variance σ²/(σ² + ε)', () => {
    const x = sampleBatch('bimodal', 200, 3);
    const eps = 0.5;
    const r = bnTransform(x, { gamma: 1, beta: 0, epsilon: eps });
    const m = batchMoments(r.xhat);
    expect(m.mean).toBeCloseTo(0, 12);
    expect(m.variance).toBeCloseTo(r.variance / (r.variance + eps), 12);
  });

  it('y has mean β and standard deviation |γ| times that of x̂', () => {
    const x = sampleBatch('skewed', 100, 9);
    const r = bnTransform(x, { gamma: -3, beta: 4, epsilon: 1e-5 });
    const y = batchMoments(r.y);
    expect(y.mean).toBeCloseTo(4, 10);
    expect(Math.sqrt(y.variance)).toBeCloseTo(3 * Math.sqrt(batchMoments(r.xhat).variance), 10);
  });

  it('identityParams(x, ε) recovers the input: γ = √(σ² + ε), β = μ', () => {
    for (const dist of distributions) {
      const x = sampleBatch(dist, 64, 5);
      const r = bnTransform(x, identityParams(x, 1e-3));
      expect(maxAbsDifference(r.y, x)).toBeLessThan(1e-12);
    }
  });

  it('moving one sample changes every output (batch coupling)', () => {
    const x = Array.from(sampleBatch('shifted', 16, 2));
    const before = bnTransform(x, { gamma: 1, beta: 0, epsilon: 1e-5 });
    x[0] += 5;
    const after = bnTransform(x, { gamma: 1, beta: 0, epsilon: 1e-5 });
    for (let i = 1; i < x.length; i++) expect(after.y[i]).not.toBeCloseTo(before.y[i], 6);
  });

  it('a constant batch with ε = 0 normalizes to zeros, not NaN', () => {
    expect(Array.from(bnTransform([3, 3, 3], { gamma: 1, beta: 0, epsilon: 0 }).xhat)).toEqual([0, 0, 0]);
  });

  it('bnTransform rejects a negative or non-finite ε, naming the value', () => {
    expect(() => bnTransform([1, 2], { gamma: 1, beta: 0, epsilon: -1 })).toThrow(
      'bnTransform: epsilon must be a finite number ≥ 0, received -1',
    );
    expect(() => bnTransform([1, 2], { gamma: 1, beta: 0, epsilon: NaN })).toThrow('received NaN');
  });

  it('batchMoments rejects an empty batch', () => {
    expect(() => batchMoments([])).toThrow('batchMoments: the batch must hold at least one value, received 0');
  });
});

describe('sampleBatch', () => {
  it('sampleBatch(dist, size, seed) is deterministic per seed and differs across seeds', () => {
    expect(sampleBatch('skewed', 10, 1)).toEqual(sampleBatch('skewed', 10, 1));
    expect(sampleBatch('skewed', 10, 1)).not.toEqual(sampleBatch('skewed', 10, 2));
  });

  it('each distribution has the advertised shape', () => {
    const n = 20_000;
    const shifted = batchMoments(sampleBatch('shifted', n, 1));
    expect(shifted.mean).toBeCloseTo(6, 1);
    expect(Math.sqrt(shifted.variance)).toBeCloseTo(2.5, 1);
    const skewed = sampleBatch('skewed', n, 1);
    const s = batchMoments(skewed);
    expect(s.mean).toBeCloseTo(2.5, 1);
    expect(extent(skewed)[0]).toBeGreaterThanOrEqual(1);
    const third = skewed.reduce((acc, v) => acc + (v - s.mean) ** 3, 0) / n / s.variance ** 1.5;
    expect(third).toBeGreaterThan(1.5); // exponential skewness is 2
    const bimodal = sampleBatch('bimodal', n, 1);
    const nearMiddle = bimodal.filter((v) => v > 0 && v < 1).length / n;
    const nearModes = bimodal.filter((v) => (v > -3.5 && v < -2.5) || (v > 3.5 && v < 4.5)).length / n;
    expect(nearModes).toBeGreaterThan(5 * nearMiddle);
  });

  it('sampleBatch rejects a bad size or distribution', () => {
    expect(() => sampleBatch('skewed', 0, 1)).toThrow('sampleBatch: size must be a positive integer, received 0');
    expect(() => sampleBatch('uniform' as 'skewed', 3, 1)).toThrow(
      'distribution must be one of skewed, bimodal, shifted, received uniform',
    );
  });
});

describe('helpers', () => {
  it('extent(...arrays) spans all arrays and rejects no values', () => {
    expect(extent([1, 5], [-2], [])).toEqual([-2, 5]);
    expect(() => extent([])).toThrow('extent: expected at least one value, received none');
  });

  it('maxAbsDifference rejects arrays of different lengths', () => {
    expect(maxAbsDifference([1, 2], [1, 2.5])).toBe(0.5);
    expect(() => maxAbsDifference([1], [1, 2])).toThrow('lengths differ, received 1 and 2');
  });
});
