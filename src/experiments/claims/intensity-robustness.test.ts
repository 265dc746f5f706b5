import { describe, expect, test } from 'vitest';
import { decideIntensity, intensityChanges, intensityRobustness } from './intensity-robustness';
import { run } from './testing';

describe('intensity-robustness: decideIntensity', () => {
  const tested = (arm: string, accuracies: number[], batch: number[] | null = null) =>
    run({
      arm,
      intensity: intensityChanges.map((change, i) => ({
        change,
        running: { loss: 1, accuracy: accuracies[i] },
        batch: batch && { loss: 1, accuracy: batch[i] },
        firstLayerShift: i,
      })),
    });

  test('decideIntensity: compares the mean accuracy lost on changed images, and reports what batch statistics would do', () => {
    const none = tested('none', [0.97, 0.96, 0.97, 0.5, 0.25]);
    const worse = decideIntensity([none, tested('batch', [0.97, 0.95, 0.97, 0.48, 0.14], [0.97, 0.97, 0.97, 0.97, 0.97])]);
    expect(worse.outcome).toBe('does not hold here');
    expect(worse.reason).toContain('Mean loss: 30.0 points without BN, 33.5 points with BN (0.0 points if BN used each test batch');
    expect(worse.reason).toContain('with BN contrast ×0.5 95.0 %, contrast ×2 97.0 %, brightness +0.2 48.0 %, brightness +0.4 14.0 %');
    expect(decideIntensity([none, tested('batch', [0.97, 0.97, 0.97, 0.9, 0.8])]).outcome).toBe('holds');
    expect(decideIntensity([none, run({ arm: 'batch' })]).reason).toMatch(/was not tested on changed images/);
  });

  test('the plan keeps its models for the probe, which tests the unchanged images first', () => {
    expect(intensityRobustness.plan.record.models).toBe(true);
    expect(intensityRobustness.intensityProbe?.changes[0]).toEqual({ contrast: 1, brightness: 0 });
  });
});
