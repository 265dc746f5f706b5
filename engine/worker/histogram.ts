/**
 * Compact histograms of a layer's activations or gradients for the diagnostics widgets: equal
 * bins over [min, max] of the finite values, plus the moments the charts print beside them.
 * Non-finite values are skipped (a run about to diverge still gets a readable picture).
 */
import type { Histogram } from './protocol.ts';
import { checkInteger } from '../validate.ts';

export function histogram(values: Float32Array, bins: number): Histogram {
  checkInteger('histogram', 'bins', bins, 1, 4096);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  let zeros = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count++;
    if (v === 0) zeros++;
  }
  const counts = new Uint32Array(bins);
  if (count === 0) return { min: 0, max: 0, counts, mean: NaN, std: NaN, zeros: 0 };
  const mean = sum / count;
  let squares = 0;
  // A constant input puts everything in the middle bin rather than dividing by a zero width.
  const scale = max > min ? bins / (max - min) : 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    squares += (v - mean) * (v - mean);
    const b = scale === 0 ? bins >> 1 : Math.min(bins - 1, Math.floor((v - min) * scale));
    counts[b]++;
  }
  return { min, max, counts, mean, std: Math.sqrt(squares / count), zeros: zeros / count };
}
