import { describe, expect, test } from 'vitest';
import { expandPlan, planProblem } from '../plan';
import type { SweepResult } from '../queue';
import type { ClaimRun } from '../claim';
import { decideDropoutEnsemble, dropoutEnsemble } from './dropout-ensemble';

describe('dropout-ensemble: decideDropoutEnsemble', () => {
  const result: SweepResult = {
    trainAccuracy: 0.99,
    validationAccuracy: 0.92,
    validationLoss: 0.3,
    testAccuracy: null,
    secondsPerEpoch: null,
  } as unknown as SweepResult;
  const withEnsemble = (scaled: number, points: [number, number, number][]): ClaimRun =>
    ({
      key: 'dropout 0.5',
      arm: 'dropout',
      position: null,
      seed: 1,
      diverged: false,
      result,
      epochs: [],
      kernelGradNorms: [],
      ensemble: { scaledAccuracy: scaled, ensembles: points.map(([samples, accuracy, agreement]) => ({ samples, accuracy, agreement })) },
    }) as ClaimRun;

  test('the plan keeps its model for the probe and asks for K = 1, 10, 100 on all test images', () => {
    const e = dropoutEnsemble;
    expect(planProblem(e.plan)).toBeNull();
    expect(expandPlan(e.plan)).toHaveLength(1);
    expect(e.plan.record.models).toBe(true);
    expect(e.plan.base.dropout).toBe(0.5);
    expect(e.ensembleProbe).toEqual({ samples: [1, 10, 100], limit: 10_000, seed: 1 });
  });

  test('holds when the most masks predict like the scaled network (within half a point, 99 % the same class), and quotes every K', () => {
    const v = decideDropoutEnsemble([
      withEnsemble(0.9194, [
        [1, 0.8971, 0.9407],
        [10, 0.914, 0.9843],
        [100, 0.9186, 0.9951],
      ]),
    ]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('Scaled network 91.94 %');
    expect(v.reason).toContain('1 mask 89.71 % (same class on 94.07 %)');
    expect(v.reason).toContain('100 masks 91.86 % (same class on 99.51 %)');
    expect(
      decideDropoutEnsemble([
        withEnsemble(0.9194, [
          [1, 0.8971, 0.9407],
          [100, 0.9186, 0.985],
        ]),
      ]).outcome,
    ).toBe('does not hold here');
    expect(decideDropoutEnsemble([withEnsemble(0.9194, [[100, 0.9, 0.995]])]).outcome).toBe('does not hold here');
    expect(decideDropoutEnsemble([{ ...withEnsemble(0.9, []), ensemble: undefined }]).reason).toMatch(/No run was tested/);
  });
});
