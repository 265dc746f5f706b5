/**
 * One training run, stepped by its driver. The session owns the model, the optimizer, the
 * order of the images (data-order.ts) and the mini-batch buffers; the driver (CLI, worker, tests)
 * owns the loop, the clock and the reporting. Keras `fit` semantics by default: the training set is
 * reshuffled at each epoch, the last batch may be smaller, and an epoch's loss/accuracy are running
 * means over its batches in train mode.
 */
import { noisyBatchNorm } from '../layers/noisy-batch-norm.ts';
import { createBackend, type Backend } from '../backend.ts';
import { fillBatch, limitDataset, type Dataset } from '../data/mnist.ts';
import { mlp, type Mlp, type MlpSpec } from '../model/mlp.ts';
import { adam, adamW } from '../optim/adam.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { sgd } from '../optim/sgd.ts';
import { createRandom, type SeededRandom } from '../random.ts';
import { parseTrainConfig, type LiveSettings, type TrainConfig } from './config.ts';
import { batchOrder } from './data-order.ts';
import { evaluate, type Evaluation } from './evaluate.ts';
import { checkMultiples, stepAlongLandscape, type LandscapeSample } from './landscape.ts';
import { trainStep } from './train-step.ts';

export interface StepOutcome {
  loss: number;
  /** Accuracy on this mini-batch. */
  accuracy: number;
  /** Global gradient norm before clipping (NaN unless clipping or `measureGradNorm`). */
  gradNorm: number;
  /** 0-based epoch this step belonged to. */
  epoch: number;
  /** 1-based index of this step within its epoch. */
  stepInEpoch: number;
  /** Images in this step's mini-batch (B, or fewer for a last or a one-class batch). */
  rows: number;
  epochEnded: boolean;
  diverged: boolean;
  /** The loss landscape along this step's update, when the step was probed (`Session.landscape`). */
  landscape?: LandscapeSample;
}

export interface Session {
  readonly config: TrainConfig;
  readonly model: Mlp;
  readonly optimizer: Optimizer;
  readonly train: Dataset;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  /** 0-based epoch of the next step. */
  readonly epoch: number;
  /** Steps taken so far. */
  readonly globalStep: number;
  readonly done: boolean;
  readonly diverged: null | { step: number; loss: number };
  /** Steps whose gradient norm exceeded `clipNorm` and was clipped (0 without clipping). */
  readonly clippedSteps: number;
  /** Whether each step measures the gradient norm (diagnostics); clipping always does. */
  measureGradNorm: boolean;
  /**
   * The multiples of the step at which the next steps probe the loss landscape (landscape.ts), or
   * null (default) for none; probing leaves the run exactly as it would be without it.
   */
  landscape: readonly number[] | null;
  step(): StepOutcome;
  epochMetrics(): Evaluation;
  evaluate(set: Dataset): Evaluation;
  /**
   * Live settings from the next step. The values were checked where they entered (the worker's
   * protocol, `parseLiveSettings`); here only what depends on this run (its optimizer).
   */
  update(changes: Partial<LiveSettings>): void;
}

/** Independent streams from one seed, so adding BN or dropout never shifts init or data order. */
export function deriveSeed(seed: number, stream: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The config's optimizer; pass the model's backend so its moments sit beside the weights. */
export function buildOptimizer(c: TrainConfig, backend?: Backend): Optimizer {
  switch (c.optimizer) {
    case 'adam':
      return adam({ lr: c.lr, l2: c.l2, backend });
    case 'adamw':
      return adamW({ lr: c.lr, weightDecay: c.weightDecay, backend });
    case 'sgd':
      return sgd({ lr: c.lr, momentum: c.momentum, l2: c.l2, backend });
  }
}

/** The model part of a training config, as `mlp` takes it (a 'cnn' reads `inputs` as a square one-channel image). */
export function modelSpec(c: TrainConfig, inputs: number, classes: number): MlpSpec {
  return {
    ...(c.model === 'cnn' ? { conv: c.conv.map((filters) => ({ filters, kernel: c.kernel, padding: c.padding })) } : {}),
    inputs,
    hidden: c.hidden,
    activation: c.activation,
    norm: c.norm,
    normPlacement: c.normPlacement,
    dropout: c.dropout,
    dropoutPlacement: c.dropoutPlacement,
    classes,
    init: c.init,
    initScale: c.initScale,
    bnMomentum: c.bnMomentum,
    bnEpsilon: c.epsilon,
    bnAblation: c.bnAblation,
  };
}

/** The random streams a model draws from while it trains: dropout masks (stream 2) and BN noise (stream 3). */
export interface ModelStreams {
  dropout: SeededRandom;
  noise: SeededRandom;
}

export function modelStreams(c: TrainConfig): ModelStreams {
  return { dropout: createRandom(deriveSeed(c.seed, 2)), noise: createRandom(deriveSeed(c.seed, 3)) };
}

/** The config's model on a new backend of the config's kind (`c.backend`), drawing from `streams` as it trains. */
export function buildModel(c: TrainConfig, inputs: number, classes: number, streams: ModelStreams = modelStreams(c)): Mlp {
  const backend = createBackend(c.backend);
  // The BN noise has its own stream (3), so turning it on changes neither the initial weights nor the order of images.
  const noise = c.norm === 'batch' && c.bnNoise > 0 ? { batchNorm: noisyBatchNorm(c.bnNoise, streams.noise) } : {};
  return mlp(modelSpec(c, inputs, classes), createRandom(deriveSeed(c.seed, 0)), {
    dropoutRandom: streams.dropout,
    backend,
    ...noise,
  });
}

export function createSession(configInput: TrainConfig, data: { train: Dataset; classes?: number }): Session {
  const config = parseTrainConfig(configInput);
  const train = config.trainLimit === null ? data.train : limitDataset(data.train, Math.min(config.trainLimit, data.train.count));
  const F = train.features;
  const streams = modelStreams(config);
  const model = buildModel(config, F, data.classes ?? 10, streams);
  const optimizer = buildOptimizer(config, model.backend);
  const B = config.batchSize;
  const batches = batchOrder(config.dataOrder, train.labels, B, createRandom(deriveSeed(config.seed, 1)));
  const stepsPerEpoch = batches.batchesPerEpoch;
  const totalSteps = stepsPerEpoch * config.epochs;

  const x = new Float32Array(B * F);
  const y = new Uint8Array(B);
  const live = { clipNorm: config.clipNorm, clipValue: config.clipValue };

  let globalStep = 0;
  let clippedSteps = 0;
  let diverged: Session['diverged'] = null;
  let epochLoss = 0;
  let epochCorrect = 0;
  let epochSeen = 0;
  let landscape: readonly number[] | null = null;

  const session: Session = {
    config,
    model,
    optimizer,
    train,
    stepsPerEpoch,
    totalSteps,
    get epoch() {
      return Math.floor(globalStep / stepsPerEpoch);
    },
    get globalStep() {
      return globalStep;
    },
    get done() {
      return diverged !== null || globalStep >= totalSteps;
    },
    get diverged() {
      return diverged;
    },
    get clippedSteps() {
      return clippedSteps;
    },
    measureGradNorm: false,
    get landscape() {
      return landscape;
    },
    set landscape(multiples) {
      landscape = multiples === null ? null : checkMultiples(multiples);
    },
    step(): StepOutcome {
      if (session.done) {
        throw new Error(
          `session.step: the run is over (${diverged ? `diverged at step ${diverged.step}` : `all ${totalSteps} steps taken`})`,
        );
      }
      const epoch = Math.floor(globalStep / stepsPerEpoch);
      const inEpoch = globalStep % stepsPerEpoch;
      if (inEpoch === 0) {
        batches.nextEpoch();
        epochLoss = 0;
        epochCorrect = 0;
        epochSeen = 0;
      }
      const start = batches.starts[inEpoch];
      const n = batches.starts[inEpoch + 1] - start;
      const xb = n === B ? x : x.subarray(0, n * F);
      const yb = n === B ? y : y.subarray(0, n);
      fillBatch(train, batches.order, start, n, xb, yb);
      const take = () =>
        trainStep(model, optimizer, xb, yb, n, { ...live, measureGradNorm: session.measureGradNorm, divergeAbove: config.divergeAbove });
      const probed = landscape && stepAlongLandscape(model, [streams.dropout, streams.noise], landscape, { x: xb, labels: yb, n }, take);
      const r = probed ? probed.result : take();
      globalStep++;
      if (live.clipNorm != null && r.gradNorm > live.clipNorm) clippedSteps++;
      if (r.diverged) diverged = { step: globalStep, loss: r.loss };
      else {
        epochLoss += r.loss * n;
        epochCorrect += r.correct;
        epochSeen += n;
      }
      return {
        loss: r.loss,
        accuracy: r.correct / n,
        gradNorm: r.gradNorm,
        epoch,
        stepInEpoch: inEpoch + 1,
        rows: n,
        epochEnded: inEpoch + 1 === stepsPerEpoch,
        diverged: r.diverged,
        ...(probed?.sample ? { landscape: probed.sample } : {}),
      };
    },
    epochMetrics: () => ({ loss: epochSeen ? epochLoss / epochSeen : NaN, accuracy: epochSeen ? epochCorrect / epochSeen : NaN }),
    evaluate: (set) => evaluate(model, set),
    update(c) {
      if (c.weightDecay !== undefined && config.optimizer !== 'adamw') {
        throw new RangeError(`live settings: weightDecay needs optimizer 'adamw', this run uses '${config.optimizer}'`);
      }
      if (c.l2 !== undefined && config.optimizer === 'adamw') {
        throw new RangeError("live settings: l2 applies to 'adam' and 'sgd', this run uses 'adamw'");
      }
      if (c.dropout !== undefined) model.setDropout(c.dropout);
      if (c.lr !== undefined) optimizer.lr = c.lr;
      if (c.bnMomentum !== undefined) model.setBnMomentum(c.bnMomentum);
      if (c.weightDecay !== undefined) (optimizer as Optimizer & { weightDecay: number }).weightDecay = c.weightDecay;
      if (c.l2 !== undefined) (optimizer as Optimizer & { l2: number }).l2 = c.l2;
      if (c.clipNorm !== undefined) live.clipNorm = c.clipNorm;
      if (c.clipValue !== undefined) live.clipValue = c.clipValue;
      Object.assign(config, c);
    },
  };
  return session;
}
