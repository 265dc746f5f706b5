/**
 * Dropout masks over training steps as one picture: one row per step (step 1 at the top), one
 * column per hidden unit; a dropped unit is a dark cell, a kept one is left in the light
 * background. Only the dropped cells are drawn (one rectangle each on top of one background
 * rectangle), so a picture of 32 steps × 128 units at rate 0.5 costs ~2,000 rectangles.
 */
import * as Plot from '@observablehq/plot';
import { asImage, plotStyle, type ChartColors, type ChartTarget } from './colors';

export interface DropoutMasksOptions extends ChartTarget {
  colors: ChartColors;
  ariaLabel: string;
  ariaDescription?: string;
  width?: number;
  height?: number;
}

interface Cell {
  unit: number;
  step: number;
}

const defaults = { width: 640, height: 260 };

/** `masks[t][h]` is 1 when unit h was kept at step t + 1 and 0 when it was dropped; every row has the same length. */
export function dropoutMasks(masks: readonly ArrayLike<number>[], options: DropoutMasksOptions): SVGSVGElement | HTMLElement {
  const { width, height, colors } = { ...defaults, ...options };
  if (masks.length === 0) throw new RangeError('dropoutMasks: masks must hold at least one step, received none');
  const units = masks[0].length;
  if (units === 0 || masks.some((m) => m.length !== units)) {
    throw new RangeError(
      `dropoutMasks: every step must hold the same positive number of units, received ${masks.map((m) => m.length).join(', ')}`,
    );
  }
  if (!(width > 0 && height > 0)) throw new RangeError(`dropoutMasks: width and height must be positive, received ${width}×${height}`);
  const dropped: Cell[] = [];
  masks.forEach((m, t) => {
    for (let h = 0; h < units; h++) if (m[h] === 0) dropped.push({ unit: h, step: t + 1 });
  });
  const steps = masks.length;
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
      x: { domain: [0, units], label: 'hidden unit', labelAnchor: 'center', labelArrow: 'none' },
      y: {
        domain: [steps + 0.5, 0.5],
        label: 'training step',
        labelArrow: 'none',
        ticks: steps <= 16 ? steps : Math.ceil(steps / 4),
        tickFormat: 'd',
      },
      marks: [
        Plot.rect([{}], { x1: 0, x2: units, y1: 0.5, y2: steps + 0.5, fill: colors.y, fillOpacity: 0.25, className: 'kept' }),
        Plot.rect(dropped, {
          x1: 'unit',
          x2: (d: Cell) => d.unit + 1,
          y1: (d: Cell) => d.step - 0.5,
          y2: (d: Cell) => d.step + 0.5,
          fill: colors.fg,
          className: 'dropped',
        }),
        Plot.frame({ stroke: colors.grid }),
      ],
    }),
  );
}
