import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../train/config.ts';
import { buildModel } from '../train/session.ts';
import { deadShare, layerDiagnostics, saturatedShare, snapshotParams } from './diagnostics.ts';

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
