import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/mnist.ts';
import { parseTrainConfig, type TrainConfig } from './config.ts';
import { buildModel, createSession } from './session.ts';
import { toyDigits } from '../testing/toy-digits.ts';

const train = toyDigits(640, 1);
const validation = toyDigits(200, 2);

function losses(norm: 'none' | 'batch', steps: number, seed = 1, backend: 'wasm' | 'ts' = 'wasm'): number[] {
  const s = createSession(parseTrainConfig({ norm, hidden: [32], seed, epochs: 2, backend }), { train });
  return Array.from({ length: steps }, () => s.step().loss);
}

describe('createSession', () => {
  it.for(['wasm', 'ts'] as const)('the same seed gives bit-identical losses for the first steps (%s backend)', (backend) => {
    expect(losses('batch', 25, 1, backend)).toEqual(losses('batch', 25, 1, backend));
    expect(losses('none', 25, 1, backend)).toEqual(losses('none', 25, 1, backend));
    expect(losses('none', 5, 2, backend)).not.toEqual(losses('none', 5, 1, backend));
  });

  it('the wasm backend follows the ts backend: same init, data order and masks, losses within 1e-4 relative over 40 steps', () => {
    for (const norm of ['none', 'batch'] as const) {
      const wasm = losses(norm, 40, 1, 'wasm');
      const ts = losses(norm, 40, 1, 'ts');
      wasm.forEach((loss, i) => expect(Math.abs(loss - ts[i]) / ts[i], `${norm} step ${i + 1}: ${loss} vs ${ts[i]}`).toBeLessThan(1e-4));
      expect(wasm).not.toEqual(ts); // float32 vs float64 accumulation: close, not identical
    }
  });

  it('steps through epochs with a final partial batch, and learns the toy problem', () => {
    const s = createSession(parseTrainConfig({ norm: 'batch', hidden: [32], batchSize: 50, epochs: 3, lr: 0.01 }), { train });
    expect(s.stepsPerEpoch).toBe(13);
    expect(s.totalSteps).toBe(39);
    const before = s.evaluate(validation).accuracy;
    let ended = 0;
    while (!s.done) if (s.step().epochEnded) ended++;
    expect(ended).toBe(3);
    expect(before).toBeLessThan(0.4);
    expect(s.evaluate(validation).accuracy).toBeGreaterThan(0.9);
    expect(s.epochMetrics().accuracy).toBeGreaterThan(0.8);
    expect(() => s.step()).toThrow(/the run is over \(all 39 steps taken\)/);
  });

  it('a huge learning rate ends the run with "diverged at step N" instead of NaN weights', () => {
    const s = createSession(
      parseTrainConfig({ optimizer: 'sgd', lr: 10, momentum: 0.99, norm: 'batch', hidden: [32], dropout: 0, epochs: 50 }),
      { train },
    );
    while (!s.done) s.step();
    expect(s.diverged).not.toBeNull();
    expect(s.diverged!.step).toBeGreaterThan(1);
    expect(s.diverged!.loss > 1000 || !Number.isFinite(s.diverged!.loss)).toBe(true);
    expect(s.model.params().every((p) => p.value.every(Number.isFinite))).toBe(true);
    expect(() => s.step()).toThrow(/diverged at step \d+/);
  });

  it('update(changes) applies live settings from the next step and rejects the rest', () => {
    const s = createSession(parseTrainConfig({ norm: 'batch', hidden: [32] }), { train });
    s.step();
    s.update({ lr: 0.01, bnMomentum: 0.9, dropout: 0.5, clipNorm: 1 });
    expect(s.optimizer.lr).toBe(0.01);
    expect(s.config).toMatchObject({ lr: 0.01, bnMomentum: 0.9, dropout: 0.5, clipNorm: 1 });
    const r = s.step();
    expect(Number.isFinite(r.gradNorm)).toBe(true);
    expect(() => s.update({ weightDecay: 0.1 })).toThrow(/weightDecay needs optimizer 'adamw'/);
    expect(() => s.update({ lr: 0 })).toThrow(/lr must be in \(0, 10\], received 0/);
  });

  it('trainLimit trains on the first N images only', () => {
    const s = createSession(parseTrainConfig({ trainLimit: 100, batchSize: 32 }), { train });
    expect(s.train.count).toBe(100);
    expect(s.stepsPerEpoch).toBe(4);
  });

  it("the data order decides the batches: 'shuffle-once' repeats the default's first epoch, the others differ from the first step", () => {
    const run = (dataOrder: TrainConfig['dataOrder']) => {
      const s = createSession(parseTrainConfig({ hidden: [32], batchSize: 64, epochs: 2, dataOrder }), { train });
      const out: number[] = [];
      while (!s.done) out.push(s.step().loss);
      return out;
    };
    const each = run('shuffle-each-epoch');
    expect(run(parseTrainConfig({}).dataOrder)).toEqual(each); // the default
    const once = run('shuffle-once');
    expect(once.slice(0, 10)).toEqual(each.slice(0, 10)); // epoch 1: the same permutation
    expect(once.slice(10)).not.toEqual(each.slice(10));
    expect(run('sorted-by-class')[0]).not.toBe(each[0]);
    expect(run('one-class-per-batch')[0]).not.toBe(each[0]);
  });

  it("'one-class-per-batch' takes Σ⌈n_k/B⌉ steps an epoch, smaller batches for each class's leftover, and visits every image once", () => {
    const s = createSession(parseTrainConfig({ hidden: [32], batchSize: 50, epochs: 2, dataOrder: 'one-class-per-batch' }), { train });
    const perClass = Array.from({ length: 10 }, (_, k) => train.labels.filter((l) => l === k).length);
    expect(s.stepsPerEpoch).toBe(perClass.reduce((sum, n) => sum + Math.ceil(n / 50), 0));
    expect(s.stepsPerEpoch).toBeGreaterThan(Math.ceil(train.count / 50));
    const rows: number[] = [];
    while (!s.done) rows.push(s.step().rows);
    expect(rows.slice(0, s.stepsPerEpoch).reduce((a, b) => a + b, 0)).toBe(train.count);
    expect(rows.slice(s.stepsPerEpoch).reduce((a, b) => a + b, 0)).toBe(train.count);
    expect(rows.filter((n) => n < 50).sort()).toHaveLength(2 * perClass.filter((n) => n % 50 !== 0).length);
  });

  it.for(['wasm', 'ts'] as const)(
    "one class per batch with BN is the identical-batch limit when a class's images are all the same: the first Dense layer learns nothing (%s backend)",
    (backend) => {
      // Lesson 3's derivation: a batch of identical rows gives the Dense layer below BN dW = x·(Σ dx)ᵀ = 0 and db = Σ dx = 0.
      const F = 40;
      const labels = Uint8Array.from({ length: 200 }, (_, i) => i % 10);
      const images = new Uint8Array(200 * F);
      labels.forEach((k, i) => images.fill(100 + 10 * k, i * F + 4 * k, i * F + 4 * k + 4));
      const set: Dataset = { images, labels, count: 200, features: F };
      const change = (dataOrder: TrainConfig['dataOrder']) => {
        const s = createSession(
          parseTrainConfig({
            norm: 'batch',
            hidden: [16],
            dropout: 0,
            optimizer: 'sgd',
            lr: 0.1,
            batchSize: 8,
            epochs: 1,
            dataOrder,
            backend,
          }),
          { train: set },
        );
        const kernel = () => Float64Array.from(s.model.params()[0].value);
        const before = kernel();
        while (!s.done) s.step();
        return Math.max(...kernel().map((w, i) => Math.abs(w - before[i])));
      };
      expect(change('one-class-per-batch')).toBeLessThan(1e-6);
      expect(change('shuffle-each-epoch')).toBeGreaterThan(1e-3);
    },
  );

  it('counts the steps whose gradient norm was clipped', () => {
    const s = createSession(parseTrainConfig({ hidden: [32], epochs: 1, clipNorm: 0.5 }), { train });
    let over = 0;
    for (let i = 0; i < 10; i++) if (s.step().gradNorm > 0.5) over++;
    expect(s.clippedSteps).toBe(over);
    expect(over).toBeGreaterThan(0);
    const free = createSession(parseTrainConfig({ hidden: [32], epochs: 1 }), { train });
    free.step();
    expect(free.clippedSteps).toBe(0);
  });

  it("buildModel passes bnAblation to every BN layer, Dense and spatial ('cnn'), and leaves other norms alone", () => {
    const kinds = (c: Partial<TrainConfig>) =>
      buildModel(parseTrainConfig({ ...c, backend: 'ts' }), 784, 10).layers.flatMap((l) =>
        l.layer.kind === 'BatchNormalization' ? [l.layer.ablation] : [],
      );
    expect(kinds({ norm: 'batch', hidden: [8, 8], bnAblation: 'scale' })).toEqual(['scale', 'scale']);
    expect(kinds({ model: 'cnn', norm: 'batch', conv: [4], hidden: [8], bnAblation: 'center' })).toEqual(['center', 'center']);
    expect(kinds({ norm: 'batch' })).toEqual(['full']);
  });
});
