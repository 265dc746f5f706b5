import { describe as group, expect, test } from 'vitest';
import { groupNorm } from '@engine/layers/group-norm.ts';
import { gridRows } from './grid';
import { describe, groupChoices, statisticCount, statistics, statisticOf, valuesBehind, type Geometry } from './model';

const conv1: Geometry = { batch: 2, height: 26, width: 26, channels: 8 };

group('norm axes: which cells share a statistic', () => {
  test('the count behind one statistic is N·H·W for BN, C·H·W for LayerNorm, H·W for InstanceNorm, (C/G)·H·W for GroupNorm', () => {
    expect(valuesBehind('batch', 1, conv1).count).toBe(1352);
    expect(valuesBehind('layer', 1, conv1).count).toBe(5408);
    expect(valuesBehind('instance', 1, conv1).count).toBe(676);
    expect(valuesBehind('group', 4, conv1).count).toBe(1352);
    expect(describe('batch', 1, conv1)).toBe(
      'BatchNorm: one mean and variance per channel, shared by all 2 examples of the batch — 8 statistics, each over N · H · W = 2 × 26 × 26 = 1,352 values.',
    );
    expect(describe('batch', 1, { ...conv1, batch: 1 })).toMatch(/refuses to train BN at batch 1/);
  });

  test('every method partitions the N × C cells into its statistics, each the same size, and the counts add up to N·C·H·W', () => {
    for (const [method, groups] of [
      ['batch', 1],
      ['layer', 1],
      ['instance', 1],
      ['group', 1],
      ['group', 2],
      ['group', 8],
    ] as const) {
      const k = statisticCount(method, groups, conv1);
      const sizes = new Array<number>(k).fill(0);
      for (let n = 0; n < conv1.batch; n++) for (let c = 0; c < conv1.channels; c++) sizes[statisticOf(method, groups, conv1, n, c)]++;
      expect(new Set(sizes).size, `${method} ${groups}`).toBe(1);
      expect(k * valuesBehind(method, groups, conv1).count).toBe(2 * 26 * 26 * 8);
    }
    // G = 1 is LayerNorm, G = C is InstanceNorm.
    const same = (a: Parameters<typeof statisticOf>, b: Parameters<typeof statisticOf>) =>
      expect(statisticOf(...a)).toBe(statisticOf(...b));
    same(['group', 1, conv1, 1, 5], ['layer', 1, conv1, 1, 5]);
    same(['group', 8, conv1, 1, 5], ['instance', 1, conv1, 1, 5]);
    expect(groupChoices(8)).toEqual([1, 2, 4, 8]);
    expect(() => statisticOf('group', 3, conv1, 0, 0)).toThrow('norm axes: groups must divide the 8 channels, received 3');
  });

  test('gridRows marks exactly the cells that share the chosen cell’s statistic', () => {
    const rows = gridRows(conv1, { method: 'group', groups: 2, n: 1, c: 5 });
    const marked = rows
      .flat()
      .filter((c) => c.selected)
      .map((c) => `${c.n},${c.c}`);
    expect(marked).toEqual(['1,4', '1,5', '1,6', '1,7']);
    expect(
      gridRows(conv1, { method: 'batch', groups: 1, n: 0, c: 3 })
        .flat()
        .filter((c) => c.selected)
        .map((c) => c.n),
    ).toEqual([0, 1]);
  });

  test('statistics on real activations are the engine’s GroupNorm statistics (x̂ of its output reproduced)', () => {
    const g: Geometry = { batch: 2, height: 3, width: 2, channels: 4 };
    const x = Float32Array.from({ length: 48 }, (_, i) => Math.sin(i * 1.7) * 3 + (i % 4));
    const stats = statistics({ ...g, x }, 'group', 2);
    const layer = groupNorm({ rows: 3, cols: 2, channels: 4 }, 2);
    const y = layer.forward(x, 2, 'eval');
    for (let i = 0; i < x.length; i++) {
      const n = Math.floor(i / 24);
      const c = i % 4;
      const s = stats[statisticOf('group', 2, g, n, c)];
      expect(y[i]).toBeCloseTo((x[i] - s.mean) / Math.sqrt(s.variance + layer.epsilon), 4);
    }
    expect(() => statistics({ ...g, x: x.subarray(1) }, 'batch', 1)).toThrow('must hold N·H·W·C = 48 values, received 47');
  });
});
