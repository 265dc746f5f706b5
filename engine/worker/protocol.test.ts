import { describe, expect, it } from 'vitest';
import { defaultTrainConfig } from '../train/config.ts';
import { assertNever, parseFromWorker, parseToWorker, transferables, type FromWorker, type ToWorker } from './protocol.ts';

const config = { ...defaultTrainConfig, hidden: [...defaultTrainConfig.hidden] };
const summary = { rows: [{ name: 'dense', type: 'Dense', outputShape: '(None, 128)', params: 100480 }], trainable: 100480, nonTrainable: 0, total: 100480 };

/** What postMessage does to a message (the engine's ES2022 lib does not declare structuredClone). */
function roundTrip<T>(message: T): T {
  return (globalThis as unknown as { structuredClone<V>(value: V): V }).structuredClone(message);
}

describe('parseToWorker(data)', () => {
  it('accepts every request type and fills defaults into config and options', () => {
    const requests: unknown[] = [
      { type: 'load-data', id: 1, manifestUrl: 'http://localhost/data/mnist.json' },
      { type: 'start', id: 2, runId: 'r1', config: { norm: 'batch', trainLimit: 2000 } },
      { type: 'pause', id: 3, runId: 'r1' },
      { type: 'resume', id: 4, runId: 'r1' },
      { type: 'stop', id: 5, runId: 'r1' },
      { type: 'update', id: 6, runId: 'r1', changes: { lr: 0.01, clipNorm: null } },
      { type: 'watch', id: 7, runId: 'r1', diagnostics: { intervalMs: 250, bins: 32 } },
      { type: 'release', id: 8, runId: 'r1' },
      { type: 'inference-stats', id: 9, runId: 'r1', batchSizes: [1, 8, 256] },
      { type: 'intensity-test', id: 10, runId: 'r1', changes: [{ contrast: 0.5, brightness: 0 }, { contrast: 1, brightness: 0.2 }], batchSize: 256, limit: 2000 },
      { type: 'dropout-ensemble', id: 11, runId: 'r1', samples: [1, 10, 100], limit: 10000, seed: 1 },
    ];
    const parsed = requests.map((r) => parseToWorker(roundTrip(r)));
    expect(parsed.every((p) => p.ok)).toBe(true);
    const start = parsed[1];
    if (!start.ok || start.message.type !== 'start') throw new Error('start did not parse');
    expect(start.message.config).toEqual({ ...config, norm: 'batch', trainLimit: 2000 });
    expect(start.message.options).toEqual({ testEachEpoch: false, progressIntervalMs: 100, diagnostics: null });
  });

  it('rejects malformed messages, naming the field, the value received and the id when it has one', () => {
    const cases: [unknown, RegExp, number | null][] = [
      [null, /message: expected an object, received null/, null],
      ['start', /message: expected an object, received 'start'/, null],
      [{ type: 'launch', id: 1 }, /message.type: expected one of 'load-data', .* received 'launch'/, 1],
      [{ type: 'pause', id: -1, runId: 'r' }, /pause.id: expected an integer ≥ 0, received -1/, null],
      [{ type: 'intensity-test', id: 3, runId: 'r', changes: [{ contrast: 1, brightness: 2 }], batchSize: 256, limit: 10 }, /intensity-test.changes\[0\]: brightness must be in \[-1, 1\], received 2/, 3],
      [{ type: 'intensity-test', id: 4, runId: 'r', changes: [], batchSize: 256, limit: 10 }, /intensity-test.changes: expected at least one intensity change, received none/, 4],
      [{ type: 'dropout-ensemble', id: 5, runId: 'r', samples: [10, 1], limit: 10, seed: 1 }, /dropout-ensemble.samples: expected 1 to 5 ascending numbers of masks from 1 to 200 such as \[1, 10, 100\], received \[10, 1\]/, 5],
      [{ type: 'dropout-ensemble', id: 6, runId: 'r', samples: [1, 1000], limit: 10, seed: 1 }, /received \[1, 1000\]/, 6],
      [{ type: 'dropout-ensemble', id: 7, runId: 'r', samples: [1], limit: 60000, seed: 1 }, /dropout-ensemble.limit: expected at most the 10,000 test images, received 60000/, 7],
      [{ type: 'pause', id: 1.5, runId: 'r' }, /pause.id: expected an integer/, null],
      [{ type: 'pause', id: 3 }, /pause.runId: expected a non-empty string, received undefined/, 3],
      [{ type: 'load-data', id: 4, manifestUrl: 7 }, /load-data.manifestUrl: expected a non-empty string, received 7/, 4],
      [{ type: 'start', id: 5, runId: 'r', config: { lr: -1 } }, /start.config: train config: lr must be in \(0, 10\], received -1/, 5],
      [{ type: 'start', id: 6, runId: 'r', config: { colour: 'red' } }, /start.config: .*unknown setting 'colour'/, 6],
      [{ type: 'start', id: 7, runId: 'r', config: {}, options: { progressIntervalMs: 10 } }, /start.options.progressIntervalMs: expected a number ≥ 100, received 10/, 7],
      [{ type: 'update', id: 8, runId: 'r', changes: { batchSize: 64 } }, /update.changes: .*'batchSize' cannot change during a run/, 8],
      [{ type: 'update', id: 9, runId: 'r', changes: { lr: 'fast' } }, /update.changes: .*lr must be a finite number/, 9],
      [{ type: 'watch', id: 10, runId: 'r', diagnostics: { intervalMs: 200, bins: 1000 } }, /watch.diagnostics.bins: expected an integer in \[4, 256\], received 1000/, 10],
    ];
    for (const [data, error, id] of cases) {
      const parsed = parseToWorker(data);
      expect(parsed.ok, JSON.stringify(data)).toBe(false);
      if (parsed.ok) continue;
      expect(parsed.error).toMatch(error);
      expect(parsed.id).toBe(id);
    }
  });
});

describe('parseFromWorker(data)', () => {
  const histogram = { min: -1, max: 2, counts: new Uint32Array([1, 2, 3, 4]), mean: 0.5, std: 0.7, zeros: 0.25 };
  const messages: FromWorker[] = [
    { type: 'reply', id: 1, request: 'load-data', ok: true, result: { train: 54000, validation: 6000, test: 10000, features: 784, source: 'cache', seconds: 0.4 } },
    { type: 'reply', id: 2, request: 'start', ok: true, result: { runId: 'r', config, summary, stepsPerEpoch: 1688, totalSteps: 8440, trainCount: 54000, validationCount: 6000 } },
    { type: 'reply', id: 3, request: 'pause', ok: true, result: { runId: 'r', state: 'paused', step: 40, config } },
    { type: 'reply', id: null, request: null, ok: false, error: { code: 'invalid-message', message: 'message: expected an object, received null' } },
    { type: 'data-progress', id: 1, loaded: 1000, total: 11_500_000, source: 'network' },
    { type: 'progress', runId: 'r', step: 10, totalSteps: 100, epoch: 0, epochs: 1, stepInEpoch: 10, stepsPerEpoch: 100, loss: 1.2, accuracy: 0.6, batchLoss: 1.1, samplesPerSecond: 20000, elapsedSeconds: 0.1, etaSeconds: null },
    { type: 'epoch', runId: 'r', epoch: 1, step: 100, train: { loss: 0.3, accuracy: 0.9 }, validation: { loss: 0.2, accuracy: 0.94 }, test: null, seconds: 1.5, samplesPerSecond: 21000 },
    {
      type: 'diagnostics',
      runId: 'r',
      step: 12,
      gradNorm: 0.8,
      clippedShare: 0.25,
      layers: [
        { name: 'batch_normalization', kind: 'BatchNormalization', units: 4, activations: histogram, gradients: null, params: [{ name: 'gamma', norm: 2, gradNorm: 0.1, updateRatio: 1e-3 }], movingMean: new Float32Array(4), movingVariance: new Float32Array([1, 1, 1, 1]), batchMean: new Float32Array([0.5, 0, 0, 0]), batchVariance: new Float32Array(4), saturated: null },
        { name: 'activation', kind: 'Activation', units: 4, activations: histogram, gradients: null, params: [], movingMean: null, movingVariance: null, batchMean: null, batchVariance: null, saturated: 0.4 },
      ],
    },
    { type: 'state', runId: 'r', state: 'running', step: 12 },
    { type: 'end', runId: 'r', state: 'diverged', summary: { steps: 7, epochs: 0, seconds: 0.01, samplesPerSecond: 100, train: null, validation: null, test: null, diverged: { step: 7, loss: Infinity }, error: null } },
    {
      type: 'reply',
      id: 4,
      request: 'inference-stats',
      ok: true,
      result: {
        runId: 'r',
        running: { loss: 0.3, accuracy: 0.9 },
        recalibrated: { loss: 0.25, accuracy: 0.92 },
        batch: [{ batchSize: 1, evaluation: { loss: 2.3, accuracy: 0.1 } }],
        layers: [{ name: 'batch_normalization', runningMean: new Float32Array(2), runningVariance: new Float32Array([1, 1]), recalibratedMean: new Float32Array([0.1, 0.2]), recalibratedVariance: new Float32Array([2, 3]) }],
      },
    },
    {
      type: 'reply',
      id: 5,
      request: 'intensity-test',
      ok: true,
      result: {
        runId: 'r',
        results: [
          { change: { contrast: 1, brightness: 0.2 }, running: { loss: 1.2, accuracy: 0.6 }, batch: { loss: 0.4, accuracy: 0.88 }, firstLayerShift: 1.7 },
          { change: { contrast: 0.5, brightness: 0 }, running: { loss: 0.5, accuracy: 0.85 }, batch: null, firstLayerShift: 0.4 },
        ],
      },
    },
  ];

  it('accepts every event and reply unchanged after a structured clone', () => {
    for (const message of messages) {
      const parsed = parseFromWorker(roundTrip(message));
      expect(parsed, message.type).toEqual({ ok: true, message });
    }
  });

  it('keeps a diverged loss of NaN or Infinity as a number', () => {
    const parsed = parseFromWorker({ ...messages[5], loss: NaN, batchLoss: Infinity });
    expect(parsed.ok && parsed.message.type === 'progress' && Number.isNaN(parsed.message.loss)).toBe(true);
  });

  it('rejects malformed events, naming the path of the bad field', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...messages[0], result: { ...(messages[0] as { result: object }).result, source: 'disk' } }, /reply\(load-data\).result.source: expected one of 'network', 'cache', 'memory', received 'disk'/],
      [{ ...messages[1], result: { ...(messages[1] as { result: object }).result, config: { ...config, batchSize: 0 } } }, /reply\(start\).result.config: .*batchSize must be an integer in \[1, 4096\], received 0/],
      [{ ...messages[3], error: { code: 'oops', message: 'x' } }, /reply.error.code: expected one of .* received 'oops'/],
      [{ ...messages[5], step: '10' }, /progress.step: expected an integer ≥ 0, received '10'/],
      [{ ...messages[6], validation: { loss: 0.2 } }, /epoch.validation.accuracy: expected a number, received undefined/],
      [{ ...messages[7], layers: [{ ...(messages[7] as { layers: object[] }).layers[0], movingMean: [0, 0, 0, 0] }] }, /diagnostics.layers\[0\].movingMean: expected a Float32Array, received \[0,0,0,0\]/],
      [{ ...messages[7], layers: [{ ...(messages[7] as { layers: object[] }).layers[0], activations: { ...histogram, counts: new Float32Array(4) } }] }, /activations.counts: expected a Uint32Array, received Float32Array\(4\)/],
      [{ ...messages[8], state: 'sleeping' }, /state.state: expected one of 'running', 'paused'/],
      [{ ...messages[9], state: 'paused' }, /end.state: expected one of 'finished', 'stopped', 'diverged', 'failed', received 'paused'/],
      [{ type: 'progress' }, /progress.runId: expected a non-empty string, received undefined/],
    ];
    for (const [data, error] of cases) {
      const parsed = parseFromWorker(data);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(error);
    }
  });
});

describe('transferables(message)', () => {
  it('lists each typed-array buffer of a diagnostics event once and nothing for other events', () => {
    const shared = new Float32Array(8);
    const counts = new Uint32Array(4);
    const message: FromWorker = {
      type: 'diagnostics',
      runId: 'r',
      step: 1,
      gradNorm: 1,
      clippedShare: null,
      layers: [{ name: 'bn', kind: 'BatchNormalization', units: 4, activations: { min: 0, max: 1, counts, mean: 0, std: 0, zeros: 0 }, gradients: null, params: [], movingMean: shared.subarray(0, 4), movingVariance: shared.subarray(4), batchMean: null, batchVariance: null, saturated: null }],
    };
    expect(transferables(message)).toEqual([counts.buffer, shared.buffer]);
    expect(transferables({ type: 'state', runId: 'r', state: 'paused', step: 1 })).toEqual([]);
  });
});

describe('assertNever(value)', () => {
  it('throws with the unexpected value when a switch is not exhaustive at run time', () => {
    const request = { type: 'explode' } as unknown as ToWorker;
    const handle = (r: ToWorker): string => {
      switch (r.type) {
        case 'load-data':
        case 'cancel-load':
        case 'ping':
        case 'start':
        case 'pause':
        case 'resume':
        case 'stop':
        case 'update':
        case 'watch':
        case 'release':
        case 'inference-stats':
        case 'intensity-test':
        case 'dropout-ensemble':
          return r.type;
        default:
          return assertNever(r);
      }
    };
    expect(() => handle(request)).toThrow('unexpected value {"type":"explode"}');
  });
});
