import { describe, expect, it } from 'vitest';
import { nextScale, printableHeightPx } from './print-fit';

describe('nextScale(scale, height)', () => {
  it('shrinks in proportion to the overflow, rounding down, and never enlarges past 1', () => {
    expect(nextScale(1, printableHeightPx * 2)).toBe(0.5);
    expect(nextScale(0.9, 3000, 1000)).toBe(0.3);
    expect(nextScale(0.8, 500, 1000)).toBe(1);
    expect(nextScale(0.7, 0)).toBe(0.7);
  });
});
