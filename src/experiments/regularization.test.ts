import { describe, expect, test } from 'vitest';
import { expandPlan, planProblem } from './plan';
import type { SweepResult } from './queue';
import type { DiagnosticsEvent, LayerDiagnostics } from '@engine/worker/protocol.ts';
import type { ClaimRun } from './claim';
import { allExperiments, experimentNamed } from './experiments';
import {
  deadReluShare,
  decideBnDecay,
  decideDeadRelus,
  decideDropoutBeforeBn,
  decideDropoutEnsemble,
  decideDropoutOverfit,
  decideWeightDecay,
  dropoutExperiments,
  finalTrace,
  firstKernelUpdateRatio,
  kernelNorm,
  lateMean,
  regularizationExperiments,
  weightDecayExperiments,
} from './regularization';

const result = (validationAccuracy: number, trainAccuracy: number, validationLoss: number): SweepResult => ({
  validationAccuracy,
  validationLoss,
  trainAccuracy,
  testAccuracy: null,
  secondsPerEpoch: 1,
  samplesPerSecond: 1000,
});

/** A run whose trace goes from `first` to `last` (a weight norm or a dead share). */
const run = (arm: string, first: number, last: number, r: SweepResult = result(0.92, 1, 0.3)): ClaimRun => ({
  key: arm,
  arm,
  position: null,
  seed: 1,
  diverged: false,
  result: r,
  epochs: [],
  kernelGradNorms: [],
  trace: [
    { step: 1, epoch: 1 / 63, value: first },
    { step: 2520, epoch: 40, value: last },
  ],
});

const layer = (fields: Partial<LayerDiagnostics>): LayerDiagnostics => ({
  name: 'x',
  kind: 'Dense',
  units: 2,
  activations: null,
  gradients: null,
  params: [],
  movingMean: null,
  movingVariance: null,
  batchMean: null,
  batchVariance: null,
  saturated: null,
  ...fields,
});

const frame = (layers: LayerDiagnostics[]): DiagnosticsEvent => ({
  type: 'diagnostics',
  runId: 'r',
  step: 1,
  gradNorm: 1,
  clippedShare: null,
  layers,
});

describe('the weight-decay plans', () => {
  test('pass the config validator, stay short enough for the page (≤ 4 runs, ≤ 160,000 training images seen per run) and record diagnostics for their trace', () => {
    for (const e of weightDecayExperiments) {
      expect(planProblem(e.plan), e.name).toBeNull();
      const entries = expandPlan(e.plan);
      expect(entries.length, e.name).toBeLessThanOrEqual(4);
      for (const entry of entries)
        expect((entry.config.trainLimit ?? 54_000) * entry.config.epochs, entry.key).toBeLessThanOrEqual(160_000);
      expect(e.trace, e.name).toBeDefined();
      expect(e.plan.record.diagnostics, e.name).toBeDefined();
    }
  });

  test('compare decay arms on the same seed, differing from Adam alone only in how they decay', () => {
    const [overfit] = expandPlan(experimentNamed('weight-decay-overfit').plan).map((e) => e.config);
    const configs = expandPlan(experimentNamed('weight-decay-overfit').plan).map((e) => e.config);
    expect(configs.map((c) => [c.optimizer, c.l2, c.weightDecay])).toEqual([
      ['adam', 0, 0],
      ['adam', 0.001, 0],
      ['adamw', 0, 0.002],
      ['adamw', 0, 0.5],
    ]);
    for (const c of configs) expect({ ...c, optimizer: 'adam', l2: 0, weightDecay: 0 }).toEqual(overfit);
    expect(overfit).toMatchObject({ trainLimit: 2000, epochs: 40, dropout: 0, lr: 0.001, batchSize: 32 });
  });

  test('experimentNamed finds lesson 12’s plans and these, with names unique across both', () => {
    expect(new Set(allExperiments.map((e) => e.name)).size).toBe(allExperiments.length);
    expect(experimentNamed('wd-dead-relus').trace?.percent).toBe(true);
    expect(experimentNamed('lr-headroom').claim).toBe(2);
    expect(regularizationExperiments.slice(0, weightDecayExperiments.length)).toEqual(weightDecayExperiments);
    expect(() => experimentNamed('nope')).toThrow(/experiment: no plan named 'nope', expected one of .*weight-decay-overfit/);
  });
});

describe('traces read from diagnostics frames', () => {
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

  test('deadReluShare reads the first layer that reports a dead share; frames without one give null', () => {
    expect(deadReluShare(frame([layer({}), layer({ kind: 'Activation', dead: 0.25 }), layer({ kind: 'Activation', dead: 0.5 })]))).toBe(
      0.25,
    );
    expect(deadReluShare(frame([layer({ kind: 'Activation', dead: null })]))).toBeNull();
    expect(deadReluShare(frame([layer({ kind: 'Activation' })]))).toBeNull();
  });

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

  test('finalTrace is the value at the last recorded step', () => {
    expect(finalTrace(run('adam', 15.4, 24.6))).toBe(24.6);
    expect(finalTrace({ ...run('adam', 1, 2), trace: [] })).toBeNull();
  });
});

describe('verdict functions decide from the measured numbers', () => {
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

  test('decideDeadRelus: holds with 5 points fewer dead units; otherwise says whether decay left more', () => {
    const fewer = decideDeadRelus([run('adam', 0.5, 0.7), run('l2', 0.5, 0.6)]);
    expect(fewer.outcome).toBe('holds');
    expect(fewer.reason).toContain('Adam 70.0 %');
    const more = decideDeadRelus([run('adam', 0.5, 0.61), run('l2', 0.6, 0.9), run('adamw', 0.6, 0.77)]);
    expect(more.outcome).toBe('does not hold here');
    expect(more.reason).toContain('Adam + L2 0.001 and AdamW 0.1 leave more units dead, not fewer');
    expect(decideDeadRelus([run('adam', 0.5, 0.6), run('l2', 0.5, 0.62)]).reason).toContain('less than 5 points');
    expect(decideDeadRelus([run('adam', 0.5, 0.6), { ...run('l2', 0, 0), trace: [] }]).reason).toContain('no dead-unit share');
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

describe('the dropout plans', () => {
  test('pass the config validator, stay short enough for the page and differ between arms only in dropout or its placement (the ensemble probes one model)', () => {
    for (const e of dropoutExperiments) {
      expect(planProblem(e.plan), e.name).toBeNull();
      const entries = expandPlan(e.plan);
      expect(entries.length, e.name).toBe(e.ensembleProbe ? 1 : 2);
      for (const entry of entries) expect((entry.config.trainLimit ?? 54_000) * entry.config.epochs, entry.key).toBeLessThanOrEqual(80_000);
    }
    const [none, drop] = expandPlan(experimentNamed('dropout-overfit').plan).map((e) => e.config);
    expect(none).toMatchObject({ trainLimit: 2000, epochs: 40, dropout: 0, lr: 0.001, batchSize: 32, norm: 'none', seed: 1 });
    expect({ ...drop, dropout: 0 }).toEqual(none);
    expect(drop.dropout).toBe(0.5);
    const [after, before] = expandPlan(experimentNamed('dropout-before-bn').plan).map((e) => e.config);
    expect(after).toMatchObject({ norm: 'batch', dropout: 0.5, dropoutPlacement: 'after-norm' });
    expect({ ...before, dropoutPlacement: 'after-norm' }).toEqual(after);
    expect(before.dropoutPlacement).toBe('before-norm');
  });

  test('come after the weight-decay plans in the one list <Experiment> looks up', () => {
    expect(regularizationExperiments.slice(-dropoutExperiments.length)).toEqual(dropoutExperiments);
    for (const e of dropoutExperiments) expect(allExperiments.filter((x) => x.name === e.name)).toHaveLength(1);
  });

  const accRun = (arm: string, validation: number, train: number, loss = 0.3): ClaimRun => ({
    ...run(arm, 0, 0, result(validation, train, loss)),
    trace: [],
  });

  test('decideDropoutOverfit: holds when dropout narrows the gap by a point and raises validation accuracy by half a point', () => {
    const v = decideDropoutOverfit([accRun('none', 0.9267, 1, 0.314), accRun('dropout', 0.933, 0.988, 0.261)]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('no dropout: training 100.0 %, validation 92.67 % (gap 7.3 points)');
    expect(v.reason).toContain('dropout 0.5: training 98.8 %, validation 93.30 % (gap 5.5 points), validation loss 0.261');
    expect(v.reason).toContain('+0.63 points');
  });

  test('decideDropoutOverfit: holds only when the gap is read if validation accuracy moves by less than half a point; else does not hold', () => {
    const gapOnly = decideDropoutOverfit([accRun('none', 0.9267, 1), accRun('dropout', 0.9303, 0.9885)]);
    expect(gapOnly.outcome).toBe('holds only when');
    expect(gapOnly.condition).toContain('the gap is what you read');
    expect(gapOnly.reason).toContain('+0.36 points');
    expect(decideDropoutOverfit([accRun('none', 0.92, 1), accRun('dropout', 0.922, 0.995)]).outcome).toBe('does not hold here');
    expect(decideDropoutOverfit([accRun('none', 0.92, 1), { ...accRun('dropout', 0.1, 0.1), diverged: true }]).reason).toContain(
      'diverged',
    );
    expect(decideDropoutOverfit([accRun('none', 0.92, 1)]).reason).toContain('missing');
  });

  test('decideDropoutBeforeBn: holds when dropout before BN loses a point or more of validation accuracy', () => {
    const v = decideDropoutBeforeBn([accRun('after-norm', 0.9403, 0.9197), accRun('before-norm', 0.9203, 0.9173)]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('dropout after BN 94.03 %');
    expect(v.reason).toContain('difference -2.00 points');
    const small = decideDropoutBeforeBn([accRun('after-norm', 0.9403, 0.9197), accRun('before-norm', 0.934, 0.9173)]);
    expect(small.outcome).toBe('does not hold here');
    expect(small.reason).toContain('less than a point');
    expect(decideDropoutBeforeBn([accRun('after-norm', 0.94, 0.92)]).reason).toContain('missing');
  });
});

describe('dropout as an ensemble', () => {
  const result: SweepResult = {
    trainAccuracy: 0.99,
    validationAccuracy: 0.92,
    validationLoss: 0.3,
    testAccuracy: null,
    secondsPerEpoch: null,
  } as unknown as SweepResult;
  const withEnsemble = (scaled: number, points: [number, number, number][]): ClaimRun =>
    ({
      key: 'dropout 0.5',
      arm: 'dropout',
      position: null,
      seed: 1,
      diverged: false,
      result,
      epochs: [],
      kernelGradNorms: [],
      ensemble: { scaledAccuracy: scaled, ensembles: points.map(([samples, accuracy, agreement]) => ({ samples, accuracy, agreement })) },
    }) as ClaimRun;

  test('the plan keeps its model for the probe and asks for K = 1, 10, 100 on all test images', () => {
    const e = experimentNamed('dropout-ensemble');
    expect(planProblem(e.plan)).toBeNull();
    expect(expandPlan(e.plan)).toHaveLength(1);
    expect(e.plan.record.models).toBe(true);
    expect(e.plan.base.dropout).toBe(0.5);
    expect(e.ensembleProbe).toEqual({ samples: [1, 10, 100], limit: 10_000, seed: 1 });
  });

  test('holds when the most masks predict like the scaled network (within half a point, 99 % the same class), and quotes every K', () => {
    const v = decideDropoutEnsemble([
      withEnsemble(0.9194, [
        [1, 0.8971, 0.9407],
        [10, 0.914, 0.9843],
        [100, 0.9186, 0.9951],
      ]),
    ]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('Scaled network 91.94 %');
    expect(v.reason).toContain('1 mask 89.71 % (same class on 94.07 %)');
    expect(v.reason).toContain('100 masks 91.86 % (same class on 99.51 %)');
    expect(
      decideDropoutEnsemble([
        withEnsemble(0.9194, [
          [1, 0.8971, 0.9407],
          [100, 0.9186, 0.985],
        ]),
      ]).outcome,
    ).toBe('does not hold here');
    expect(decideDropoutEnsemble([withEnsemble(0.9194, [[100, 0.9, 0.995]])]).outcome).toBe('does not hold here');
    expect(decideDropoutEnsemble([{ ...withEnsemble(0.9, []), ensemble: undefined }]).reason).toMatch(/No run was tested/);
  });
});
