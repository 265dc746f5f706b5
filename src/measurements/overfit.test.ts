/**
 * The overfitting run's module: its derived numbers are the means and differences of its runs.
 */
import { describe, expect, test } from 'vitest';
import { fixed, pct, points, type Measured } from './measured';
import { dropoutGain, l2TestChange, reference, seed1, seeds, threeSeeds, type Arm, type Run } from './overfit';

const average = (xs: readonly Measured[]) => xs.reduce((s, x) => s + x.value, 0) / xs.length;
const columns: (keyof Run)[] = ['trainAccuracy', 'valAccuracy', 'valLoss', 'test'];

describe('the overfitting module', () => {
  test.each(columns)('the three-seed means of %s are the means of the three runs, without and with dropout', (column) => {
    for (const arm of ['adam', 'dropout'] as const satisfies Arm[]) {
      expect(threeSeeds[column][arm].value).toBeCloseTo(average(seeds[arm].map((r) => r[column])), 12);
      expect(threeSeeds[column][arm].by).toBe('engine-wasm');
    }
  });

  test('the spreads, gains and changes are differences of its runs', () => {
    for (const arm of ['adam', 'l2'] as const) {
      const tests = seeds[arm].map((r) => r.test.value);
      expect(threeSeeds.testSpread[arm].value).toBeCloseTo(Math.max(...tests) - Math.min(...tests), 12);
    }
    expect(dropoutGain.seed1Val.value).toBeCloseTo(seeds.dropout[0].valAccuracy.value - seeds.adam[0].valAccuracy.value, 12);
    expect(dropoutGain.valAccuracy.value).toBeCloseTo(
      average(seeds.dropout.map((r) => r.valAccuracy)) - average(seeds.adam.map((r) => r.valAccuracy)),
      12,
    );
    expect(dropoutGain.test.value).toBeCloseTo(average(seeds.dropout.map((r) => r.test)) - average(seeds.adam.map((r) => r.test)), 12);
    expect(l2TestChange.value).toBeCloseTo(seeds.l2[0].test.value - seeds.adam[0].test.value, 12);
    expect(reference.l2TestChange.value).toBeCloseTo(reference.test.l2.value - reference.test.adam.value, 12);
    expect(reference.dropoutGain.value).toBeCloseTo(reference.test.dropout.value - reference.test.adam.value, 12);
  });

  test('seed 1 is the first of the three seeds, so lesson 6’s Adam row is lesson 7’s no-dropout row', () => {
    expect(seed1.adam).toMatchObject(seeds.adam[0]);
    expect(seed1.l2).toMatchObject(seeds.l2[0]);
    expect(seed1.dropout).toBe(seeds.dropout[0]);
  });

  test('lesson 7’s means and gains print as its table and prose have printed them since it was written', () => {
    expect([threeSeeds.trainAccuracy, threeSeeds.valAccuracy, threeSeeds.test].map((m) => `${pct(m.adam)} ${pct(m.dropout)}`)).toEqual([
      '100.00 % 99.13 %',
      '92.52 % 92.98 %',
      '91.01 % 91.74 %',
    ]);
    expect(`${fixed(threeSeeds.valLoss.adam, 3)} ${fixed(threeSeeds.valLoss.dropout, 3)}`).toBe('0.320 0.268');
    // 0.47, not the 0.46 the lesson printed before: that was 92.98 − 92.52, the difference of the rounded means.
    expect([dropoutGain.seed1Val, dropoutGain.valAccuracy, dropoutGain.test].map((d) => points(d))).toEqual(['0.37', '0.47', '0.73']);
  });
});
