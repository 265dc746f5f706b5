/**
 * One image's feature maps as a grid of small pictures, one per channel (channel 0 top left),
 * each an R × S raster image on one diverging colour scale centred on 0 (blue below, red above)
 * shared by every channel, so channels can be compared. Each picture is a single raster mark:
 * 16 channels of 26 × 26 values are 16 images, not 10,000 rectangles. The scale's half-range is
 * the widget's to state in words (the largest |value| by default).
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors, type ChartTarget } from './colors';

export interface FeatureMapGridOptions extends ChartTarget {
  colors: ChartColors;
  /** Rows and columns of every map. */
  rows: number;
  cols: number;
  ariaLabel: string;
  ariaDescription?: string;
  width?: number;
  /** Maps per row of the grid; default 8. */
  perRow?: number;
  /** The colour scale's half-range; default the largest |value| over all maps. */
  extent?: number;
}

const defaults = { width: 640, perRow: 8 };
/** Gap between two maps, in map pixels. */
const gap = 2;

/** `maps[c]` is channel c of one image, (rows, cols) row-major; all maps the same size. */
export function featureMapGrid(maps: readonly ArrayLike<number>[], options: FeatureMapGridOptions): SVGSVGElement | HTMLElement {
  const { width, perRow, colors, rows, cols } = { ...defaults, ...options };
  if (maps.length === 0) throw new RangeError('featureMapGrid: maps must hold at least one channel, received none');
  const bad = maps.findIndex((m) => m.length !== rows * cols);
  if (bad >= 0)
    throw new RangeError(`featureMapGrid: every map must hold rows·cols = ${rows * cols} values, map ${bad} holds ${maps[bad].length}`);
  if (!(width > 0)) throw new RangeError(`featureMapGrid: width must be positive, received ${width}`);
  if (!(Number.isInteger(perRow) && perRow >= 1)) throw new RangeError(`featureMapGrid: perRow must be an integer ≥ 1, received ${perRow}`);
  let largest = 0;
  for (const m of maps) for (let i = 0; i < m.length; i++) largest = Math.max(largest, Math.abs(m[i]));
  const extent = options.extent ?? (largest > 0 ? largest : 1);
  if (!(extent > 0)) throw new RangeError(`featureMapGrid: extent must be positive, received ${extent}`);
  const across = Math.min(perRow, maps.length);
  const down = Math.ceil(maps.length / perRow);
  const spanX = across * (cols + gap) - gap;
  const spanY = down * (rows + gap) - gap;
  const margin = 4;
  const height = Math.round(((width - 2 * margin) * spanY) / spanX) + 2 * margin;
  const at = (c: number) => ({ x: (c % perRow) * (cols + gap), y: Math.floor(c / perRow) * (rows + gap) });
  return asImage(
    Plot.plot({
      document: options.document,
      width,
      height,
      margin,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: { domain: [0, spanX], axis: null },
      y: { domain: [0, spanY], axis: null, reverse: true },
      color: { type: 'diverging', scheme: 'BuRd', domain: [-extent, extent] },
      marks: maps.map((m, c) =>
        Plot.raster(Array.from(m), {
          width: cols,
          height: rows,
          x1: at(c).x,
          x2: at(c).x + cols,
          y1: at(c).y,
          y2: at(c).y + rows,
          fill: Plot.identity,
          imageRendering: 'pixelated',
        }),
      ),
    }),
  );
}
