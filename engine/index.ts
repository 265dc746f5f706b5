/** NormLab's engine: the one public barrel. See engine/README.md for the conventions. */
export type { Layer, Mode, Param, Random } from './types.ts';
export { zeroGrad } from './types.ts';
export { createRandom, shuffleInPlace } from './random.ts';
export { createBackend, defaultBackendName, wasmAvailable, type Backend, type BackendName } from './backend.ts';

export { dense, type Dense, type DenseInit, type DenseOptions } from './layers/dense.ts';
export { batchNorm, bnMemory, type BatchNorm, type BatchNormOptions, type MemoryItem } from './layers/batch-norm.ts';
export { relu, sigmoid, tanh, type Activation, type ActivationFn } from './layers/activations.ts';
export { dropout, type Dropout } from './layers/dropout.ts';
export { softmaxCrossEntropy, type SoftmaxCrossEntropyResult } from './loss/softmax-cross-entropy.ts';

export type { Optimizer, OptimizerKind } from './optim/optimizer.ts';
export { sgd, type Sgd, type SgdOptions } from './optim/sgd.ts';
export { adam, adamW, type Adam, type AdamOptions, type AdamW, type AdamWOptions, type EpsilonPlacement } from './optim/adam.ts';
export { clipGradNorm, clipGradValue, gradNorm } from './optim/clip.ts';

export { mlp, summarizeSpec, type Mlp, type MlpSpec, type ModelSummary, type NamedLayer, type SummaryRow } from './model/mlp.ts';

export { parseIdx, type Idx } from './data/idx.ts';
export { fillBatch, limitDataset, mnistDataset, splitValidation, type Dataset } from './data/mnist.ts';

export { trainStep, type StepOptions, type StepResult } from './train/train-step.ts';
export { evaluate, type Evaluation } from './train/evaluate.ts';
export {
  checkSetting, defaultTrainConfig, parseLiveSettings, parseTrainConfig, trainImages,
  type LiveSettings, type OptimizerName, type TrainConfig,
} from './train/config.ts';
export { buildModel, buildOptimizer, createSession, deriveSeed, modelSpec, type Session, type StepOutcome } from './train/session.ts';
