import { describe, expect, test } from 'vitest';
import { averagingWindow, decideMomentum } from './bn-momentum';
import { result, run } from './testing';

describe('bn-momentum: decideMomentum', () => {
  test('decideMomentum: the averaging windows’ validation accuracies decide, the identical training accuracy is reported', () => {
    expect(averagingWindow(0.99)).toBe(100);
    const at = (m: number, v: number) => run({ arm: 'batch', position: averagingWindow(m), result: result(v, 0.7845) });
    const v = decideMomentum([at(0.9, 0.8962), at(0.99, 0.1947), at(0.999, 0.0915)], 125);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('window 10 steps: 89.62 %; window 100 steps: 19.47 %; window 1000 steps: 9.15 %');
    expect(v.reason).toContain('Training accuracy is 78.45 % in every run');
    expect(v.reason).toContain('windows up to 10 steps');
    expect(decideMomentum([at(0.9, 0.94), at(0.99, 0.935)], 1688).outcome).toBe('does not hold here');
  });
});
