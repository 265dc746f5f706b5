import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { mlp, summarizeSpec, type MlpSpec } from './mlp.ts';

const classic: MlpSpec = {
  inputs: 784,
  hidden: [128],
  activation: 'relu',
  norm: 'none',
  normPlacement: 'before-activation',
  dropout: 0.2,
  classes: 10,
};

describe('mlp', () => {
  it('summary() of the classic model matches Keras: 101,770 params without BN', () => {
    const s = mlp(classic, createRandom(1)).summary();
    expect(s.rows.map((r) => `${r.name} (${r.type}) ${r.outputShape} ${r.params}`)).toEqual([
      'flatten (Flatten) (None, 784) 0',
      'dense (Dense) (None, 128) 100480',
      'activation (Activation) (None, 128) 0',
      'dropout (Dropout) (None, 128) 0',
      'dense_1 (Dense) (None, 10) 1290',
    ]);
    expect(s).toMatchObject({ total: 101770, trainable: 101770, nonTrainable: 0 });
  });

  it('summary() with BN counts moving mean/variance as non-trainable, as Keras does', () => {
    const s = mlp({ ...classic, norm: 'batch' }, createRandom(1)).summary();
    expect(s.rows[2]).toEqual({ name: 'batch_normalization', type: 'BatchNormalization', outputShape: '(None, 128)', params: 512 });
    expect(s).toMatchObject({ total: 102282, trainable: 102026, nonTrainable: 256 });
  });

  it("summarizeSpec(spec) gives the built model's summary without allocating weights, and counts its real params", () => {
    for (const spec of [
      classic,
      { ...classic, norm: 'batch' as const, hidden: [64, 32], normPlacement: 'after-activation' as const },
      { ...classic, dropout: 0 },
      { ...classic, norm: 'batch' as const, bnAblation: 'frozen-affine' as const },
    ]) {
      const model = mlp(spec, createRandom(1));
      const summary = summarizeSpec(spec);
      expect(model.summary()).toEqual(summary);
      expect(summary.trainable).toBe(model.params().reduce((n, p) => n + p.value.length, 0));
      expect(summary.rows.slice(1).map((r) => r.name)).toEqual(model.layers.map((l) => l.name));
    }
  });

  it('normPlacement puts BN before or after the activation', () => {
    const before = mlp({ ...classic, norm: 'batch' }, createRandom(1)).layers.map((l) => l.layer.kind);
    const after = mlp({ ...classic, norm: 'batch', normPlacement: 'after-activation' }, createRandom(1)).layers.map((l) => l.layer.kind);
    expect(before).toEqual(['Dense', 'BatchNormalization', 'Activation', 'Dropout', 'Dense']);
    expect(after).toEqual(['Dense', 'Activation', 'BatchNormalization', 'Dropout', 'Dense']);
  });

  it('the same seed gives identical Dense weights with and without BN', () => {
    const a = mlp(classic, createRandom(5));
    const b = mlp({ ...classic, norm: 'batch', hidden: [128] }, createRandom(5));
    const wa = a.params().filter((p) => p.name === 'kernel');
    const wb = b.params().filter((p) => p.name === 'kernel');
    expect(wa.length).toBe(2);
    wa.forEach((p, i) => expect(Array.from(p.value)).toEqual(Array.from(wb[i].value)));
  });

  it('forward gives (N, classes) logits and backward fills every gradient', () => {
    const model = mlp({ ...classic, hidden: [16, 8], norm: 'batch', dropout: 0.1, inputs: 20 }, createRandom(2));
    const r = createRandom(3);
    const x = Float32Array.from({ length: 4 * 20 }, () => r());
    const out = model.forward(x, 4, 'train');
    expect(out.length).toBe(40);
    model.backward(Float32Array.from({ length: 40 }, () => r() - 0.5));
    for (const p of model.params()) expect(p.grad.some((g) => g !== 0)).toBe(true);
    expect(model.layers.map((l) => l.name)).toEqual([
      'dense',
      'batch_normalization',
      'activation',
      'dropout',
      'dense_1',
      'batch_normalization_1',
      'activation_1',
      'dropout_1',
      'dense_2',
    ]);
    expect(model.layers[1].lastOutput()?.length).toBe(4 * 16);
    expect(model.layers[1].lastGradient()?.length).toBe(4 * 16);
  });

  it('setDropout and setBnMomentum change the layers and reject bad values', () => {
    const model = mlp({ ...classic, norm: 'batch' }, createRandom(1));
    model.setDropout(0.5);
    model.setBnMomentum(0.9);
    const kinds = Object.fromEntries(model.layers.map((l) => [l.layer.kind, l.layer]));
    expect((kinds.Dropout as { rate: number }).rate).toBe(0.5);
    expect((kinds.BatchNormalization as { momentum: number }).momentum).toBe(0.9);
    expect(() => model.setDropout(1)).toThrow(/rate must be in \[0, 1\), received 1/);
    expect(() => mlp({ ...classic, dropout: 0 }, createRandom(1)).setDropout(0.3)).toThrow(/built without dropout/);
  });

  it('rejects a bad spec with the value received', () => {
    expect(() => mlp({ ...classic, hidden: [0] }, createRandom(1))).toThrow(/hidden\[0\] must be an integer in \[1, 4096\], received 0/);
    // @ts-expect-error deliberately wrong activation
    expect(() => mlp({ ...classic, activation: 'gelu' }, createRandom(1))).toThrow(
      /activation must be one of 'relu', 'sigmoid', 'tanh', received 'gelu'/,
    );
  });
  it('dropoutPlacement before-norm puts dropout right before BN; without BN it changes nothing', () => {
    const kinds = (spec: MlpSpec) => mlp(spec, createRandom(1)).layers.map((l) => l.layer.kind);
    expect(kinds({ ...classic, norm: 'batch', dropoutPlacement: 'before-norm' })).toEqual([
      'Dense',
      'Dropout',
      'BatchNormalization',
      'Activation',
      'Dense',
    ]);
    expect(kinds({ ...classic, norm: 'batch', normPlacement: 'after-activation', dropoutPlacement: 'before-norm' })).toEqual([
      'Dense',
      'Activation',
      'Dropout',
      'BatchNormalization',
      'Dense',
    ]);
    expect(kinds({ ...classic, dropoutPlacement: 'before-norm' })).toEqual(kinds(classic));
    expect(summarizeSpec({ ...classic, norm: 'batch', dropoutPlacement: 'before-norm' }).total).toBe(
      summarizeSpec({ ...classic, norm: 'batch' }).total,
    );
  });

  it('initScale multiplies every Dense kernel (biases stay 0) and draws the same random weights', () => {
    const base = mlp({ ...classic, hidden: [16, 8] }, createRandom(3));
    const scaled = mlp({ ...classic, hidden: [16, 8], initScale: 10 }, createRandom(3));
    const kernels = (m: typeof base) => m.params().filter((p) => p.name === 'kernel');
    kernels(base).forEach((k, i) => {
      const s = kernels(scaled)[i].value;
      for (let j = 0; j < k.value.length; j += 37) expect(s[j]).toBeCloseTo(k.value[j] * 10, 5);
    });
    expect(
      scaled
        .params()
        .filter((p) => p.name === 'bias')
        .every((b) => b.value.every((v) => v === 0)),
    ).toBe(true);
    expect(() => mlp({ ...classic, initScale: 0 }, createRandom(1))).toThrow(/initScale must be in \(0, Infinity\], received 0/);
  });

  it('summarizeSpec counts a deep model by hand: 4 × 128 with BN', () => {
    // Dense 784·128+128 = 100,480; three Dense 128·128+128 = 16,512 each; BN 4·128 = 512 each (256 trainable); Dense 128·10+10 = 1,290.
    const s = summarizeSpec({ ...classic, hidden: [128, 128, 128, 128], norm: 'batch', dropout: 0 });
    expect(s).toMatchObject({ trainable: 100480 + 3 * 16512 + 1290 + 4 * 256, nonTrainable: 4 * 256 });
    expect(s.rows).toHaveLength(1 + 4 * 3 + 1);
    const wide = summarizeSpec({ ...classic, hidden: Array(8).fill(512), dropout: 0 });
    expect(wide.total).toBe(784 * 512 + 512 + 7 * (512 * 512 + 512) + 512 * 10 + 10);
  });
});
