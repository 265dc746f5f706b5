import { describe, expect, test } from 'vitest';
import { axisOf, bnArms } from './axes';
import { parallelRuns } from './lanes';
import type { ExperimentPlan } from './plan';

const sweep = (sizes: number[], extra: Partial<ExperimentPlan> = {}): ExperimentPlan => ({
  widget: 'lanes-test',
  base: { epochs: 1, trainLimit: 3000 },
  arms: bnArms,
  axis: axisOf('batch', sizes),
  seeds: [1],
  record: {},
  chart: 'sweep',
  ...extra,
});

describe('parallelRuns(plan, device)', () => {
  test('uses every core below four and leaves one for the page from four on', () => {
    const plan = sweep([16, 32, 64, 128, 256]);
    expect([1, 2, 3, 4, 8, 16].map((cores) => parallelRuns(plan, { cores }))).toEqual([1, 2, 3, 3, 7, 10]);
  });

  test('never runs more at once than the plan has runs, and a sequential plan one at a time', () => {
    expect(parallelRuns(sweep([32]), { cores: 8 })).toBe(2);
    expect(parallelRuns(sweep([16, 32, 64]), { cores: 8 })).toBe(6);
    expect(parallelRuns(sweep([16, 32, 64], { sequential: true }), { cores: 8 })).toBe(1);
    expect(parallelRuns({ ...sweep([32]), arms: bnArms.slice(1) }, { cores: 8 })).toBe(1);
  });

  test('fits the workers into the memory budget: a quarter of the device memory, at most 1 GB', () => {
    const plan = sweep([16, 32, 64, 128, 256]);
    // Each worker holds the data set (60 MB) and a small run (~10 MB): 0.6 GB of device memory leaves 150 MB, room for 2.
    expect(parallelRuns(plan, { cores: 16, memoryGb: 0.6 })).toBe(2);
    expect(parallelRuns(plan, { cores: 16, memoryGb: 0.25 })).toBe(1);
    // A wide model takes more per worker.
    const wide = { ...plan, base: { ...plan.base, hidden: [512, 512, 512, 512, 512, 512, 512, 512] } };
    expect(parallelRuns(wide, { cores: 16 })).toBeLessThan(parallelRuns(plan, { cores: 16 }));
  });
});
