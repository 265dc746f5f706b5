/**
 * "Train with your own layer": the assignment's network (Dense 128 → BN → ReLU → Dropout 0.2 →
 * Dense 10, Adam 1e-3, batch 32) trained twice from the same seed on the same images — once with
 * the engine's BN, once with the reader's `batchNormForward`/`batchNormBackward` in its place
 * (everything else is the engine's) — for one epoch on the first `trainLimit` training images,
 * then scored on the 6,000 validation images. The reader's functions must pass the lesson 2 and
 * lesson 3 checks first, so a wrong layer is named by a check rather than by a bad curve.
 */
import { mlp } from '@engine/model/mlp.ts';
import { createRandom, shuffleInPlace } from '@engine/random.ts';
import { defaultTrainConfig, parseTrainConfig } from '@engine/train/config.ts';
import { evaluate } from '@engine/train/evaluate.ts';
import { buildOptimizer, deriveSeed, modelSpec } from '@engine/train/session.ts';
import { trainStep } from '@engine/train/train-step.ts';
import { fillBatch, limitDataset, type Dataset } from '@engine/data/mnist.ts';
import { buildDatasets, loadDataFiles, toHex, type AssetBindings, type ByteCache } from '@engine/worker/data-assets.ts';
import { bnBackward } from './bn-backward.ts';
import { bnForward } from './bn-forward.ts';
import type { Exercise } from './exercise.ts';
import { ownBatchNorm, type BackwardFn, type ForwardFn } from './own-batch-norm.ts';
import { CellRunError, explainError, formatCellError, runCell } from './run-code.ts';

export interface TrainRequest {
  forwardCode: string;
  backwardCode: string;
  manifestUrl: string;
  /** Training images used for the one epoch (the first N of the 54,000). */
  trainLimit: number;
  seed: number;
}

export interface TrainProgress {
  phase: 'data' | 'engine' | 'yours';
  /** Fraction done within the phase, 0–1. */
  done: number;
}

export interface ArmResult {
  name: 'engine' | 'yours';
  /** Mean training loss of every `every` steps: [step, loss]. */
  curve: [number, number][];
  validationAccuracy: number;
  seconds: number;
}

export interface TrainSummary {
  images: number;
  steps: number;
  arms: [ArmResult, ArmResult];
  /** Reader's time / engine's time. */
  slowdown: number;
}

export interface NetworkBindings {
  fetch: typeof fetch | null;
  caches: CacheStorage | null;
}

const curvePoints = 40;

/** The reader's two functions, each from its own cell (so errors keep their cell's line numbers), checked first. */
function readerFunctions(request: TrainRequest): { forward: ForwardFn; backward: BackwardFn } {
  const take = (exercise: Exercise, code: string, cell: string) => {
    const out = runCell(code, exercise.functions);
    const stages = exercise.check(out.functions, { explain: (e) => formatCellError(explainError(e)) });
    const failed = stages.find((s) => !s.pass);
    if (failed) {
      throw new CellRunError({ message: `your ${cell} does not pass its checks yet, so it is not trained: ${failed.stage} (${failed.case}) — ${failed.message}`, line: null }, []);
    }
    return out.functions[exercise.functions[0]]!;
  };
  return {
    forward: take(bnForward, request.forwardCode, 'batchNormForward (lesson 2)') as ForwardFn,
    backward: take(bnBackward, request.backwardCode, 'batchNormBackward (lesson 3)') as BackwardFn,
  };
}

async function assetBindings(network: NetworkBindings): Promise<AssetBindings> {
  const net = network.fetch;
  if (!net) throw new CellRunError({ message: 'this browser gives workers no fetch, so the MNIST data cannot be loaded', line: null }, []);
  const opened = network.caches ? await network.caches.open('normlab-mnist-v1').catch(() => null) : null;
  const cache: ByteCache | null = opened && {
    async get(key) {
      const hit = await opened.match(key);
      return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
    },
    async put(key, bytes) {
      await opened.put(key, new Response(bytes as Uint8Array<ArrayBuffer>));
    },
  };
  return {
    // The default cache mode, as in the training worker: the service worker decides freshness and
    // answers offline from its cache.
    fetch: (url) => net(url),
    timer(ms) {
      let id: ReturnType<typeof setTimeout> | undefined;
      return { expired: new Promise<void>((resolve) => (id = setTimeout(resolve, ms))), clear: () => clearTimeout(id) };
    },
    async gunzip(bytes) {
      const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    },
    async sha256(bytes) {
      if (!crypto?.subtle) return null;
      return toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    },
    cache,
  };
}

/** One epoch of the assignment's BN network; `batchNorm` swaps the layer. */
function trainArm(
  name: ArmResult['name'], train: Dataset, validation: Dataset, seed: number,
  factory: ReturnType<typeof ownBatchNorm> | undefined, onProgress: (done: number) => void, now: () => number,
): ArmResult {
  const config = parseTrainConfig({ ...defaultTrainConfig, norm: 'batch', seed, epochs: 1 });
  const started = now();
  const model = mlp(modelSpec(config, train.features, 10), createRandom(deriveSeed(seed, 0)), {
    dropoutRandom: createRandom(deriveSeed(seed, 2)),
    batchNorm: factory,
  });
  const optimizer = buildOptimizer(config);
  const order = Uint32Array.from({ length: train.count }, (_, i) => i);
  shuffleInPlace(order, createRandom(deriveSeed(seed, 1)));
  const B = config.batchSize;
  const steps = Math.ceil(train.count / B);
  const every = Math.max(1, Math.ceil(steps / curvePoints));
  const x = new Float32Array(B * train.features);
  const y = new Uint8Array(B);
  const curve: [number, number][] = [];
  let sum = 0;
  let count = 0;
  for (let s = 0; s < steps; s++) {
    const n = Math.min(B, train.count - s * B);
    const xb = n === B ? x : x.subarray(0, n * train.features);
    const yb = n === B ? y : y.subarray(0, n);
    fillBatch(train, order, s * B, n, xb, yb);
    let r;
    try {
      r = trainStep(model, optimizer, xb, yb, n);
    } catch (e) {
      throw new CellRunError({ message: `step ${s + 1}: ${e instanceof Error ? e.message : String(e)}`, line: null }, []);
    }
    if (r.diverged) throw new CellRunError({ message: `step ${s + 1}: the loss became ${r.loss} with ${name === 'yours' ? 'your batchNormForward/batchNormBackward' : "the engine's BN"}; training stopped`, line: null }, []);
    sum += r.loss;
    count++;
    if (count === every || s === steps - 1) {
      curve.push([s + 1, sum / count]);
      sum = 0;
      count = 0;
      onProgress((s + 1) / steps);
    }
  }
  const seconds = (now() - started) / 1000;
  return { name, curve, validationAccuracy: evaluate(model, validation).accuracy, seconds };
}

export async function trainOwnLayer(request: TrainRequest, network: NetworkBindings, onProgress: (p: TrainProgress) => void): Promise<TrainSummary> {
  const own = readerFunctions(request);
  onProgress({ phase: 'data', done: 0 });
  let data;
  try {
    const { files } = await loadDataFiles(request.manifestUrl, await assetBindings(network), (p) => onProgress({ phase: 'data', done: p.loaded / p.total }));
    data = buildDatasets(files);
  } catch (e) {
    if (e instanceof CellRunError) throw e;
    throw new CellRunError({ message: `the MNIST data could not be loaded: ${e instanceof Error ? e.message : String(e)}`, line: null }, []);
  }
  const train = limitDataset(data.train, Math.min(request.trainLimit, data.train.count));
  const now = () => performance.now();
  const engine = trainArm('engine', train, data.validation, request.seed, undefined, (done) => onProgress({ phase: 'engine', done }), now);
  const yours = trainArm('yours', train, data.validation, request.seed, ownBatchNorm(own.forward, own.backward), (done) => onProgress({ phase: 'yours', done }), now);
  return { images: train.count, steps: Math.ceil(train.count / 32), arms: [engine, yours], slowdown: yours.seconds / engine.seconds };
}
