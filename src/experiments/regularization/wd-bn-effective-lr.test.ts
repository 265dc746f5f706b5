import { describe, expect, test } from 'vitest';
import { decideBnDecay, firstKernelUpdateRatio, lateMean } from './wd-bn-effective-lr';
import { frame, layer, run } from './testing';

describe('wd-bn-effective-lr: firstKernelUpdateRatio, lateMean and decideBnDecay', () => {
  test('firstKernelUpdateRatio reads the first Dense kernel’s update ratio; a NaN ratio (no earlier snapshot) gives null', () => {
    const kernel = (updateRatio: number) =>
      layer({
        params: [
          { name: 'bias', norm: 0, gradNorm: 0, updateRatio: 0.5 },
          { name: 'kernel', norm: 1, gradNorm: 1, updateRatio },
        ],
      });
    expect(firstKernelUpdateRatio(frame([kernel(0.004), kernel(0.2)]))).toBe(0.004);
    expect(firstKernelUpdateRatio(frame([kernel(NaN)]))).toBeNull();
  });

  test('lateMean averages the trace over the second half of the run’s steps', () => {
    const r = { ...run('none', 0, 0), trace: [1, 2, 3, 4].map((v, i) => ({ step: (i + 1) * 100, epoch: i + 1, value: v })) };
    expect(lateMean(r)).toBe(3); // steps 200, 300, 400 of 400
    expect(lateMean({ ...r, trace: [] })).toBeNull();
  });

  test('decideBnDecay: holds when the strongest decay’s late relative steps are 1.5 times the undecayed run’s or more', () => {
    const trace = (v: number) => [100, 200, 300].map((step) => ({ step, epoch: step / 100, value: v }));
    const r = (arm: string, v: number) => ({ ...run(arm, 0, 0), trace: trace(v) });
    const v = decideBnDecay([r('none', 0.0038), r('l2-small', 0.0053), r('l2', 0.035)]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('SGD 3.8e-3');
    expect(v.reason).toContain('9.2 times as large');
    expect(decideBnDecay([r('none', 0.004), r('l2', 0.005)]).outcome).toBe('does not hold here');
    expect(decideBnDecay([r('none', 0.004)]).reason).toContain('no relative steps');
  });
});
