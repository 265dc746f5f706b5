import { describe, expect, it } from 'vitest';
import { fillBatch, type Dataset } from '../data/mnist.ts';
import type { Dense } from '../layers/dense.ts';
import type { BatchNorm } from '../layers/batch-norm.ts';
import { createRandom } from '../random.ts';
import { parseTrainConfig, type TrainConfig } from './config.ts';
import { dropoutEnsemble } from './dropout-ensemble.ts';
import { evaluate } from './evaluate.ts';
import { createSession } from './session.ts';
import { toyDigits } from '../testing/toy-digits.ts';

const train = toyDigits(640, 1);
const test = toyDigits(300, 2);

function trained(settings: Partial<TrainConfig>) {
  const s = createSession(parseTrainConfig({ hidden: [24], dropout: 0.5, epochs: 1, backend: 'ts', ...settings }), { train });
  while (!s.done) s.step();
  return s.model;
}

/** Dense → ReLU → Dropout → Dense by hand: the K-mask average of softmax, masks drawn row by row from createRandom(seed). */
function referenceAverage(model: ReturnType<typeof trained>, set: Dataset, K: number, seed: number) {
  const [d1, , drop, d2] = model.layers.map((l) => l.layer) as [Dense, unknown, { rate: number }, Dense];
  const D = set.features;
  const H = d1.b.value.length;
  const C = d2.b.value.length;
  const x = new Float32Array(set.count * D);
  const y = new Uint8Array(set.count);
  fillBatch(set, null, 0, set.count, x, y);
  const random = createRandom(seed);
  const p = drop.rate;
  const hidden = new Float64Array(set.count * H);
  for (let r = 0; r < set.count; r++) {
    for (let h = 0; h < H; h++) {
      let z = d1.b.value[h];
      for (let i = 0; i < D; i++) z += x[r * D + i] * d1.W.value[i * H + h];
      hidden[r * H + h] = Math.max(0, z);
    }
  }
  const sum = new Float64Array(set.count * C);
  for (let k = 0; k < K; k++) {
    const mask = Float64Array.from({ length: set.count * H }, () => (random() >= p ? 1 / (1 - p) : 0));
    for (let r = 0; r < set.count; r++) {
      const logits = Array.from({ length: C }, (_, c) => {
        let z = d2.b.value[c];
        for (let h = 0; h < H; h++) z += hidden[r * H + h] * mask[r * H + h] * d2.W.value[h * C + c];
        return z;
      });
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const s = e.reduce((a, b) => a + b, 0);
      e.forEach((v, c) => (sum[r * C + c] += v / s));
    }
  }
  let correct = 0;
  for (let r = 0; r < set.count; r++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (sum[r * C + c] > sum[r * C + best]) best = c;
    if (best === y[r]) correct++;
  }
  return correct / set.count;
}

describe('dropoutEnsemble', () => {
  it('dropoutEnsemble(model, set) averages the softmax of K masked passes like a hand-written Dense → ReLU → Dropout → Dense', () => {
    const model = trained({});
    const r = dropoutEnsemble(model, test, { samples: [1, 3, 8], seed: 7, batchSize: test.count });
    for (const [i, K] of [1, 3, 8].entries()) expect(r.ensembles[i].accuracy).toBeCloseTo(referenceAverage(model, test, K, 7), 6);
  });

  it('dropoutEnsemble reports the scaled network as evaluate does, leaves the model unchanged and is fixed by its seed', () => {
    const model = trained({});
    const before = evaluate(model, test);
    const a = dropoutEnsemble(model, test, { samples: [1, 20], seed: 3, batchSize: 64 });
    expect(a.scaledAccuracy).toBe(before.accuracy);
    expect(evaluate(model, test)).toEqual(before);
    expect(dropoutEnsemble(model, test, { samples: [1, 20], seed: 3, batchSize: 64 })).toEqual(a);
    const other = dropoutEnsemble(model, test, { samples: [1, 20], seed: 4, batchSize: 64 });
    expect(other.ensembles[0]).not.toEqual(a.ensembles[0]);
  });

  it('dropoutEnsemble: one mask disagrees with the scaled network more often than an average of many masks', () => {
    const model = trained({});
    const r = dropoutEnsemble(model, test, { samples: [1, 200], seed: 1 });
    expect(r.ensembles[0].agreement).toBeLessThan(r.ensembles[1].agreement);
    expect(r.ensembles[1].agreement).toBeGreaterThan(0.9);
  });

  it('dropoutEnsemble: with a tiny rate every mask keeps every unit, so the average is the scaled network', () => {
    const model = trained({});
    model.setDropout(1e-9);
    const r = dropoutEnsemble(model, test, { samples: [1, 5] });
    for (const e of r.ensembles) expect(e).toEqual({ samples: e.samples, accuracy: r.scaledAccuracy, agreement: 1 });
  });

  it('dropoutEnsemble keeps BN in eval mode and its moving statistics unchanged (dropout before BN)', () => {
    const model = trained({ norm: 'batch', dropoutPlacement: 'before-norm', bnMomentum: 0.5, epochs: 3 });
    const bn = model.layers.find((l) => l.layer.kind === 'BatchNormalization')!.layer as BatchNorm;
    const mean = bn.movingMean.slice();
    const variance = bn.movingVariance.slice();
    // With one mask, rows one at a time draw the same masks as all rows at once; BN with batch statistics would differ (one row normalizes to β).
    const alone = dropoutEnsemble(model, test, { samples: [1], batchSize: 1 });
    const together = dropoutEnsemble(model, test, { samples: [1], batchSize: test.count });
    expect(alone).toEqual(together);
    expect(alone.ensembles[0].accuracy).toBeGreaterThan(0.1);
    expect(bn.movingMean).toEqual(mean);
    expect(bn.movingVariance).toEqual(variance);
  });

  it('dropoutEnsemble rejects a model without dropout and a bad list of samples, naming what it received', () => {
    expect(() => dropoutEnsemble(trained({ dropout: 0 }), test, { samples: [1] })).toThrow(/no Dropout layer/);
    const model = trained({});
    expect(() => dropoutEnsemble(model, test, { samples: [] })).toThrow(
      'dropoutEnsemble.samples: expected a list of 1–8 items, each an integer in [1, 10000], received []',
    );
    expect(() => dropoutEnsemble(model, test, { samples: [10, 1] })).toThrow(
      'dropoutEnsemble.samples: expected strictly ascending numbers of masks such as [1, 10, 100], received [10,1]',
    );
    expect(() => dropoutEnsemble(model, test, { samples: [0] })).toThrow(
      'dropoutEnsemble.samples[0]: expected an integer in [1, 10000], received 0',
    );
  });
});
