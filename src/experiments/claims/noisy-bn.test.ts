import { describe, expect, test } from 'vitest';
import { decideNoisyBn } from './noisy-bn';
import { result, run } from './testing';

describe('noisy-bn: decideNoisyBn', () => {
  test('decideNoisyBn: holds when BN followed by noise keeps more than half of BN’s lead over no BN', () => {
    const three = (none: number, bn: number, noisy: number) => [
      run({ arm: 'none', result: result(none) }),
      run({ arm: 'batch', result: result(bn) }),
      run({ arm: 'noisy', result: result(noisy) }),
    ];
    const v = decideNoisyBn(three(0.1, 0.9, 0.85));
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('no BN 10.0 %, BN 90.0 %, BN followed by noise 85.0 %');
    expect(v.reason).toContain('keeps 94 % of its lead');
    expect(decideNoisyBn(three(0.1, 0.9, 0.4)).outcome).toBe('does not hold here');
    expect(decideNoisyBn(three(0.9, 0.905, 0.95)).reason).toMatch(/no lead here/);
    expect(
      decideNoisyBn([
        run({ arm: 'none', result: result(0.1) }),
        run({ arm: 'batch', result: result(0.9) }),
        run({ arm: 'noisy', diverged: true }),
      ]).reason,
    ).toMatch(/diverged/);
  });
});
