/**
 * One quantity of several runs over training (a weight norm, a share of dead units), measured
 * at the runs' diagnostics frames: one colour per run, x in epochs, a line through the frames.
 * The companion of `compareCurves` when an experiment's question is about something other than
 * accuracy.
 */
import * as Plot from '@observablehq/plot';
import { withKeyboardTips } from './keyboard-tips';
import { asImage, plotStyle, type ChartColors } from './colors';
import { defaultEmptyNote, emptyNote, integerTicks } from './empty';

export interface TraceCurvePoint {
  /** Run label; also the colour key. */
  run: string;
  /** Epochs completed (fractional). */
  epoch: number;
  value: number;
}

export interface TraceCurvesOptions {
  colors: ChartColors;
  /** Run labels in legend order; colours follow `colors.series`. */
  runs: readonly string[];
  /** y axis title, e.g. 'weight norm'. */
  label: string;
  /** Values are shares in [0, 1], shown as percentages. */
  percent: boolean;
  /** The x axis runs from 0 to this many epochs. */
  epochs: number;
  ariaLabel: string;
  ariaDescription?: string;
  emptyNote?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 200 };

export function traceCurves(points: readonly TraceCurvePoint[], options: TraceCurvesOptions): SVGSVGElement | HTMLElement {
  const { width, height, epochs, runs, colors, percent, label } = { ...defaults, ...options };
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new RangeError(`traceCurves: epochs must be an integer ≥ 1, received ${epochs}`);
  if (runs.length === 0 || runs.length > colors.series.length) {
    throw new RangeError(`traceCurves: runs must list 1–${colors.series.length} labels, received ${runs.length}`);
  }
  const finite = points.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.epoch) && runs.includes(p.run));
  const format = percent ? (v: number) => `${(v * 100).toFixed(1)} %` : (v: number) => v.toPrecision(3);
  const tipped = finite.map((p) => ({ ...p, shown: format(p.value) }));
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
        y: {
          label: percent ? `${label} (%)` : label,
          grid: true,
          labelArrow: 'none',
          zero: true,
          nice: true,
          ...(percent ? { percent: true } : {}),
          ...(finite.length === 0 ? { domain: [0, 1] } : {}),
        },
        color: { type: 'ordinal', domain: runs, range: colors.series.slice(0, runs.length) },
        marks: [
          Plot.line(finite, { x: 'epoch', y: 'value', stroke: 'run', z: 'run', strokeWidth: 1.8 }),
          emptyNote(finite.length === 0, options.emptyNote ?? defaultEmptyNote, colors),
          Plot.crosshairX(tipped, { x: 'epoch', y: 'value', color: colors.muted, textStroke: colors.bg }),
          Plot.tip(
            tipped,
            Plot.pointerX({
              fill: colors.bg,
              x: 'epoch',
              y: 'value',
              channels: { run: { value: 'run', label: '' }, value: { value: 'shown', label } },
              format: { x: (v: number) => v.toFixed(2), y: false, run: true, value: true },
            }),
          ),
        ],
      }),
      true,
    ),
  );
}
