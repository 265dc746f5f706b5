import { describe, expect, it } from 'vitest';
import { defaultTrainConfig } from '../train/config.ts';
import {
  assertNever,
  DataInfo,
  DataProgressEvent,
  DiagnosticsEvent,
  EndEvent,
  EpochEvent,
  ProgressEvent,
  results,
  RunInfo,
  RunStatus,
  StateEvent,
  parseToWorker,
  transferables,
  type FeatureMaps,
  type FromWorker,
  type ToWorker,
} from './protocol.ts';

const config = { ...defaultTrainConfig, hidden: [...defaultTrainConfig.hidden] };
const summary = {
  rows: [{ name: 'dense', type: 'Dense', outputShape: '(None, 128)', params: 100480 }],
  trainable: 100480,
  nonTrainable: 0,
  total: 100480,
};

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
      { type: 'probe', id: 9, runId: 'r1', probe: { kind: 'inference-stats', batchSizes: [1, 8, 256] } },
      {
        type: 'probe',
        id: 10,
        runId: 'r1',
        probe: {
          kind: 'intensity-test',
          changes: [
            { contrast: 0.5, brightness: 0 },
            { contrast: 1, brightness: 0.2 },
          ],
          batchSize: 256,
          limit: 2000,
        },
      },
      { type: 'probe', id: 11, runId: 'r1', probe: { kind: 'dropout-ensemble', samples: [1, 10, 100], limit: 10000, seed: 1 } },
      { type: 'ping', id: 12 },
      { type: 'cancel-load', id: 13 },
      { type: 'probe', id: 14, runId: 'r1', probe: { kind: 'feature-maps', layer: 1, count: 32, start: 100 } },
    ];
    const parsed = requests.map((r) => parseToWorker(roundTrip(r)));
    expect(parsed.filter((p) => !p.ok)).toEqual([]);
    expect(parsed.slice(8).map((p) => p.ok && p.message)).toEqual(requests.slice(8));
    const start = parsed[1];
    if (!start.ok || start.message.type !== 'start') throw new Error('start did not parse');
    expect(start.message.config).toEqual({ ...config, norm: 'batch', trainLimit: 2000 });
    expect(start.message.options).toEqual({ testEachEpoch: false, progressIntervalMs: 100, diagnostics: null, landscape: null });
  });

  it('rejects malformed messages, naming the field, the value received and the id when it has one', () => {
    const cases: [unknown, RegExp, number | null][] = [
      [null, /message: expected an object with type one of 'load-data', .*, received null/, null],
      ['start', /message: expected an object with type .* received 'start'/, null],
      [{ type: 'launch', id: 1 }, /message.type: expected one of 'load-data', .* received 'launch'/, 1],
      [{ type: 'pause', id: -1, runId: 'r' }, /message.id: expected an integer ≥ 0, received -1/, null],
      [
        { type: 'probe', id: 2, runId: 'r', probe: { kind: 'x-ray' } },
        /message.probe.kind: expected one of 'inference-stats', 'intensity-test', 'dropout-ensemble', 'feature-maps', received 'x-ray'/,
        2,
      ],
      [
        {
          type: 'probe',
          id: 3,
          runId: 'r',
          probe: { kind: 'intensity-test', changes: [{ contrast: 1, brightness: 2 }], batchSize: 256, limit: 10 },
        },
        /message.probe.changes\[0\].brightness: expected a number in \[-1, 1\], received 2/,
        3,
      ],
      [
        { type: 'start', id: 6, runId: 'r', config: {}, options: { landscape: { every: 5, multiples: [0, 1] } } },
        /message.options.landscape.multiples\[0\]: expected a number in \[0.01, 16\], received 0/,
        6,
      ],
      [
        { type: 'probe', id: 4, runId: 'r', probe: { kind: 'intensity-test', changes: [], batchSize: 256, limit: 10 } },
        /message.probe.changes: expected a list of 1–20 items, each an object, received \[\]/,
        4,
      ],
      [
        { type: 'probe', id: 5, runId: 'r', probe: { kind: 'dropout-ensemble', samples: [10, 1], limit: 10, seed: 1 } },
        /message.probe.samples: expected strictly ascending numbers of masks such as \[1, 10, 100\], received \[10,1\]/,
        5,
      ],
      [
        { type: 'probe', id: 7, runId: 'r', probe: { kind: 'dropout-ensemble', samples: [1], limit: 60000, seed: 1 } },
        /message.probe.limit: expected an integer in \[1, 10000\], received 60000/,
        7,
      ],
      [
        { type: 'probe', id: 9, runId: 'r', probe: { kind: 'feature-maps', layer: 0, count: 33, start: 0 } },
        /message.probe.count: expected an integer in \[1, 32\], received 33/,
        9,
      ],
      [
        { type: 'probe', id: 8, runId: 'r', probe: { kind: 'inference-stats', batchSizes: [0] } },
        /message.probe.batchSizes\[0\]: expected an integer in \[1, 10000\], received 0/,
        8,
      ],
      [{ type: 'pause', id: 1.5, runId: 'r' }, /message.id: expected an integer ≥ 0, received 1.5/, null],
      [{ type: 'pause', id: 3 }, /message.runId: expected a string of 1–100 characters, received undefined/, 3],
      [
        { type: 'pause', id: 3, runId: 'r'.repeat(101) },
        /message.runId: expected a string of 1–100 characters, received 'r+… \(101 characters\)'/,
        3,
      ],
      [{ type: 'load-data', id: 4, manifestUrl: 7 }, /message.manifestUrl: expected a string of at least 1 character, received 7/, 4],
      [{ type: 'start', id: 5, runId: 'r', config: { lr: -1 } }, /message.config: train config: lr must be in \(0, 10\], received -1/, 5],
      [{ type: 'start', id: 6, runId: 'r', config: { colour: 'red' } }, /message.config: .*unknown setting 'colour'/, 6],
      [
        { type: 'start', id: 7, runId: 'r', config: {}, options: { progressIntervalMs: 10 } },
        /message.options.progressIntervalMs: expected a number ≥ 100, received 10/,
        7,
      ],
      [{ type: 'update', id: 8, runId: 'r', changes: { batchSize: 64 } }, /message.changes: .*'batchSize' cannot change during a run/, 8],
      [{ type: 'update', id: 9, runId: 'r', changes: { lr: 'fast' } }, /message.changes: .*lr must be a finite number/, 9],
      [
        { type: 'watch', id: 10, runId: 'r', diagnostics: { intervalMs: 200, bins: 1000 } },
        /message.diagnostics.bins: expected an integer in \[4, 256\], received 1000/,
        10,
      ],
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

describe('the shapes of what the worker sends', () => {
  const histogram = { min: -1, max: 2, counts: new Uint32Array([1, 2, 3, 4]), mean: 0.5, std: 0.7, zeros: 0.25 };
  const messages: FromWorker[] = [
    {
      type: 'reply',
      id: 1,
      request: 'load-data',
      ok: true,
      result: { train: 54000, validation: 6000, test: 10000, features: 784, source: 'cache', seconds: 0.4 },
    },
    {
      type: 'reply',
      id: 2,
      request: 'start',
      ok: true,
      result: { runId: 'r', config, summary, stepsPerEpoch: 1688, totalSteps: 8440, trainCount: 54000, validationCount: 6000 },
    },
    { type: 'reply', id: 3, request: 'pause', ok: true, result: { runId: 'r', state: 'paused', step: 40 } },
    {
      type: 'reply',
      id: null,
      request: null,
      ok: false,
      error: { code: 'invalid-message', message: 'message: expected an object, received null' },
    },
    { type: 'data-progress', id: 1, loaded: 1000, total: 11_500_000, source: 'network' },
    {
      type: 'progress',
      runId: 'r',
      step: 10,
      totalSteps: 100,
      epoch: 0,
      epochs: 1,
      stepInEpoch: 10,
      stepsPerEpoch: 100,
      loss: 1.2,
      accuracy: 0.6,
      batchLoss: 1.1,
      samplesPerSecond: 20000,
      elapsedSeconds: 0.1,
      etaSeconds: null,
    },
    {
      type: 'epoch',
      runId: 'r',
      epoch: 1,
      step: 100,
      train: { loss: 0.3, accuracy: 0.9 },
      validation: { loss: 0.2, accuracy: 0.94 },
      test: null,
      seconds: 1.5,
      samplesPerSecond: 21000,
    },
    {
      type: 'diagnostics',
      runId: 'r',
      step: 12,
      gradNorm: 0.8,
      clippedShare: 0.25,
      layers: [
        {
          name: 'batch_normalization',
          kind: 'BatchNormalization',
          units: 4,
          activations: histogram,
          gradients: null,
          params: [{ name: 'gamma', norm: 2, gradNorm: 0.1, updateRatio: 1e-3 }],
          movingMean: new Float32Array(4),
          movingVariance: new Float32Array([1, 1, 1, 1]),
          batchMean: new Float32Array([0.5, 0, 0, 0]),
          batchVariance: new Float32Array(4),
          saturated: null,
        },
        {
          name: 'activation',
          kind: 'Activation',
          units: 4,
          activations: histogram,
          gradients: null,
          params: [],
          movingMean: null,
          movingVariance: null,
          batchMean: null,
          batchVariance: null,
          saturated: 0.4,
        },
      ],
    },
    { type: 'state', runId: 'r', state: 'running', step: 12 },
    {
      type: 'end',
      runId: 'r',
      state: 'diverged',
      summary: {
        steps: 7,
        epochs: 0,
        seconds: 0.01,
        samplesPerSecond: 100,
        train: null,
        validation: null,
        test: null,
        diverged: { step: 7, loss: Infinity },
        error: null,
      },
    },
    {
      type: 'reply',
      id: 4,
      request: 'probe',
      ok: true,
      result: {
        kind: 'inference-stats',
        running: { loss: 0.3, accuracy: 0.9 },
        recalibrated: { loss: 0.25, accuracy: 0.92 },
        batch: [{ batchSize: 1, evaluation: { loss: 2.3, accuracy: 0.1 } }],
        layers: [
          {
            name: 'batch_normalization',
            runningMean: new Float32Array(2),
            runningVariance: new Float32Array([1, 1]),
            recalibratedMean: new Float32Array([0.1, 0.2]),
            recalibratedVariance: new Float32Array([2, 3]),
          },
        ],
      },
    },
    {
      type: 'reply',
      id: 5,
      request: 'probe',
      ok: true,
      result: {
        kind: 'intensity-test',
        results: [
          {
            change: { contrast: 1, brightness: 0.2 },
            running: { loss: 1.2, accuracy: 0.6 },
            batch: { loss: 0.4, accuracy: 0.88 },
            firstLayerShift: 1.7,
          },
          { change: { contrast: 0.5, brightness: 0 }, running: { loss: 0.5, accuracy: 0.85 }, batch: null, firstLayerShift: 0.4 },
        ],
      },
    },
  ];

  const schemas = {
    'data-progress': DataProgressEvent,
    progress: ProgressEvent,
    epoch: EpochEvent,
    diagnostics: DiagnosticsEvent,
    state: StateEvent,
    end: EndEvent,
  };
  const parse = (message: FromWorker) =>
    message.type === 'reply'
      ? message.ok
        ? results[message.request].parse(message.result)
        : null
      : message.type in schemas
        ? schemas[message.type as keyof typeof schemas].parse(message)
        : null;

  it('every event and reply result keeps its schema after a structured clone (what a saved run record is read back with)', () => {
    for (const message of messages) {
      const copy = roundTrip(message);
      const expected = message.type === 'reply' ? (message.ok ? message.result : null) : message;
      expect(parse(copy), message.type).toEqual(expected);
    }
  });

  it('keeps a diverged loss of NaN or Infinity as a number', () => {
    const parsed = ProgressEvent.parse({ ...messages[5], loss: NaN, batchLoss: Infinity });
    expect(Number.isNaN(parsed.loss)).toBe(true);
  });

  it('rejects malformed values, naming the path of the bad field', () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => DataInfo.parse({ ...(messages[0] as { result: object }).result, source: 'disk' }, 'result'),
        /result.source: expected one of 'network', 'cache', 'memory', received 'disk'/,
      ],
      [
        () => RunInfo.parse({ ...(messages[1] as { result: object }).result, config: { ...config, batchSize: 0 } }, 'result'),
        /result.config: .*batchSize must be an integer in \[1, 4096\], received 0/,
      ],
      [() => RunStatus.parse({ runId: 'r', state: 'sleeping', step: 1 }, 'status'), /status.state: expected one of 'running', 'paused'/],
      [() => ProgressEvent.parse({ ...messages[5], step: '10' }, 'progress'), /progress.step: expected an integer ≥ 0, received '10'/],
      [
        () => EpochEvent.parse({ ...messages[6], validation: { loss: 0.2 } }, 'epoch'),
        /epoch.validation.accuracy: expected a number, received undefined/,
      ],
      [
        () =>
          DiagnosticsEvent.parse(
            { ...messages[7], layers: [{ ...(messages[7] as { layers: object[] }).layers[0], movingMean: [0, 0, 0, 0] }] },
            'diagnostics',
          ),
        /diagnostics.layers\[0\].movingMean: expected a Float32Array or null, received \[0,0,0,0\]/,
      ],
      [
        () =>
          DiagnosticsEvent.parse(
            {
              ...messages[7],
              layers: [{ ...(messages[7] as { layers: object[] }).layers[0], activations: { ...histogram, counts: new Float32Array(4) } }],
            },
            'diagnostics',
          ),
        /activations.counts: expected a Uint32Array, received Float32Array\(4\)/,
      ],
      [
        () => EndEvent.parse({ ...messages[9], state: 'paused' }, 'end'),
        /end.state: expected one of 'finished', 'stopped', 'diverged', 'failed', received 'paused'/,
      ],
      [
        () => ProgressEvent.parse({ type: 'progress' }, 'progress'),
        /progress.runId: expected a string of 1–100 characters, received undefined/,
      ],
    ];
    for (const [parseIt, error] of cases) expect(parseIt).toThrow(error);
  });
});

describe('transferables(message)', () => {
  it('lists each typed-array buffer of a diagnostics event once and nothing for other events', () => {
    const shared = new Float32Array(8);
    const counts = new Uint32Array(4);
    const perChannel = new Float32Array(4);
    const channelGrad = new Float32Array(2);
    const message: FromWorker = {
      type: 'diagnostics',
      runId: 'r',
      step: 1,
      gradNorm: 1,
      clippedShare: null,
      layers: [
        {
          name: 'bn',
          kind: 'BatchNormalization',
          units: 4,
          activations: { min: 0, max: 1, counts, mean: 0, std: 0, zeros: 0 },
          gradients: null,
          params: [],
          movingMean: shared.subarray(0, 4),
          movingVariance: shared.subarray(4),
          batchMean: null,
          batchVariance: null,
          saturated: null,
        },
        {
          name: 'conv2d',
          kind: 'Conv2D',
          units: 8,
          activations: null,
          gradients: null,
          params: [],
          movingMean: null,
          movingVariance: null,
          batchMean: null,
          batchVariance: null,
          saturated: null,
          channels: { mean: perChannel.subarray(0, 2), std: perChannel.subarray(2), gradNorm: channelGrad, saturated: null },
        },
      ],
    };
    expect(transferables(message)).toEqual([counts.buffer, shared.buffer, perChannel.buffer, channelGrad.buffer]);
    expect(transferables({ type: 'state', runId: 'r', state: 'paused', step: 1 })).toEqual([]);
  });

  it("lists a feature-maps reply's images, conv output and norm arrays, and nothing of a norm without parameters", () => {
    const [images, preNorm, gamma, beta, mean, variance] = [8, 16, 2, 2, 2, 2].map((n) => new Float32Array(n));
    const result: FeatureMaps = {
      kind: 'feature-maps',
      layer: 0,
      batch: 2,
      height: 2,
      width: 2,
      channels: 2,
      labels: [3, 4],
      images,
      preNorm,
      norm: { kind: 'batch', groups: null, gamma, beta, runningMean: mean, runningVariance: variance, epsilon: 1e-3 },
    };
    const message: FromWorker = { type: 'reply', id: 1, request: 'probe', ok: true, result };
    expect(transferables(message)).toEqual([images.buffer, preNorm.buffer, gamma.buffer, beta.buffer, mean.buffer, variance.buffer]);
    const none = { kind: 'none', groups: null, gamma: null, beta: null, runningMean: null, runningVariance: null, epsilon: null } as const;
    expect(transferables({ ...message, result: { ...result, norm: none } })).toEqual([images.buffer, preNorm.buffer]);
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
        case 'probe':
          return r.type;
        default:
          return assertNever(r);
      }
    };
    expect(() => handle(request)).toThrow('unexpected value {"type":"explode"}');
  });
});
