// @vitest-environment happy-dom
import * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { fallbackColors } from './colors';
import { emptyNote, integerTicks } from './empty';

describe('empty states', () => {
  it('integerTicks never repeats a whole number on a short range and thins out long ones', () => {
    expect(integerTicks(0, 1)).toEqual([0, 1]);
    expect(integerTicks(0, 3)).toEqual([0, 1, 2, 3]);
    expect(integerTicks(0, 1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(integerTicks(3, 47)).toEqual([10, 20, 30, 40]);
    expect(() => integerTicks(2, 1)).toThrow('received [2, 1]');
  });

  it('emptyNote draws its text only while the chart is empty', () => {
    const plot = (empty: boolean) => Plot.plot({ marks: [emptyNote(empty, 'No run yet', fallbackColors)] });
    expect(plot(true).querySelector('g.empty-note')?.textContent).toBe('No run yet');
    expect(plot(false).querySelector('g.empty-note text')).toBeNull();
  });
});
