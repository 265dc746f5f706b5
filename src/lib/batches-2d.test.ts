import { describe, expect, it } from 'vitest';
import { drawBatches, lerpPoints, moments2d, normalize2d } from './batches-2d';

describe('mini-batches in 2-D', () => {
  it('drawBatches(count, size, seed) gives batches far from the origin and from each other', () => {
    const batches = drawBatches(5, 64, 11);
    expect(batches).toHaveLength(5);
    const centres = batches.map((b) => moments2d(b.points).mean);
    for (const [x, y] of centres) expect(Math.hypot(x, y)).toBeGreaterThan(6);
    for (let i = 0; i < centres.length; i++) {
      for (let j = i + 1; j < centres.length; j++) {
        expect(Math.hypot(centres[i][0] - centres[j][0], centres[i][1] - centres[j][1])).toBeGreaterThan(3);
      }
    }
    expect(drawBatches(5, 64, 11)).toEqual(batches);
  });

  it('normalize2d puts every batch at mean (0, 0) with unit standard deviation per axis', () => {
    for (const batch of drawBatches(4, 32, 3)) {
      const { mean, sd } = moments2d(normalize2d(batch.points, 0).points);
      expect(mean[0]).toBeCloseTo(0, 12);
      expect(mean[1]).toBeCloseTo(0, 12);
      expect(sd[0]).toBeCloseTo(1, 12);
      expect(sd[1]).toBeCloseTo(1, 12);
    }
  });

  it('normalize2d standardizes each axis but keeps the correlation (it does not whiten)', () => {
    // Points on the line y = 2x + 1: perfectly correlated before and after.
    const points = new Float64Array([0, 1, 1, 3, 2, 5, 3, 7]);
    const out = normalize2d(points, 0).points;
    for (let i = 0; i < 4; i++) expect(out[2 * i + 1]).toBeCloseTo(out[2 * i], 12);
  });

  it('lerpPoints blends from the raw (t = 0) to the normalized (t = 1) picture', () => {
    const a = new Float64Array([0, 10]);
    const b = new Float64Array([2, 0]);
    expect(Array.from(lerpPoints(a, b, 0))).toEqual([0, 10]);
    expect(Array.from(lerpPoints(a, b, 0.25))).toEqual([0.5, 7.5]);
    expect(Array.from(lerpPoints(a, b, 1))).toEqual([2, 0]);
    expect(() => lerpPoints(a, b, 1.5)).toThrow('lerpPoints: t must be in [0, 1], received 1.5');
  });

  it('rejects bad sizes, naming the value', () => {
    expect(() => drawBatches(0, 8, 1)).toThrow('drawBatches: count must be a positive integer, received 0');
    expect(() => drawBatches(2, 1, 1)).toThrow('drawBatches: size must be an integer ≥ 2, received 1');
    expect(() => normalize2d(new Float64Array(3))).toThrow('received 3');
  });
});
