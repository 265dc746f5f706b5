import { describe, expect, test } from 'vitest';
import { covariateShift, decideCovariateShift, denseInputSeries } from './covariate-shift';
import { run } from './testing';

describe('covariate-shift: denseInputSeries and decideCovariateShift', () => {
  // A frame of a 2-hidden-block network without BN: Dense, Activation, Dense, Activation, Dense (output).
  const frame = (step: number, mean: number, std: number) => ({
    step,
    layers: [
      { kind: 'Dense', mean: 9, std: 9 },
      { kind: 'Activation', mean: 9, std: 9 },
      { kind: 'Dense', mean: 9, std: 9 },
      { kind: 'Activation', mean, std },
      { kind: 'Dense', mean: 9, std: 9 },
    ],
  });

  test('denseInputSeries reads the output of the layer right before the watched Dense layer, skipping frames without it', () => {
    const r = run({
      arm: 'none',
      outputFrames: [frame(1, 0.1, 0.2), { step: 2, layers: [{ kind: 'Dense', mean: 1, std: 1 }] }, frame(50, 0.4, 0.6)],
    });
    expect(denseInputSeries(r)).toEqual([
      { step: 1, mean: 0.1, std: 0.2 },
      { step: 50, mean: 0.4, std: 0.6 },
    ]);
    expect(denseInputSeries(run({ arm: 'none' }))).toEqual([]);
  });

  test('decideCovariateShift: holds when BN’s drift (first frame to last, in first-frame spreads) is less than half the drift without BN', () => {
    const none = run({ arm: 'none', outputFrames: [frame(1, 0.12, 0.2), frame(100, 0.45, 0.7)] });
    const v = decideCovariateShift([none, run({ arm: 'batch', outputFrames: [frame(1, 0.4, 0.58), frame(100, 0.41, 0.6)] })]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('without BN mean 0.12 → 0.45, standard deviation 0.20 → 0.70 (steps 1 → 100; drift 2.50)');
    expect(decideCovariateShift([none, run({ arm: 'batch', outputFrames: [frame(1, 0.4, 0.5), frame(100, 0.4, 1.2)] })]).outcome).toBe(
      'does not hold here',
    );
    const missing = decideCovariateShift([none, run({ arm: 'batch', outputFrames: [frame(1, 0.4, 0.5)] })]);
    expect(missing).toMatchObject({ outcome: 'does not hold here', reason: expect.stringMatching(/Fewer than two diagnostics frames/) });
  });

  test('the plan records diagnostics', () => {
    expect(covariateShift.plan.record.diagnostics).toBeDefined();
  });
});
