import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { defaultState, parseState } from '../params';
import { explore, fmt, fmtEpsilon, niceDomain, recoverInput, schema } from './model';

const defaults = defaultState(schema);

describe('BN explorer model', () => {
  it('has the expected defaults', () => {
    expect(defaults).toEqual({ dist: 'skewed', n: 32, gamma: 1, beta: 0, eps: 1e-3, shift: 0, seed: 1 });
  });

  it('explore(state) normalizes the batch it draws and reports it in one summary line', () => {
    const view = explore(defaults);
    expect(view.x).toHaveLength(32);
    expect(view.summary).toMatch(/^Batch of 32: μ = [\d.]+, σ² = [\d.]+\. x̂ has mean 0\.00 and variance 1\.000; y has mean 0\.00/);
    expect(view.recovered).toBe(false);
  });

  it('the worked example is valid TeX with the current numbers substituted', () => {
    const view = explore({ ...defaults, gamma: 2, beta: -1.5 });
    expect(view.tex).toContain(`\\mu = ${view.result.mean.toFixed(2)}`);
    expect(view.tex).toContain('= 2.00\\cdot');
    expect(view.tex).toContain('+ (-1.50)');
    expect(() => katex.renderToString(view.tex, { displayMode: true, throwOnError: true })).not.toThrow();
  });

  it('recoverInput(state) sets γ = √(σ² + ε) and β = μ, and the output equals the input', () => {
    const state = recoverInput({ ...defaults, dist: 'bimodal', shift: 7 });
    const view = explore(state);
    expect(state.gamma).toBeCloseTo(Math.sqrt(view.result.variance + state.eps), 12);
    expect(state.beta).toBeCloseTo(view.result.mean, 12);
    expect(view.recovered).toBe(true);
    expect(view.summary).toContain('y equals x');
  });

  it('moving x₁ changes y₂ while x₂ stays put', () => {
    const before = explore(defaults);
    const after = explore({ ...defaults, shift: 10 });
    expect(after.x[1]).toBe(before.x[1]);
    expect(after.result.y[1]).not.toBeCloseTo(before.result.y[1], 3);
  });

  it('the recovered state survives the URL (its γ and β stay within the sliders’ ranges)', () => {
    for (const dist of ['skewed', 'bimodal', 'shifted'] as const) {
      for (const shift of [-20, 20]) {
        const state = recoverInput({ ...defaults, dist, shift, n: 2 });
        expect(schema.gamma.parse(schema.gamma.format(state.gamma))).toBeDefined();
        expect(schema.beta.parse(schema.beta.format(state.beta))).toBeDefined();
      }
    }
  });

  it('settings parsed from garbage fall back to defaults and still explore', () => {
    const state = parseState(schema, () => 'garbage');
    expect(state).toEqual(defaults);
    expect(explore(state).x).toHaveLength(32);
  });

  it('niceDomain widens to round steps, so small moves keep the axis', () => {
    expect(niceDomain([0.3, 9.2])).toEqual([0, 9.5]);
    expect(niceDomain([0.31, 9.3])).toEqual(niceDomain([0.3, 9.2]));
    expect(niceDomain([2, 2])).toEqual([2, 2.5]);
  });

  it('fmt and fmtEpsilon print what the controls show', () => {
    expect(fmt(-0.001)).toBe('0.00');
    expect(fmt(-1.5)).toBe('−1.50');
    expect(fmtEpsilon(1e-5)).toBe('1e-5');
    expect(fmtEpsilon(10 ** -2.5)).toBe('3.2e-3');
    expect(fmtEpsilon(0.5)).toBe('0.5');
  });
});
