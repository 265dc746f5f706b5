/**
 * Loss or accuracy of several runs on one set of axes (the BN-vs-none comparison): one colour per
 * run, solid lines for training (running means, live between epoch ends), dashed lines with dots
 * for validation (measured once per epoch). x is in epochs, so a live point at 1.5 sits halfway
 * through the second epoch.
 */
import * as Plot from '@observablehq/plot';
import { withKeyboardTips } from './keyboard-tips';
import { asImage, plotStyle, type ChartColors } from './colors';
import { defaultEmptyNote, emptyNote, integerTicks } from './empty';

export type CurveSplit = 'train' | 'validation';

export interface CurvePoint {
  /** Run label, e.g. 'no BN' or 'BN'; also the colour key. */
  run: string;
  split: CurveSplit;
  /** Epochs completed (fractional while an epoch is running). */
  epoch: number;
  value: number;
}

export interface CompareCurvesOptions {
  colors: ChartColors;
  metric: 'loss' | 'accuracy';
  /** Run labels in legend order; colours follow `colors.series`. */
  runs: readonly string[];
  ariaLabel: string;
  ariaDescription?: string;
  /** The x axis runs from 0 to this many epochs. */
  epochs: number;
  /** Written in the frame while there are no points. */
  emptyNote?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 230 };

export function compareCurves(points: readonly CurvePoint[], options: CompareCurvesOptions): SVGSVGElement | HTMLElement {
  const { width, height, epochs, metric, runs, colors } = { ...defaults, ...options };
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new RangeError(`compareCurves: epochs must be an integer ≥ 1, received ${epochs}`);
  if (metric !== 'loss' && metric !== 'accuracy')
    throw new RangeError(`compareCurves: metric must be 'loss' or 'accuracy', received ${String(metric)}`);
  if (runs.length === 0 || runs.length > colors.series.length) {
    throw new RangeError(`compareCurves: runs must list 1–${colors.series.length} labels, received ${runs.length}`);
  }
  const finite = points.filter((p) => Number.isFinite(p.value) && runs.includes(p.run));
  const train = finite.filter((p) => p.split === 'train');
  const validation = finite.filter((p) => p.split === 'validation');
  const accuracy = metric === 'accuracy';
  const format = accuracy ? (v: number) => `${(v * 100).toFixed(2)} %` : (v: number) => v.toFixed(3);
  const tipped = finite.map((p) => ({
    ...p,
    shown: format(p.value),
    series: `${p.run}, ${p.split === 'train' ? 'training' : 'validation'}`,
  }));
  return asImage(
    withKeyboardTips(
      Plot.plot({
        width,
        height,
        marginLeft: 44,
        marginBottom: 34,
        style: plotStyle(colors),
        ariaLabel: options.ariaLabel,
        ariaDescription: options.ariaDescription,
        x: {
          domain: [0, epochs],
          label: 'epoch',
          labelAnchor: 'center',
          labelArrow: 'none',
          ticks: integerTicks(0, epochs, 10),
          tickFormat: 'd',
        },
        y: accuracy
          ? {
              label: 'accuracy (%)',
              grid: true,
              labelArrow: 'none',
              percent: true,
              nice: true,
              ...(finite.length === 0 ? { domain: [0, 100] } : {}),
            }
          : { label: 'loss', grid: true, labelArrow: 'none', nice: true, zero: true, ...(finite.length === 0 ? { domain: [0, 2.5] } : {}) },
        color: { type: 'ordinal', domain: runs, range: colors.series.slice(0, runs.length) },
        marks: [
          Plot.line(train, { x: 'epoch', y: 'value', stroke: 'run', z: 'run', strokeWidth: 1.8 }),
          Plot.line(validation, { x: 'epoch', y: 'value', stroke: 'run', z: 'run', strokeWidth: 1.8, strokeDasharray: '5,3' }),
          Plot.dot(validation, { x: 'epoch', y: 'value', stroke: 'run', r: 3, strokeWidth: 1.5 }),
          emptyNote(finite.length === 0, options.emptyNote ?? defaultEmptyNote, colors),
          Plot.crosshairX(tipped, { x: 'epoch', y: 'value', color: colors.muted, textStroke: colors.bg }),
          Plot.tip(
            tipped,
            Plot.pointerX({
              fill: colors.bg,
              x: 'epoch',
              y: 'value',
              channels: { series: { value: 'series', label: '' }, value: { value: 'shown', label: metric } },
              format: { x: (v: number) => v.toFixed(2), y: false, series: true, value: true },
            }),
          ),
        ],
      }),
      true,
    ),
  );
}
