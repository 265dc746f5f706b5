/**
 * Chart colours come from the CSS custom properties in src/styles/global.css, so dark mode (and
 * print) restyle charts like everything else. Chart functions take a `ChartColors` value; widgets
 * read it with `readChartColors()` on every theme change.
 */
export interface ChartColors {
  /** The page background (hover tips are filled with it). */
  bg: string;
  fg: string;
  muted: string;
  grid: string;
  x: string;
  xhat: string;
  y: string;
  highlight: string;
  train: string;
  eval: string;
  series: string[];
}

/** The light theme's values, used where a variable is missing (e.g. in unit tests). */
export const fallbackColors: ChartColors = {
  bg: '#fdfdfc',
  fg: '#1b1e23',
  muted: '#545c69',
  grid: '#e3e6eb',
  x: '#2b63c6',
  xhat: '#b8520f',
  y: '#12805c',
  highlight: '#c0265e',
  train: '#2b63c6',
  eval: '#b8520f',
  series: ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#8c6d00', '#56b4e9'],
};

/**
 * The same colours as references to the CSS custom properties (with the light values as
 * fallbacks), for charts drawn at build time: the browser resolves them against the page's theme,
 * so a pre-rendered chart follows dark mode without any script.
 */
export const cssVarColors: ChartColors = {
  ...(Object.fromEntries(
    (['bg', 'fg', 'muted', 'grid', 'x', 'xhat', 'y', 'highlight', 'train', 'eval'] as const).map((name) => [
      name,
      `var(--color-${name}, ${fallbackColors[name]})`,
    ]),
  ) as Omit<ChartColors, 'series'>),
  series: fallbackColors.series.map((fallback, i) => `var(--color-series-${i + 1}, ${fallback})`),
};

/** Where a chart is built: the page's document by default, a server-side one at build time. */
export interface ChartTarget {
  document?: Document;
}

export function readChartColors(element: Element = document.documentElement): ChartColors {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(`--color-${name}`).trim() || fallback;
  return {
    bg: read('bg', fallbackColors.bg),
    fg: read('fg', fallbackColors.fg),
    muted: read('muted', fallbackColors.muted),
    grid: read('grid', fallbackColors.grid),
    x: read('x', fallbackColors.x),
    xhat: read('xhat', fallbackColors.xhat),
    y: read('y', fallbackColors.y),
    highlight: read('highlight', fallbackColors.highlight),
    train: read('train', fallbackColors.train),
    eval: read('eval', fallbackColors.eval),
    series: fallbackColors.series.map((fallback, i) => read(`series-${i + 1}`, fallback)),
  };
}

/** Plot's root style: transparent background (the page shows through), text in the theme colour. */
export function plotStyle(colors: ChartColors): Partial<CSSStyleDeclaration> {
  return { background: 'transparent', color: colors.fg, fontSize: '12px', overflow: 'visible' };
}

/**
 * Charts are images to assistive technology: one name and description on the root, not every tick
 * label. Plot labels its inner groups (`<g aria-label="line">`); ARIA prohibits a label on an
 * element without a role, so they get `role="group"` (inside an image, assistive technology
 * ignores them either way, and tests can still find marks by those labels).
 */
export function asImage<T extends Element>(chart: T): T {
  chart.setAttribute('role', 'img');
  for (const inner of chart.querySelectorAll('[aria-label]:not([role])')) inner.setAttribute('role', 'group');
  return chart;
}
