import { describe, expect, test } from 'vitest';
import { decideOverhead } from './bn-overhead';
import { result, run } from './testing';

describe('bn-overhead: decideOverhead', () => {
  const timed = (arm: string, seconds: number | null, seed = 1) =>
    run({ arm, seed, key: `${arm} ${seed}`, result: { ...result(0.9), secondsPerEpoch: seconds } });

  test('decideOverhead: a difference within the spread between repeats is said to be noise, not an overhead', () => {
    const noisy = decideOverhead([timed('none', 0.6, 1), timed('batch', 0.7, 1), timed('none', 0.8, 2), timed('batch', 0.75, 2)]);
    expect(noisy.outcome).toBe('holds');
    expect(noisy.reason).toContain('without BN 0.700 s (0.600, 0.800), with BN 0.725 s (0.700, 0.750)');
    expect(noisy.reason).toContain('within the noise');
    expect(noisy.reason).toContain('62.0 KiB at batch 32');
  });

  test('decideOverhead: a steady overhead under 10 % holds, a steady one above does not, missing times say so', () => {
    const steady = (bn: number) =>
      decideOverhead([timed('none', 1, 1), timed('batch', bn, 1), timed('none', 1.01, 2), timed('batch', bn + 0.01, 2)]);
    expect(steady(1.08)).toMatchObject({ outcome: 'holds' });
    expect(steady(1.08).reason).toContain('less than 10 %');
    expect(steady(1.3)).toMatchObject({ outcome: 'does not hold here' });
    expect(decideOverhead([timed('none', null), timed('batch', 1)]).reason).toContain('No finished run');
  });
});
