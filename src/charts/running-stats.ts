/**
 * BN's running (moving) statistics converging: for a few units of one BN layer, the moving mean
 * (or variance) as a line over training steps, and the statistic of each training mini-batch it
 * chases as faint dots. With Keras' momentum 0.99 the line needs a few hundred steps to catch
 * the cloud; until then, evaluation uses statistics that are still wrong.
 */
import * as Plot from '@observablehq/plot';
import { withKeyboardTips } from './keyboard-tips';
import { asImage, plotStyle, type ChartColors } from './colors';
import { defaultEmptyNote, emptyNote, integerTicks } from './empty';

export interface StatsFrame {
  step: number;
  /** Moving statistic per unit (H). */
  moving: ArrayLike<number>;
  /** The same statistic of the last training batch per unit (H). */
  batch: ArrayLike<number> | null;
}

export interface RunningStatsOptions {
  colors: ChartColors;
  /** Which units to draw (indices into H), at most `colors.series.length`. */
  units: readonly number[];
  /** y axis label, e.g. 'moving mean'. */
  label: string;
  /** Written in the frame while there are no frames. */
  emptyNote?: string;
  ariaLabel: string;
  ariaDescription?: string;
  width?: number;
  height?: number;
}

export interface StatPoint {
  unit: string;
  step: number;
  value: number;
}

const defaults = { width: 420, height: 200 };

/** Long-form points for the chosen units: the moving statistic and the batch statistic. */
export function statPoints(frames: readonly StatsFrame[], units: readonly number[]): { moving: StatPoint[]; batch: StatPoint[] } {
  const moving: StatPoint[] = [];
  const batch: StatPoint[] = [];
  for (const f of frames) {
    for (const u of units) {
      if (u >= f.moving.length) throw new RangeError(`statPoints: unit ${u} is out of range for a layer of ${f.moving.length} units`);
      const unit = `unit ${u}`;
      moving.push({ unit, step: f.step, value: f.moving[u] });
      if (f.batch) batch.push({ unit, step: f.step, value: f.batch[u] });
    }
  }
  return { moving, batch };
}

export function runningStatsChart(frames: readonly StatsFrame[], options: RunningStatsOptions): SVGSVGElement | HTMLElement {
  const { width, height, units, colors } = { ...defaults, ...options };
  if (units.length === 0 || units.length > colors.series.length) {
    throw new RangeError(`runningStatsChart: units must list 1–${colors.series.length} indices, received ${units.length}`);
  }
  const { moving, batch } = statPoints(frames, units);
  const domain = units.map((u) => `unit ${u}`);
  const empty = moving.length === 0;
  // The tip pairs each unit's moving statistic with its batch statistic at that step and their
  // distance, so "the step where the moving mean comes within 0.05" can be read off exactly.
  const batchAt = new Map(batch.map((p) => [`${p.unit}@${p.step}`, p.value]));
  const tipped = moving
    .filter((p) => Number.isFinite(p.value))
    .map((p) => {
      const b = batchAt.get(`${p.unit}@${p.step}`) ?? Number.NaN;
      return { ...p, batch: b, gap: Math.abs(p.value - b) };
    });
  const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');
  const steps = moving.map((p) => p.step);
  const [first, last] = empty ? [0, 1] : [Math.min(...steps), Math.max(...steps)];
  return asImage(
    withKeyboardTips(
      Plot.plot({
        width,
        height,
        marginLeft: 52,
        marginBottom: 34,
        style: plotStyle(colors),
        ariaLabel: options.ariaLabel,
        ariaDescription: options.ariaDescription,
        x: {
          label: 'training step',
          labelAnchor: 'center',
          labelArrow: 'none',
          tickFormat: 'd',
          ticks: empty ? [] : integerTicks(first, last, Math.max(2, Math.round(width / 80))),
        },
        y: { label: options.label, labelArrow: 'none', grid: true, nice: true, ...(empty ? { ticks: [] } : {}) },
        color: { type: 'ordinal', domain, range: colors.series.slice(0, units.length) },
        marks: [
          Plot.dot(
            batch.filter((p) => Number.isFinite(p.value)),
            { x: 'step', y: 'value', fill: 'unit', r: 1.5, fillOpacity: 0.35 },
          ),
          Plot.line(
            moving.filter((p) => Number.isFinite(p.value)),
            { x: 'step', y: 'value', stroke: 'unit', z: 'unit', strokeWidth: 1.8 },
          ),
          Plot.frame({ stroke: colors.grid }),
          emptyNote(empty, options.emptyNote ?? defaultEmptyNote, colors),
          Plot.crosshairX(tipped, { x: 'step', y: 'value', color: colors.muted, textStroke: colors.bg }),
          Plot.tip(
            tipped,
            Plot.pointerX({
              fill: colors.bg,
              x: 'step',
              y: 'value',
              channels: {
                unit: { value: 'unit', label: '' },
                batch: { value: 'batch', label: 'batch' },
                gap: { value: 'gap', label: '|moving − batch|' },
              },
              format: { x: true, y: fmt, unit: true, batch: fmt, gap: fmt },
            }),
          ),
        ],
      }),
      true,
    ),
  );
}
