import { describe, expect, test } from 'vitest';
import { defaultState } from '../params';
import { architectureSchema } from '../run-controller/architecture';
import {
  bnMemoryOf,
  comparisonPlan,
  inferenceRows,
  inferenceSummary,
  curvePoints,
  curveSummary,
  thinProgress,
  timeChange,
  formatBytes,
  formatValue,
  overheads,
  panelRun,
  resultsTable,
  runConfigs,
  schema,
  summaries,
  summarize,
  type RunOutcome,
} from './model';

const state = defaultState(schema);

function outcome(valAcc: number[], opts: { seconds?: number; test?: number } = {}): RunOutcome {
  return {
    epochs: valAcc.map((acc, i) => ({
      epoch: i + 1,
      train: { loss: 0.3 - i * 0.05, accuracy: acc - 0.01 },
      validation: { loss: 0.2 - i * 0.02, accuracy: acc },
      seconds: opts.seconds ?? 2,
    })),
    test: opts.test === undefined ? null : { loss: 0.1, accuracy: opts.test },
  };
}

describe('bn-vs-none model', () => {
  test('the Keras / PyTorch panel shows the BN arm exactly as the comparison starts it', () => {
    const s = { ...state, lr: '0.01' as const, bnMomentum: '0.9' as const };
    const { config, note } = panelRun(s);
    const { none, batch } = runConfigs(s);
    expect(config).toEqual(batch);
    expect({ ...config, norm: 'none' }).toEqual(none);
    expect(config).toMatchObject({ lr: 0.01, bnMomentum: 0.9, norm: 'batch' });
    expect(note).toContain('without the BatchNormalization layers');
  });

  test('has the expected defaults (the quick preset of the classic assignment)', () => {
    expect(state).toEqual({ ...defaultState(architectureSchema), images: 3000, epochs: 2, bnMomentum: '0.99', seed: 1 });
    expect(state).toMatchObject({
      layers: 1,
      width: '128',
      activation: 'relu',
      optimizer: 'adam',
      lr: '0.001',
      batch: '32',
      placement: 'before',
      dropout: '0.2',
    });
  });

  test('runConfigs(state) gives two configurations that differ only in norm', () => {
    const { none, batch } = runConfigs({ ...state, images: 54_000, epochs: 5, placement: 'after' });
    expect({ ...batch, norm: 'none' }).toEqual(none);
    expect(none).toMatchObject({
      trainLimit: null,
      epochs: 5,
      batchSize: 32,
      seed: 1,
      hidden: [128],
      dropout: 0.2,
      optimizer: 'adam',
      normPlacement: 'after-activation',
    });
    expect(batch.norm).toBe('batch');
    expect(runConfigs(state).none.trainLimit).toBe(3000);
  });

  test('summaries(state) are the Keras ones: 101,770 vs 102,282 parameters, 256 non-trainable', () => {
    const { none, batch } = summaries(state);
    expect(none.total).toBe(101_770);
    expect(batch).toMatchObject({ total: 102_282, trainable: 102_026, nonTrainable: 256 });
    expect(batch.rows.map((r) => r.name)).toEqual(['flatten', 'dense', 'batch_normalization', 'activation', 'dropout', 'dense_1']);
  });

  test('resultsTable judges accuracy by claim 6’s rule (a lead beyond 0.2 points), loss as printed', () => {
    const rows = resultsTable({ none: outcome([0.95, 0.97], { test: 0.9772 }), batch: outcome([0.96, 0.965], { test: 0.9772 }) }, true);
    const by = Object.fromEntries(rows.map((r) => [r.metric, r]));
    expect(by['Validation accuracy']).toMatchObject({ none: 0.97, batch: 0.965, verdict: 'does not hold' });
    expect(by['Validation accuracy after epoch 1']).toMatchObject({ none: 0.95, batch: 0.96, verdict: 'holds' });
    expect(by['Test accuracy'].verdict).toBe('within noise');
    expect(by['Test accuracy'].reference).toBe('no BN 97.72 %, BN 97.53 %');
    expect(by['Training loss'].verdict).toBe('tie');
    // 0.1 points ahead is within the rule's noise floor, as lesson 12's decideAccuracy says.
    const close = resultsTable({ none: outcome([0.95, 0.97]), batch: outcome([0.95, 0.971]) }, true);
    expect(close.find((r) => r.metric === 'Validation accuracy')?.verdict).toBe('within noise');
    expect(rows.map((r) => r.metric).slice(0, 4)).toEqual(['Training accuracy', 'Training loss', 'Validation accuracy', 'Validation loss']);
  });

  test('resultsTable gives no verdict before both runs finished, even when both have numbers', () => {
    const live = resultsTable({ none: outcome([0.95]), batch: outcome([0.97]) }, false);
    expect(live.every((r) => r.verdict === 'pending')).toBe(true);
    expect(live[2]).toMatchObject({ none: 0.95, batch: 0.97 });
    const rows = resultsTable({ none: outcome([0.95]), batch: null }, true);
    expect(rows.every((r) => r.verdict === 'pending')).toBe(true);
    expect(rows[0].none).toBeCloseTo(0.94);
    expect(summarize(rows, null)).toMatch(/^Not run yet/);
  });

  test('summarize says plainly when BN does not end higher', () => {
    const rows = resultsTable({ none: outcome([0.97]), batch: outcome([0.96]) }, true);
    expect(summarize(rows, 0.12)).toBe(
      'Validation accuracy: no BN 97.00 %, BN 96.00 %; BN does not end higher, contrary to the assignment’s claim on this seed (a few tenths of a percent is within seed-to-seed noise). An epoch with BN took 12 % longer.',
    );
  });

  test('bnMemoryOf counts the classic model’s BN buffers: 62 KiB at batch 32, 3.9 % of the weights and optimizer state', () => {
    const items = bnMemoryOf(runConfigs(state).batch);
    const total = items.reduce((s, i) => s + i.bytes, 0);
    expect(total).toBe(2048 + 2048 + 1024 + 3 * 32 * 128 * 4 + 1024 + 8192);
    expect(formatBytes(total)).toBe('62.0 KiB');
    expect(bnMemoryOf(runConfigs(state).none)).toEqual([]);
    const o = overheads(state, { none: outcome([0.9], { seconds: 2 }), batch: outcome([0.9], { seconds: 2.5 }) });
    expect(o.time).toBeCloseTo(0.25);
    expect(o.memoryShare).toBeCloseTo(total / (101_770 * 16));
    expect(overheads(state, { none: null, batch: null }).time).toBeNull();
    // One run a side (claim 9's method needs repeats): a time difference is never called beyond the noise.
    expect(o.withinNoise).toBeNull();
    expect(overheads(state, { none: outcome([0.9, 0.9], { seconds: 2 }), batch: outcome([0.9], { seconds: 1.2 }) })).toMatchObject({
      time: expect.closeTo(-0.4),
      withinNoise: null,
      noise: null,
    });
  });

  test('a deep model (8 × 512, SGD) is counted by hand: parameters, BN buffers and their share', () => {
    const deep = { ...state, layers: 8, width: '512' as const, optimizer: 'sgd' as const, lr: '0.1' as const };
    const { none, batch } = summaries(deep);
    const dense = 784 * 512 + 512 + 7 * (512 * 512 + 512) + 512 * 10 + 10;
    expect(none.total).toBe(dense);
    expect(batch).toMatchObject({ trainable: dense + 8 * 2 * 512, nonTrainable: 8 * 2 * 512 });
    const items = bnMemoryOf(runConfigs(deep).batch);
    const H = 8 * 512; // BN units over all layers
    // γ β + grads (4H), SGD 1 slot each (2H), moving stats (2H), caches 3·N·H, batch stats 2H + 8 float64 scratch.
    expect(items.map((i) => i.bytes)).toEqual([4 * H * 4, 2 * H * 4, 2 * H * 4, 3 * 32 * H * 4, 2 * H * 4 + 8 * H * 8]);
    expect(overheads(deep, { none: null, batch: null }).memoryShare).toBeCloseTo(
      items.reduce((s, i) => s + i.bytes, 0) / (dense * 4 * 3),
      10,
    );
  });

  test('comparisonPlan builds the chosen depth, and batch 2 with BN (the smallest the controls offer) can run', () => {
    expect(() => runConfigs({ ...state, batch: '2', images: 500 })).not.toThrow();
    expect(comparisonPlan({ ...state, layers: 4 }).base.hidden).toEqual([128, 128, 128, 128]);
  });

  test('formatValue prints accuracies as percent and losses with four decimals', () => {
    expect(formatValue('accuracy', 0.97534)).toBe('97.53 %');
    expect(formatValue('loss', 0.08093)).toBe('0.0809');
    expect(formatValue('loss', null)).toBe('—');
    expect(formatValue('loss', NaN)).toBe('NaN');
  });

  test('curvePoints(histories) gives live training points and per-epoch validation points per run', () => {
    const none = {
      progress: [
        { epoch: 0.5, loss: 0.5, accuracy: 0.8 },
        { epoch: 1, loss: 0.3, accuracy: 0.9 },
      ],
      epochs: outcome([0.95]).epochs,
    };
    const points = curvePoints({ none, batch: null }, 'accuracy');
    expect(points).toEqual([
      { run: 'no BN', split: 'train', epoch: 0.5, value: 0.8 },
      { run: 'no BN', split: 'train', epoch: 1, value: 0.9 },
      { run: 'no BN', split: 'validation', epoch: 1, value: 0.95 },
    ]);
    expect(curveSummary({ none, batch: null }, 'accuracy')).toBe(
      'Accuracy — no BN: training 90.00 % at epoch 1.0, validation 95.00 % after epoch 1.',
    );
    expect(curveSummary({ none: null, batch: null }, 'loss')).toBe('No loss measured yet.');
  });

  test('thinProgress keeps at most about max points, every epoch end and the newest point', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ epoch: (i + 1) / 200 })); // 5 epochs of 200 points
    const thin = thinProgress(points, 100);
    expect(thin.length).toBeLessThanOrEqual(110);
    for (const end of [1, 2, 3, 4, 5]) expect(thin.some((p) => Math.abs(p.epoch - end) < 1e-12)).toBe(true);
    expect(thin.at(-1)).toBe(points.at(-1));
    expect(thinProgress(points.slice(0, 50), 100)).toHaveLength(50);
  });

  test('timeChange words BN’s time ratio, calling anything under 1 % a tie', () => {
    expect(timeChange(0.123)).toBe('12 % longer');
    expect(timeChange(-0.03)).toBe('3 % less time');
    expect(timeChange(0.004)).toBe('about as long (within 1 %)');
  });

  test('inferenceRows and inferenceSummary put the three ways side by side and say when the running averages lag', () => {
    const stats = {
      kind: 'inference-stats' as const,
      running: { loss: 0.5, accuracy: 0.7676 },
      recalibrated: { loss: 0.4, accuracy: 0.8762 },
      batch: [1, 8, 256].map((batchSize, i) => ({ batchSize, evaluation: { loss: 1, accuracy: [0.0892, 0.8302, 0.8747][i] } })),
      layers: [
        {
          name: 'batch_normalization',
          runningMean: Float32Array.from([0, 1]),
          runningVariance: Float32Array.from([1, 1]),
          recalibratedMean: Float32Array.from([0.5, 1.5]),
          recalibratedVariance: Float32Array.from([2, 3]),
        },
      ],
    };
    expect(inferenceRows(stats).map((r) => [r.key, r.accuracy])).toEqual([
      ['running', 0.7676],
      ['recalibrated', 0.8762],
      ['batch-1', 0.0892],
      ['batch-8', 0.8302],
      ['batch-256', 0.8747],
    ]);
    expect(inferenceSummary(stats, 0.999)).toBe(
      'Test accuracy (a) 76.76 %, (b) 87.62 % with BN momentum 0.999: the running averages lag: (a) is 10.86 points below (b). Running and recalibrated statistics differ by 0.500 (mean) and 1.500 (variance) per unit on average. At test batch 1 every unit is normalized by its own value, leaving β: 8.92 %.',
    );
    expect(inferenceSummary({ ...stats, recalibrated: stats.running }, 0.99)).toContain('(a) and (b) agree within 0.1 points');
  });
});
