import { describe, expect, test } from 'vitest';
import { decideEpsilon } from './bn-epsilon';
import { result, run } from './testing';

describe('bn-epsilon: decideEpsilon', () => {
  test('decideEpsilon: holds only at the batch sizes where ε moves the accuracy by more than a point', () => {
    const at = (arm: string, eps: number, v: number) => run({ arm, position: eps, result: result(v) });
    const runs = [
      at('batch 2', 1e-5, 0.776),
      at('batch 32', 1e-5, 0.8593),
      at('batch 2', 1e-3, 0.8263),
      at('batch 32', 1e-3, 0.8585),
      at('batch 2', 0.1, 0.8588),
      at('batch 32', 0.1, 0.8542),
    ];
    const v = decideEpsilon(runs);
    expect(v).toMatchObject({ outcome: 'holds only when', condition: 'batches are as small as batch 2' });
    expect(v.reason).toContain('batch 2: ε 0.00001: 77.60 %, ε 0.001: 82.63 %, ε 0.1: 85.88 % (range 8.3 points)');
    expect(v.reason).toContain('best ε 0.1');
    expect(decideEpsilon(runs.filter((r) => r.arm === 'batch 32')).outcome).toBe('does not hold here');
    expect(decideEpsilon(runs.filter((r) => r.arm === 'batch 2')).outcome).toBe('holds');
  });
});
