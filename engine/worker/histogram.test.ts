import { describe, expect, it } from 'vitest';
import { histogram } from './histogram.ts';

describe('histogram(values, bins)', () => {
  it('splits [min, max] into equal bins, the maximum landing in the last one', () => {
    const h = histogram(new Float32Array([0, 0.5, 1, 1.5, 2, 4]), 4);
    expect([h.min, h.max]).toEqual([0, 4]);
    expect(Array.from(h.counts)).toEqual([2, 2, 1, 1]);
    expect(h.mean).toBeCloseTo(9 / 6, 6);
    expect(h.zeros).toBeCloseTo(1 / 6, 6);
  });

  it('reports the standard deviation of the values', () => {
    const h = histogram(new Float32Array([-1, 1, -1, 1]), 2);
    expect(h.std).toBeCloseTo(1, 6);
    expect(Array.from(h.counts)).toEqual([2, 2]);
  });

  it('puts a constant input in the middle bin instead of dividing by a zero width', () => {
    const h = histogram(new Float32Array([3, 3, 3]), 5);
    expect(Array.from(h.counts)).toEqual([0, 0, 3, 0, 0]);
    expect(h.std).toBe(0);
  });

  it('skips NaN and infinities and returns empty counts when nothing is finite', () => {
    expect(Array.from(histogram(new Float32Array([NaN, 1, Infinity, 2]), 2).counts)).toEqual([1, 1]);
    const empty = histogram(new Float32Array([NaN]), 3);
    expect(Array.from(empty.counts)).toEqual([0, 0, 0]);
    expect(empty.mean).toBeNaN();
  });

  it('rejects a bad bin count with the value received', () => {
    expect(() => histogram(new Float32Array(1), 0)).toThrow('histogram: bins must be an integer in [1, 4096], received 0');
  });
});
