import { describe, expect, test } from 'vitest';
import { expandPlan } from './plan';
import { result, run } from './claims/testing';
import { decideSmallBatch, smallBatchExperiments } from './small-batch';

/** Made-up runs: per batch size, test accuracy of each arm. */
const runs = (table: Record<number, Record<string, number>>) =>
  Object.entries(table).flatMap(([size, arms]) =>
    Object.entries(arms).map(([arm, acc]) => run({ arm, position: Number(size), result: { ...result(null), testAccuracy: acc } })),
  );

describe('small-batch: decideSmallBatch', () => {
  test('holds when BN is more than 1 point behind the best per-example norm at the smallest batch, and more so than at the largest', () => {
    const v = decideSmallBatch(runs({ 2: { none: 0.9, batch: 0.8269, layer: 0.9 }, 32: { none: 0.88, batch: 0.9, layer: 0.89 } }));
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('batch 2: BN 82.69 %, −7.31 points; batch 32: BN 90.00 %, +1.00 points.');
    expect(v.reason).toContain('At batch 2 BN is more than one point behind');
  });

  test('does not hold here when BN keeps up at the smallest batch (the reference ConvNet at batch 2)', () => {
    const v = decideSmallBatch(
      runs({ 2: { none: 0.924, batch: 0.9359, group: 0.9334, layer: 0.9338 }, 32: { none: 0.8, batch: 0.85, group: 0.84, layer: 0.83 } }),
    );
    expect(v.outcome).toBe('does not hold here');
    expect(v.reason).toContain('batch 2: BN 93.59 %, +0.21 points');
    expect(v.reason).toContain('Here at batch 2 BN is not more than one point behind');
  });

  test('the 1-point margins: just past both decides holds, just inside either does not', () => {
    const table = (bn2: number, bn32: number) => runs({ 2: { batch: bn2, group: 0.9 }, 32: { batch: bn32, group: 0.9 } });
    expect(decideSmallBatch(table(0.8899, 0.9)).outcome).toBe('holds');
    expect(decideSmallBatch(table(0.8901, 0.9)).outcome).toBe('does not hold here');
    // Behind at both ends by the same amount: the small batch is not what costs BN.
    const same = decideSmallBatch(table(0.85, 0.8505));
    expect(same.outcome).toBe('does not hold here');
    expect(same.reason).toContain('so the small batch is not what costs it');
  });

  test('a diverged BN run counts as 0; a missing arm leaves nothing to compare', () => {
    const diverged = runs({ 2: { batch: 0.9, layer: 0.9 }, 32: { batch: 0.9, layer: 0.9 } }).map((r) =>
      r.arm === 'batch' && r.position === 2 ? { ...r, diverged: true } : r,
    );
    expect(decideSmallBatch(diverged).outcome).toBe('holds');
    expect(decideSmallBatch(runs({ 2: { batch: 0.9 }, 32: { batch: 0.9, layer: 0.9 } })).reason).toMatch(/missing/);
  });
});

describe('small-batch plans', () => {
  test('every plan expands to valid configs and names its batch sizes in the settings', () => {
    for (const e of smallBatchExperiments) {
      const entries = expandPlan(e.plan);
      expect(entries.length).toBe(e.plan.arms.length * e.plan.axis!.values.length);
      for (const v of e.plan.axis!.values) expect(e.settings).toMatch(new RegExp(`at batch [\\d, and]*\\b${String(v)}\\b`));
      expect(e.settings).toContain(`${e.plan.base.trainLimit!.toLocaleString('en')} training images`);
      // The same images for every run: one training subset, one epoch.
      expect(new Set(entries.map((x) => `${x.config.trainLimit}/${x.config.epochs}`)).size).toBe(1);
    }
  });
});
