import { describe, expect, it } from 'vitest';
import { printableHeightPx, printZoom } from './print-fit';

describe('printZoom(height)', () => {
  it('leaves a sheet that fits alone and shrinks a taller one to the page, rounding down', () => {
    expect(printZoom(500)).toBe(1);
    expect(printZoom(printableHeightPx * 2)).toBe(0.5);
    expect(printZoom(3000, 1000)).toBe(0.333);
    expect(printZoom(0)).toBe(1);
  });
});
