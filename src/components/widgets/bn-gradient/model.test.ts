import { describe, expect, it } from 'vitest';
import { defaultState, parseState } from '../params';
import { fmtEpsilon, fmtSmall, gradients, schema, summarize, upstreamGradient, upstreams } from './model';

const defaults = defaultState(schema);
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('BN gradient model', () => {
  it('has the expected defaults', () => {
    expect(defaults).toEqual({ n: 6, upstream: 'random', gamma: 1, eps: 1e-3, seed: 1 });
  });

  it.each(upstreams)('the engine’s dx matches finite differences for a %s upstream gradient', (upstream) => {
    for (const n of [2, 6, 16]) {
      const g = gradients({ ...defaults, upstream, n, gamma: 1.7 });
      expect(g.maxDifference).toBeLessThan(1e-5);
    }
  });

  it('dx sums to zero over the batch, and is orthogonal to x̂ up to a term in ε', () => {
    const g = gradients({ ...defaults, n: 16 });
    expect(Math.abs(g.sumDx)).toBeLessThan(1e-6);
    expect(Math.abs(g.dotXhat)).toBeLessThan(1e-3 * sum(g.dx.map(Math.abs)));
    const large = gradients({ ...defaults, n: 16, eps: 1 });
    expect(Math.abs(large.dotXhat)).toBeGreaterThan(Math.abs(g.dotXhat));
  });

  it('a constant upstream gradient gives dx = 0; a gradient along x̂ gives dx ≈ 0', () => {
    expect(Math.max(...gradients({ ...defaults, upstream: 'constant' }).dx.map(Math.abs))).toBeLessThan(1e-6);
    const aligned = gradients({ ...defaults, upstream: 'aligned' });
    expect(Math.max(...aligned.dx.map(Math.abs))).toBeLessThan(1e-3 * Math.max(...aligned.direct.map(Math.abs)));
  });

  it('a gradient on one sample reaches every sample, unlike the direct path', () => {
    const g = gradients({ ...defaults, upstream: 'one' });
    expect(Array.from(g.direct.slice(1))).toEqual([0, 0, 0, 0, 0]);
    for (const v of g.dx.slice(1)) expect(Math.abs(v)).toBeGreaterThan(1e-3);
    expect(g.dx[0]).toBeGreaterThan(0);
  });

  it('with m = 2, dx₁ = −dx₂', () => {
    const g = gradients({ ...defaults, n: 2 });
    expect(g.dx[0]).toBeCloseTo(-g.dx[1], 6);
  });

  it('dγ = Σ dyᵢ·x̂ᵢ and dβ = Σ dyᵢ', () => {
    const g = gradients(defaults);
    expect(g.dbeta).toBeCloseTo(sum(g.dy), 12);
    expect(g.dgamma).toBeCloseTo(sum(g.dy.map((v, i) => v * g.xhat[i])), 12);
    expect(gradients({ ...defaults, upstream: 'constant' }).dbeta).toBe(6);
  });

  it('upstreamGradient(upstream, xhat, seed) builds each pattern', () => {
    const xhat = Float64Array.of(-1, 0, 1);
    expect(Array.from(upstreamGradient('one', xhat, 1))).toEqual([1, 0, 0]);
    expect(Array.from(upstreamGradient('constant', xhat, 1))).toEqual([1, 1, 1]);
    expect(Array.from(upstreamGradient('aligned', xhat, 1))).toEqual([-1, 0, 1]);
    expect(upstreamGradient('random', xhat, 1)).toEqual(upstreamGradient('random', xhat, 1));
    expect(upstreamGradient('random', xhat, 2)).not.toEqual(upstreamGradient('random', xhat, 1));
  });

  it('summarize(state, g) reports the sums, the coupling and the check', () => {
    const text = summarize({ ...defaults, upstream: 'one' }, gradients({ ...defaults, upstream: 'one' }));
    expect(text).toMatch(/^Batch of 6, γ = 1\.00, ε = 1e-3: Σ dxᵢ = 0\.000, Σ dxᵢ·x̂ᵢ = 0\.000; dγ = /);
    expect(text).toContain('yet all 6 inputs get one');
    expect(text).toMatch(/largest difference \d\.\de-\d+\.$/);
  });

  it('formats small numbers and ε readably', () => {
    expect(fmtSmall(2.345e-7)).toBe('2.3e-7');
    expect(fmtSmall(-0.05)).toBe('−5.0e-2');
    expect(fmtSmall(0)).toBe('0');
    expect(fmtEpsilon(1e-3)).toBe('1e-3');
    expect(fmtEpsilon(0.5)).toBe('0.5');
  });

  it('settings parsed from garbage fall back to defaults', () => {
    expect(parseState(schema, () => 'garbage')).toEqual(defaults);
  });
});
