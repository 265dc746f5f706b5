import { describe, expect, it } from 'vitest';
import { defaultState } from '../params';
import { schema, view } from './model';

const defaults = defaultState(schema);

describe('mini-batches in space model', () => {
  it('has the expected defaults', () => {
    expect(defaults).toEqual({ batches: 4, size: 32, t: 0, seed: 7 });
  });

  it('view(state) gives every point, labelled by batch, and one mean per batch', () => {
    const v = view(defaults);
    expect(v.points).toHaveLength(4 * 32);
    expect(new Set(v.points.map((p) => p.batch))).toEqual(new Set([1, 2, 3, 4]));
    expect(v.means).toHaveLength(4);
  });

  it('raw batches sit far from the origin; fully normalized ones sit on it with unit spread', () => {
    const raw = view(defaults);
    for (const m of raw.means) expect(Math.hypot(m.x, m.y)).toBeGreaterThan(6);
    expect(raw.summary).toContain('0 % normalized');
    const done = view({ ...defaults, t: 1 });
    for (const m of done.means) expect(Math.hypot(m.x, m.y)).toBeLessThan(1e-9);
    expect(done.summary).toContain('batch means lie 0.00 units from the origin; standard deviations per axis are 1.00.');
    expect(done.summary).toContain('Every batch now has mean (0, 0)');
  });

  it('halfway, every batch mean is halfway to the origin', () => {
    const raw = view(defaults);
    const half = view({ ...defaults, t: 0.5 });
    half.means.forEach((m, i) => {
      expect(m.x).toBeCloseTo(raw.means[i].x / 2, 9);
      expect(m.y).toBeCloseTo(raw.means[i].y / 2, 9);
    });
  });
});
