import { describe, expect, it } from 'vitest';
import type { Param } from '../types.ts';
import { clipGradNorm, clipGradValue, gradNorm } from './clip.ts';

function param(name: string, grad: number[]): Param {
  return { name, value: new Float32Array(grad.length), grad: Float32Array.from(grad), decay: true };
}

describe('gradNorm', () => {
  it('gradNorm(params) is one L2 norm over the gradients of every param', () => {
    expect(gradNorm([param('a', [3]), param('b', [0, 4])])).toBe(5);
    expect(gradNorm([])).toBe(0);
  });

  it('gradNorm(params) accumulates in float64 (no drift over a million float32 squares)', () => {
    const g = Math.fround(0.1);
    const p = param('big', []);
    p.grad = new Float32Array(1_000_000).fill(g);
    // A float32 running sum would be off by ~1e-3 relative here; float64 stays within ~1e-10.
    expect(Math.abs(gradNorm([p]) / (1000 * g) - 1)).toBeLessThan(1e-10);
  });
});

describe('clipGradNorm', () => {
  it('clipGradNorm(params, maxNorm) rescales to maxNorm, keeps the direction and returns the norm before clipping', () => {
    const a = param('a', [3]);
    const b = param('b', [0, -4]);
    expect(clipGradNorm([a, b], 1)).toBe(5);
    expect(a.grad[0]).toBeCloseTo(0.6, 7);
    expect(b.grad[1]).toBeCloseTo(-0.8, 7);
    expect(gradNorm([a, b])).toBeCloseTo(1, 6);
  });

  it('clipGradNorm(params, maxNorm) leaves gradients at or under the threshold untouched', () => {
    const a = param('a', [3, 4]);
    expect(clipGradNorm([a], 5)).toBe(5);
    expect(Array.from(a.grad)).toEqual([3, 4]);
  });

  it('clipGradNorm(params, maxNorm) leaves non-finite gradients untouched and returns the non-finite norm', () => {
    const a = param('a', [Infinity, 1]);
    expect(clipGradNorm([a], 1)).toBe(Infinity);
    expect(Array.from(a.grad)).toEqual([Infinity, 1]);
    const b = param('b', [Number.NaN, 1]);
    expect(clipGradNorm([b], 1)).toBeNaN();
    expect(b.grad[1]).toBe(1);
  });

  it('clipGradNorm(params, maxNorm) rejects a maxNorm that is not positive', () => {
    expect(() => clipGradNorm([], 0)).toThrow('clipGradNorm: maxNorm must be in (0, Infinity), received 0');
    expect(() => clipGradNorm([], -1)).toThrow('clipGradNorm: maxNorm must be in (0, Infinity), received -1');
  });
});

describe('clipGradValue', () => {
  it('clipGradValue(params, limit) clamps every element to [−limit, limit] and keeps NaN', () => {
    const a = param('a', [-3, -0.5, 0, 0.5, 3]);
    const b = param('b', [Number.NaN, 1.5]);
    clipGradValue([a, b], 1);
    expect(Array.from(a.grad)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(b.grad[0]).toBeNaN();
    expect(b.grad[1]).toBe(1);
  });

  it('clipGradValue(params, limit) rejects a limit that is not positive', () => {
    expect(() => clipGradValue([], 0)).toThrow('clipGradValue: limit must be in (0, Infinity), received 0');
  });
});
