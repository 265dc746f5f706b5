import { describe, expect, test } from 'vitest';
import { expandPlan } from '../plan';
import { decayCurve, decayStrengths, decideDecayCurve, formatStrength, meansByStrength } from './decay-curve';
import { result, run } from './testing';

/** One run at λ with seed `seed`: validation accuracy, validation loss and the final ‖W‖. */
const at = (lambda: number, seed: number, accuracy: number, loss: number, norm: number) => ({
  ...run('l2', 15, norm, result(accuracy, 1, loss)),
  key: `λ ${lambda} · seed ${seed}`,
  position: lambda,
  seed,
});

/** Two seeds per λ with the numbers the CLI measured at these settings (npm run train -- --train-limit 2000 --epochs 40 --dropout 0 --l2 λ). */
const measured = [
  [0.00001, 0.9265, 0.312, 24],
  [0.0001, 0.9229, 0.289, 20],
  [0.001, 0.9215, 0.265, 11],
  [0.003, 0.9193, 0.276, 8],
  [0.01, 0.9081, 0.37, 5],
  [0.1, 0.7063, 1.283, 1.5],
] as const;
const runsOf = (rows: readonly (readonly [number, number, number, number])[]) =>
  rows.flatMap(([l, a, loss, n]) => [at(l, 1, a + 0.001, loss + 0.002, n), at(l, 2, a - 0.001, loss - 0.002, n)]);

describe('decay-curve: the plan, meansByStrength and decideDecayCurve', () => {
  test('the plan sweeps L2 over six strengths with two seeds each, on the overfitting setup', () => {
    const entries = expandPlan(decayCurve.plan);
    expect(entries).toHaveLength(12);
    expect(entries.map((e) => e.config.l2)).toEqual(decayStrengths.flatMap((l) => [l, l]));
    for (const e of entries) expect(e.config).toMatchObject({ trainLimit: 2000, epochs: 40, dropout: 0, optimizer: 'adam' });
    expect(entries[0].key).toBe('λ 1e−5 · Adam + L2 · seed 1');
    expect(formatStrength(0.003)).toBe('0.003');
  });

  test('meansByStrength averages the seeds at each λ in axis order', () => {
    const m = meansByStrength(runsOf(measured));
    expect(m.map((p) => p.lambda)).toEqual([...decayStrengths]);
    expect(m[2]).toEqual({ lambda: 0.001, loss: expect.closeTo(0.265, 9), accuracy: expect.closeTo(0.9215, 9), norm: 11, seeds: 2 });
  });

  test('holds only when read in loss: the U is in validation loss, accuracy is best with the least decay', () => {
    const v = decideDecayCurve(runsOf(measured));
    expect(v.outcome).toBe('holds only when');
    expect(v.condition).toContain('validation loss');
    expect(v.reason).toContain('Means over 2 seeds — λ 1e−5: validation loss 0.312, validation 92.65 %, ‖W‖ 24.0');
    expect(v.reason).toContain('validation loss is lowest at λ 0.001 (0.265, against 0.312 with the least decay and 1.283 with the most)');
    expect(v.reason).toContain('the best mean is at λ 1e−5');
  });

  test('holds when accuracy also peaks inside by half a point; not when the loss minimum is at an end or under 5 % below it', () => {
    const peak = measured.map((r) => (r[0] === 0.001 ? ([r[0], 0.933, r[2], r[3]] as const) : r));
    expect(decideDecayCurve(runsOf(peak)).outcome).toBe('holds');
    // The loss falls all the way to the largest λ: no U.
    const falling = measured.map(([l, a, , n], i) => [l, a, 0.5 - i * 0.05, n] as const);
    expect(decideDecayCurve(runsOf(falling)).outcome).toBe('does not hold here');
    // The dip is under 5 % below the least decay: inside the rule's margin.
    const dip: Record<number, number> = { 0.0001: 0.3, 0.001: 0.298, 0.003: 0.301 };
    const shallow = measured.map((r) => (r[0] in dip ? ([r[0], r[1], dip[r[0]], r[3]] as const) : r));
    const v = decideDecayCurve(runsOf(shallow));
    expect(v.outcome).toBe('does not hold here');
    expect(v.reason).toContain('Neither curve has its best inside the range');
  });

  test('a diverged run or too few strengths leave no curve to read', () => {
    const runs = runsOf(measured);
    expect(decideDecayCurve([...runs.slice(1), { ...runs[0], diverged: true }]).reason).toContain('diverged');
    expect(decideDecayCurve(runsOf(measured.slice(0, 2))).reason).toContain('Fewer than three strengths');
    expect(decideDecayCurve([]).outcome).toBe('does not hold here');
  });
});
