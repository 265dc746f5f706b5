import { describe, expect, test } from 'vitest';
import { expandPlan, planProblem } from '../plan';
import { claimExperiments } from './index';

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
      expect(e.plan.chart === 'landscape', e.name).toBe(e.plan.record.landscape !== undefined);
      expect(e.plan.widget).toBe(`claim-${e.name}`);
    }
  });
});
