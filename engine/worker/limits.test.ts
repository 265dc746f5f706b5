import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../train/config.ts';
import { checkRunCost, estimateRunCost, evaluationSliceRows, maxStepMacs } from './limits.ts';

const cost = (settings: object) => estimateRunCost(parseTrainConfig(settings), 784, 10, 54000);

describe('run limits', () => {
  it('estimateRunCost counts the classic model: 101,770 parameters, 3 × 32 × 101,632 multiply-adds a step', () => {
    const c = cost({});
    expect(c.params).toBe(101_770);
    expect(c.weights).toBe(784 * 128 + 128 * 10);
    expect(c.stepMacs).toBe(3 * 32 * c.weights);
    expect(c.bytes).toBeGreaterThan(c.params * 20);
    expect(checkRunCost(c)).toBeNull();
  });

  it('checkRunCost lets every widget setting through (batch up to 256, 4 × 128 with BN)', () => {
    for (const settings of [
      { batchSize: 256 },
      { hidden: [128, 128, 128, 128], norm: 'batch', batchSize: 256 },
      { hidden: [512, 512], batchSize: 64 },
    ]) {
      expect(checkRunCost(cost(settings)), JSON.stringify(settings)).toBeNull();
    }
  });

  it('checkRunCost refuses the 255 M-parameter model by memory and a wide fast model by step cost', () => {
    expect(checkRunCost(cost({ hidden: Array(16).fill(4096), batchSize: 4096 }))).toMatch(
      /needs about [\d,]+ MB \(254,976,010 parameters\), more than the 256 MB/,
    );
    expect(checkRunCost(cost({ hidden: [1024], batchSize: 256 }))).toMatch(
      /one training step of this model needs about 624 M multiply-adds, more than the 300 M/,
    );
  });

  it('evaluationSliceRows keeps an evaluation slice within half of the step limit', () => {
    expect(evaluationSliceRows(cost({}))).toBe(1000);
    const wide = cost({ hidden: [2048, 2048], batchSize: 1 });
    expect(evaluationSliceRows(wide) * wide.weights).toBeLessThanOrEqual(maxStepMacs / 2);
    expect(evaluationSliceRows({ weights: 1e12 })).toBe(1);
  });

  it('estimateRunCost counts a ConvNet from its plan: 3 × batch × forward multiply-adds, activations per image, smaller evaluation slices', () => {
    const c = cost({ model: 'cnn', norm: 'batch' });
    // Forward per image: 26·26·8·9 + 11·11·16·72 + 400·10 = 192,064 multiply-adds (hand count in model/plan.test.ts).
    expect(c).toMatchObject({ params: 5330, weights: 192_064, stepMacs: 3 * 32 * 192_064 });
    // 23,794 layer outputs per image, ×2 in evaluation plus the 784 input values: 330 rows fit in 64 MB.
    expect(evaluationSliceRows(c)).toBe(Math.floor(64e6 / 4 / (2 * 23_794 + 784)));
    expect(c.bytes).toBeGreaterThan(64e6);
    expect(checkRunCost(c)).toBeNull();
    expect(checkRunCost(cost({ model: 'cnn', norm: 'batch', batchSize: 256 }))).toBeNull();
    expect(checkRunCost(cost({ model: 'cnn', conv: [32, 64], kernel: 5, padding: 'same', batchSize: 64 }))).toMatch(
      /needs about 2053 M multiply-adds/,
    );
    expect(checkRunCost(cost({ model: 'cnn', conv: [64, 128], kernel: 5, padding: 'same', batchSize: 256 }))).toMatch(
      /needs about 531 MB \(269,322 parameters\)/,
    );
  });
});
