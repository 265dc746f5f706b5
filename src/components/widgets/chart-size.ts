/**
 * Charts sized to their container in the page: `chartSize(container, shape)` measures it (null
 * while it is hidden, so the chart keeps its default size), and `onWidthChange(element, cb)` calls
 * back once per frame when the element's width changed, so widgets redraw at the new width.
 */
import { fitChart, type ChartShape, type ChartSize } from '@charts/size';

export function chartSize(container: HTMLElement, shape: ChartShape): ChartSize | null {
  const width = container.clientWidth;
  return width > 0 ? fitChart(width, shape) : null;
}

export function onWidthChange(element: HTMLElement, callback: () => void): () => void {
  let width = element.clientWidth;
  let frame = 0;
  const observer = new ResizeObserver(() => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (element.clientWidth === width) return;
      width = element.clientWidth;
      callback();
    });
  });
  observer.observe(element);
  return () => {
    observer.disconnect();
    cancelAnimationFrame(frame);
  };
}
