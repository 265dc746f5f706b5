/**
 * Hover values for keyboard users: a chart with a tip (`data-tips`, set by `withKeyboardTips`)
 * is focusable, and the arrow keys move a virtual pointer along its x axis (Home/End jump to the
 * ends), so Plot's own tip and crosshair show the values there exactly as a mouse would. Leaving
 * the chart (blur, Escape) hides them again.
 */
const steps = 60;
const position = new WeakMap<Element, number>();

/**
 * Marks a chart drawn in the page as keyboard-explorable (and listens for keys on its document,
 * once). Charts drawn at build time stay as they are: without their script the keys do nothing.
 */
export function withKeyboardTips<T extends Element>(chart: T, live = true): T {
  const svg = chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg');
  if (svg && live) {
    svg.setAttribute('tabindex', '0');
    svg.setAttribute('data-tips', '');
    svg.setAttribute('aria-keyshortcuts', 'ArrowLeft ArrowRight Home End Escape');
    installKeyboardTips(chart.ownerDocument);
  }
  return chart;
}

/** The client point a step along the plot's frame corresponds to (the middle of its height). */
function pointAt(svg: SVGSVGElement, fraction: number): { clientX: number; clientY: number } {
  const frame = svg.querySelector('[aria-label="frame"]') ?? svg;
  const box = frame.getBoundingClientRect();
  return {
    clientX: box.left + 1 + fraction * (box.width - 2),
    clientY: box.top + box.height / 2,
  };
}

function move(svg: SVGSVGElement, fraction: number): void {
  position.set(svg, fraction);
  const point = pointAt(svg, fraction);
  svg.dispatchEvent(new PointerEvent('pointerenter', { ...point, pointerType: 'mouse' }));
  svg.dispatchEvent(
    new PointerEvent('pointermove', {
      ...point,
      pointerType: 'mouse',
      bubbles: true,
    }),
  );
}

function leave(svg: SVGSVGElement): void {
  position.delete(svg);
  svg.dispatchEvent(new PointerEvent('pointerleave', { pointerType: 'mouse' }));
}

const installed = new WeakSet<Document>();

function installKeyboardTips(root: Document): void {
  if (installed.has(root)) return;
  installed.add(root);
  root.addEventListener('keydown', (event) => {
    const svg = (event.target as Element | null)?.closest?.('svg[data-tips]') as SVGSVGElement | null;
    if (!svg) return;
    const now = position.get(svg);
    const next: Record<string, number | null> = {
      ArrowRight: Math.min(1, (now ?? -1 / steps) + 1 / steps),
      ArrowLeft: Math.max(0, (now ?? 1 + 1 / steps) - 1 / steps),
      Home: 0,
      End: 1,
      Escape: null,
    };
    if (!(event.key in next)) return;
    event.preventDefault();
    const fraction = next[event.key];
    if (fraction === null) leave(svg);
    else move(svg, fraction);
  });
  root.addEventListener('focusout', (event) => {
    const svg = (event.target as Element | null)?.closest?.('svg[data-tips]') as SVGSVGElement | null;
    if (svg) leave(svg);
  });
}
