/**
 * Loss or accuracy of one training run (the Training-run widget): the training curve (running
 * means over the current epoch, as Keras prints them — hence the saw-tooth at epoch starts), the
 * validation value after each epoch (dashed, with dots), the test value at the end (a ring), and
 * vertical marks where a setting changed mid-run or the run diverged.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors } from './colors';

export interface TrainingCurvesData {
  /** Live training points: epoch is fractional (step / steps per epoch). */
  train: readonly { epoch: number; value: number }[];
  /** One point per completed epoch. */
  validation: readonly { epoch: number; value: number }[];
  /** Final test value, plotted at the last epoch. */
  test?: { epoch: number; value: number } | null;
  /** Mid-run events: a setting change ("lr 0.01") or the divergence. */
  marks?: readonly { epoch: number; label: string; kind: 'change' | 'diverged' }[];
}

export interface TrainingCurvesOptions {
  colors: ChartColors;
  metric: 'loss' | 'accuracy';
  /** The x axis runs from 0 to this many epochs. */
  epochs: number;
  ariaLabel: string;
  ariaDescription?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 230 };
export const lossCap = 3;

export function trainingCurves(data: TrainingCurvesData, options: TrainingCurvesOptions): SVGSVGElement | HTMLElement {
  const { width, height, epochs, metric, colors } = { ...defaults, ...options };
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new RangeError(`trainingCurves: epochs must be an integer ≥ 1, received ${epochs}`);
  if (metric !== 'loss' && metric !== 'accuracy') throw new RangeError(`trainingCurves: metric must be 'loss' or 'accuracy', received ${String(metric)}`);
  if (!(width > 0 && height > 0)) throw new RangeError(`trainingCurves: width and height must be positive, received ${width}×${height}`);
  const finite = <T extends { value: number }>(points: readonly T[]) => points.filter((p) => Number.isFinite(p.value));
  const train = finite(data.train);
  const validation = finite(data.validation);
  const test = data.test && Number.isFinite(data.test.value) ? [data.test] : [];
  const marks = data.marks ?? [];
  const accuracy = metric === 'accuracy';
  // A diverging loss would squash the curve to a line at zero: the axis stops a little above the
  // chance-level loss ln 10 ≈ 2.3 and larger values are drawn at the top edge.
  const y = accuracy
    ? { label: 'accuracy (%)', grid: true, labelArrow: 'none' as const, percent: true, domain: [0, 100] }
    : { label: 'loss', grid: true, labelArrow: 'none' as const, nice: true, domain: [0, Math.min(lossCap, Math.max(0.5, ...train.map((p) => p.value), ...validation.map((p) => p.value)))], clamp: true };
  return asImage(
    Plot.plot({
      width,
      height,
      marginLeft: 44,
      marginBottom: 34,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: { domain: [0, epochs], label: 'epoch', labelAnchor: 'center', labelArrow: 'none', ticks: Math.min(epochs, 10), tickFormat: 'd' },
      y,
      marks: [
        Plot.ruleX(marks, { x: 'epoch', stroke: (d: { kind: string }) => (d.kind === 'diverged' ? colors.highlight : colors.muted), strokeDasharray: '3,3' }),
        Plot.text(marks, { x: 'epoch', text: 'label', frameAnchor: 'top', dx: 3, textAnchor: 'start', fill: colors.muted, fontSize: 10 }),
        Plot.line(train, { x: 'epoch', y: 'value', stroke: colors.train, strokeWidth: 1.8 }),
        Plot.line(validation, { x: 'epoch', y: 'value', stroke: colors.eval, strokeWidth: 1.8, strokeDasharray: '5,3' }),
        Plot.dot(validation, { x: 'epoch', y: 'value', fill: colors.eval, r: 3 }),
        Plot.dot(test, { x: 'epoch', y: 'value', stroke: colors.fg, r: 5, strokeWidth: 1.5 }),
      ],
    }),
  );
}
