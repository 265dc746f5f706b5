/**
 * Charts that look intentional before there is data: a short note in the middle of the frame
 * instead of a blank box, and integer-step axes that never repeat a label ("0 0 0 1 1 1" is what
 * d3's fractional ticks look like through a 'd' format).
 */
import * as Plot from '@observablehq/plot';
import type { ChartColors } from './colors';

export const defaultEmptyNote = 'No run yet: press Start';

/** The note, drawn only while `empty`. */
export function emptyNote(empty: boolean, note: string, colors: ChartColors): Plot.Markish {
  return Plot.text(empty ? [note] : [], { frameAnchor: 'middle', fill: colors.muted, fontSize: 13, className: 'empty-note' });
}

/** About `count` ticks on whole numbers over [lo, hi], at steps of 1, 2 or 5 × 10ⁿ (never below 1). */
export function integerTicks(lo: number, hi: number, count = 6): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi >= lo))
    throw new RangeError(`integerTicks: need finite lo ≤ hi, received [${lo}, ${hi}]`);
  if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`integerTicks: count must be a positive integer, received ${count}`);
  const raw = Math.max(1, (hi - lo) / count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  return ticks;
}
