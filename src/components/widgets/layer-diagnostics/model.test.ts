import { describe, expect, test } from 'vitest';
import type { LayerDiagnostics } from '@engine/worker/protocol.ts';
import { defaultState } from '../params';
import {
  appendFrame,
  heatColumns,
  histogramSummary,
  modelLayers,
  ratioParams,
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
    { name: 'dense', kind: 'Dense', units: 2, activations: hist(-1, 1), gradients: hist(-0.01, 0.01), params: [{ name: 'kernel', norm: 1, gradNorm: 1, updateRatio: 1e-3 * step }, { name: 'bias', norm: 0, gradNorm: 1, updateRatio: NaN }], movingMean: null, movingVariance: null, batchMean: null, batchVariance: null },
  ];
  if (bn) {
    layers.push({ name: 'batch_normalization', kind: 'BatchNormalization', units: 2, activations: hist(-2, 2), gradients: null, params: [{ name: 'gamma', norm: 1, gradNorm: 1, updateRatio: 2e-4 }, { name: 'beta', norm: 0, gradNorm: 1, updateRatio: NaN }], movingMean: new Float32Array([0.1 * step, 0]), movingVariance: new Float32Array([1, 1]), batchMean: new Float32Array([1, 0]), batchVariance: new Float32Array([2, 1]) });
  }
  return { step, gradNorm: 1, layers };
}

describe('layer-diagnostics model', () => {
  test('has the expected defaults: a BN run on 12,000 images for 2 epochs, showing the first Dense layer', () => {
    expect(state).toEqual({ norm: 'batch', images: 12_000, epochs: 2, lr: '0.001', batch: '32', layer: 'dense', seed: 1 });
    expect(runConfig(state)).toMatchObject({ norm: 'batch', lr: 0.001, batchSize: 32, epochs: 2, trainLimit: 12_000 });
  });

  test('modelLayers lists the model’s layers; a BN layer chosen for a model without BN falls back to dense', () => {
    expect(modelLayers(state).map((l) => l.name)).toEqual(['dense', 'batch_normalization', 'activation', 'dropout', 'dense_1']);
    expect(shownLayer({ ...state, layer: 'batch_normalization' })).toBe('batch_normalization');
    expect(shownLayer({ ...state, norm: 'none', layer: 'batch_normalization' })).toBe('dense');
  });

  test('appendFrame halves an over-full history and keeps the newest frame', () => {
    let frames: Frame[] = [];
    for (let s = 1; s <= 5; s++) frames = appendFrame(frames, frame(s), 4);
    expect(frames.map((f) => f.step)).toEqual([2, 4, 5]);
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
    expect(ratioParams(frames)).toEqual(['dense kernel', 'batch_normalization gamma']);
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
    expect(histogramSummary(frames, 'dense', 'activations')).toBe('dense outputs at step 2: mean 0.500, standard deviation 0.250, range -1.00 to 1.00, 50 % exactly zero.');
    expect(histogramSummary([], 'dense', 'gradients')).toBe('No output gradients of dense measured yet.');
    expect(ratioSummary(frames)).toBe('Update/weight ratios at step 2: dense kernel 2.0e-3 (in the band), batch_normalization gamma 2.0e-4 (below the band). The rule of thumb is about 1e-3.');
    expect(statsSummary(frames)).toMatch(/^At step 2, the moving mean differs from the last batch's mean by 0.400 on average over 2 units, the moving variance from the batch variance by 0.500/);
    expect(statsSummary([frame(1, false)])).toBe('This model has no BN layer, so there are no running statistics.');
  });
});
