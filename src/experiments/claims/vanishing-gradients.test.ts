import { describe, expect, test } from 'vitest';
import { decideGradients, gradientFan } from './vanishing-gradients';
import { run } from './testing';

describe('vanishing-gradients: decideGradients', () => {
  test('decideGradients: holds when the spread of layer gradient norms without BN is over twice that with BN', () => {
    expect(gradientFan(run({ arm: 'none', kernelGradNorms: [0.01, 0.1, 1] }))).toBeCloseTo(100);
    expect(gradientFan(run({ arm: 'none' }))).toBeNull();
    const holds = decideGradients([
      run({ arm: 'none', kernelGradNorms: [0.01, 0.1, 1] }),
      run({ arm: 'batch', kernelGradNorms: [0.5, 0.6, 1] }),
    ]);
    expect(holds.outcome).toBe('holds');
    expect(holds.reason).toContain('100× without BN, 2.0× with BN');
    expect(holds.reason).toContain('the smallest gradient is at the first (input) layer');
    expect(
      decideGradients([run({ arm: 'none', kernelGradNorms: [0.5, 1] }), run({ arm: 'batch', kernelGradNorms: [0.5, 1] })]).outcome,
    ).toBe('does not hold here');
    expect(decideGradients([run({ arm: 'none' }), run({ arm: 'batch' })]).reason).toContain('No per-layer gradient norms');
  });
});
