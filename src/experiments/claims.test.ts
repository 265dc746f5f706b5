import { describe, expect, test } from 'vitest';
import { expandPlan, planProblem } from './plan';
import type { QueueEntry, SweepResult } from './queue';
import { claimVerdict, type ClaimRun } from './claim';
import {
  claimExperiments,
  decideAccuracy,
  decideCovariateShift,
  decideIntensity,
  decideNoisyBn,
  denseInputSeries,
  intensityChanges,
  decideBatchSizes,
  decideEpochs,
  decideGradients,
  decideInit,
  decideLearningRates,
  decideRegularization,
  epochsTo,
  gradientFan,
} from './claims';
import { averagingWindow, decideEpsilon, decideMomentum, decideOverhead } from './claims';
import { experimentNamed } from './experiments';

const result = (validationAccuracy: number | null, trainAccuracy: number | null = null): SweepResult => ({
  validationAccuracy,
  validationLoss: null,
  trainAccuracy,
  testAccuracy: null,
  secondsPerEpoch: 1,
  samplesPerSecond: 1000,
});

const run = (fields: Partial<ClaimRun> & { arm: string }): ClaimRun => ({
  key: `${fields.arm} ${fields.position ?? ''} ${fields.seed ?? ''}`,
  position: null,
  seed: 1,
  diverged: false,
  result: result(0.9),
  epochs: [],
  kernelGradNorms: [],
  ...fields,
});

describe('the claim plans', () => {
  test('every plan passes the config validator and is short enough for the page (≤ 6,000 images, ≤ 8 runs)', () => {
    for (const e of claimExperiments) {
      expect(planProblem(e.plan), e.name).toBeNull();
      const entries = expandPlan(e.plan);
      expect(entries.length, e.name).toBeLessThanOrEqual(8);
      for (const entry of entries) expect(entry.config.trainLimit, entry.key).toBeLessThanOrEqual(6000);
    }
  });

  test('names are unique, each chart fits its plan (a sweep needs an axis), and every run is saved under the plan', () => {
    expect(new Set(claimExperiments.map((e) => e.name)).size).toBe(claimExperiments.length);
    for (const e of claimExperiments) {
      expect(e.plan.chart === 'sweep', e.name).toBe(e.plan.axis !== null);
      expect(e.plan.widget).toBe(`claim-${e.name}`);
    }
  });
});

describe('experimentNamed(name)', () => {
  test('finds a plan across every lesson’s list, or lists the names there are', () => {
    expect(experimentNamed('lr-headroom').claim).toBe(2);
    expect(() => experimentNamed('nope')).toThrow(/no plan named 'nope', expected one of (.*, )?bn-accuracy, lr-headroom/);
  });
});

describe('claimVerdict(experiment, queue, extras)', () => {
  const experiment = experimentNamed('lr-headroom');
  const entry = (key: string, state: QueueEntry['state'], fields: Partial<QueueEntry> = {}): QueueEntry => ({
    key,
    arm: 'none',
    armLabel: 'no BN',
    position: 1,
    state,
    runId: 'r',
    result: state === 'pending' || state === 'running' ? null : result(0.9),
    error: null,
    ...fields,
  });

  test('is pending while any run is pending or running, and never calls the verdict function then', () => {
    expect(claimVerdict(experiment, [entry('a', 'done'), entry('b', 'running')], () => undefined)).toEqual({ state: 'pending' });
  });

  test('counts a diverged run as a finished outcome, a cancelled one as missing', () => {
    const diverged = entry('lr 3 · no BN', 'failed', { position: 3, error: 'diverged at step 12' });
    const bn = entry('lr 3 · BN', 'done', { arm: 'batch', armLabel: 'BN', position: 3 });
    const decided = claimVerdict(experiment, [diverged, bn], () => undefined);
    expect(decided).toMatchObject({ state: 'decided', value: { outcome: 'holds' } });
    expect(claimVerdict(experiment, [entry('a', 'cancelled'), bn], () => undefined)).toEqual({
      state: 'incomplete',
      reason: 'a did not finish (cancelled)',
    });
  });
});

describe('verdict functions decide from the measured numbers', () => {
  test('decideAccuracy: a lead inside the seed-to-seed spread does not count; a clear lead holds', () => {
    const within = decideAccuracy([
      run({ arm: 'none', result: result(0.95) }),
      run({ arm: 'none', result: result(0.96) }),
      run({ arm: 'batch', result: result(0.958) }),
      run({ arm: 'batch', result: result(0.957) }),
    ]);
    expect(within.outcome).toBe('does not hold here');
    expect(within.reason).toContain('BN 95.75 %, no BN 95.50 %');
    expect(within.reason).toContain('within the seed-to-seed spread');
    expect(decideAccuracy([run({ arm: 'none', result: result(0.9) }), run({ arm: 'batch', result: result(0.95) })]).outcome).toBe('holds');
    expect(decideAccuracy([run({ arm: 'none', result: result(0.95) }), run({ arm: 'batch', result: result(0.9) })]).reason).toContain(
      'The model without BN is ahead',
    );
  });

  test('decideLearningRates: holds when BN trains at a rate where the plain network diverges or stays near chance', () => {
    const runs = [
      run({ arm: 'none', position: 0.1, result: result(0.93) }),
      run({ arm: 'batch', position: 0.1, result: result(0.95) }),
      run({ arm: 'none', position: 1, diverged: true }),
      run({ arm: 'batch', position: 1, result: result(0.96) }),
      run({ arm: 'none', position: 3, result: result(0.1) }),
      run({ arm: 'batch', position: 3, result: result(0.11) }),
    ];
    const v = decideLearningRates(runs);
    expect(v).toMatchObject({ outcome: 'holds' });
    expect(v.reason).toContain('without BN lr 0.1, with BN lr 1');
    expect(decideLearningRates(runs.filter((r) => r.position === 0.1)).outcome).toBe('does not hold here');
  });

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

  test('decideInit: holds when BN’s accuracy range over init scales is a point or more narrower', () => {
    const runs = (bnLow: number) =>
      [0.1, 1, 10].flatMap((x) => [
        run({ arm: 'none', position: x, result: result(x === 10 ? 0.8 : 0.9) }),
        run({ arm: 'batch', position: x, result: result(x === 10 ? bnLow : 0.91) }),
      ]);
    expect(decideInit(runs(0.9)).outcome).toBe('holds');
    expect(decideInit(runs(0.8)).outcome).toBe('does not hold here');
  });

  test('decideEpochs: compares the epochs to every target; sooner at low targets and later at high ones holds only up to a target', () => {
    const epochs = (...v: number[]) => v.map((validation, i) => ({ epoch: i + 1, train: validation, validation }));
    expect(epochsTo(run({ arm: 'none', epochs: epochs(0.9, 0.95, 0.96) }), 0.95)).toBe(2);
    expect(epochsTo(run({ arm: 'none', epochs: epochs(0.9) }), 0.95)).toBeNull();
    // Made-up accuracies for a mixed case (BN sooner at the low target, later at the high one), not the lesson's numbers.
    const targets = [0.965, 0.97, 0.975];
    const mixed = decideEpochs(
      [run({ arm: 'none', epochs: epochs(0.9633, 0.9735, 0.976) }), run({ arm: 'batch', epochs: epochs(0.9662, 0.9702, 0.9743, 0.9767) })],
      targets,
    );
    expect(mixed).toMatchObject({ outcome: 'holds only when', condition: 'the target is 96.5 % or lower' });
    expect(mixed.reason).toContain('97 %: epoch 2 / epoch 2; 97.5 %: epoch 3 / epoch 4');
    expect(
      decideEpochs([run({ arm: 'none', epochs: epochs(0.9, 0.95) }), run({ arm: 'batch', epochs: epochs(0.951, 0.96) })], [0.95]).outcome,
    ).toBe('holds');
    const never = decideEpochs(
      [run({ arm: 'none', epochs: epochs(0.9, 0.95) }), run({ arm: 'batch', epochs: epochs(0.94, 0.955) })],
      [0.95],
    );
    expect(never.outcome).toBe('does not hold here');
    expect(never.reason).toContain('without BN (90.00 %, 95.00 %), with BN (94.00 %, 95.50 %)');
  });

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

  test('decideRegularization: compares training-minus-validation gaps', () => {
    const v = decideRegularization([run({ arm: 'none', result: result(0.88, 0.99) }), run({ arm: 'batch', result: result(0.9, 0.95) })]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('11.0 points without BN');
    expect(
      decideRegularization([run({ arm: 'none', result: result(0.88, 0.99) }), run({ arm: 'batch', result: result(0.88, 1) })]).outcome,
    ).toBe('does not hold here');
  });
});

describe('claims 1 and 8: covariate shift and intensity robustness', () => {
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

  test('the claim 8 plan keeps its models for the probe, and the claim 1 plan records diagnostics', () => {
    expect(experimentNamed('intensity-robustness').plan.record.models).toBe(true);
    expect(experimentNamed('intensity-robustness').intensityProbe?.changes[0]).toEqual({ contrast: 1, brightness: 0 });
    expect(experimentNamed('covariate-shift').plan.record.diagnostics).toBeDefined();
  });
});

describe('claims 9 and 11: overhead, memory, momentum and ε', () => {
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

  test('decideEpsilon: holds only at the batch sizes where ε moves the accuracy by more than a point', () => {
    const at = (arm: string, eps: number, v: number) => run({ arm, position: eps, result: result(v) });
    const runs = [
      at('batch 2', 1e-5, 0.776),
      at('batch 32', 1e-5, 0.8593),
      at('batch 2', 1e-3, 0.8263),
      at('batch 32', 1e-3, 0.8585),
      at('batch 2', 0.1, 0.8588),
      at('batch 32', 0.1, 0.8542),
    ];
    const v = decideEpsilon(runs);
    expect(v).toMatchObject({ outcome: 'holds only when', condition: 'batches are as small as batch 2' });
    expect(v.reason).toContain('batch 2: ε 0.00001: 77.60 %, ε 0.001: 82.63 %, ε 0.1: 85.88 % (range 8.3 points)');
    expect(v.reason).toContain('best ε 0.1');
    expect(decideEpsilon(runs.filter((r) => r.arm === 'batch 32')).outcome).toBe('does not hold here');
    expect(decideEpsilon(runs.filter((r) => r.arm === 'batch 2')).outcome).toBe('holds');
  });
});
