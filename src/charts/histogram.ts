/**
 * A histogram of one batch of values with optional marker rules (e.g. the sample being worked
 * through). The x domain is passed in so two charts (input and output) can share a scale.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors, type ChartTarget } from './colors';

export interface HistogramMarker {
  value: number;
  label: string;
}

export interface HistogramOptions extends ChartTarget {
  colors: ChartColors;
  /** Bar colour (a value from `colors`). */
  fill: string;
  /** Axis label, e.g. "x (input)". */
  label: string;
  domain: [number, number];
  ariaLabel: string;
  ariaDescription?: string;
  markers?: HistogramMarker[];
  bins?: number;
  width?: number;
  height?: number;
}

const defaults = { bins: 24, width: 340, height: 170, markers: [] as HistogramMarker[] };

export function histogram(values: ArrayLike<number>, options: HistogramOptions): SVGSVGElement | HTMLElement {
  const { bins, width, height, markers } = { ...defaults, ...options };
  const [lo, hi] = options.domain;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be a positive integer, received ${bins}`);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new RangeError(`histogram: domain must be two finite numbers [lo, hi] with lo < hi, received [${lo}, ${hi}]`);
  }
  if (!(width > 0 && height > 0)) throw new RangeError(`histogram: width and height must be positive, received ${width}×${height}`);
  const thresholds = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const { colors } = options;
  return asImage(
    Plot.plot({
      document: options.document,
      width,
      height,
      marginLeft: 36,
      marginBottom: 34,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: { domain: [lo, hi], label: options.label, labelAnchor: 'center', labelArrow: 'none' },
      y: { label: 'count', grid: true, labelArrow: 'none' },
      marks: [
        Plot.rectY(
          Array.from(values),
          Plot.binX<Plot.RectYOptions>(
            { y: 'count' },
            { x: (d: number) => d, thresholds, domain: [lo, hi], fill: options.fill, inset: 0.5, className: 'bars' },
          ),
        ),
        Plot.ruleY([0], { stroke: colors.muted }),
        Plot.ruleX(markers, { x: 'value', stroke: colors.highlight, strokeWidth: 2 }),
        Plot.text(markers, {
          x: 'value',
          text: 'label',
          frameAnchor: 'top',
          dy: -2,
          fill: colors.highlight,
          fontWeight: 600,
          lineAnchor: 'bottom',
        }),
      ],
    }),
  );
}
