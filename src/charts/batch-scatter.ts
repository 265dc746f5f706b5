/**
 * Mini-batches of 2-D points on fixed, equal axes (so motion towards the origin is visible), each
 * batch in its own colour and symbol, with batch means as crosses and the unit circle for scale.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors, type ChartTarget } from './colors';

export interface ScatterPoint {
  x: number;
  y: number;
  batch: number;
}

export interface BatchScatterOptions extends ChartTarget {
  colors: ChartColors;
  ariaLabel: string;
  ariaDescription?: string;
  /** Axes run from −extent to +extent on both x and y. */
  extent?: number;
  /** Batch means, drawn as crosses. */
  means?: ScatterPoint[];
  size?: number;
}

const defaults = { extent: 18, size: 420, means: [] as ScatterPoint[] };
const symbols = ['circle', 'square', 'triangle', 'diamond', 'star', 'wye'];

export function batchScatter(points: ScatterPoint[], options: BatchScatterOptions): SVGSVGElement | HTMLElement {
  const { extent, size, means } = { ...defaults, ...options };
  if (!(extent > 0 && Number.isFinite(extent))) throw new RangeError(`batchScatter: extent must be a positive number, received ${extent}`);
  if (!(size > 0)) throw new RangeError(`batchScatter: size must be positive, received ${size}`);
  const { colors } = options;
  const batches = [...new Set(points.map((p) => p.batch))].sort((a, b) => a - b);
  const circle = Array.from({ length: 65 }, (_, i) => ({ x: Math.cos((i / 32) * Math.PI), y: Math.sin((i / 32) * Math.PI) }));
  return asImage(
    Plot.plot({
      document: options.document,
      width: size,
      height: size,
      marginLeft: 36,
      marginBottom: 32,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: { domain: [-extent, extent], label: 'feature 1', grid: true, labelArrow: 'none' },
      y: { domain: [-extent, extent], label: 'feature 2', grid: true, labelArrow: 'none' },
      color: { type: 'ordinal', domain: batches, range: colors.series },
      symbol: { type: 'ordinal', domain: batches, range: symbols },
      marks: [
        Plot.ruleX([0], { stroke: colors.muted }),
        Plot.ruleY([0], { stroke: colors.muted }),
        Plot.line(circle, { x: 'x', y: 'y', stroke: colors.fg, strokeDasharray: '3,2' }),
        Plot.dot(points, { x: 'x', y: 'y', fill: 'batch', symbol: 'batch', r: 2.6, fillOpacity: 0.85 }),
        Plot.dot(means, { x: 'x', y: 'y', stroke: colors.fg, symbol: 'times', r: 7, strokeWidth: 2.5 }),
      ],
    }),
  );
}
