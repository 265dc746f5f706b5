/**
 * "Train with your own layer": the assignment's network (Dense 128 → BN → ReLU → Dropout 0.2 →
 * Dense 10, Adam 1e-3, batch 32) trained twice from the same seed on the same images — once with
 * the engine's BN, once with the reader's `batchNormForward`/`batchNormBackward` in its place
 * (everything else is the engine's) — for one epoch on the first `trainLimit` training images,
 * then scored on the 6,000 validation images. The page has the reader's functions pass the BN-transform
 * and backprop lessons' checks first (judged outside the sandbox), so a wrong layer is named by a check
 * rather than by a bad curve.
 */
import { mlp } from '@engine/model/mlp.ts';
import { createRandom, shuffleInPlace } from '@engine/random.ts';
import { defaultTrainConfig, parseTrainConfig } from '@engine/train/config.ts';
import { evaluate } from '@engine/train/evaluate.ts';
import { buildOptimizer, deriveSeed, modelSpec } from '@engine/train/session.ts';
import { trainStep } from '@engine/train/train-step.ts';
import { fillBatch, limitDataset, type Dataset } from '@engine/data/mnist.ts';
import { buildDatasets, type DataFiles } from '@engine/worker/data-assets.ts';
import { bnBackward } from './bn-backward.ts';
import { bnForward } from './bn-forward.ts';
import type { Exercise } from './exercise.ts';
import { ownBatchNorm, type BackwardFn, type ForwardFn } from './own-batch-norm.ts';
import { CellRunError, runCell } from './run-code.ts';

export interface TrainRequest {
  forwardCode: string;
  backwardCode: string;
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

const curvePoints = 40;

/** The reader's two functions, each from its own cell (so errors keep their cell's line numbers). The page has had both checked first. */
function readerFunctions(request: TrainRequest): { forward: ForwardFn; backward: BackwardFn } {
  const take = (exercise: Exercise, code: string, cell: string) => {
    const fn = runCell(code, exercise.functions).functions[exercise.functions[0]];
    if (typeof fn !== 'function')
      throw new CellRunError({ message: `your ${cell} defines no function named ${exercise.functions[0]}`, line: null }, []);
    return fn;
  };
  return {
    forward: take(bnForward, request.forwardCode, 'batchNormForward (“The BN transform”)') as ForwardFn,
    backward: take(bnBackward, request.backwardCode, 'batchNormBackward (“Backpropagation through BN”)') as BackwardFn,
  };
}

/** One epoch of the assignment's BN network; `batchNorm` swaps the layer. */
function trainArm(
  name: ArmResult['name'],
  train: Dataset,
  validation: Dataset,
  seed: number,
  factory: ReturnType<typeof ownBatchNorm> | undefined,
  onProgress: (done: number) => void,
  now: () => number,
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
    if (r.diverged)
      throw new CellRunError(
        {
          message: `step ${s + 1}: the loss became ${r.loss} with ${name === 'yours' ? 'your batchNormForward/batchNormBackward' : "the engine's BN"}; training stopped`,
          line: null,
        },
        [],
      );
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

/**
 * Trains both arms on data the page loaded with the site's own code and transferred in: this runs
 * in the sandbox, which has no network and no storage.
 */
export function trainOwnLayer(request: TrainRequest, files: DataFiles, onProgress: (p: TrainProgress) => void): TrainSummary {
  const own = readerFunctions(request);
  let data;
  try {
    data = buildDatasets(files);
  } catch (e) {
    throw new CellRunError({ message: `the MNIST data could not be read: ${e instanceof Error ? e.message : String(e)}`, line: null }, []);
  }
  const train = limitDataset(data.train, Math.min(request.trainLimit, data.train.count));
  const now = () => performance.now();
  const engine = trainArm('engine', train, data.validation, request.seed, undefined, (done) => onProgress({ phase: 'engine', done }), now);
  const yours = trainArm(
    'yours',
    train,
    data.validation,
    request.seed,
    ownBatchNorm(own.forward, own.backward),
    (done) => onProgress({ phase: 'yours', done }),
    now,
  );
  return { images: train.count, steps: Math.ceil(train.count / 32), arms: [engine, yours], slowdown: yours.seconds / engine.seconds };
}
