import { describe, expect, test } from 'vitest';
import { decideBatchSizes } from './small-batches';
import { result, run } from './testing';

describe('small-batches: decideBatchSizes', () => {
  test('decideBatchSizes: holds when BN’s standing against no BN is a point worse at the smallest batch than at the largest', () => {
    const at = (size: number, none: number, bn: number) => [
      run({ arm: 'none', position: size, result: result(none) }),
      run({ arm: 'batch', position: size, result: result(bn) }),
    ];
    const v = decideBatchSizes([...at(2, 0.9, 0.85), ...at(8, 0.9, 0.9), ...at(32, 0.85, 0.86)]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('batch 2: -5.0 points; batch 8: +0.0 points; batch 32: +1.0 points');
    expect(decideBatchSizes([...at(2, 0.9, 0.9), ...at(32, 0.85, 0.855)]).outcome).toBe('does not hold here');
  });
});
