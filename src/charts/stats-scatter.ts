/**
 * BN's running statistics against the statistics recalibrated over the training set, one dot
 * per unit, with the diagonal y = x: dots off the line are units whose running average lags
 * (a momentum close to 1, a short run). One chart per statistic (mean or variance).
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors } from './colors';

export interface StatsScatterOptions {
  colors: ChartColors;
  /** Axis label stem, e.g. 'mean' or 'variance'. */
  stat: string;
  ariaLabel: string;
  ariaDescription?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 300, height: 260 };

export function statsScatter(
  running: ArrayLike<number>,
  recalibrated: ArrayLike<number>,
  options: StatsScatterOptions,
): SVGSVGElement | HTMLElement {
  const { width, height, colors, stat } = { ...defaults, ...options };
  if (running.length !== recalibrated.length) {
    throw new RangeError(
      `statsScatter: running and recalibrated must have one value per unit each, received ${running.length} and ${recalibrated.length}`,
    );
  }
  const points = Array.from(running, (r, i) => ({ running: r, recalibrated: recalibrated[i] })).filter(
    (p) => Number.isFinite(p.running) && Number.isFinite(p.recalibrated),
  );
  const values = points.flatMap((p) => [p.running, p.recalibrated]);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const pad = (hi - lo) * 0.05 || 0.5;
  const domain = [lo - pad, hi + pad];
  return asImage(
    Plot.plot({
      width,
      height,
      marginLeft: 52,
      marginBottom: 36,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: { domain, label: `recalibrated ${stat}`, labelAnchor: 'center', labelArrow: 'none' },
      y: { domain, label: `running ${stat}`, labelArrow: 'none', grid: true },
      marks: [
        Plot.line(
          [
            { x: domain[0], y: domain[0] },
            { x: domain[1], y: domain[1] },
          ],
          { x: 'x', y: 'y', stroke: colors.muted, strokeDasharray: '4,3' },
        ),
        Plot.dot(points, { x: 'recalibrated', y: 'running', fill: colors.series[1], r: 2.5, fillOpacity: 0.8 }),
      ],
    }),
  );
}
