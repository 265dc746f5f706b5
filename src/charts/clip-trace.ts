/**
 * The global gradient norm of a run over its training steps before clipping (solid) and after
 * it (dashed), on a log axis, with the global-norm threshold drawn as a rule when the run clips
 * by norm: points above the rule were scaled down onto it. Clipping by value has no threshold on
 * this axis (it limits each component), so there the dashed line alone shows what it did to the
 * length. Lesson 8's clipping trace.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors } from './colors';
import { defaultEmptyNote, emptyNote, integerTicks } from './empty';

export interface ClipTracePoint {
  step: number;
  /** ‖g‖ before clipping. */
  before: number;
  /** ‖g‖ after clipping (the gradient the optimizer used). */
  after: number;
}

export interface ClipTraceOptions {
  colors: ChartColors;
  /** The global-norm threshold, or null (clipping by value, or off): no rule. */
  threshold: number | null;
  ariaLabel: string;
  ariaDescription?: string;
  width?: number;
  height?: number;
  document?: Document;
}

const defaults = { width: 560, height: 240 };

const usable = (v: number) => v > 0 && Number.isFinite(v);

export function clipTraceChart(points: readonly ClipTracePoint[], options: ClipTraceOptions): SVGSVGElement | HTMLElement {
  const { width, height, threshold, colors } = { ...defaults, ...options };
  if (threshold !== null && !usable(threshold))
    throw new RangeError(`clipTraceChart: threshold must be a positive number or null, received ${threshold}`);
  const lines = points.flatMap((p) => [
    ...(usable(p.before) ? [{ step: p.step, value: p.before, which: 'before clipping' }] : []),
    ...(usable(p.after) ? [{ step: p.step, value: p.after, which: 'after clipping' }] : []),
  ]);
  const values = [...lines.map((l) => l.value), ...(threshold === null ? [] : [threshold])];
  const yDomain: [number, number] = values.length > 0 ? [Math.min(...values) / 1.5, Math.max(...values) * 1.5] : [0.1, 10];
  const steps = lines.map((l) => l.step);
  const xDomain: [number, number] = steps.length > 0 ? [Math.min(...steps), Math.max(Math.max(...steps), Math.min(...steps) + 1)] : [0, 1];
  return asImage(
    Plot.plot({
      width,
      height,
      marginLeft: 52,
      marginBottom: 34,
      document: options.document,
      style: plotStyle(colors),
      ariaLabel: options.ariaLabel,
      ariaDescription: options.ariaDescription,
      x: {
        domain: xDomain,
        ticks: lines.length === 0 ? [] : integerTicks(xDomain[0], xDomain[1], Math.max(2, Math.round(width / 80))),
        label: 'training step',
        labelAnchor: 'center',
        labelArrow: 'none',
        tickFormat: 'd',
      },
      y: { type: 'log', domain: yDomain, label: 'global gradient norm ‖g‖', labelArrow: 'none', grid: true },
      marks: [
        emptyNote(lines.length === 0, defaultEmptyNote, colors),
        ...(threshold === null ? [] : [Plot.ruleY([threshold], { stroke: colors.highlight, strokeDasharray: '5,3', strokeWidth: 1.5 })]),
        Plot.line(
          lines.filter((l) => l.which === 'before clipping'),
          { x: 'step', y: 'value', stroke: colors.train, strokeWidth: 1.4 },
        ),
        Plot.line(
          lines.filter((l) => l.which === 'after clipping'),
          { x: 'step', y: 'value', stroke: colors.eval, strokeWidth: 1.4, strokeDasharray: '3,2' },
        ),
      ],
    }),
  );
}
