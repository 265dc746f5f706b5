/**
 * The global gradient norm before clipping over training steps (log axis), with the clipping
 * threshold drawn as a line: points above it were scaled down to it. Lesson 8's clipping chart.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors } from './colors';

export interface GradNormPoint {
  step: number;
  gradNorm: number;
}

export interface GradNormOptions {
  colors: ChartColors;
  /** The clipNorm threshold, or null when clipping is off (no line). */
  threshold: number | null;
  ariaLabel: string;
  ariaDescription?: string;
  width?: number;
  height?: number;
}

const defaults = { width: 420, height: 200 };

export function gradNormChart(points: readonly GradNormPoint[], options: GradNormOptions): SVGSVGElement | HTMLElement {
  const { width, height, threshold, colors } = { ...defaults, ...options };
  if (threshold !== null && !(threshold > 0 && Number.isFinite(threshold))) {
    throw new RangeError(`gradNormChart: threshold must be a positive number or null, received ${threshold}`);
  }
  const shown = points.filter((p) => p.gradNorm > 0 && Number.isFinite(p.gradNorm));
  const values = [...shown.map((p) => p.gradNorm), ...(threshold === null ? [] : [threshold])];
  const yDomain: [number, number] = values.length > 0 ? [Math.min(...values) / 1.5, Math.max(...values) * 1.5] : [0.1, 10];
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
      y: { type: 'log', domain: yDomain, label: '‖g‖ before clipping', labelArrow: 'none', grid: true },
      marks: [
        ...(threshold === null ? [] : [Plot.ruleY([threshold], { stroke: colors.highlight, strokeDasharray: '5,3', strokeWidth: 1.5 })]),
        Plot.line(shown, { x: 'step', y: 'gradNorm', stroke: colors.train, strokeWidth: 1.4 }),
      ],
    }),
  );
}
