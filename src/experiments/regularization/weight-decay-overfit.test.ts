import { describe, expect, test } from 'vitest';
import { decideWeightDecay, kernelNorm } from './weight-decay-overfit';
import { frame, layer, result, run } from './testing';

describe('weight-decay-overfit: kernelNorm and decideWeightDecay', () => {
  test('kernelNorm is the norm of every Dense kernel together; biases and BN parameters are left out', () => {
    const f = frame([
      layer({
        params: [
          { name: 'kernel', norm: 3, gradNorm: 0, updateRatio: 0 },
          { name: 'bias', norm: 100, gradNorm: 0, updateRatio: 0 },
        ],
      }),
      layer({ kind: 'BatchNormalization', params: [{ name: 'gamma', norm: 50, gradNorm: 0, updateRatio: 0 }] }),
      layer({ params: [{ name: 'kernel', norm: 4, gradNorm: 0, updateRatio: 0 }] }),
    ]);
    expect(kernelNorm(f)).toBe(5);
    expect(kernelNorm(frame([]))).toBeNull();
  });

  test('decideWeightDecay: holds when a decay arm shrinks the weights and the accuracy gap by a point', () => {
    const v = decideWeightDecay([run('adam', 15.4, 24.6, result(0.9, 1, 0.31)), run('l2', 15.4, 10.9, result(0.92, 0.995, 0.26))]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('Adam: ‖W‖ 15.4 → 24.6, validation 90.00 %, gap 10.0 points, validation loss 0.310');
    expect(v.reason).toContain('Adam + L2 0.001 shrinks the weights and the accuracy gap');
  });

  test('decideWeightDecay: holds only when the gap is read in loss, when the weights shrink and the loss drops but the accuracy gap stays', () => {
    const v = decideWeightDecay([
      run('adam', 15.4, 24.6, result(0.9267, 1, 0.314)),
      run('l2', 15.4, 10.9, result(0.923, 0.998, 0.263)),
      run('adamw-small', 15.4, 24.5, result(0.927, 1, 0.313)),
    ]);
    expect(v.outcome).toBe('holds only when');
    expect(v.condition).toContain('validation loss');
    expect(v.reason).toContain('AdamW 0.002 barely moves the weights');
  });

  test('decideWeightDecay: does not hold when no decay shrinks the weights, or a run is missing', () => {
    expect(decideWeightDecay([run('adam', 15, 24), run('adamw-small', 15, 23.9)]).outcome).toBe('does not hold here');
    expect(decideWeightDecay([run('l2', 15, 11)]).reason).toContain('missing');
    expect(decideWeightDecay([run('adam', 15, 24), { ...run('l2', 15, 11), diverged: true }]).outcome).toBe('does not hold here');
  });
});
