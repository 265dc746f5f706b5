/**
 * The update-to-weight ratio ‖Δθ‖ / ‖θ‖ of each parameter tensor over training, on a log axis,
 * with the rule-of-thumb band around 1e-3 (Karpathy, CS231n "Neural Networks 3": much higher
 * and the learning rate is probably too high, much lower and the layer barely learns).
 */
import * as Plot from '@observablehq/plot';
import { withKeyboardTips } from './keyboard-tips';
import { asImage, plotStyle, type ChartColors } from './colors';
import { defaultEmptyNote, emptyNote, integerTicks } from './empty';

export interface RatioPoint {
  /** Parameter label, e.g. 'dense kernel'; also the colour key. */
  param: string;
  step: number;
  ratio: number;
}

export interface UpdateRatioOptions {
  colors: ChartColors;
  /** Parameter labels in legend order (at most `colors.series.length`). */
  params: readonly string[];
  ariaLabel: string;
  ariaDescription?: string;
  /** The shaded reference band; default half a decade either side of 1e-3. */
  band?: [number, number];
  /** Written in the frame while there are no points. */
  emptyNote?: string;
  width?: number;
  height?: number;
}

export const referenceRatio = 1e-3;
const defaults = { width: 420, height: 220, band: [10 ** -3.5, 10 ** -2.5] as [number, number] };

export function updateRatioChart(points: readonly RatioPoint[], options: UpdateRatioOptions): SVGSVGElement | HTMLElement {
  const { width, height, band, params, colors } = { ...defaults, ...options };
  const [lo, hi] = band;
  if (!(lo > 0 && hi > lo && Number.isFinite(hi))) throw new RangeError(`updateRatioChart: band must be [lo, hi] with 0 < lo < hi, received [${lo}, ${hi}]`);
  if (params.length > colors.series.length) {
    throw new RangeError(`updateRatioChart: at most ${colors.series.length} parameters, received ${params.length}`);
  }
  // Ratios of exactly 0 (a frozen step) or NaN (a bias at its first step) have no place on a log axis.
  const shown = points.filter((p) => p.ratio > 0 && Number.isFinite(p.ratio) && params.includes(p.param));
  const values = shown.map((p) => p.ratio);
  const yMin = Math.min(lo / 3, ...values);
  const yMax = Math.max(hi * 3, ...values);
  const steps = shown.map((p) => p.step);
  const xDomain: [number, number] = steps.length > 0 ? [Math.min(...steps), Math.max(Math.max(...steps), Math.min(...steps) + 1)] : [0, 1];
  return asImage(
    withKeyboardTips(
      Plot.plot({
        width,
        height,
        marginLeft: 52,
        marginBottom: 34,
        style: plotStyle(colors),
        ariaLabel: options.ariaLabel,
        ariaDescription: options.ariaDescription,
        x: { domain: xDomain, label: 'training step', labelAnchor: 'center', labelArrow: 'none', tickFormat: 'd', ticks: shown.length === 0 ? [] : integerTicks(xDomain[0], xDomain[1], Math.max(2, Math.round(width / 80))) },
        y: { type: 'log', domain: [yMin, yMax], label: 'update / weight', labelArrow: 'none', grid: true, tickFormat: '.0e' },
        color: { type: 'ordinal', domain: params, range: colors.series.slice(0, Math.max(1, params.length)) },
        marks: [
          Plot.rect([{ x1: xDomain[0], x2: xDomain[1], y1: lo, y2: hi }], { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: colors.muted, fillOpacity: 0.15 }),
          Plot.ruleY([referenceRatio], { stroke: colors.muted, strokeDasharray: '4,3' }),
          Plot.line(shown, { x: 'step', y: 'ratio', stroke: 'param', z: 'param', strokeWidth: 1.6 }),
          emptyNote(shown.length === 0, options.emptyNote ?? defaultEmptyNote, colors),
          Plot.tip(shown, Plot.pointerX({ fill: colors.bg,  x: 'step', y: 'ratio', channels: { param: { value: 'param', label: '' } }, format: { x: true, y: '.2e', param: true } })),
        ],
      }),
      true,
    ),
  );
}
