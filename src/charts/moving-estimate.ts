/**
 * One BN statistic over training steps, for the running-statistics widget: each mini-batch's
 * value as faint dots, the moving estimate (what eval mode uses) as a line, the population value
 * as a dashed reference line, optionally where a biased moving variance settles (dotted, labelled
 * at its end so it explains itself), and a rule at the step the widget compares train and eval
 * outputs. Hovering shows the step and the values there (tip and crosshair), so a reader can find
 * the step where the moving estimate comes within a given distance of the truth.
 */
import * as Plot from '@observablehq/plot';
import { withKeyboardTips } from './keyboard-tips';
import { asImage, plotStyle, type ChartColors, type ChartTarget } from './colors';

export interface EstimatePoint {
  step: number;
  value: number;
}

export interface MovingEstimateData {
  batch: readonly EstimatePoint[];
  moving: readonly EstimatePoint[];
  truth: readonly EstimatePoint[];
  /** A second reference (e.g. (m−1)/m·σ², where a biased moving variance settles); may be empty. */
  expected?: readonly EstimatePoint[];
  /** What the second reference is, written at its right end. */
  expectedLabel?: string;
  /** y domain; dots outside it are clipped (tiny batches scatter far). */
  domain: [number, number];
}

export interface MovingEstimateOptions extends ChartTarget {
  colors: ChartColors;
  /** y axis label, e.g. 'mean'. */
  label: string;
  ariaLabel: string;
  ariaDescription?: string;
  /** Step marked by a vertical rule. */
  marker?: number;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 210 };

export function movingEstimateChart(data: MovingEstimateData, options: MovingEstimateOptions): SVGSVGElement | HTMLElement {
  const { width, height, colors, marker } = { ...defaults, ...options };
  const [lo, hi] = data.domain;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) {
    throw new RangeError(`movingEstimateChart: domain must be two finite numbers [lo, hi] with lo ≤ hi, received [${lo}, ${hi}]`);
  }
  if (data.moving.length === 0) throw new RangeError('movingEstimateChart: moving must hold at least one point, received none');
  if (!(width > 0 && height > 0))
    throw new RangeError(`movingEstimateChart: width and height must be positive, received ${width}×${height}`);
  const pad = (hi - lo || 1) * 0.06;
  const expected = data.expected ?? [];
  const expectedEnd = expected.length > 0 ? [{ ...expected.at(-1)!, label: data.expectedLabel ?? 'expected' }] : [];
  // The tip shows, at the step under the pointer, the moving estimate and how far it is from the truth.
  const truthAt = (step: number) => {
    let value = data.truth[0]?.value ?? Number.NaN;
    for (const p of data.truth) if (p.step <= step) value = p.value;
    return value;
  };
  const tipped = data.moving.map((p) => ({ ...p, truth: truthAt(p.step), off: p.value - truthAt(p.step) }));
  const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');
  return asImage(
    withKeyboardTips(
      Plot.plot({
        document: options.document,
        width,
        height,
        marginLeft: 44,
        marginBottom: 34,
        style: plotStyle(colors),
        ariaLabel: options.ariaLabel,
        ariaDescription: options.ariaDescription,
        x: { label: 'training step', labelAnchor: 'center', labelArrow: 'none', tickFormat: 'd' },
        y: { label: options.label, labelArrow: 'none', grid: true, domain: [lo - pad, hi + pad] },
        marks: [
          Plot.dot(data.batch, { x: 'step', y: 'value', r: 1.5, fill: colors.muted, fillOpacity: 0.4, clip: true, className: 'batch' }),
          Plot.line(data.truth, { x: 'step', y: 'value', stroke: colors.fg, strokeDasharray: '5 4', strokeWidth: 1.5, className: 'truth' }),
          Plot.line(expected, {
            x: 'step',
            y: 'value',
            stroke: colors.muted,
            strokeDasharray: '2 3',
            strokeWidth: 1.5,
            className: 'expected',
          }),
          Plot.text(expectedEnd, {
            x: 'step',
            y: 'value',
            text: 'label',
            textAnchor: 'end',
            dy: 10,
            fill: colors.muted,
            fontSize: 10,
            className: 'expected-label',
          }),
          Plot.line(data.moving, { x: 'step', y: 'value', stroke: colors.eval, strokeWidth: 2, clip: true, className: 'moving' }),
          Plot.ruleX(marker === undefined ? [] : [marker], { stroke: colors.highlight, strokeWidth: 1.5, className: 'marker' }),
          Plot.crosshairX(tipped, { x: 'step', y: 'value', color: colors.muted, textStroke: colors.bg }),
          Plot.tip(
            tipped,
            Plot.pointerX({
              fill: colors.bg,
              x: 'step',
              y: 'value',
              channels: { truth: { value: 'truth', label: 'population' }, off: { value: 'off', label: 'moving − population' } },
              format: { x: true, y: fmt, truth: fmt, off: fmt },
            }),
          ),
        ],
      }),
      !options.document,
    ),
  );
}
