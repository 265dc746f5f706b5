// @vitest-environment happy-dom
/**
 * Every shared chart before a run: a note in a framed box and no repeated tick labels (the
 * "0 0 0 1 1 1" that d3's fractional ticks gave through a whole-number format).
 */
import { describe, expect, it } from 'vitest';
import { fallbackColors as colors } from './colors';
import { compareCurves } from './compare-curves';
import { heatStrip } from './heat-strip';
import { runningStatsChart } from './running-stats';
import { trainingCurves } from './training-curves';

const tickLabels = (chart: Element) => [...chart.querySelectorAll('g[aria-label$="tick label"] text')].map((t) => t.textContent);

describe('charts before a run', () => {
  const charts: [string, Element][] = [
    ['heatStrip', heatStrip([], { colors, label: 'activation', ariaLabel: 'a' })],
    ['runningStatsChart', runningStatsChart([], { colors, units: [0, 1], label: 'moving mean', ariaLabel: 'a' })],
    ['compareCurves', compareCurves([], { colors, metric: 'loss', runs: ['no BN', 'BN'], epochs: 1, ariaLabel: 'a' })],
    ['trainingCurves', trainingCurves({ train: [], validation: [] }, { colors, metric: 'accuracy', epochs: 1, ariaLabel: 'a' })],
  ];

  it.each(charts)('%s says there is no run yet', (_, chart) => {
    expect(chart.querySelector('g.empty-note')?.textContent).toBe('No run yet: press Start');
  });

  it.each(charts)('%s repeats no tick label on an axis', (_, chart) => {
    for (const axis of chart.querySelectorAll('g[aria-label$="tick label"]')) {
      // Log axes leave minor ticks unlabelled on purpose: only written labels count.
      const labels = [...axis.querySelectorAll('text')].map((t) => t.textContent).filter(Boolean);
      expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
    }
    expect(tickLabels(chart).join(' ')).not.toContain('0 0 0 1 1 1');
  });

  it('the running-statistics chart offers a tip pairing moving and batch values once it has frames', () => {
    const chart = runningStatsChart(
      [
        { step: 1, moving: [0.1], batch: [0.5] },
        { step: 2, moving: [0.2], batch: [0.4] },
      ],
      { colors, units: [0], label: 'moving mean', ariaLabel: 'a' },
    );
    expect(chart.querySelector('g[aria-label="tip"]')).not.toBeNull();
    expect(chart.querySelector('g.empty-note text')).toBeNull();
  });
});
