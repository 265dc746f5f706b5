// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fallbackColors as colors } from './colors';
import { dropoutMasks } from './dropout-masks';

const options = { colors, ariaLabel: 'Dropout masks', ariaDescription: 'Two steps' };

describe('dropoutMasks(masks, options)', () => {
  it('draws one dark cell per dropped unit over one background of kept units', () => {
    const chart = dropoutMasks([Uint8Array.of(1, 0, 1, 0), Uint8Array.of(0, 0, 1, 1)], options);
    expect(chart.querySelectorAll('g.dropped rect')).toHaveLength(4);
    expect(chart.querySelectorAll('g.kept rect')).toHaveLength(1);
    expect(chart.textContent).toContain('hidden unit');
    expect(chart.textContent).toContain('training step');
  });

  it('puts a dropped cell in its unit’s column and its step’s row', () => {
    const chart = dropoutMasks([Uint8Array.of(1, 1, 1, 0), Uint8Array.of(0, 1, 1, 1)], options);
    const [first, second] = [...chart.querySelectorAll('g.dropped rect')].map((r) => ({
      x: Number(r.getAttribute('x')),
      y: Number(r.getAttribute('y')),
    }));
    expect(first.x).toBeGreaterThan(second.x);
    expect(first.y).toBeLessThan(second.y);
  });

  it('is an image named and described, and refuses ragged or empty masks naming what it received', () => {
    const chart = dropoutMasks([Uint8Array.of(1)], options);
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.getAttribute('aria-label')).toBe('Dropout masks');
    expect(() => dropoutMasks([], options)).toThrow(/at least one step, received none/);
    expect(() => dropoutMasks([Uint8Array.of(1, 0), Uint8Array.of(1)], options)).toThrow(/same positive number of units, received 2, 1/);
    expect(() => dropoutMasks([Uint8Array.of(1)], { ...options, width: 0 })).toThrow(/received 0×260/);
  });
});
