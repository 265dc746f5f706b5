/**
 * Histograms over time as one picture (fast.ai's "colourful dimension"): each column is the
 * histogram of a layer's activations (or gradients) at one training step, x = step, y = value,
 * colour = the share of values in that bin, on a log scale so the thin tails stay visible. A
 * healthy layer shows a steady band; saturation, dead units or exploding values show as colour
 * piling up at the edges, collapsing to zero or widening.
 *
 * Every histogram arrives with its own [min, max], so the columns are first resampled onto one
 * grid (`heatGrid`, pure) and drawn as a single raster image: a few thousand rectangles cost
 * Plot hundreds of milliseconds per redraw, one image a few.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors } from './colors';
import { defaultEmptyNote, emptyNote, integerTicks } from './empty';

export interface HeatColumn {
  step: number;
  /** The counts split [min, max] into equal bins. */
  min: number;
  max: number;
  counts: ArrayLike<number>;
}

export interface HeatGrid {
  /** Row-major (rows × columns), row 0 at y1; the share of a column's values per cell, NaN where empty. */
  values: Float64Array;
  columns: number;
  rows: number;
  /** Steps covered: the first column's step to the last one's plus one step gap. */
  x1: number;
  x2: number;
  /** Values covered: the smallest min to the largest max over all columns. */
  y1: number;
  y2: number;
}

export interface HeatStripOptions {
  colors: ChartColors;
  /** y axis label, e.g. 'activation' or '∂L/∂output'. */
  label: string;
  ariaLabel: string;
  ariaDescription?: string;
  /** Cells along the value axis; default 48. */
  rows?: number;
  /** Written in the frame while there are no columns. */
  emptyNote?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 200, rows: 48 };

/**
 * Resamples the columns onto `rows` equal cells over the common value range; each grid column
 * shows the latest histogram at or before its start. A bin's share is spread over the cells it
 * overlaps in proportion to the overlap.
 */
export function heatGrid(columns: readonly HeatColumn[], rows: number): HeatGrid {
  if (!(Number.isInteger(rows) && rows >= 1)) throw new RangeError(`heatGrid: rows must be a positive integer, received ${rows}`);
  const sorted = [...columns].sort((a, b) => a.step - b.step);
  for (const c of sorted) {
    if (!(Number.isFinite(c.min) && Number.isFinite(c.max) && c.max >= c.min)) {
      throw new RangeError(`heatGrid: column at step ${c.step} needs finite min ≤ max, received [${c.min}, ${c.max}]`);
    }
  }
  const n = sorted.length;
  if (n === 0) return { values: new Float64Array(0), columns: 0, rows, x1: 0, x2: 1, y1: 0, y2: 1 };
  const gaps = sorted
    .slice(1)
    .map((c, i) => c.step - sorted[i].step)
    .sort((a, b) => a - b);
  const gap = gaps.length > 0 ? Math.max(1, gaps[gaps.length >> 1]) : 1;
  const x1 = sorted[0].step;
  const x2 = sorted[n - 1].step + gap;
  let y1 = Math.min(...sorted.map((c) => c.min));
  let y2 = Math.max(...sorted.map((c) => c.max));
  if (y2 === y1) {
    const pad = Math.max(Math.abs(y1), 1) * 1e-3;
    y1 -= pad;
    y2 += pad;
  }
  const cell = (y2 - y1) / rows;
  const shares = sorted.map((c) => spread(c, y1, cell, rows));
  const values = new Float64Array(n * rows).fill(NaN);
  const width = (x2 - x1) / n;
  let k = 0;
  for (let col = 0; col < n; col++) {
    const start = x1 + col * width;
    while (k + 1 < n && sorted[k + 1].step <= start + 1e-9) k++;
    for (let row = 0; row < rows; row++) if (shares[k][row] > 0) values[row * n + col] = shares[k][row];
  }
  return { values, columns: n, rows, x1, x2, y1, y2 };
}

/** One column's shares per grid cell. */
function spread(c: HeatColumn, y1: number, cell: number, rows: number): Float64Array {
  const out = new Float64Array(rows);
  let total = 0;
  for (let i = 0; i < c.counts.length; i++) total += c.counts[i];
  if (total === 0) return out;
  const bins = c.counts.length;
  const width = (c.max - c.min) / bins;
  const clamp = (r: number) => Math.min(rows - 1, Math.max(0, r));
  for (let i = 0; i < bins; i++) {
    const share = c.counts[i] / total;
    if (share === 0) continue;
    const lo = c.min + i * width;
    const hi = lo + width;
    if (width === 0) {
      out[clamp(Math.floor((lo - y1) / cell))] += share;
      continue;
    }
    for (let r = clamp(Math.floor((lo - y1) / cell)); r <= clamp(Math.ceil((hi - y1) / cell) - 1); r++) {
      const overlap = Math.min(hi, y1 + (r + 1) * cell) - Math.max(lo, y1 + r * cell);
      if (overlap > 0) out[r] += (share * overlap) / width;
    }
  }
  return out;
}

export function heatStrip(columns: readonly HeatColumn[], options: HeatStripOptions): SVGSVGElement | HTMLElement {
  const { width, height, rows, colors } = { ...defaults, ...options };
  if (!(width > 0 && height > 0)) throw new RangeError(`heatStrip: width and height must be positive, received ${width}×${height}`);
  const grid = heatGrid(columns, rows);
  let smallest = 1;
  for (const v of grid.values) if (v < smallest) smallest = v;
  const empty = grid.columns === 0;
  const marks: Plot.Markish[] = [
    Plot.ruleY(empty ? [] : [0], { stroke: colors.muted, strokeOpacity: 0.6 }),
    emptyNote(empty, options.emptyNote ?? defaultEmptyNote, colors),
    Plot.frame({ stroke: colors.grid }),
  ];
  if (grid.columns > 0) {
    marks.unshift(
      Plot.raster(Array.from(grid.values), {
        width: grid.columns,
        height: grid.rows,
        x1: grid.x1,
        x2: grid.x2,
        y1: grid.y1,
        y2: grid.y2,
        fill: Plot.identity,
        imageRendering: 'pixelated',
      }),
    );
  }
  return asImage(
    Plot.plot({
      width,
      height,
      marginLeft: 52,
      marginBottom: 34,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: {
        domain: [grid.x1, grid.x2],
        label: 'training step',
        labelAnchor: 'center',
        labelArrow: 'none',
        tickFormat: 'd',
        ticks: empty ? [] : integerTicks(grid.x1, grid.x2, Math.max(2, Math.round(width / 80))),
      },
      y: { domain: [grid.y1, grid.y2], label: options.label, labelArrow: 'none', grid: false, ...(empty ? { ticks: [] } : {}) },
      color: { type: 'log', scheme: 'viridis', domain: [Math.min(smallest, 0.5), 1] },
      marks,
    }),
  );
}
