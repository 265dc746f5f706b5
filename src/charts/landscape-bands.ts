/**
 * The loss landscape along the step over training (Santurkar et al. 2018, Figures 4 and 9), one
 * band per run: at each probed step, the band spans the values a quantity takes over the points
 * w + tΔ probed along that step (engine/train/landscape.ts) —
 *   'loss'        the loss L(w + tΔ) over t ∈ {0} ∪ T: the band's height is the loss variation;
 *   'smoothness'  the gradient change per unit distance ‖∇L(w) − ∇L(w + tΔ)‖ / ‖tΔ‖ over t ∈ T:
 *                 the band's top is the effective β-smoothness.
 * A narrower, lower band is a smoother landscape. x is the training step.
 */
import * as Plot from '@observablehq/plot';
import type { LandscapeSample } from '@engine/train/landscape.ts';
import { withKeyboardTips } from './keyboard-tips';
import { asImage, plotStyle, type ChartColors } from './colors';
import { defaultEmptyNote, emptyNote } from './empty';

export type LandscapeQuantity = 'loss' | 'smoothness';

export interface LandscapeBandPoint {
  /** Run label; also the colour key. */
  run: string;
  /** The probed step (1-based). */
  step: number;
  low: number;
  high: number;
}

type Sample = Pick<LandscapeSample, 'multiples' | 'loss' | 'losses' | 'gradChanges' | 'stepNorm'> & { step: number };

/** A run's band of one quantity at each of its probed steps; steps whose values are not all finite are left out. */
export function landscapeBands(run: string, samples: readonly Sample[], quantity: LandscapeQuantity): LandscapeBandPoint[] {
  return samples.flatMap((s) => {
    const values = quantity === 'loss' ? [s.loss, ...s.losses] : s.gradChanges.map((change, i) => change / (s.multiples[i] * s.stepNorm));
    if (values.length === 0 || !values.every(Number.isFinite)) return [];
    return [{ run, step: s.step, low: Math.min(...values), high: Math.max(...values) }];
  });
}

export interface LandscapeChartOptions {
  colors: ChartColors;
  /** Run labels in legend order; colours follow `colors.series`. */
  runs: readonly string[];
  /** y axis title, e.g. 'loss along the step'. */
  label: string;
  /** A log y axis (for quantities that differ by orders of magnitude between runs). */
  log: boolean;
  /** The x axis runs from 0 to this many steps. */
  steps: number;
  ariaLabel: string;
  ariaDescription?: string;
  emptyNote?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 200, fillOpacity: 0.3 };

export function landscapeChart(points: readonly LandscapeBandPoint[], options: LandscapeChartOptions): SVGSVGElement | HTMLElement {
  const { width, height, steps, runs, colors, label, log, fillOpacity } = { ...defaults, ...options };
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`landscapeChart: steps must be an integer ≥ 1, received ${steps}`);
  if (runs.length === 0 || runs.length > colors.series.length) {
    throw new RangeError(`landscapeChart: runs must list 1–${colors.series.length} labels, received ${runs.length}`);
  }
  const shown = points.filter((p) => runs.includes(p.run) && (!log || p.low > 0));
  const tipped = shown.map((p) => ({ ...p, range: `${p.low.toPrecision(3)} to ${p.high.toPrecision(3)}` }));
  return asImage(
    withKeyboardTips(
      Plot.plot({
        width,
        height,
        marginLeft: 48,
        marginBottom: 34,
        style: plotStyle(colors),
        ariaLabel: options.ariaLabel,
        ariaDescription: options.ariaDescription,
        x: { domain: [0, steps], label: 'training step', labelAnchor: 'center', labelArrow: 'none' },
        y: {
          label,
          grid: true,
          labelArrow: 'none',
          ...(log ? { type: 'log' as const, ticks: logTicks(shown), tickFormat: (v: number) => String(v) } : { nice: true }),
          ...(shown.length === 0 ? { domain: log ? [0.1, 10] : [0, 1] } : {}),
        },
        color: { type: 'ordinal', domain: runs, range: colors.series.slice(0, runs.length) },
        marks: [
          Plot.areaY(shown, { x: 'step', y1: 'low', y2: 'high', fill: 'run', z: 'run', fillOpacity }),
          Plot.line(shown, { x: 'step', y: 'high', stroke: 'run', z: 'run', strokeWidth: 1.2 }),
          emptyNote(shown.length === 0, options.emptyNote ?? defaultEmptyNote, colors),
          Plot.tip(
            tipped,
            Plot.pointerX({
              fill: colors.bg,
              x: 'step',
              y: 'high',
              channels: { run: { value: 'run', label: '' }, range: { value: 'range', label } },
              format: { x: true, y: false, run: true, range: true },
            }),
          ),
        ],
      }),
      true,
    ),
  );
}

/**
 * Ticks for a log axis over the bands: 1, 2 and 5 times the powers of ten inside them, or every
 * integer multiple when that gives fewer than three (d3's own log ticks leave most labels blank on
 * a range narrower than a decade, and the runs here often span a factor of two).
 */
export function logTicks(points: readonly LandscapeBandPoint[]): number[] {
  if (points.length === 0) return [0.1, 1, 10];
  const lo = Math.min(...points.map((p) => p.low));
  const hi = Math.max(...points.map((p) => p.high));
  const within = (multipliers: readonly number[]) => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
      for (const m of multipliers) {
        const v = Number((m * 10 ** e).toPrecision(12));
        if (v >= lo && v <= hi) out.push(v);
      }
    return out;
  };
  const coarse = within([1, 2, 5]);
  return coarse.length >= 3 ? coarse : within([1, 2, 3, 4, 5, 6, 7, 8, 9]);
}
