import { describe, expect, test } from 'vitest';
import type { ClaimRun } from './claim';
import {
  chanceLoss,
  decideInitFirst,
  decideReluInit,
  initFirst,
  initFirstRelu,
  initialSaturation,
  soundStart,
  spreadKept,
} from './init-first';
import { expandPlan } from './plan';

/** A made-up run of one arm: its first loss, the saturated share of each tanh layer at the first frame, its validation accuracy. */
const run = (arm: string, initialLoss: number | null, saturated: readonly number[], validation: number): ClaimRun => ({
  key: arm,
  arm,
  position: null,
  seed: 1,
  diverged: false,
  result: {
    validationAccuracy: validation,
    validationLoss: 0.3,
    trainAccuracy: 0.9,
    testAccuracy: null,
    secondsPerEpoch: 1,
    samplesPerSecond: 1000,
  },
  epochs: [],
  kernelGradNorms: [],
  initialLoss,
  outputFrames: [
    {
      step: 1,
      layers: [
        ...saturated.map((s) => ({ kind: 'Activation', mean: 0, std: 0.5, saturated: s })),
        { kind: 'Dense', mean: 0, std: 1, saturated: null },
      ],
    },
    { step: 40, layers: saturated.map(() => ({ kind: 'Activation', mean: 0, std: 0.5, saturated: 0 })) },
  ],
});

const careless = run('careless', 4.1, [0.5, 0.6, 0.6, 0.7], 0.86);
const glorot = run('glorot', 2.35, [0.01, 0.02, 0.02, 0.03], 0.9);
const he = run('he', 2.6, [0.1, 0.15, 0.15, 0.2], 0.89);
const bn = run('careless-bn', 3.2, [0.04, 0.04, 0.04, 0.04], 0.905);

describe('init-first: the plan, initialSaturation and decideInitFirst', () => {
  test('the plan trains the same 4 × 128 tanh network four ways, recording diagnostics from the first step', () => {
    const configs = expandPlan(initFirst.plan).map((e) => e.config);
    expect(configs.map((c) => [c.init, c.initScale, c.norm])).toEqual([
      ['glorot-uniform', 3, 'none'],
      ['glorot-uniform', 1, 'none'],
      ['he-normal', 1, 'none'],
      ['glorot-uniform', 3, 'batch'],
    ]);
    for (const c of configs)
      expect(c).toMatchObject({ hidden: [128, 128, 128, 128], activation: 'tanh', dropout: 0, epochs: 1, trainLimit: 4000, seed: 1 });
    expect(initFirst.plan.record.diagnostics).toBeDefined();
  });

  test('initialSaturation averages the tanh layers of the first frame only; soundStart is within 0.5 of ln 10 and ≤ 10 % saturated', () => {
    expect(initialSaturation(careless)).toBeCloseTo(0.6, 9);
    expect(initialSaturation({ ...careless, outputFrames: [] })).toBeNull();
    expect(chanceLoss).toBeCloseTo(2.302585, 6);
    expect(soundStart(2.8, 0.1)).toBe(true);
    expect(soundStart(2.81, 0.05)).toBe(false);
    expect(soundStart(2.3, 0.11)).toBe(false);
  });

  test('holds when Glorot starts soundly, ×3 does not, and Glorot ends within a point of ×3 with BN', () => {
    const v = decideInitFirst([careless, glorot, he, bn]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain(
      'ln 10 = 2.30. Glorot ×3: first loss 4.10, 60.0 % of tanh outputs saturated (by layer 50.0, 60.0, 60.0, 70.0 %), validation 86.00 %',
    );
    expect(v.reason).toContain('He normal: first loss 2.60, 15.0 % of tanh outputs saturated');
    expect(v.reason).toContain('ends 0.50 points below the careless scale with BN');
  });

  test('holds only when looking at the start when BN ends more than a point ahead; does not hold when nothing needed fixing or Glorot starts badly', () => {
    const ahead = decideInitFirst([careless, glorot, he, run('careless-bn', 3.2, [0.04], 0.92)]);
    expect(ahead.outcome).toBe('holds only when');
    expect(ahead.condition).toContain('you look at the start');
    expect(decideInitFirst([run('careless', 2.4, [0.05], 0.9), glorot, he, bn]).reason).toContain('nothing for a principled gain to fix');
    expect(decideInitFirst([careless, run('glorot', 3.0, [0.01], 0.9), he, bn]).reason).toContain('Glorot does not start soundly');
  });

  test('a missing or diverged run, or a run without its first loss, decides nothing', () => {
    expect(decideInitFirst([careless, glorot, he]).reason).toContain('missing');
    expect(decideInitFirst([careless, glorot, he, { ...bn, diverged: true }]).reason).toContain('diverged');
    expect(decideInitFirst([careless, run('glorot', null, [0.01], 0.9), he, bn]).reason).toContain('no first loss');
  });
});

/** A made-up ReLU run: the spread of each hidden ReLU layer's outputs at the first frame, and its validation accuracy. */
const reluRun = (arm: string, spreads: readonly number[], validation: number): ClaimRun => ({
  ...run(arm, 2.3, [], validation),
  outputFrames: [
    {
      step: 1,
      layers: spreads.flatMap((std) => [
        { kind: 'Dense', mean: 0, std: 2 * std, saturated: null },
        { kind: 'Activation', mean: std, std, saturated: null },
      ]),
    },
  ],
});

describe('init-first-relu: spreadKept and decideReluInit', () => {
  test('the plan trains the 4 × 128 ReLU network with Glorot, He normal and Glorot + BN', () => {
    const configs = expandPlan(initFirstRelu.plan).map((e) => e.config);
    expect(configs.map((c) => [c.init, c.norm, c.activation])).toEqual([
      ['glorot-uniform', 'none', 'relu'],
      ['he-normal', 'none', 'relu'],
      ['glorot-uniform', 'batch', 'relu'],
    ]);
  });

  test('spreadKept is the last hidden ReLU layer’s spread over the first’s, read from the Activation layers', () => {
    expect(spreadKept(reluRun('glorot', [0.8, 0.56, 0.4, 0.28], 0.9))).toBeCloseTo(0.35, 9);
    expect(spreadKept(reluRun('glorot', [0.8], 0.9))).toBeNull();
  });

  test('holds when He keeps half the spread and Glorot does not; does not hold when both keep it or a run is missing', () => {
    const glorot = reluRun('glorot', [0.8, 0.56, 0.4, 0.28], 0.91);
    const he = reluRun('he', [1.1, 1.1, 1.05, 1.0], 0.915);
    const bn = reluRun('glorot-bn', [0.58, 0.58, 0.58, 0.58], 0.92);
    const v = decideReluInit([glorot, he, bn]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain(
      'Glorot: spread of the ReLU outputs by layer 0.800, 0.560, 0.400, 0.280 (last ÷ first 0.35), validation 91.00 %',
    );
    expect(decideReluInit([reluRun('glorot', [0.8, 0.7, 0.6, 0.5], 0.91), he, bn]).reason).toContain('Glorot keeps the signal too');
    expect(decideReluInit([glorot, he]).reason).toContain('missing');
  });
});
