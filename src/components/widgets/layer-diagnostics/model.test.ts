import { describe, expect, test } from 'vitest';
import type { LayerDiagnostics } from '@engine/worker/protocol.ts';
import { defaultState } from '../params';
import {
  activationLayers,
  clipSummary,
  denseLayers,
  diagnosticsPlan,
  gradientSpreadSummary,
  kernelPoints,
  saturationSummary,
  heatColumns,
  histogramSummary,
  modelLayers,
  ratioPoints,
  ratioSummary,
  runConfig,
  schema,
  shownLayer,
  statsFrames,
  statsSummary,
  type Frame,
} from './model';

const state = defaultState(schema);

const hist = (min: number, max: number) => ({ min, max, counts: new Uint32Array([1, 2, 1]), mean: 0.5, std: 0.25, zeros: 0.5 });

function frame(step: number, bn = true): Frame {
  const layers: LayerDiagnostics[] = [
    {
      name: 'dense',
      kind: 'Dense',
      units: 2,
      activations: hist(-1, 1),
      gradients: hist(-0.01, 0.01),
      params: [
        { name: 'kernel', norm: 1, gradNorm: 1, updateRatio: 1e-3 * step },
        { name: 'bias', norm: 0, gradNorm: 1, updateRatio: NaN },
      ],
      movingMean: null,
      movingVariance: null,
      batchMean: null,
      batchVariance: null,
      saturated: null,
    },
  ];
  if (bn) {
    layers.push({
      name: 'batch_normalization',
      kind: 'BatchNormalization',
      units: 2,
      activations: hist(-2, 2),
      gradients: null,
      params: [
        { name: 'gamma', norm: 1, gradNorm: 1, updateRatio: 2e-4 },
        { name: 'beta', norm: 0, gradNorm: 1, updateRatio: NaN },
      ],
      movingMean: new Float32Array([0.1 * step, 0]),
      movingVariance: new Float32Array([1, 1]),
      batchMean: new Float32Array([1, 0]),
      batchVariance: new Float32Array([2, 1]),
      saturated: null,
    });
  }
  return { step, gradNorm: 1, clippedShare: null, layers };
}

describe('layer-diagnostics model', () => {
  test('has the expected defaults: a BN run on 12,000 images for 2 epochs, showing the first Dense layer', () => {
    expect(state).toMatchObject({
      norm: 'batch',
      images: 12_000,
      epochs: 2,
      lr: '0.001',
      batch: '32',
      layer: 'dense',
      seed: 1,
      clip: 'off',
      layers: 1,
      width: '128',
      activation: 'relu',
    });
    expect(runConfig(state)).toMatchObject({ norm: 'batch', lr: 0.001, batchSize: 32, epochs: 2, trainLimit: 12_000 });
  });

  test('modelLayers lists the model’s layers; a BN layer chosen for a model without BN falls back to dense', () => {
    expect(modelLayers(state).map((l) => l.name)).toEqual(['dense', 'batch_normalization', 'activation', 'dropout', 'dense_1']);
    expect(shownLayer({ ...state, layer: 'batch_normalization' })).toBe('batch_normalization');
    expect(shownLayer({ ...state, norm: 'none', layer: 'batch_normalization' })).toBe('dense');
  });

  test('heatColumns and ratioPoints read one layer’s histograms and every kernel and γ ratio', () => {
    const frames = [frame(1), frame(2)];
    expect(heatColumns(frames, 'dense', 'gradients')).toEqual([
      { step: 1, min: -0.01, max: 0.01, counts: new Uint32Array([1, 2, 1]) },
      { step: 2, min: -0.01, max: 0.01, counts: new Uint32Array([1, 2, 1]) },
    ]);
    expect(heatColumns(frames, 'batch_normalization', 'gradients')).toEqual([]);
    expect(ratioPoints(frames)).toEqual([
      { param: 'dense kernel', step: 1, ratio: 1e-3 },
      { param: 'batch_normalization gamma', step: 1, ratio: 2e-4 },
      { param: 'dense kernel', step: 2, ratio: 2e-3 },
      { param: 'batch_normalization gamma', step: 2, ratio: 2e-4 },
    ]);
  });

  test('statsFrames follows the first BN layer and is empty without BN', () => {
    const frames = [frame(1), frame(2)];
    const means = statsFrames(frames, 'mean');
    expect(means.map((f) => [f.step, f.moving[0]])).toEqual([
      [1, expect.closeTo(0.1)],
      [2, expect.closeTo(0.2)],
    ]);
    expect(statsFrames(frames, 'variance')[0].batch).toEqual(new Float32Array([2, 1]));
    expect(statsFrames([frame(1, false)], 'mean')).toEqual([]);
  });

  test('the summaries describe the latest frame in words', () => {
    const frames = [frame(1), frame(2)];
    expect(histogramSummary(frames, 'dense', 'activations')).toBe(
      'dense outputs at step 2: mean 0.500, standard deviation 0.250, range -1.00 to 1.00, 50 % exactly zero.',
    );
    expect(histogramSummary([], 'dense', 'gradients')).toBe('No output gradients of dense measured yet.');
    expect(ratioSummary(frames)).toBe(
      'Update/weight ratios at step 2: dense kernel 2.0e-3 (in the band), batch_normalization gamma 2.0e-4 (below the band). The rule of thumb is about 1e-3.',
    );
    expect(statsSummary(frames)).toMatch(
      /^At step 2, the moving mean differs from the last batch's mean by 0.400 on average over 2 units, the moving variance from the batch variance by 0.500/,
    );
    expect(statsSummary([frame(1, false)])).toBe('This model has no BN layer, so there are no running statistics.');
  });

  test('diagnosticsPlan is one run of the chosen deep model that records diagnostics, with clipping when asked', () => {
    const plan = diagnosticsPlan({ ...state, layers: 8, width: '512', activation: 'sigmoid', clip: '1', norm: 'none' });
    expect(plan.record.diagnostics).toEqual({ intervalMs: 100, bins: 32 });
    expect(plan.arms.map((a) => a.id)).toEqual(['none']);
    expect(runConfig({ ...state, layers: 8, width: '512', clip: '1' })).toMatchObject({ hidden: Array(8).fill(512), clipNorm: 1 });
    expect(
      modelLayers({ ...state, layers: 4 })
        .filter((l) => l.type === 'Activation')
        .map((l) => l.name),
    ).toEqual(['activation', 'activation_1', 'activation_2', 'activation_3']);
  });

  test('per-layer readings: Dense kernels’ gradient norms and ratios, the spread of the fan, saturation and clipping', () => {
    const deep = (step: number): Frame => ({
      step,
      gradNorm: 4,
      clippedShare: 0.25,
      layers: [
        ...[0, 1, 2].map((i) => ({
          ...frame(step, false).layers[0],
          name: i === 0 ? 'dense' : `dense_${i}`,
          params: [{ name: 'kernel', norm: 1, gradNorm: 10 ** -i, updateRatio: 1e-3 }],
        })),
        { ...frame(step, false).layers[0], name: 'activation', kind: 'Activation', params: [], saturated: 0.42 },
        { ...frame(step, false).layers[0], name: 'activation_1', kind: 'Activation', params: [], saturated: 0.9 },
      ],
    });
    const frames = [deep(10), deep(20)];
    expect(denseLayers(frames)).toEqual(['dense', 'dense_1', 'dense_2']);
    expect(activationLayers(frames)).toEqual(['activation', 'activation_1']);
    expect(kernelPoints(frames, 'gradNorm').filter((p) => p.step === 20)).toEqual([
      { layer: 'dense', step: 20, value: 1 },
      { layer: 'dense_1', step: 20, value: 0.1 },
      { layer: 'dense_2', step: 20, value: 0.01 },
    ]);
    expect(gradientSpreadSummary(frames)).toBe(
      'Gradient norm of each Dense kernel at step 20: dense 1.00, dense_1 0.100, dense_2 0.010 — the largest is 100× the smallest.',
    );
    expect(saturationSummary(frames)).toBe(
      'Saturated outputs (flat tails of the activation) at step 20: activation 42 %, activation_1 90 %.',
    );
    expect(clipSummary(frames, 1)).toBe(
      'Global gradient norm before clipping at step 20: 4.00; threshold 1; 25.0 % of the 20 steps so far were clipped.',
    );
    expect(clipSummary(frames, null)).toMatch(/Clipping is off/);
  });
});
