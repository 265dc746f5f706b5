import { describe, expect, test } from 'vitest';
import { decideLearningRates } from './lr-headroom';
import { result, run } from './testing';

describe('lr-headroom: decideLearningRates', () => {
  test('decideLearningRates: holds when BN trains at a rate where the plain network diverges or stays near chance', () => {
    const runs = [
      run({ arm: 'none', position: 0.1, result: result(0.93) }),
      run({ arm: 'batch', position: 0.1, result: result(0.95) }),
      run({ arm: 'none', position: 1, diverged: true }),
      run({ arm: 'batch', position: 1, result: result(0.96) }),
      run({ arm: 'none', position: 3, result: result(0.1) }),
      run({ arm: 'batch', position: 3, result: result(0.11) }),
    ];
    const v = decideLearningRates(runs);
    expect(v).toMatchObject({ outcome: 'holds' });
    expect(v.reason).toContain('without BN lr 0.1, with BN lr 1');
    expect(decideLearningRates(runs.filter((r) => r.position === 0.1)).outcome).toBe('does not hold here');
  });
});
