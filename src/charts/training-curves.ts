/**
 * Loss or accuracy of one training run (the Training-run widget): the training curve (running
 * means over the current epoch, as Keras prints them — hence the saw-tooth at epoch starts), the
 * validation value after each epoch (dashed, with dots), the test value at the end (a ring),
 * vertical marks where settings changed mid-run or the run diverged (changes close together share
 * one mark), the divergence itself (the last loss, drawn at the top edge with its value), and
 * saved runs overlaid in the series colours for comparison. Hovering shows the values under the
 * pointer (Plot's tip and crosshair). Before any run the axes are drawn with a note in the frame.
 */
import * as Plot from '@observablehq/plot';
import { withKeyboardTips } from './keyboard-tips';
import { asImage, plotStyle, type ChartColors } from './colors';
import { defaultEmptyNote, emptyNote, integerTicks } from './empty';

export interface CurvePoint {
  epoch: number;
  value: number;
}

export interface TrainingCurvesData {
  /** Live training points: epoch is fractional (step / steps per epoch). */
  train: readonly CurvePoint[];
  /** One point per completed epoch. */
  validation: readonly CurvePoint[];
  /** Final test value, plotted at the last epoch. */
  test?: CurvePoint | null;
  /** Mid-run events: a setting change ("lr 0.01") or the divergence. */
  marks?: readonly { epoch: number; label: string; kind: 'change' | 'diverged' }[];
  /** Where a run diverged and the (non-finite or huge) loss that stopped it. */
  explosion?: CurvePoint | null;
  /** Other runs drawn for comparison: their training curve (thin) and validation points. */
  overlays?: readonly { label: string; train: readonly CurvePoint[]; validation: readonly CurvePoint[] }[];
}

export interface TrainingCurvesOptions {
  colors: ChartColors;
  metric: 'loss' | 'accuracy';
  /** The x axis runs from 0 to this many epochs. */
  epochs: number;
  ariaLabel: string;
  ariaDescription?: string;
  /** Written inside the empty frame when there is nothing to plot yet. */
  emptyNote?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 230, emptyNote: defaultEmptyNote };
export const lossCap = 3;
/** Marks closer than this fraction of the x axis share one line and one label. */
const markMergeFraction = 0.03;

type Mark = NonNullable<TrainingCurvesData['marks']>[number];

/** Marks at (nearly) the same step merged into one, labels joined: several changes never overprint. */
export function mergeMarks(marks: readonly Mark[], epochs: number): Mark[] {
  const sorted = [...marks].sort((a, b) => a.epoch - b.epoch);
  const merged: Mark[] = [];
  for (const m of sorted) {
    const last = merged.at(-1);
    if (last && m.epoch - last.epoch <= epochs * markMergeFraction) {
      merged[merged.length - 1] = {
        epoch: last.epoch,
        label: `${last.label}; ${m.label}`,
        kind: last.kind === 'diverged' || m.kind === 'diverged' ? 'diverged' : 'change',
      };
    } else merged.push(m);
  }
  return merged;
}

/** How a loss that stopped a run reads on the chart: "NaN", "∞" or "1.2e+5". */
export function explosionLabel(value: number): string {
  if (Number.isNaN(value)) return 'loss NaN';
  if (!Number.isFinite(value)) return 'loss ∞';
  return `loss ${value.toExponential(1)}`;
}

export function trainingCurves(data: TrainingCurvesData, options: TrainingCurvesOptions): SVGSVGElement | HTMLElement {
  const { width, height, epochs, metric, colors } = { ...defaults, ...options };
  const note = options.emptyNote ?? defaults.emptyNote;
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new RangeError(`trainingCurves: epochs must be an integer ≥ 1, received ${epochs}`);
  if (metric !== 'loss' && metric !== 'accuracy')
    throw new RangeError(`trainingCurves: metric must be 'loss' or 'accuracy', received ${String(metric)}`);
  if (!(width > 0 && height > 0)) throw new RangeError(`trainingCurves: width and height must be positive, received ${width}×${height}`);
  const finite = <T extends { value: number }>(points: readonly T[]) => points.filter((p) => Number.isFinite(p.value));
  const train = finite(data.train);
  const validation = finite(data.validation);
  const test = data.test && Number.isFinite(data.test.value) ? [data.test] : [];
  const marks = mergeMarks(data.marks ?? [], epochs);
  const overlays = (data.overlays ?? []).map((o, i) => ({
    ...o,
    train: finite(o.train),
    validation: finite(o.validation),
    color: colors.series[(i + 2) % colors.series.length],
  }));
  const accuracy = metric === 'accuracy';
  const explosion =
    !accuracy && data.explosion ? [{ epoch: data.explosion.epoch, value: lossCap, label: explosionLabel(data.explosion.value) }] : [];
  const empty = train.length + validation.length + explosion.length + overlays.reduce((n, o) => n + o.train.length, 0) === 0;
  // A diverging loss would squash the curve to a line at zero: the axis stops a little above the
  // chance-level loss ln 10 ≈ 2.3 and larger values are drawn at the top edge.
  const seen = [...train, ...validation, ...overlays.flatMap((o) => [...o.train, ...o.validation])].map((p) => p.value);
  const top = explosion.length > 0 ? lossCap : Math.min(lossCap, Math.max(0.5, ...seen));
  const y = accuracy
    ? { label: 'accuracy (%)', grid: true, labelArrow: 'none' as const, percent: true, domain: [0, 100] }
    : { label: 'loss', grid: true, labelArrow: 'none' as const, nice: true, domain: [0, top], clamp: true };
  const format = accuracy ? (v: number) => `${(v * 100).toFixed(2)} %` : (v: number) => v.toFixed(3);
  // What the pointer can land on: every drawn point, named by its series.
  const tipped = [
    ...train.map((p) => ({ ...p, series: 'training (running mean)' })),
    ...validation.map((p) => ({ ...p, series: 'validation' })),
    ...test.map((p) => ({ ...p, series: 'test' })),
    ...overlays.flatMap((o) => [
      ...o.train.map((p) => ({ ...p, series: `${o.label}, training` })),
      ...o.validation.map((p) => ({ ...p, series: `${o.label}, validation` })),
    ]),
  ].map((p) => ({ ...p, shown: format(p.value) }));
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
        y,
        marks: [
          Plot.frame({ stroke: colors.grid }),
          emptyNote(empty, note, colors),
          Plot.ruleX(marks, {
            x: 'epoch',
            stroke: (d: Mark) => (d.kind === 'diverged' ? colors.highlight : colors.muted),
            strokeDasharray: '3,3',
          }),
          Plot.text(marks, {
            x: 'epoch',
            text: 'label',
            frameAnchor: 'top',
            dx: 3,
            dy: 2,
            textAnchor: 'start',
            fill: colors.muted,
            fontSize: 10,
            lineWidth: 14,
            className: 'change-label',
          }),
          ...overlays.flatMap((o) => [
            Plot.line(o.train, { x: 'epoch', y: 'value', stroke: o.color, strokeWidth: 1.2, strokeOpacity: 0.85, className: 'overlay' }),
            Plot.dot(o.validation, { x: 'epoch', y: 'value', stroke: o.color, r: 3, className: 'overlay' }),
          ]),
          Plot.line(train, { x: 'epoch', y: 'value', stroke: colors.train, strokeWidth: 1.8 }),
          Plot.line(explosion.length > 0 && train.length > 0 ? [train.at(-1)!, explosion[0]] : [], {
            x: 'epoch',
            y: 'value',
            stroke: colors.highlight,
            strokeWidth: 1.8,
            strokeDasharray: '2,2',
            className: 'explosion',
          }),
          Plot.dot(explosion, { x: 'epoch', y: 'value', fill: colors.highlight, r: 4, symbol: 'triangle', className: 'explosion' }),
          Plot.text(explosion, {
            x: 'epoch',
            y: 'value',
            text: 'label',
            dy: 12,
            textAnchor: 'end',
            dx: -4,
            fill: colors.highlight,
            fontWeight: 600,
            className: 'explosion',
          }),
          Plot.line(validation, { x: 'epoch', y: 'value', stroke: colors.eval, strokeWidth: 1.8, strokeDasharray: '5,3' }),
          Plot.dot(validation, { x: 'epoch', y: 'value', fill: colors.eval, r: 3 }),
          Plot.dot(test, { x: 'epoch', y: 'value', stroke: colors.fg, r: 5, strokeWidth: 1.5 }),
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
