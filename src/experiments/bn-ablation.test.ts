import { describe, expect, test } from 'vitest';
import { expandPlan } from './plan';
import { accRun } from './regularization/testing';
import { bnAblation, bnAblationRelu, decideBnAblation } from './bn-ablation';

/** Made-up runs: no BN, full, center, scale, frozen-affine validation accuracies. */
const runs = (none: number, full: number, center: number, scale: number, frozen: number) =>
  [
    ['none', none],
    ['full', full],
    ['center', center],
    ['scale', scale],
    ['frozen-affine', frozen],
  ].map(([arm, v]) => accRun(arm as string, v as number, v as number));

describe('bn-ablation: decideBnAblation', () => {
  test('holds when γ, β frozen matches full BN within 2 points and centering alone and scaling alone both fall short', () => {
    const v = decideBnAblation(runs(0.1113, 0.8962, 0.1113, 0.5513, 0.8965));
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain(
      'Validation accuracy: no BN 11.13 %, full BN 89.62 %, centering only 11.13 %, scaling only 55.13 %, γ, β frozen 89.65 %.',
    );
    expect(v.reason).toContain('(a variant matches full BN within 2 points)');
    // 2 points below full BN still matches; a hair more does not.
    expect(decideBnAblation(runs(0.1, 0.9, 0.5, 0.5, 0.88)).outcome).toBe('holds');
    expect(decideBnAblation(runs(0.1, 0.9, 0.5, 0.5, 0.8799)).outcome).toBe('does not hold here');
  });

  test('does not hold here when one part alone matches full BN, or freezing γ, β falls short, and says which', () => {
    const center = decideBnAblation(runs(0.1583, 0.9095, 0.896, 0.278, 0.9058));
    expect(center.outcome).toBe('does not hold here');
    expect(center.reason).toContain('Here centering alone already matches full BN');
    const both = decideBnAblation(runs(0.1, 0.9, 0.89, 0.895, 0.7));
    expect(both.reason).toContain('centering and scaling alone already match full BN; freezing γ and β falls short of full BN');
    expect(decideBnAblation(runs(0.1, 0.9, 0.3, 0.3, 0.7)).reason).toContain('Here freezing γ and β falls short of full BN');
  });

  test('does not hold here when full BN gains less than 5 points over no BN, when it diverged, or when a run is missing', () => {
    expect(decideBnAblation(runs(0.88, 0.92, 0.5, 0.5, 0.92)).reason).toContain('Full BN is not 5 points above no BN');
    const diverged = runs(0.1, 0.9, 0.5, 0.5, 0.9).map((r) => (r.arm === 'full' ? { ...r, diverged: true } : r));
    expect(decideBnAblation(diverged).reason).toContain('full BN diverged');
    expect(decideBnAblation(runs(0.1, 0.9, 0.5, 0.5, 0.9).slice(0, 4)).reason).toContain('missing');
  });
});

describe('bn-ablation plans', () => {
  test('each expands to five runs on the same base, identical but for norm and bnAblation, all valid', () => {
    for (const e of [bnAblation, bnAblationRelu]) {
      const entries = expandPlan(e.plan);
      expect(entries.map((x) => x.key)).toEqual(['no BN', 'full BN', 'centering only', 'scaling only', 'γ, β frozen']);
      expect(entries.map((x) => [x.config.norm, x.config.bnAblation])).toEqual([
        ['none', 'full'],
        ['batch', 'full'],
        ['batch', 'center'],
        ['batch', 'scale'],
        ['batch', 'frozen-affine'],
      ]);
      const { norm: _n, bnAblation: _a, ...shared } = entries[0].config;
      for (const x of entries) expect(x.config).toMatchObject({ ...shared, hidden: [128, 128, 128, 128], epochs: 1, trainLimit: 4000 });
    }
    // Two experiments on one page: their questions (and so their queues' names) differ.
    expect(bnAblation.question).toContain('On the deep sigmoid network');
    expect(bnAblationRelu.question).toContain('On the deep ReLU network');
    expect(bnAblation.plan.base).toMatchObject({ activation: 'sigmoid', optimizer: 'sgd', lr: 0.1 });
    expect(bnAblationRelu.plan.base).toMatchObject({ activation: 'relu', optimizer: 'sgd', lr: 1 });
  });
});
