/**
 * The masks chart as data, shared by the custom element (live) and DropoutMasks.astro (drawn at
 * build time, so the first view has it).
 */
import type { ChartColors } from '@charts/colors';
import type { DropoutMasksOptions } from '@charts/dropout-masks';
import { fmt, hiddenUnits, type MaskStats, type State } from './model';

export function masksChartOptions(s: State, st: MaskStats, colors: ChartColors): DropoutMasksOptions {
  return {
    colors,
    ariaLabel: `Dropout masks of the ${hiddenUnits}-unit hidden layer for the first image of training steps 1 to ${s.steps}, rate ${fmt(s.rate)}`,
    ariaDescription: `Dark cells are dropped units. Units kept per step: ${st.kept.join(', ')} (expected ${fmt(st.expected, 1)}).`,
  };
}
