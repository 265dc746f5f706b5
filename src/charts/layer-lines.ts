/**
 * One line per layer over training steps on a log axis: per-layer gradient norms (vanishing
 * gradients show as a fan of lines spreading apart, layer by layer) or per-layer update:weight
 * ratios with the rule-of-thumb band around 1e-3 (CS231n "Neural Networks 3"). Layers are
 * coloured from first (dark) to last (light) on one sequential scale (viridis), so depth reads at a glance
 * however many layers there are.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors } from './colors';

export interface LayerPoint {
  /** Layer label, e.g. 'dense_2'; one line each. */
  layer: string;
  step: number;
  value: number;
}

export interface LayerLinesOptions {
  colors: ChartColors;
  /** Layer labels from input to output (the colour order). */
  layers: readonly string[];
  /** y axis title. */
  label: string;
  /** A shaded band and a dashed reference line inside it (update ratios: [10^-3.5, 10^-2.5] around 1e-3). */
  band?: { lo: number; hi: number; reference: number };
  ariaLabel: string;
  ariaDescription?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 220 };

export function layerLinesChart(points: readonly LayerPoint[], options: LayerLinesOptions): SVGSVGElement | HTMLElement {
  const { width, height, band, layers, colors } = { ...defaults, ...options };
  if (band && !(band.lo > 0 && band.hi > band.lo && band.reference >= band.lo && band.reference <= band.hi)) {
    throw new RangeError(`layerLinesChart: band must satisfy 0 < lo ≤ reference ≤ hi, received ${JSON.stringify(band)}`);
  }
  if (layers.length === 0) throw new RangeError('layerLinesChart: layers must name at least one layer, received none');
  // Zeros and NaN (a frozen step, a bias at its first step) have no place on a log axis.
  const shown = points.filter((p) => p.value > 0 && Number.isFinite(p.value) && layers.includes(p.layer));
  const values = shown.map((p) => p.value);
  const yMin = Math.min(band ? band.lo / 3 : Infinity, ...values);
  const yMax = Math.max(band ? band.hi * 3 : -Infinity, ...values);
  const yDomain: [number, number] = Number.isFinite(yMin) && Number.isFinite(yMax) ? [yMin, Math.max(yMax, yMin * 10)] : [1e-4, 1];
  const steps = shown.map((p) => p.step);
  const xDomain: [number, number] = steps.length > 0 ? [Math.min(...steps), Math.max(Math.max(...steps), Math.min(...steps) + 1)] : [0, 1];
  return asImage(
    Plot.plot({
      width,
      height,
      marginLeft: 52,
      marginBottom: 34,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: { domain: xDomain, label: 'training step', labelAnchor: 'center', labelArrow: 'none', tickFormat: 'd' },
      y: { type: 'log', domain: yDomain, label: options.label, labelArrow: 'none', grid: true, tickFormat: '.0e' },
      color: { type: 'ordinal', domain: layers, scheme: 'viridis' },
      marks: [
        ...(band
          ? [
              Plot.rect([{ x1: xDomain[0], x2: xDomain[1], y1: band.lo, y2: band.hi }], {
                x1: 'x1',
                x2: 'x2',
                y1: 'y1',
                y2: 'y2',
                fill: colors.muted,
                fillOpacity: 0.15,
              }),
              Plot.ruleY([band.reference], { stroke: colors.muted, strokeDasharray: '4,3' }),
            ]
          : []),
        Plot.line(shown, { x: 'step', y: 'value', stroke: 'layer', z: 'layer', strokeWidth: 1.6 }),
      ],
    }),
  );
}

/** The colour each layer gets in `layerLinesChart`, for a legend drawn outside the chart. */
export function layerColors(layers: readonly string[]): string[] {
  if (layers.length === 0) return [];
  return Plot.scale({ color: { type: 'ordinal', domain: layers, scheme: 'viridis' } }).range as string[];
}
