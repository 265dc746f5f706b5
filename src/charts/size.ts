/**
 * How big a chart is drawn: as wide as its container (measured by the widget), with a height that
 * follows the width within limits, so charts grow where the page has room and stay legible on a
 * phone. Build-time charts use each chart function's default size instead.
 */
export interface ChartShape {
  /** height = width × aspect, before the limits. */
  aspect: number;
  minHeight: number;
  maxHeight: number;
}

export interface ChartSize {
  width: number;
  height: number;
}

/** Narrower than this, a chart's tick labels collide; the container scrolls instead. */
export const minChartWidth = 240;
/** Widths are rounded down to this step so a resize redraws only when it shows. */
const widthStep = 8;

export const chartShapes = {
  /** Histograms and bar charts side by side. */
  compact: { aspect: 0.5, minHeight: 160, maxHeight: 260 },
  /** Curves over time, read along the x axis. */
  wide: { aspect: 0.5, minHeight: 200, maxHeight: 340 },
} as const satisfies Record<string, ChartShape>;

export function fitChart(containerWidth: number, shape: ChartShape): ChartSize {
  if (!(Number.isFinite(containerWidth) && containerWidth >= 0))
    throw new RangeError(`fitChart: containerWidth must be a finite number ≥ 0, received ${containerWidth}`);
  if (!(shape.aspect > 0 && shape.minHeight > 0 && shape.maxHeight >= shape.minHeight)) {
    throw new RangeError(`fitChart: shape needs aspect > 0 and 0 < minHeight ≤ maxHeight, received ${JSON.stringify(shape)}`);
  }
  const width = Math.max(minChartWidth, Math.floor(containerWidth / widthStep) * widthStep);
  const height = Math.round(Math.min(shape.maxHeight, Math.max(shape.minHeight, width * shape.aspect)));
  return { width, height };
}
