/**
 * Final values of a sweep against the swept setting, one line per arm (no BN, BN): accuracy,
 * seconds per epoch, … against learning rate, batch size, depth or init scale. Log axes
 * (learning rate, batch size, init scale) get a tick at every value run; depth is linear.
 * Runs that did not train (diverged, failed) are drawn as crosses at the bottom, so the range
 * where only BN trains is visible rather than a gap.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors } from './colors';

export interface AxisSweepPoint {
  x: number;
  /** Series label, e.g. 'no BN' or 'BN'; also the colour key. */
  series: string;
  /** null: the run did not finish training (diverged or failed). */
  value: number | null;
}

export interface AxisSweepOptions {
  colors: ChartColors;
  series: readonly string[];
  /** x axis: its title, scale and the values that get a tick (even before they have results). */
  axis: { label: string; scale: 'log' | 'linear'; ticks: readonly number[]; format?: (x: number) => string };
  /** y axis title, e.g. 'validation accuracy (%)'. */
  label: string;
  percent?: boolean;
  ariaLabel: string;
  ariaDescription?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 230, percent: false };
const symbols = ['circle', 'square', 'triangle', 'diamond', 'star', 'wye'];

export function axisSweepChart(points: readonly AxisSweepPoint[], options: AxisSweepOptions): SVGSVGElement | HTMLElement {
  const { width, height, percent, axis, series, colors } = { ...defaults, ...options };
  if (axis.ticks.length === 0 || axis.ticks.some((t) => !Number.isFinite(t) || (axis.scale === 'log' && t <= 0))) {
    throw new RangeError(
      `axisSweepChart: axis.ticks must be finite${axis.scale === 'log' ? ' and positive on a log axis' : ''}, received [${axis.ticks.join(', ')}]`,
    );
  }
  if (series.length === 0 || series.length > colors.series.length) {
    throw new RangeError(`axisSweepChart: series must list 1–${colors.series.length} labels, received ${series.length}`);
  }
  const mine = points.filter((p) => series.includes(p.series));
  const shown = mine
    .filter((p): p is AxisSweepPoint & { value: number } => p.value !== null && Number.isFinite(p.value))
    .sort((a, b) => a.x - b.x);
  const failed = mine.filter((p) => p.value === null || !Number.isFinite(p.value));
  const yDomain = valueDomain(
    shown.map((p) => p.value),
    percent,
  );
  const lo = Math.min(...axis.ticks);
  const hi = Math.max(...axis.ticks);
  const pad = axis.scale === 'log' ? [lo / Math.SQRT2, hi * Math.SQRT2] : [lo - 0.5, hi + 0.5];
  const bottom = yDomain ? (percent ? yDomain[0] * 100 : yDomain[0]) : 0;
  return asImage(
    Plot.plot({
      width,
      height,
      marginLeft: 48,
      marginBottom: 34,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: {
        type: axis.scale,
        domain: pad,
        ticks: [...axis.ticks],
        tickFormat: axis.format ?? ((x: number) => String(x)),
        label: axis.label,
        labelAnchor: 'center',
        labelArrow: 'none',
      },
      y: {
        label: options.label,
        grid: true,
        labelArrow: 'none',
        nice: true,
        percent,
        ...(yDomain ? { domain: percent ? [yDomain[0] * 100, yDomain[1] * 100] : yDomain } : {}),
      },
      color: { type: 'ordinal', domain: series, range: colors.series.slice(0, series.length) },
      symbol: { type: 'ordinal', domain: series, range: symbols.slice(0, series.length) },
      marks: [
        // Several seeds at one value: a dot each, the line through their mean.
        Plot.line(meansAtEachX(shown), { x: 'x', y: 'value', stroke: 'series', z: 'series', strokeWidth: 1.8 }),
        Plot.dot(shown, { x: 'x', y: 'value', fill: 'series', symbol: 'series', r: 3.5 }),
        // Plot's percent option scales y channel values, so the frame's bottom is given unscaled.
        Plot.dot(failed, { x: 'x', y: () => (percent ? bottom / 100 : bottom), stroke: 'series', symbol: 'times', r: 5, strokeWidth: 2 }),
      ],
    }),
  );
}

/** The mean value of each series at each x, in x order (one point per series and x). */
export function meansAtEachX(points: readonly (AxisSweepPoint & { value: number })[]): (AxisSweepPoint & { value: number })[] {
  const groups = new Map<string, { x: number; series: string; sum: number; n: number }>();
  for (const p of points) {
    const key = `${p.series}\u0000${p.x}`;
    const g = groups.get(key) ?? { x: p.x, series: p.series, sum: 0, n: 0 };
    g.sum += p.value;
    g.n++;
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ x: g.x, series: g.series, value: g.sum / g.n })).sort((a, b) => a.x - b.x);
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
