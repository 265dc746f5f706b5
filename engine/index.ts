/** NormLab's engine: the one public barrel. See engine/README.md for the conventions. */
export type { Layer, Mode, Param, Random, SpatialShape } from './types.ts';
export { zeroGrad } from './types.ts';
export { createRandom, shuffleInPlace } from './random.ts';
export { createBackend, defaultBackendName, wasmAvailable, type Backend, type BackendName } from './backend.ts';

export { dense, type Dense, type DenseInit, type DenseOptions } from './layers/dense.ts';
export { batchNorm, bnMemory, type BatchNorm, type BatchNormOptions, type BnAblation, type MemoryItem } from './layers/batch-norm.ts';
export { relu, sigmoid, tanh, type Activation, type ActivationFn } from './layers/activations.ts';
export { dropout, type Dropout } from './layers/dropout.ts';
export { conv2d, type Conv2d, type Conv2dOptions, type Padding } from './layers/conv2d.ts';
export { maxPool2d, type MaxPool2d } from './layers/max-pool.ts';
export { globalAvgPool, type GlobalAvgPool } from './layers/global-avg-pool.ts';
export { flatten, type Flatten } from './layers/flatten.ts';
export { spatialBatchNorm, type SpatialBatchNorm } from './layers/spatial-batch-norm.ts';
export { groupNorm, type GroupNorm, type GroupNormOptions } from './layers/group-norm.ts';
export { layerNorm, type LayerNorm } from './layers/layer-norm.ts';
export { softmaxCrossEntropy, type SoftmaxCrossEntropyResult } from './loss/softmax-cross-entropy.ts';

export type { Optimizer, OptimizerKind } from './optim/optimizer.ts';
export { sgd, type Sgd, type SgdOptions } from './optim/sgd.ts';
export { adam, adamW, type Adam, type AdamOptions, type AdamW, type AdamWOptions, type EpsilonPlacement } from './optim/adam.ts';
export { clipGradNorm, clipGradValue, gradNorm } from './optim/clip.ts';

export {
  countSpec,
  mlp,
  summarizeSpec,
  type ConvSpec,
  type Mlp,
  type MlpSpec,
  type ModelCounts,
  type ModelSummary,
  type NamedLayer,
  type NormKind,
  type SummaryRow,
} from './model/mlp.ts';

export { parseIdx, type Idx } from './data/idx.ts';
export { fillBatch, limitDataset, mnistDataset, splitValidation, type Dataset } from './data/mnist.ts';

export { trainStep, type StepOptions, type StepResult } from './train/train-step.ts';
export { evaluate, type Evaluation } from './train/evaluate.ts';
export {
  checkSetting,
  defaultTrainConfig,
  parseLiveSettings,
  parseTrainConfig,
  trainImages,
  type LiveSettings,
  type ModelName,
  type OptimizerName,
  type TrainConfig,
} from './train/config.ts';
export { dataOrders, type DataOrder } from './train/data-order.ts';
export { buildModel, buildOptimizer, createSession, deriveSeed, modelSpec, type Session, type StepOutcome } from './train/session.ts';
