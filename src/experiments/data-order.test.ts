import { describe, expect, test } from 'vitest';
import type { DataOrder } from '@engine';
import type { ClaimRun } from './claim';
import { run as claimRun, result } from './claims/testing';
import { dataOrderAxis, dataOrderExperiments, decideDataOrder, orderPosition } from './data-order';
import { experimentNamed } from './experiments';
import { expandPlan, planProblem } from './plan';

const run = (order: DataOrder, arm: 'none' | 'batch', validation: number | 'diverged', train = 0.5): ClaimRun =>
  claimRun({
    arm,
    position: orderPosition(order),
    diverged: validation === 'diverged',
    result: result(validation === 'diverged' ? null : validation, train),
  });

/** Eight runs: validation accuracy per order for [no BN, BN]. */
const runs = (each: [number, number], once: [number, number], oneClass: [number, number], sorted: [number, number]) =>
  (
    [
      ['shuffle-each-epoch', each],
      ['shuffle-once', once],
      ['one-class-per-batch', oneClass],
      ['sorted-by-class', sorted],
    ] as const
  ).flatMap(([order, [none, batch]]) => [run(order, 'none', none), run(order, 'batch', batch)]);

describe('the data-order experiment', () => {
  const [experiment] = dataOrderExperiments;

  test('its plan passes the config validator: four orders × (no BN, BN), 3,000 images for 2 epochs, named by order and model', () => {
    expect(planProblem(experiment.plan)).toBeNull();
    expect(experimentNamed('data-order')).toBe(experiment);
    const entries = expandPlan(experiment.plan);
    expect(entries.map((e) => e.key)).toEqual([
      'shuffled every epoch · no BN',
      'shuffled every epoch · BN',
      'shuffled once · no BN',
      'shuffled once · BN',
      'one class per batch · no BN',
      'one class per batch · BN',
      'sorted by class · no BN',
      'sorted by class · BN',
    ]);
    for (const e of entries) {
      expect(e.config).toMatchObject({ trainLimit: 3000, epochs: 2, batchSize: 32, hidden: [128], dropout: 0.2, seed: 1 });
      expect(e.config.norm).toBe(e.arm.id);
    }
    expect(entries.map((e) => e.config.dataOrder)).toEqual(
      ['shuffle-each-epoch', 'shuffle-once', 'one-class-per-batch', 'sorted-by-class'].flatMap((o) => [o, o]),
    );
    expect([1, 2, 3, 4].map((x) => dataOrderAxis.tick?.(x))).toEqual(['shuffled', 'shuffled 1×', 'one class', 'sorted']);
    expect(() => dataOrderAxis.format('sorted')).toThrow(/expected one of shuffle-each-epoch, .*, received sorted/);
  });

  test('decideDataOrder: holds when both one-class orders cost both models 5 points or more, quoting every number it used', () => {
    const v = decideDataOrder(runs([0.9103, 0.9218], [0.9122, 0.921], [0.8503, 0.212], [0.4938, 0.4065]));
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain(
      'shuffled every epoch: no BN 91.03 %, BN 92.18 %; shuffled once: no BN 91.22 % (+0.19 points), BN 92.10 % (−0.08 points).',
    );
    expect(v.reason).toContain('One class per batch, no BN: validation 85.03 % (−6.00 points), training 50.0 %.');
    expect(v.reason).toContain('Sorted by class, BN: validation 40.65 % (−51.53 points)');
  });

  test('decideDataOrder: holds only when names the orders and models that lost 5 points; a 4.99-point loss does not count', () => {
    const bnOnly = decideDataOrder(runs([0.91, 0.92], [0.91, 0.92], [0.8601, 0.2], [0.88, 0.3]));
    expect(bnOnly.outcome).toBe('holds only when');
    expect(bnOnly.condition).toBe('batches are one class per batch with BN, or batches are sorted by class with BN');
    const sortedOnly = decideDataOrder(runs([0.91, 0.92], [0.91, 0.92], [0.89, 0.9], [0.5, 0.4]));
    expect(sortedOnly.condition).toBe('batches are sorted by class');
    expect(decideDataOrder(runs([0.91, 0.92], [0.91, 0.92], [0.8601, 0.8701], [0.8601, 0.8701])).outcome).toBe('does not hold here');
    expect(decideDataOrder(runs([0.91, 0.92], [0.91, 0.92], [0.86, 0.87], [0.86, 0.87])).outcome).toBe('holds');
  });

  test('decideDataOrder: a one-class run that diverged counts as hurt; without the shuffled reference there is no verdict to give', () => {
    const all = runs([0.91, 0.92], [0.91, 0.92], [0.9, 0.9], [0.9, 0.9]);
    const diverged = all.map((r) =>
      r.position === orderPosition('sorted-by-class') && r.arm === 'batch' ? run('sorted-by-class', 'batch', 'diverged') : r,
    );
    const v = decideDataOrder(diverged);
    expect(v.outcome).toBe('holds only when');
    expect(v.condition).toBe('batches are sorted by class with BN');
    expect(v.reason).toContain('Sorted by class, BN: validation diverged or missing, training 50.0 %.');
    const noRef = decideDataOrder(all.filter((r) => !(r.position === 1 && r.arm === 'none')));
    expect(noRef.outcome).toBe('does not hold here');
    expect(noRef.reason).toContain('The no BN run shuffled every epoch diverged or is missing');
  });
});
