import { describe, expect, test } from 'vitest';
import { axisGrids, axisOf, bnArms } from './axes';
import { compareTimes, expandPlan, planGroupId, plannedRuns, planProblem, verdictOf, type ExperimentPlan } from './plan';

const plan = (fields: Partial<ExperimentPlan> = {}): ExperimentPlan => ({
  widget: 'w',
  base: {},
  arms: bnArms,
  axis: null,
  seeds: [1],
  record: {},
  chart: 'curves',
  ...fields,
});

describe('expandPlan(plan)', () => {
  test('gives arms × axis values × seeds in run order, arms of one point back to back, each config validated and merged over the base', () => {
    const entries = expandPlan(plan({ base: { hidden: [64], epochs: 1 }, axis: axisOf('lr', [0.01, 1]), seeds: [1, 2] }));
    expect(entries.map((e) => e.key)).toEqual([
      'lr 0.01 · no BN · seed 1',
      'lr 0.01 · BN · seed 1',
      'lr 0.01 · no BN · seed 2',
      'lr 0.01 · BN · seed 2',
      'lr 1 · no BN · seed 1',
      'lr 1 · BN · seed 1',
      'lr 1 · no BN · seed 2',
      'lr 1 · BN · seed 2',
    ]);
    expect(entries[5].config).toMatchObject({ lr: 1, norm: 'batch', seed: 1, hidden: [64], epochs: 1, batchSize: 32 });
    expect(entries.map((e) => e.position)).toEqual([0.01, 0.01, 0.01, 0.01, 1, 1, 1, 1]);
  });

  test('a plan without an axis is one run per arm; a depth axis repeats the base width', () => {
    expect(expandPlan(plan()).map((e) => [e.key, e.config.norm, e.position])).toEqual([
      ['no BN', 'none', null],
      ['BN', 'batch', null],
    ]);
    const deep = expandPlan(plan({ arms: [bnArms[1]], axis: axisOf('depth', [1, 4], 256) }));
    expect(deep.map((e) => [e.key, e.config.hidden, e.position])).toEqual([
      ['1 × 256 · BN', [256], 1],
      ['4 × 256 · BN', [256, 256, 256, 256], 4],
    ]);
  });

  test('refuses bad combinations with the run name and the engine message (batch 1 with BN, a bad setting, no arms)', () => {
    expect(() => expandPlan(plan({ axis: axisOf('batch', [1, 32]) }))).toThrow(/^batch 1 · BN: batchSize 1 with norm 'batch' cannot train/);
    expect(planProblem(plan({ base: { lr: 20 } }))).toMatch(/^no BN: lr must be in \(0, 10\], received 20/);
    expect(planProblem(plan())).toBeNull();
    expect(() => expandPlan(plan({ arms: [] }))).toThrow(/at least one arm, received none/);
    expect(() => expandPlan(plan({ arms: [bnArms[0], bnArms[0]] }))).toThrow(/two runs are both called 'no BN'/);
  });

  test('every grid value of every axis expands to a valid run with and without BN (batch 2 is the smallest)', () => {
    for (const name of ['lr', 'batch', 'depth', 'init'] as const) {
      expect(expandPlan(plan({ axis: axisOf(name, axisGrids[name]) }))).toHaveLength(2 * axisGrids[name].length);
    }
  });
});

describe('verdictOf(entries, compute)', () => {
  const e = (key: string, state: string, result: number | null = null) => ({ key, state, result });

  test('is pending while any run is pending or running, so it never flips mid-run', () => {
    let calls = 0;
    const compute = () => ++calls;
    expect(verdictOf([e('a', 'done', 1), e('b', 'running')], compute)).toEqual({ state: 'pending' });
    expect(verdictOf([], compute)).toEqual({ state: 'pending' });
    expect(calls).toBe(0);
  });

  test('is decided from the finished results only, or incomplete naming the run that did not finish', () => {
    expect(verdictOf([e('a', 'done', 0.9), e('b', 'done', 0.95)], (r) => r.get('b')! > r.get('a')!)).toEqual({
      state: 'decided',
      value: true,
    });
    expect(verdictOf([e('a', 'done', 0.9), e('b', 'cancelled')], () => true)).toEqual({
      state: 'incomplete',
      reason: 'b did not finish (cancelled)',
    });
  });
});

describe('compareTimes(a, b)', () => {
  test('says a difference is within noise when it is smaller than the spread between repeats (or 5 %)', () => {
    expect(compareTimes([10, 10.2], [10.3, 10.3])).toMatchObject({ withinNoise: true });
    expect(compareTimes([10, 14], [12.5, 12.6])).toMatchObject({ withinNoise: true });
    const clear = compareTimes([10, 10.1], [13, 13.1])!;
    expect(clear.withinNoise).toBe(false);
    expect(clear.ratio).toBeCloseTo(13.05 / 10.05 - 1, 10);
    expect(compareTimes([], [1])).toBeNull();
  });

  test('with one run a side the noise is not known: neither within nor beyond it', () => {
    expect(compareTimes([10], [17.4])).toEqual({ ratio: expect.closeTo(0.74, 10), noise: null, withinNoise: null });
    expect(compareTimes([10, 10.1], [6])).toMatchObject({ noise: null, withinNoise: null });
  });
});

describe('planGroupId / plannedRuns', () => {
  test('a group id carries the planned run count; older ids have none', () => {
    const id = planGroupId('batch-sweep', 10, 1_700_000_000_000);
    expect(id).toMatch(/^batch-sweep-[0-9a-z]+-n10$/);
    expect(plannedRuns(id)).toBe(10);
    expect(plannedRuns('batch-sweep-loyw3v')).toBeNull();
  });
});
