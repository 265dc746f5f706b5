// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { explosionLabel, mergeMarks, trainingCurves, type TrainingCurvesData } from './training-curves';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

/** The y-axis tick labels (Plot draws them right-aligned, left of the frame). */
const yTicks = (svg: Element) => [...svg.querySelectorAll('g[text-anchor="end"] text')].map((t) => t.textContent ?? '');

const data: TrainingCurvesData = {
  train: [
    { epoch: 0.25, value: 1.9 },
    { epoch: 0.5, value: 1.2 },
    { epoch: 1, value: 0.6 },
    { epoch: 1.5, value: NaN },
  ],
  validation: [{ epoch: 1, value: 0.4 }],
  test: { epoch: 1, value: 0.42 },
  marks: [{ epoch: 0.5, label: 'lr 0.01', kind: 'change' }],
};

describe('trainingCurves(data, options)', () => {
  test('draws the training line, the dashed validation line with dots, the test ring and mid-run marks', () => {
    const chart = trainingCurves(data, { colors, metric: 'loss', epochs: 2, ariaLabel: 'Loss per epoch', ariaDescription: 'falls to 0.4' });
    const svg = svgOf(chart);
    expect(chart.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Loss per epoch');
    expect(svg.querySelectorAll(`g[fill="none"][stroke="${colors.train}"] path`)).toHaveLength(1);
    expect(svg.querySelector(`g[fill="none"][stroke="${colors.eval}"]`)?.getAttribute('stroke-dasharray')).toBe('5,3');
    expect(svg.querySelectorAll(`g[fill="${colors.eval}"] circle`)).toHaveLength(1); // NaN points are left out
    expect(svg.querySelectorAll(`g[stroke="${colors.fg}"] circle`)).toHaveLength(1); // the test ring
    expect(svg.querySelector('g[stroke-dasharray="3,3"] line')?.getAttribute('stroke')).toBe(colors.muted);
    expect(svg.textContent).toContain('lr 0.01');
  });

  test('keeps the loss axis readable when a run diverges: values above the cap sit at the top', () => {
    const diverging = {
      train: [
        { epoch: 0.1, value: 2 },
        { epoch: 0.2, value: 5000 },
      ],
      validation: [],
      marks: [{ epoch: 0.2, label: 'diverged', kind: 'diverged' as const }],
    };
    const svg = svgOf(trainingCurves(diverging, { colors, metric: 'loss', epochs: 1, ariaLabel: 'Loss' }));
    expect(Math.max(...yTicks(svg).map(Number))).toBeLessThanOrEqual(3);
    expect(svg.querySelector('g[stroke-dasharray="3,3"] line')?.getAttribute('stroke')).toBe(colors.highlight);
  });

  test('shows accuracy in percent on a fixed 0–100 % axis', () => {
    const svg = svgOf(
      trainingCurves(
        { train: [{ epoch: 0.5, value: 0.5 }], validation: [] },
        { colors, metric: 'accuracy', epochs: 1, ariaLabel: 'Accuracy' },
      ),
    );
    const ticks = yTicks(svg);
    expect(ticks[0]).toBe('0');
    expect(ticks.at(-1)).toBe('100');
  });

  test('rejects a bad epoch count, metric or size with the value received', () => {
    expect(() => trainingCurves(data, { colors, metric: 'loss', epochs: 1.5, ariaLabel: 'x' })).toThrow(
      'trainingCurves: epochs must be an integer ≥ 1, received 1.5',
    );
    expect(() => trainingCurves(data, { colors, metric: 'error' as 'loss', epochs: 1, ariaLabel: 'x' })).toThrow('received error');
    expect(() => trainingCurves(data, { colors, metric: 'loss', epochs: 1, ariaLabel: 'x', width: 0 })).toThrow('received 0×230');
  });

  test('before any run, draws the axes with a note in the frame instead of a blank box', () => {
    const svg = svgOf(trainingCurves({ train: [], validation: [] }, { colors, metric: 'loss', epochs: 5, ariaLabel: 'Loss' }));
    expect(svg.textContent).toContain('No run yet: press Start');
    expect(yTicks(svg)).not.toContain('1.0'); // Plot's default 0–1 axes are not shown twice
    const withData = svgOf(trainingCurves(data, { colors, metric: 'loss', epochs: 2, ariaLabel: 'Loss' }));
    expect(withData.textContent).not.toContain('No run yet');
  });

  test('draws the explosion of a diverged run at the top edge with the loss that stopped it, even with no progress points', () => {
    const svg = svgOf(
      trainingCurves(
        {
          train: [],
          validation: [],
          explosion: { epoch: 0.01, value: Number.POSITIVE_INFINITY },
          marks: [{ epoch: 0.01, label: 'diverged at step 3', kind: 'diverged' }],
        },
        { colors, metric: 'loss', epochs: 1, ariaLabel: 'Loss' },
      ),
    );
    expect(svg.querySelectorAll('g.explosion path, g.explosion text').length).toBeGreaterThan(0);
    expect(svg.textContent).toContain('loss ∞');
    expect(svg.textContent).not.toContain('No run yet');
    expect(explosionLabel(Number.NaN)).toBe('loss NaN');
    expect(explosionLabel(123456)).toBe('loss 1.2e+5');
  });

  test('merges changes that land on the same (or a nearby) step into one mark and one label', () => {
    const marks = mergeMarks(
      [
        { epoch: 0.5, label: 'lr 0.01', kind: 'change' },
        { epoch: 0.5, label: 'dropout 0.3', kind: 'change' },
        { epoch: 0.51, label: 'clip 1', kind: 'change' },
        { epoch: 1.5, label: 'lr 0.1', kind: 'change' },
      ],
      2,
    );
    expect(marks).toEqual([
      { epoch: 0.5, label: 'lr 0.01; dropout 0.3; clip 1', kind: 'change' },
      { epoch: 1.5, label: 'lr 0.1', kind: 'change' },
    ]);
    const svg = svgOf(trainingCurves({ ...data, marks }, { colors, metric: 'loss', epochs: 2, ariaLabel: 'Loss' }));
    expect(svg.querySelectorAll('g[stroke-dasharray="3,3"] line')).toHaveLength(2);
  });

  test('overlays saved runs in series colours and offers hover tips and a crosshair', () => {
    const overlays = [
      {
        label: 'saved run',
        train: [
          { epoch: 0.5, value: 1.5 },
          { epoch: 1, value: 0.8 },
        ],
        validation: [{ epoch: 1, value: 0.7 }],
      },
    ];
    const svg = svgOf(trainingCurves({ ...data, overlays }, { colors, metric: 'loss', epochs: 2, ariaLabel: 'Loss' }));
    expect(svg.querySelectorAll('g.overlay path').length).toBeGreaterThanOrEqual(1);
    expect(svg.querySelector(`g.overlay[stroke="${colors.series[2]}"]`)).not.toBeNull();
    expect(svg.querySelector('g[aria-label="tip"]')).not.toBeNull();
  });
});
