import { describe, expect, test } from 'vitest';
import { expandPlan, planProblem } from '../plan';
import { allExperiments, experimentNamed } from '../experiments';
import { dropoutExperiments, regularizationExperiments, weightDecayExperiments } from './index';

describe('the weight-decay plans', () => {
  test('pass the config validator, stay short enough for the page (≤ 160,000 training images seen per run, ≤ 1,000,000 in all: the decay curve’s 12 runs) and record diagnostics for their trace', () => {
    for (const e of weightDecayExperiments) {
      expect(planProblem(e.plan), e.name).toBeNull();
      const entries = expandPlan(e.plan);
      const seen = entries.map((entry) => (entry.config.trainLimit ?? 54_000) * entry.config.epochs);
      for (const [i, n] of seen.entries()) expect(n, entries[i].key).toBeLessThanOrEqual(160_000);
      expect(
        seen.reduce((a, b) => a + b, 0),
        e.name,
      ).toBeLessThanOrEqual(1_000_000);
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
});
