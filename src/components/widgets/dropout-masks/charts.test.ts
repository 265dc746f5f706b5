import { describe, expect, it } from 'vitest';
import { fallbackColors } from '@charts/colors';
import { masksChartOptions } from './charts';
import { maskStats, runMasks } from './model';

describe('masksChartOptions', () => {
  it('names the layer, the steps and the rate, and lists the kept counts the chart shows', () => {
    const s = { rate: 0.3, steps: 4, seed: 1 };
    const st = maskStats(runMasks(s), s.rate);
    const o = masksChartOptions(s, st, fallbackColors);
    expect(o.ariaLabel).toBe('Dropout masks of the 128-unit hidden layer for the first image of training steps 1 to 4, rate 0.30');
    expect(o.ariaDescription).toBe(`Dark cells are dropped units. Units kept per step: ${st.kept.join(', ')} (expected 89.6).`);
  });
});
