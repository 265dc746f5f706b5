import { describe, expect, it } from 'vitest';
import { cssVarColors } from '../charts/colors';
import { histogram } from '../charts/histogram';
import { chartMarkup } from './prerender';

describe('chartMarkup(draw)', () => {
  it('draws a chart in a server-side document and returns its SVG markup, coloured by CSS variables', () => {
    const html = chartMarkup((document) =>
      histogram([1, 2, 2, 3, 5], {
        colors: cssVarColors,
        fill: cssVarColors.x,
        label: 'x',
        domain: [0, 6],
        ariaLabel: 'Five values',
        document,
      }),
    );
    expect(html).toMatch(/^<svg [^>]*role="img"/);
    expect(html).toContain('aria-label="Five values"');
    expect(html).toContain('viewBox="0 0 340 170"');
    expect(html).toContain('fill="var(--color-x, #2b63c6)"');
    expect(html.match(/<rect /g)).toHaveLength(4); // bins holding 1, 2 (twice), 3 and 5 → four bars
  });

  it('runs without a global document (as in the Astro build)', () => {
    expect(typeof globalThis.document).toBe('undefined');
    expect(chartMarkup((document) => document.createElementNS('http://www.w3.org/2000/svg', 'svg'))).toBe('<svg></svg>');
  });
});
