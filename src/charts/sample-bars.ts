/**
 * One value per sample of a batch as bars (e.g. the gradient dxᵢ), with optional dots for a
 * second estimate of the same values (finite differences) and ticks for a third (the direct path
 * alone). Samples are labelled 1…m on the x axis.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors, type ChartTarget } from './colors';

export interface SampleBarsOptions extends ChartTarget {
  colors: ChartColors;
  /** Bar colour (a value from `colors`). */
  fill: string;
  /** y axis label, e.g. 'dx'. */
  label: string;
  ariaLabel: string;
  ariaDescription?: string;
  /** Same length as the values: drawn as dots over the bars. */
  dots?: ArrayLike<number>;
  /** Same length as the values: drawn as horizontal ticks. */
  ticks?: ArrayLike<number>;
  /** Symmetric y extent (at least); the axis grows to fit every value. */
  extent?: number;
  width?: number;
  height?: number;
}

interface Row {
  sample: string;
  value: number;
}

const defaults = { width: 340, height: 190, extent: 0 };

export function sampleBars(values: ArrayLike<number>, options: SampleBarsOptions): SVGSVGElement | HTMLElement {
  const { width, height, extent, colors } = { ...defaults, ...options };
  const m = values.length;
  if (m === 0) throw new RangeError('sampleBars: values must hold at least one value, received none');
  for (const [name, extra] of [
    ['dots', options.dots],
    ['ticks', options.ticks],
  ] as const) {
    if (extra && extra.length !== m)
      throw new RangeError(`sampleBars: ${name} must hold ${m} values like values, received ${extra.length}`);
  }
  if (!(width > 0 && height > 0)) throw new RangeError(`sampleBars: width and height must be positive, received ${width}×${height}`);
  const rows = (a: ArrayLike<number>): Row[] => Array.from(a, (value, i) => ({ sample: String(i + 1), value }));
  const all = [values, options.dots ?? [], options.ticks ?? []].flatMap((a) => Array.from(a, Math.abs));
  const top = Math.max(extent, ...all) * 1.1 || 1;
  return asImage(
    Plot.plot({
      document: options.document,
      width,
      height,
      marginLeft: 44,
      marginBottom: 34,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: { label: 'sample i', labelAnchor: 'center', labelArrow: 'none', domain: rows(values).map((r) => r.sample), padding: 0.25 },
      y: { label: options.label, labelArrow: 'none', grid: true, domain: [-top, top] },
      marks: [
        Plot.barY(rows(values), { x: 'sample', y: 'value', fill: options.fill, className: 'bars' }),
        Plot.ruleY([0], { stroke: colors.muted }),
        Plot.tickY(options.ticks ? rows(options.ticks) : [], {
          x: 'sample',
          y: 'value',
          stroke: colors.muted,
          strokeWidth: 2,
          strokeDasharray: '3 2',
          className: 'ticks',
        }),
        Plot.dot(options.dots ? rows(options.dots) : [], { x: 'sample', y: 'value', r: 3.5, fill: colors.highlight, className: 'dots' }),
      ],
    }),
  );
}
