import { describe, expect, test } from 'vitest';
import { expandPlan, planProblem } from './plan';
import type { QueueEntry } from './queue';
import { claimVerdict, type ClaimRun } from './claim';
import { clipThreshold, clippingExperiments, clippingSettings, decideClipping } from './clipping';
import { allExperiments, experimentNamed } from './experiments';

const run = (arm: string, outcome: number | 'diverged'): ClaimRun => ({
  key: arm,
  arm,
  position: null,
  seed: 1,
  diverged: outcome === 'diverged',
  result: {
    validationAccuracy: outcome === 'diverged' ? null : outcome,
    validationLoss: null,
    trainAccuracy: null,
    testAccuracy: null,
    secondsPerEpoch: 1,
    samplesPerSecond: 1000,
  },
  epochs: [],
  kernelGradNorms: [],
});

/** One run per arm: [sgd-2, sgd-2-clip, sgd-10, sgd-10-clip, adam-1, adam-1-clip]. */
const runs = (...outcomes: (number | 'diverged')[]) =>
  clippingSettings.flatMap((s, i) => [run(s.id, outcomes[2 * i]), run(`${s.id}-clip`, outcomes[2 * i + 1])]);

describe('the clipping experiment', () => {
  const [experiment] = clippingExperiments;

  test('its plan passes the config validator: six short runs, each setting without and with the global norm clipped at 1', () => {
    expect(planProblem(experiment.plan)).toBeNull();
    const entries = expandPlan(experiment.plan);
    expect(entries.map((e) => e.key)).toEqual([
      'SGD lr 2',
      'SGD lr 2, clipped',
      'SGD lr 10',
      'SGD lr 10, clipped',
      'Adam lr 1',
      'Adam lr 1, clipped',
    ]);
    for (const e of entries) {
      expect(e.config.trainLimit, e.key).toBeLessThanOrEqual(2000);
      expect(e.config.norm).toBe('none');
      expect(e.config.clipNorm, e.key).toBe(e.arm.id.endsWith('-clip') ? clipThreshold : null);
      expect(e.config.clipValue).toBeNull();
    }
    expect(experiment.plan.widget).toBe(`claim-${experiment.name}`);
  });

  test('experimentNamed(name) finds it beside the claims of lesson 12, and names stay unique', () => {
    expect(experimentNamed('clipping-divergence')).toBe(experiment);
    expect(experimentNamed('lr-headroom').claim).toBe(2);
    expect(new Set(allExperiments.map((e) => e.name)).size).toBe(allExperiments.length);
    expect(() => experimentNamed('nope')).toThrow(/no plan named 'nope', expected one of .*clipping-divergence/);
  });

  test('decideClipping holds only for SGD when the Adam blow-up survives clipping (what the engine measures)', () => {
    const v = decideClipping(runs(0.159, 0.804, 'diverged', 0.105, 'diverged', 'diverged'));
    expect(v.outcome).toBe('holds only when');
    expect(v.condition).toBe('the optimizer is plain SGD');
    expect(v.reason).toContain('SGD lr 2: 15.9 % (near chance) / 80.4 %');
    expect(v.reason).toContain('SGD lr 10: diverged / 10.5 % (near chance)');
    expect(v.reason).toContain('Adam lr 1 blew up with clipping too');
    expect(v.reason).toContain('Clipping turned SGD lr 2 into a run that learns');
    expect(v.reason).toContain('SGD lr 10 no longer blew up with clipping, but did not learn either');
  });

  test('decideClipping holds when every blow-up is prevented, and does not when none is or none happened', () => {
    expect(decideClipping(runs(0.9, 0.9, 'diverged', 0.6, 'diverged', 0.7)).outcome).toBe('holds');
    const none = decideClipping(runs(0.9, 0.9, 'diverged', 'diverged', 'diverged', 'diverged'));
    expect(none.outcome).toBe('does not hold here');
    expect(none.reason).toContain('SGD lr 10 and Adam lr 1 blew up with clipping too');
    const untested = decideClipping(runs(0.2, 0.8, 0.1, 0.1, 0.9, 0.9));
    expect(untested.outcome).toBe('does not hold here');
    expect(untested.reason).toContain('No run blew up without clipping');
  });

  test('a mixed result names the settings where clipping helped', () => {
    const v = decideClipping(runs(0.9, 0.9, 'diverged', 'diverged', 'diverged', 0.3));
    expect(v).toMatchObject({ outcome: 'holds only when', condition: 'the setting is Adam lr 1' });
  });

  test('its verdict stays pending until the last run ends, and reads a diverged run as an outcome', () => {
    const entries = expandPlan(experiment.plan);
    const result = {
      validationAccuracy: 0.8,
      validationLoss: 0.5,
      trainAccuracy: 0.8,
      testAccuracy: null,
      secondsPerEpoch: 1,
      samplesPerSecond: 1000,
    };
    const queue: QueueEntry[] = entries.map((e) => ({
      key: e.key,
      arm: e.arm.id,
      armLabel: e.arm.label,
      position: null,
      state: 'done',
      runId: e.key,
      result,
      error: null,
    }));
    const extras = () => ({ seed: 1, epochs: [], kernelGradNorms: [] });
    expect(claimVerdict(experiment, [...queue.slice(0, 5), { ...queue[5], state: 'running', result: null }], extras)).toEqual({
      state: 'pending',
    });
    const diverged = queue.map((q) =>
      q.arm === 'sgd-10' ? { ...q, state: 'failed' as const, error: 'diverged at step 3: the loss became 4489' } : q,
    );
    const v = claimVerdict(experiment, diverged, extras);
    expect(v.state).toBe('decided');
    if (v.state === 'decided') expect(v.value.outcome).toBe('holds');
  });
});
