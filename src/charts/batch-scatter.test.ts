// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { batchScatter } from './batch-scatter';
import { fallbackColors } from './colors';

const points = [
  { x: 10, y: 10, batch: 1 },
  { x: 11, y: 9, batch: 1 },
  { x: -8, y: 2, batch: 2 },
];

describe('batchScatter(points, options)', () => {
  it('draws every point, coloured by batch from the theme series', () => {
    const chart = batchScatter(points, { colors: fallbackColors, ariaLabel: 'Batches' });
    const svg = chart.outerHTML;
    expect(svg).toContain(fallbackColors.series[0]);
    expect(svg).toContain(fallbackColors.series[1]);
    expect(svg).not.toContain(fallbackColors.series[2]);
  });

  it('keeps fixed, equal axes so movement towards the origin is visible', () => {
    const near = batchScatter([{ x: 0.5, y: 0.5, batch: 1 }], { colors: fallbackColors, ariaLabel: 'a', extent: 10 });
    const far = batchScatter([{ x: 9, y: 9, batch: 1 }], { colors: fallbackColors, ariaLabel: 'a', extent: 10 });
    const ticks = (c: Element) => [...c.querySelectorAll('text')].map((t) => t.textContent).join(' ');
    expect(ticks(near)).toBe(ticks(far));
    expect(near.getAttribute('width')).toBe(near.getAttribute('height'));
  });

  it('is an image with the accessible name and description it is given', () => {
    const chart = batchScatter(points, { colors: fallbackColors, ariaLabel: 'Batches', ariaDescription: 'Two batches' });
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.getAttribute('aria-label')).toBe('Batches');
    expect(chart.getAttribute('aria-description')).toBe('Two batches');
  });

  it('rejects a bad extent or size', () => {
    expect(() => batchScatter(points, { colors: fallbackColors, ariaLabel: 'a', extent: 0 })).toThrow(
      'batchScatter: extent must be a positive number, received 0',
    );
    expect(() => batchScatter(points, { colors: fallbackColors, ariaLabel: 'a', size: -5 })).toThrow(
      'batchScatter: size must be positive, received -5',
    );
  });
});
