/**
 * One measured quantity against batch size, one line per normalization (the batch-size sweep):
 * final accuracy, or seconds per epoch. Batch sizes double from 16 to 256, so x is a log₂ axis
 * with a tick at every size that was run.
 */
import * as Plot from '@observablehq/plot';
import { withKeyboardTips } from './keyboard-tips';
import { asImage, plotStyle, type ChartColors } from './colors';
import { defaultEmptyNote, emptyNote } from './empty';

export interface SweepPoint {
  batchSize: number;
  /** Series label, e.g. 'no BN' or 'BN'; also the colour key. */
  series: string;
  value: number;
}

export interface SweepChartOptions {
  colors: ChartColors;
  /** Series labels in legend order; colours follow `colors.series`. */
  series: readonly string[];
  /** y axis label, e.g. 'validation accuracy (%)' or 'seconds per epoch'. */
  label: string;
  /** Values are fractions shown as percent. */
  percent?: boolean;
  /** Batch sizes on the x axis (ticks), even before they have values. */
  batchSizes: readonly number[];
  ariaLabel: string;
  ariaDescription?: string;
  /** Written in the frame while there are no points. */
  emptyNote?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 230, percent: false };

export function sweepChart(points: readonly SweepPoint[], options: SweepChartOptions): SVGSVGElement | HTMLElement {
  const { width, height, percent, batchSizes, series, colors } = { ...defaults, ...options };
  const bad = batchSizes.find((b) => !(Number.isInteger(b) && b >= 1));
  if (batchSizes.length === 0 || bad !== undefined) {
    throw new RangeError(`sweepChart: batchSizes must be positive integers, received [${batchSizes.join(', ')}]`);
  }
  if (series.length === 0 || series.length > colors.series.length) {
    throw new RangeError(`sweepChart: series must list 1–${colors.series.length} labels, received ${series.length}`);
  }
  const shown = points.filter((p) => Number.isFinite(p.value) && series.includes(p.series)).sort((a, b) => a.batchSize - b.batchSize);
  const lo = Math.min(...batchSizes);
  const hi = Math.max(...batchSizes);
  // Plot's `percent` scales values by 100 before the domain applies, so an explicit domain is in percent too.
  const yDomain = valueDomain(shown.map((p) => p.value), percent);
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
        // Half a step of padding on either side so the end points are not on the frame.
        x: { type: 'log', base: 2, domain: [lo / Math.SQRT2, hi * Math.SQRT2], ticks: [...batchSizes], tickFormat: 'd', label: 'batch size', labelAnchor: 'center', labelArrow: 'none' },
        y: { label: options.label, grid: true, labelArrow: 'none', nice: true, percent, ...(yDomain ? { domain: percent ? [yDomain[0] * 100, yDomain[1] * 100] : yDomain } : {}) },
        color: { type: 'ordinal', domain: series, range: colors.series.slice(0, series.length) },
        symbol: { type: 'ordinal', domain: series, range: ['circle', 'square', 'triangle', 'diamond', 'star', 'wye'].slice(0, series.length) },
        marks: [
          Plot.line(shown, { x: 'batchSize', y: 'value', stroke: 'series', z: 'series', strokeWidth: 1.8 }),
          Plot.dot(shown, { x: 'batchSize', y: 'value', fill: 'series', symbol: 'series', r: 3.5 }),
          emptyNote(shown.length === 0, options.emptyNote ?? defaultEmptyNote, colors),
          Plot.tip(shown, Plot.pointer({ fill: colors.bg,  x: 'batchSize', y: 'value', channels: { series: { value: 'series', label: '' } }, format: { x: true, y: percent ? '.2f' : '.3~g', series: true } })),
        ],
      }),
      true,
    ),
  );
}

/**
 * The values' extent, widened to a readable minimum span (1 percentage point, or a fifth of the
 * value) so one point or equal points do not give a zero-height axis; undefined with no values.
 */
export function valueDomain(values: readonly number[], percent: boolean): [number, number] | undefined {
  if (values.length === 0) return undefined;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = percent ? 0.01 : Math.max(Math.abs(hi) * 0.2, 1e-6);
  if (hi - lo >= span) return [lo, hi];
  const mid = (lo + hi) / 2;
  return [mid - span / 2, mid + span / 2];
}
