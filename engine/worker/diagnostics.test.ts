import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../train/config.ts';
import { buildModel } from '../train/session.ts';
import { channelDiagnostics, deadShare, layerDiagnostics, saturatedShare, snapshotParams } from './diagnostics.ts';

describe('layerDiagnostics(model, before, bins)', () => {
  const model = buildModel(parseTrainConfig({ hidden: [4], norm: 'batch', dropout: 0 }), 3, 2);
  const x = Float32Array.from([0.1, 0.5, -0.2, 0.7, -0.3, 0.9]); // (2, 3)

  it('measures the update ratio ‖θ_after − θ_before‖ / ‖θ_before‖ of every parameter', () => {
    model.forward(x, 2, 'train');
    const before = snapshotParams(model);
    const kernel = model.params()[0];
    const norm = Math.hypot(...kernel.value);
    // A known update: every weight moves by +0.01.
    for (let i = 0; i < kernel.value.length; i++) kernel.value[i] += 0.01;
    const layers = layerDiagnostics(model, before, 8);
    const ratio = layers[0].params.find((p) => p.name === 'kernel')!.updateRatio;
    expect(ratio).toBeCloseTo((Math.sqrt(kernel.value.length) * 0.01) / norm, 5);
    expect(layers[0].params.find((p) => p.name === 'bias')!.updateRatio).toBeNaN(); // zero before: no ratio
  });

  it('histograms each layer output over the batch and copies BN statistics', () => {
    model.forward(x, 2, 'train');
    const layers = layerDiagnostics(model, null, 8);
    expect(layers.map((l) => l.kind)).toEqual(['Dense', 'BatchNormalization', 'Activation', 'Dense']);
    expect(layers.every((l) => l.activations!.counts.reduce((a, b) => a + b, 0) === 2 * l.units)).toBe(true);
    const bn = layers[1];
    expect(bn.activations!.mean).toBeCloseTo(0, 5); // γ = 1, β = 0: the batch is standardized
    expect(bn.batchMean).toHaveLength(4);
    expect(bn.params.map((p) => p.updateRatio).every(Number.isNaN)).toBe(true); // no snapshot given
    // Fresh copies: changing the model afterwards leaves the diagnostics as they were.
    const moving = bn.movingMean![0];
    model.forward(
      x.map((v) => v + 5),
      2,
      'train',
    );
    expect(bn.movingMean![0]).toBe(moving);
    expect(layers[0].gradients).toBeNull(); // no backward yet
  });

  it('measures the saturated share of sigmoid and tanh outputs only', () => {
    expect(saturatedShare(Float32Array.from([0.01, 0.5, 0.99, NaN]), 0.015, 0.985)).toBe(0.75);
    const big = Float32Array.from({ length: 60 }, (_, i) => (i - 30) * 10); // (20, 3): large inputs saturate
    for (const [activation, expected] of [
      ['sigmoid', 'some'],
      ['tanh', 'some'],
      ['relu', null],
    ] as const) {
      const m = buildModel(parseTrainConfig({ hidden: [16], activation, dropout: 0, initScale: 10 }), 3, 2);
      m.forward(big, 20, 'train');
      const act = layerDiagnostics(m, null, 8).find((l) => l.kind === 'Activation')!;
      if (expected === null) expect(act.saturated).toBeNull();
      else expect(act.saturated!).toBeGreaterThan(0.5);
    }
    expect(
      layerDiagnostics(model, null, 8)
        .filter((l) => l.kind !== 'Activation')
        .every((l) => l.saturated === null),
    ).toBe(true);
  });

  it('deadShare counts the units (columns) that are 0 on every row of the batch', () => {
    // (3, 4): unit 0 fires once, unit 1 never, unit 2 on every row, unit 3 never (−0 is 0 too).
    const y = Float32Array.from([0.5, 0, 1, 0, 0, 0, 2, -0, 0, 0, 3, 0]);
    expect(deadShare(y, 4)).toBe(0.5);
    expect(deadShare(Float32Array.from([NaN, 0]), 2)).toBe(0.5); // NaN is not a clean zero
    expect(deadShare(new Float32Array(0), 3)).toBe(0);
    expect(() => deadShare(new Float32Array(5), 4)).toThrow('deadShare: expected an output of N × 4 values, received 5 values for 4 units');
  });

  it('reports the dead share of ReLU layers only', () => {
    const plain = buildModel(parseTrainConfig({ hidden: [4], dropout: 0 }), 3, 2);
    plain.forward(x, 2, 'train');
    const layers = layerDiagnostics(plain, null, 8);
    const relu = layers.find((l) => l.kind === 'Activation')!;
    const out = plain.layers.find((l) => l.layer.kind === 'Activation')!.lastOutput()!;
    expect(relu.dead).toBe(deadShare(out, 4));
    expect(layers.filter((l) => l.kind !== 'Activation').every((l) => l.dead === null)).toBe(true);
    const tanhModel = buildModel(parseTrainConfig({ hidden: [4], activation: 'tanh', dropout: 0 }), 3, 2);
    tanhModel.forward(x, 2, 'train');
    expect(layerDiagnostics(tanhModel, null, 8).find((l) => l.kind === 'Activation')!.dead).toBeNull();
  });
});

describe('layerDiagnostics of a ConvNet: per-channel statistics of feature maps', () => {
  // A 4 × 4 image → conv 2 (3 × 3, valid) → ReLU → 2 × 2 max pool → flatten → dense 2.
  // Kernel (3, 3, 1, 2): only the centre tap is set, +1 for channel 0 and −1 for channel 1, and
  // the biases are 0, so the conv output at (r, s) is (x[r+1, s+1], −x[r+1, s+1]): the 2 × 2
  // centre of the image, once as it is and once negated. The dense layer is the identity.
  const model = buildModel(parseTrainConfig({ model: 'cnn', conv: [2], norm: 'none' }), 16, 2);
  const [kernel, bias, W, b] = model.params();
  kernel.value.fill(0);
  kernel.value[4 * 2 + 0] = 1; // centre tap (1, 1), channel in 0, channel out 0
  kernel.value[4 * 2 + 1] = -1; // … channel out 1
  bias.value.fill(0);
  W.value.set([1, 0, 0, 1]);
  b.value.fill(0);
  // Centres (row-major 2 × 2): example 0 [1, 2, 0, 3], example 1 [5, 6, 0, 7]; position 2 is 0 in both.
  const image = (centre: number[]) => {
    const x = new Float32Array(16).fill(9); // the border never reaches a valid 3 × 3 output's centre tap
    [x[5], x[6], x[9], x[10]] = centre;
    return x;
  };
  const x = Float32Array.from([...image([1, 2, 0, 3]), ...image([5, 6, 0, 7])]);
  model.forward(x, 2, 'train');
  // ∂L/∂logits chosen by hand: (2, 2) rows [3, 1], [4, 2].
  model.backward(Float32Array.from([3, 1, 4, 2]));
  const layers = layerDiagnostics(model, null, 8);
  const byName = (name: string) => layers.find((l) => l.name === name)!;

  it('gives each feature map layer (conv, activation, pool) the mean and std of every channel over N·R·S values', () => {
    // Channel 0 holds {1, 2, 0, 3, 5, 6, 0, 7}: mean 3, variance (4+1+9+0+4+9+9+16)/8 = 6.5.
    const conv = byName('conv2d').channels!;
    expect(Array.from(conv.mean)).toEqual([3, -3]);
    expect(conv.std[0]).toBeCloseTo(Math.sqrt(6.5), 6);
    expect(conv.std[1]).toBeCloseTo(Math.sqrt(6.5), 6);
    const relu = byName('activation').channels!;
    expect(Array.from(relu.mean)).toEqual([3, 0]);
    expect(Array.from(relu.std)).toEqual([conv.std[0], 0]);
    // Pooled: channel 0 keeps each example's maximum, 3 and 7.
    const pool = byName('max_pooling2d').channels!;
    expect(Array.from(pool.mean)).toEqual([5, 0]);
    expect(Array.from(pool.std)).toEqual([2, 0]);
    expect(byName('flatten').channels).toBeNull(); // vectors from here on
    expect(byName('dense').channels).toBeNull();
  });

  it('gives the L2 norm of each channel’s gradient', () => {
    // The identity dense layer passes ∂L/∂logits to the pooled map; the pool routes it to the winners.
    expect(Array.from(byName('max_pooling2d').channels!.gradNorm!)).toEqual([5, Math.fround(Math.sqrt(5))]);
    expect(Array.from(byName('activation').channels!.gradNorm!)).toEqual([5, Math.fround(Math.sqrt(5))]);
    // Channel 1 is negative everywhere, so the ReLU lets none of its gradient back to the conv output.
    expect(Array.from(byName('conv2d').channels!.gradNorm!)).toEqual([5, 0]);
  });

  it('counts a feature map’s dead units as whole channels, not positions', () => {
    // Channel 1 is 0 everywhere (dead filter); channel 0 is 0 at one position in both examples
    // but alive elsewhere. Per position-channel it would be 5 of 8 units.
    expect(byName('activation').dead).toBe(0.5);
    expect(byName('activation').channels!.saturated).toBeNull(); // ReLU has no flat tails
  });

  it('channelDiagnostics(y, dy, C, bounds) measures the saturated share per channel and names a bad shape', () => {
    // (3, 2) tanh outputs: channel 0 {0.99, 0, −0.98}, channel 1 {0.5, 0.1, 1}.
    const y = Float32Array.from([0.99, 0.5, 0, 0.1, -0.98, 1]);
    const d = channelDiagnostics(y, null, 2, [-0.97, 0.97]);
    expect(Array.from(d.saturated!)).toEqual([Math.fround(2 / 3), Math.fround(1 / 3)]);
    expect(d.gradNorm).toBeNull();
    expect(() => channelDiagnostics(y, null, 4, null)).toThrow(
      'channelDiagnostics: expected an output (and gradient) of M × 4 values, received 6 values for 4 channels',
    );
    expect(() => channelDiagnostics(y, new Float32Array(4), 2, null)).toThrow('received 6 values and a gradient of 4 for 2 channels');
  });
});
