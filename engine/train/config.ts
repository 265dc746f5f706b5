/**
 * A training run's whole configuration, its defaults (the classic Keras assignment) and the one
 * parser every driver uses: the CLI's flags, the worker's messages and URL settings all end up
 * here, so a bad value is rejected with the same message wherever it comes from.
 */
import { backendNames, defaultBackendName, type BackendName } from '../backend.ts';
import { bnAblations, type BnAblation } from '../layers/batch-norm.ts';
import type { Padding } from '../layers/conv2d.ts';
import type { DenseInit } from '../layers/dense.ts';
import { checkNorm, normGroups, type ActivationName, type DropoutPlacement, type NormKind, type NormPlacement } from '../model/plan.ts';
import { checkInteger, checkNumber, checkOneOf, clip, describe } from '../validate.ts';
import { dataOrders, type DataOrder } from './data-order.ts';

export type OptimizerName = 'adam' | 'adamw' | 'sgd';
export type ModelName = 'mlp' | 'cnn';

export interface TrainConfig {
  /**
   * Default 'mlp' (the classic assignment). 'cnn' puts `conv` blocks (Conv2D k×k → norm →
   * activation → 2×2 max pooling) on the 28×28×1 image before the Dense layers.
   */
  model: ModelName;
  /** Channels out of each conv block, model 'cnn' only; default [8, 16]. */
  conv: number[];
  /** Conv kernel side, model 'cnn' only: 3 (default) or 5. */
  kernel: number;
  /** Conv padding, model 'cnn' only: 'valid' (default, Keras) or 'same'. */
  padding: Padding;
  /**
   * Hidden Dense widths; default [128] for 'mlp' and [] for 'cnn' (whose conv blocks end in the
   * output Dense layer: conv 8 → conv 16 → dense 10).
   */
  hidden: number[];
  /** Default 'relu'. */
  activation: ActivationName;
  /**
   * The normalization of every block; default 'none' — the assignment's baseline; 'batch' is its
   * BN variant. 'layer' (LayerNorm; over C×R×S on a feature map) and 'group:G' (GroupNorm, G
   * dividing every width) normalize each example on its own.
   */
  norm: NormKind;
  /** Default 'before-activation' (the BN paper's placement). */
  normPlacement: NormPlacement;
  /** Dropout rate after each hidden block; default 0.2. */
  dropout: number;
  /**
   * Default 'after-norm' (the assignment: Dense → BN → ReLU → Dropout). 'before-norm' puts the
   * dropout right before BN, where BN's running variance learns the dropped-out variance that
   * evaluation never sees (Li et al. 2019, "variance shift"). Without BN both are the same model.
   */
  dropoutPlacement: DropoutPlacement;
  /** Default 'glorot-uniform' (Keras Dense). */
  init: DenseInit;
  /** Multiplies every Dense kernel's initial weights (×0.1 … ×10 shows bad initialization); default 1. */
  initScale: number;
  /** Default 'adam'. */
  optimizer: OptimizerName;
  /** Learning rate; default 1e-3 (Keras Adam). */
  lr: number;
  /** SGD momentum; default 0. */
  momentum: number;
  /** BN momentum in Keras' direction (PyTorch m ↔ 1 − m); default 0.99. */
  bnMomentum: number;
  /** BN ε; default 1e-3 (Keras). */
  epsilon: number;
  /**
   * Noise injected after every BN layer in training (engine/layers/noisy-batch-norm.ts, Santurkar
   * et al. 2018): per step and unit a mean from U(−s, s) and a spread from U(0, s); default 0 (off).
   */
  bnNoise: number;
  /**
   * Which part of every BN layer runs (engine/layers/batch-norm.ts, "BN taken apart"): 'full'
   * (default), 'center' (subtract the batch mean only), 'scale' (divide by √(σ² + ε) only, σ² the
   * batch variance about the mean) or 'frozen-affine' (full normalization, γ = 1 and β = 0 not
   * trained). Anything but 'full' needs norm 'batch'.
   */
  bnAblation: BnAblation;
  /** Decoupled weight decay, AdamW only; default 0. */
  weightDecay: number;
  /** Coupled L2 coefficient (Keras L2 regularizer, penalty l2·Σw²), adam and sgd; default 0. */
  l2: number;
  /** Global gradient-norm clipping threshold; default null (off). */
  clipNorm: number | null;
  /** Per-element gradient clipping limit; default null (off). */
  clipValue: number | null;
  /**
   * The run counts as diverged when a mini-batch loss is non-finite or above this; default 1000.
   * With a numerically stable cross-entropy a blown-up network often keeps a finite loss (dead
   * ReLUs, saturated softmax), so NaN alone would miss most real divergence. Chance level for 10
   * classes is ln 10 ≈ 2.3: a loss of 1000 means the right class gets probability e⁻¹⁰⁰⁰.
   */
  divergeAbove: number;
  /** Default 32. */
  batchSize: number;
  /** Default 5. */
  epochs: number;
  /** Default 1. */
  seed: number;
  /** Train on the first N of the 54,000 training images; default null (all). */
  trainLimit: number | null;
  /**
   * Which images share a mini-batch, epoch after epoch (engine/train/data-order.ts defines each):
   * 'shuffle-each-epoch' (default, Keras' and PyTorch's shuffle), 'shuffle-once', 'sorted-by-class'
   * (0s first, the same every epoch) or 'one-class-per-batch' (a class's leftover images form a
   * smaller batch; the batches' order is shuffled every epoch).
   */
  dataOrder: DataOrder;
  /** Kernels: 'wasm' (default where WebAssembly SIMD runs) or 'ts' (the TypeScript reference). */
  backend: BackendName;
}

export const defaultTrainConfig: Readonly<TrainConfig> = Object.freeze({
  model: 'mlp',
  conv: [8, 16],
  kernel: 3,
  padding: 'valid',
  hidden: [128],
  activation: 'relu',
  norm: 'none',
  normPlacement: 'before-activation',
  dropout: 0.2,
  dropoutPlacement: 'after-norm',
  init: 'glorot-uniform',
  initScale: 1,
  optimizer: 'adam',
  lr: 1e-3,
  momentum: 0,
  bnMomentum: 0.99,
  epsilon: 1e-3,
  bnNoise: 0,
  bnAblation: 'full',
  weightDecay: 0,
  l2: 0,
  clipNorm: null,
  clipValue: null,
  divergeAbove: 1000,
  batchSize: 32,
  epochs: 5,
  seed: 1,
  trainLimit: null,
  dataOrder: 'shuffle-each-epoch',
  backend: defaultBackendName(),
});

/** Settings that may change while a run is going; they take effect from the next step. */
export type LiveSettings = Pick<TrainConfig, 'lr' | 'bnMomentum' | 'weightDecay' | 'l2' | 'clipNorm' | 'clipValue' | 'dropout'>;

const liveKeys: readonly (keyof LiveSettings)[] = ['lr', 'bnMomentum', 'weightDecay', 'l2', 'clipNorm', 'clipValue', 'dropout'];

const where = 'train config';

/** Training images after Keras' validation_split=0.1 holds out the last 6,000 of 60,000. */
export const trainImages = 54_000;

type Checker = (value: unknown) => unknown;
const positiveOrNull =
  (name: string, max: number): Checker =>
  (v) =>
    v === null ? null : checkNumber(where, name, v, 0, max, { minOpen: true });

const hiddenRule = 'hidden must be a list of 1–16 layer widths such as [128] or [128, 128]';

const checkers: { [K in keyof TrainConfig]: Checker } = {
  model: (v) => checkOneOf(where, 'model', v, ['mlp', 'cnn'] as const),
  conv: (v) => {
    if (!Array.isArray(v) || v.length < 1 || v.length > 3) {
      throw new RangeError(`${where}: conv must be a list of 1–3 channel counts such as [8, 16], received ${describe(v)}`);
    }
    return v.map((u, i) => checkInteger(where, `conv[${i}]`, u, 1, 256));
  },
  kernel: (v) => {
    if (v !== 3 && v !== 5) throw new RangeError(`${where}: kernel must be 3 or 5, received ${describe(v)}`);
    return v;
  },
  padding: (v) => checkOneOf(where, 'padding', v, ['valid', 'same'] as const),
  hidden: (v) => {
    // [] is allowed here for 'cnn' (its conv blocks feed the output layer); parseTrainConfig rejects it for 'mlp'.
    if (!Array.isArray(v) || v.length > 16) throw new RangeError(`${where}: ${hiddenRule}, received ${describe(v)}`);
    return v.map((u, i) => checkInteger(where, `hidden[${i}]`, u, 1, 4096));
  },
  activation: (v) => checkOneOf(where, 'activation', v, ['relu', 'sigmoid', 'tanh'] as const),
  norm: (v) => checkNorm(where, 'norm', v),
  normPlacement: (v) => checkOneOf(where, 'normPlacement', v, ['before-activation', 'after-activation'] as const),
  dropout: (v) => checkNumber(where, 'dropout', v, 0, 1, { maxOpen: true }),
  dropoutPlacement: (v) => checkOneOf(where, 'dropoutPlacement', v, ['after-norm', 'before-norm'] as const),
  init: (v) => checkOneOf(where, 'init', v, ['glorot-uniform', 'he-normal', 'he-uniform'] as const),
  initScale: (v) => checkNumber(where, 'initScale', v, 0.001, 1000),
  optimizer: (v) => checkOneOf(where, 'optimizer', v, ['adam', 'adamw', 'sgd'] as const),
  lr: (v) => checkNumber(where, 'lr', v, 0, 10, { minOpen: true }),
  momentum: (v) => checkNumber(where, 'momentum', v, 0, 1, { maxOpen: true }),
  bnMomentum: (v) => checkNumber(where, 'bnMomentum', v, 0, 1),
  epsilon: (v) => checkNumber(where, 'epsilon', v, 0, 1, { minOpen: true }),
  bnNoise: (v) => checkNumber(where, 'bnNoise', v, 0, 10),
  bnAblation: (v) => checkOneOf(where, 'bnAblation', v, bnAblations),
  weightDecay: (v) => checkNumber(where, 'weightDecay', v, 0, 1),
  l2: (v) => checkNumber(where, 'l2', v, 0, 1),
  clipNorm: positiveOrNull('clipNorm', 1e6),
  clipValue: positiveOrNull('clipValue', 1e6),
  divergeAbove: (v) => checkNumber(where, 'divergeAbove', v, 1, Number.MAX_VALUE),
  batchSize: (v) => checkInteger(where, 'batchSize', v, 1, 4096),
  epochs: (v) => checkInteger(where, 'epochs', v, 1, 1000),
  seed: (v) => checkInteger(where, 'seed', v, 0, 0xffffffff),
  trainLimit: (v) => (v === null ? null : checkInteger(where, 'trainLimit', v, 1, trainImages)),
  dataOrder: (v) => checkOneOf(where, 'dataOrder', v, dataOrders),
  backend: (v) => checkOneOf(where, 'backend', v, backendNames),
};

/** Validates one setting on its own (a CLI flag, a URL parameter) and returns it normalised. */
export function checkSetting<K extends keyof TrainConfig>(key: K, value: unknown): TrainConfig[K] {
  // Own keys only: `key in checkers` would accept 'constructor', 'toString', '__proto__'….
  if (typeof key !== 'string' || !Object.hasOwn(checkers, key)) {
    throw new RangeError(`${where}: unknown setting '${clip(String(key))}', expected one of ${Object.keys(checkers).join(', ')}`);
  }
  return checkers[key](value) as TrainConfig[K];
}

/** Merges `input` over the defaults; unknown keys and bad values throw, naming the field. */
export function parseTrainConfig(input: unknown): TrainConfig {
  if (input === undefined) return { ...defaultTrainConfig, hidden: [...defaultTrainConfig.hidden], conv: [...defaultTrainConfig.conv] };
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`${where}: expected an object of settings, received ${describe(input)}`);
  }
  const out: Record<string, unknown> = { ...defaultTrainConfig };
  const given = new Set<string>();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    out[key] = checkSetting(key as keyof TrainConfig, value);
    given.add(key);
  }
  if (out.model === 'cnn' && !given.has('hidden')) out.hidden = [];
  out.hidden = [...(out.hidden as number[])];
  out.conv = [...(out.conv as number[])];
  const config = out as unknown as TrainConfig;
  checkModelSettings(config, given);
  checkOptimizerSettings(config);
  checkBatchNormSettings(config);
  return config;
}

/** The architecture as a whole: conv settings only for 'cnn', a hidden layer for 'mlp', groups that divide every width. */
function checkModelSettings(c: TrainConfig, given: Set<string>): void {
  if (c.model === 'mlp') {
    if (c.hidden.length === 0) throw new RangeError(`${where}: ${hiddenRule} for model 'mlp', received []`);
    // A full config (as parseTrainConfig returns it) carries the defaults: only a changed value is an error.
    const convOnly = (['conv', 'kernel', 'padding'] as const).filter((k) => given.has(k) && String(c[k]) !== String(defaultTrainConfig[k]));
    if (convOnly.length > 0)
      throw new RangeError(`${where}: ${convOnly.join(', ')} configure the conv blocks of model 'cnn', received model 'mlp'`);
  }
  const groups = normGroups(c.norm);
  if (groups === null) return;
  const widths = [
    ...(c.model === 'cnn' ? c.conv.map((u, i) => [`conv[${i}]`, u] as const) : []),
    ...c.hidden.map((u, i) => [`hidden[${i}]`, u] as const),
  ];
  for (const [name, width] of widths) {
    if (width % groups !== 0)
      throw new RangeError(
        `${where}: norm '${c.norm}' splits every layer into ${groups} groups, so ${name} must be divisible by ${groups}, received ${width}`,
      );
  }
}

/**
 * BN in training mode normalizes each unit over the batch: with one image per batch the batch
 * variance is 0 and x̂ = 0, so every image leaves the layer as β and the model cannot learn.
 */
function checkBatchNormSettings(c: Pick<TrainConfig, 'norm' | 'batchSize' | 'hidden' | 'bnAblation'>): void {
  if (c.bnAblation !== 'full' && c.norm !== 'batch') {
    throw new RangeError(
      `${where}: bnAblation '${c.bnAblation}' changes the BN layers, so it needs norm 'batch', received norm '${c.norm}'`,
    );
  }
  // Spatial BN after a convolution has R·S values per channel even in a batch of one; a Dense BN has one.
  // Scaling only subtracts nothing, so a single row still passes through (as x/√ε).
  if (c.norm === 'batch' && c.bnAblation !== 'scale' && c.batchSize < 2 && c.hidden.length > 0) {
    throw new RangeError(
      `${where}: batchSize 1 with norm 'batch' cannot train (one image per batch has variance 0, so BN outputs β for every image); use a batch of at least 2, or norm 'none', received batchSize ${c.batchSize}`,
    );
  }
}

/** Settings that only one optimizer reads are rejected elsewhere rather than silently ignored. */
function checkOptimizerSettings(c: Pick<TrainConfig, 'optimizer' | 'weightDecay' | 'l2' | 'momentum'>): void {
  if (c.weightDecay > 0 && c.optimizer !== 'adamw') {
    throw new RangeError(
      `${where}: weightDecay (decoupled) needs optimizer 'adamw', received optimizer '${c.optimizer}'; use l2 for coupled L2 with adam or sgd`,
    );
  }
  if (c.l2 > 0 && c.optimizer === 'adamw') {
    throw new RangeError(`${where}: l2 (coupled) applies to 'adam' and 'sgd', received optimizer 'adamw'; use weightDecay with adamw`);
  }
  if (c.momentum > 0 && c.optimizer !== 'sgd') {
    throw new RangeError(`${where}: momentum is SGD's, received optimizer '${c.optimizer}' (Adam's β1 plays that role)`);
  }
}

/** Validates a partial set of live settings (for mid-run changes). */
export function parseLiveSettings(input: unknown): Partial<LiveSettings> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`live settings: expected an object, received ${describe(input)}`);
  }
  const out: Partial<Record<keyof LiveSettings, unknown>> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!(liveKeys as readonly string[]).includes(key)) {
      throw new RangeError(`live settings: '${clip(key)}' cannot change during a run, expected one of ${liveKeys.join(', ')}`);
    }
    out[key as keyof LiveSettings] = checkers[key as keyof LiveSettings](value);
  }
  return out as Partial<LiveSettings>;
}
