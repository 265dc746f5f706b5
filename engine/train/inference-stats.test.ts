import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from './config.ts';
import { evaluate } from './evaluate.ts';
import { evaluateWithBatchStats, evaluateWithStats, recalibratedStats } from './inference-stats.ts';
import { createSession } from './session.ts';
import { toyDigits } from '../testing/toy-digits.ts';

const train = toyDigits(640, 1);
const test = toyDigits(300, 2);

function trained(bnMomentum: number, epochs = 1) {
  const s = createSession(parseTrainConfig({ norm: 'batch', hidden: [32, 32], dropout: 0.2, bnMomentum, epochs }), { train });
  while (!s.done) s.step();
  return s.model;
}

describe('BN inference statistics', () => {
  it('recalibratedStats are the population mean and variance of each BN input (hand-checked for the first layer), and leave the model unchanged', () => {
    const model = trained(0.99);
    const bn = model.layers.find((l) => l.layer.kind === 'BatchNormalization')!;
    const movingBefore = (bn.layer as unknown as { movingMean: Float32Array }).movingMean.slice();
    const [first] = recalibratedStats(model, train, { batchSize: 640 });
    // With one batch of all rows, the population statistics are that batch's statistics: recompute from the Dense output.
    const x = new Float32Array(640 * 40);
    for (let i = 0; i < x.length; i++) x[i] = train.images[i] / 255;
    const dense = model.layers[0].layer.forward(x, 640, 'eval');
    const H = 32;
    for (const h of [0, 7, 31]) {
      let m = 0;
      for (let n = 0; n < 640; n++) m += dense[n * H + h];
      m /= 640;
      let v = 0;
      for (let n = 0; n < 640; n++) v += (dense[n * H + h] - m) ** 2;
      expect(first.mean[h]).toBeCloseTo(m, 4);
      expect(first.variance[h]).toBeCloseTo(v / 640, 4);
    }
    expect((bn.layer as unknown as { movingMean: Float32Array }).movingMean).toEqual(movingBefore);
    expect(first.name).toBe('batch_normalization');
  });

  it('with momentum close to 1 the running averages lag behind the recalibrated statistics; evaluating with either leaves the model as it was', () => {
    const gap = (bnMomentum: number) => {
      const model = trained(bnMomentum);
      const bn = model.layers.find((l) => l.layer.kind === 'BatchNormalization')!.layer as unknown as { movingMean: Float32Array };
      const [first] = recalibratedStats(model, train);
      return first.mean.reduce((s, m, h) => s + Math.abs(m - bn.movingMean[h]), 0) / first.mean.length;
    };
    expect(gap(0.999)).toBeGreaterThan(3 * gap(0.9));
    const model = trained(0.999);
    const running = evaluate(model, test);
    evaluateWithStats(model, test, recalibratedStats(model, train));
    evaluateWithBatchStats(model, test, 8);
    expect(evaluate(model, test)).toEqual(running);
  });

  it('batch statistics at test time depend on the batch: batch 1 collapses to one answer, large batches come close to (b)', () => {
    const model = trained(0.99, 3);
    const one = evaluateWithBatchStats(model, test, 1);
    const big = evaluateWithBatchStats(model, test, 256);
    const recalibrated = evaluateWithStats(model, test, recalibratedStats(model, train));
    expect(one.accuracy).toBeLessThan(0.3);
    expect(big.accuracy).toBeGreaterThan(0.8);
    expect(Math.abs(big.accuracy - recalibrated.accuracy)).toBeLessThan(0.1);
    expect(() => recalibratedStats(createSession(parseTrainConfig({ hidden: [4] }), { train }).model, train)).toThrow(
      /no BatchNormalization layer/,
    );
  });
});
