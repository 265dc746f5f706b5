import { describe, expect, test } from 'vitest';
import type { LandscapeEvent } from '@engine/worker/protocol.ts';
import { decideLandscape, landscapeMedians, median } from './loss-landscape';
import { run } from './testing';

/** Probed steps with these loss variations and smoothnesses (step length 0.1). */
const samples = (lossRanges: number[], smoothness: number[]): LandscapeEvent[] =>
  lossRanges.map((lossRange, i) => ({
    type: 'landscape',
    runId: 'r',
    step: 1 + 5 * i,
    multiples: [1],
    loss: 2,
    losses: [2 - lossRange],
    gradChanges: [smoothness[i] * 0.1],
    stepNorm: 0.1,
    gradNorm: 1,
    lossRange,
    smoothness: smoothness[i],
  }));

describe('loss-landscape: decideLandscape', () => {
  test('median(values) ignores non-finite values and averages the middle two of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, NaN, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(landscapeMedians(samples([0.1, 0.3, 0.2], [5, 1, 3]))).toEqual({ samples: 3, lossRange: 0.2, smoothness: 3, stepNorm: 0.1 });
  });

  test('holds when both medians are at least 1.5 times smaller with BN', () => {
    const v = decideLandscape([
      run({ arm: 'none', landscape: samples([0.45, 0.45], [6, 6]) }),
      run({ arm: 'batch', landscape: samples([0.2, 0.2], [2, 2]) }),
    ]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('loss variation 0.450 without BN and 0.200 with BN (ratio 2.25×)');
    expect(v.reason).toContain('gradient change per unit distance 6.00 without BN and 2.00 with BN (ratio 3.00×)');
  });

  test('holds only for the measure BN reduces by 1.5 times, and does not hold when it reduces neither', () => {
    const only = decideLandscape([
      run({ arm: 'none', landscape: samples([0.1], [6]) }),
      run({ arm: 'batch', landscape: samples([0.2], [2]) }),
    ]);
    expect(only.outcome).toBe('holds only when');
    expect(only.condition).toContain('per unit distance');
    const lossOnly = decideLandscape([
      run({ arm: 'none', landscape: samples([0.4], [2]) }),
      run({ arm: 'batch', landscape: samples([0.2], [2]) }),
    ]);
    expect(lossOnly.condition).toContain('as the loss variation');
    const neither = decideLandscape([
      run({ arm: 'none', landscape: samples([0.29], [2.9]) }),
      run({ arm: 'batch', landscape: samples([0.2], [2]) }),
    ]);
    expect(neither.outcome).toBe('does not hold here');
    expect(neither.reason).toContain('(ratio 1.45×)');
    expect(decideLandscape([run({ arm: 'none' }), run({ arm: 'batch' })]).reason).toContain('No landscape samples');
  });
});
