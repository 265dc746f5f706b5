/**
 * Histograms over time as one picture (fast.ai's "colourful dimension"): each column is the
 * histogram of a layer's activations (or gradients) at one training step, x = step, y = value,
 * colour = the share of values in that bin, on a log scale so the thin tails stay visible. A
 * healthy layer shows a steady band; saturation, dead units or exploding values show as colour
 * piling up at the edges, collapsing to zero or widening.
 *
 * Every column keeps its own [min, max] (histograms arrive with their own range), so a column
 * is drawn as rectangles at its own bin edges rather than resampled onto a common grid.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors } from './colors';

export interface HeatColumn {
  step: number;
  /** The counts split [min, max] into equal bins. */
  min: number;
  max: number;
  counts: ArrayLike<number>;
}

export interface HeatCell {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  /** Share of the column's values in this bin, in (0, 1]. */
  share: number;
}

export interface HeatStripOptions {
  colors: ChartColors;
  /** y axis label, e.g. 'activation' or '∂L/∂output'. */
  label: string;
  ariaLabel: string;
  ariaDescription?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 200 };

/** The non-empty cells of every column; a column ends where the next begins (the last one spans the median gap). */
export function heatCells(columns: readonly HeatColumn[]): HeatCell[] {
  const sorted = [...columns].sort((a, b) => a.step - b.step);
  const gaps = sorted.slice(1).map((c, i) => c.step - sorted[i].step).sort((a, b) => a - b);
  const lastGap = gaps.length > 0 ? Math.max(1, gaps[gaps.length >> 1]) : 1;
  const cells: HeatCell[] = [];
  sorted.forEach((column, k) => {
    const { min, max, counts } = column;
    if (!(Number.isFinite(min) && Number.isFinite(max) && max >= min)) {
      throw new RangeError(`heatCells: column at step ${column.step} needs finite min ≤ max, received [${min}, ${max}]`);
    }
    let total = 0;
    for (let i = 0; i < counts.length; i++) total += counts[i];
    if (total === 0) return;
    const x1 = column.step;
    const x2 = k + 1 < sorted.length ? sorted[k + 1].step : column.step + lastGap;
    // A constant column (min = max) gets a sliver of height so it stays visible.
    const span = max > min ? max - min : Math.max(Math.abs(min), 1) * 1e-3;
    const width = span / counts.length;
    const lo = max > min ? min : min - span / 2;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      cells.push({ x1, x2, y1: lo + i * width, y2: lo + (i + 1) * width, share: counts[i] / total });
    }
  });
  return cells;
}

export function heatStrip(columns: readonly HeatColumn[], options: HeatStripOptions): SVGSVGElement | HTMLElement {
  const { width, height, colors } = { ...defaults, ...options };
  if (!(width > 0 && height > 0)) throw new RangeError(`heatStrip: width and height must be positive, received ${width}×${height}`);
  const cells = heatCells(columns);
  const smallest = cells.reduce((m, c) => Math.min(m, c.share), 1);
  return asImage(
    Plot.plot({
      width,
      height,
      marginLeft: 52,
      marginBottom: 34,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: { label: 'training step', labelAnchor: 'center', labelArrow: 'none', tickFormat: 'd' },
      y: { label: options.label, labelArrow: 'none', grid: false },
      color: { type: 'log', scheme: 'viridis', domain: [Math.min(smallest, 0.5), 1] },
      marks: [
        Plot.rect(cells, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'share' }),
        Plot.ruleY([0], { stroke: colors.muted, strokeOpacity: 0.6 }),
      ],
    }),
  );
}
