/**
 * The multilayer perceptron of the course, built like the Keras Sequential model of the classic
 * assignment:
 *
 *   Flatten → [Dense H → (BatchNorm) → Activation (→ BatchNorm) → Dropout] × hidden → Dense K
 *
 * Dropout may instead sit right before BN ('before-norm'), the placement whose train/eval
 * variance mismatch Li et al. 2019 ("Understanding the disharmony between dropout and batch
 * normalization by variance shift", https://arxiv.org/abs/1801.05134) analyse. `initScale`
 * multiplies every Dense kernel's initial weights, the knob that shows bad initialization.
 *
 * Softmax lives in the loss (softmaxCrossEntropy), so the model outputs logits (N, K).
 * BN sits before the activation (Ioffe & Szegedy 2015, §3.2) or after it, as chosen.
 * The model is itself a Layer; `summary()` mirrors Keras `model.summary()`, where BN's moving
 * mean and variance count as non-trainable parameters.
 */
import { tsBackend, type Backend, type Buf } from '../backend.ts';
import { relu, sigmoid, tanh, type Activation } from '../layers/activations.ts';
import { batchNorm, type BatchNorm } from '../layers/batch-norm.ts';
import { dense, type Dense, type DenseInit } from '../layers/dense.ts';
import { dropout, type Dropout } from '../layers/dropout.ts';
import { createRandom } from '../random.ts';
import type { Layer, Mode, Random } from '../types.ts';
import { checkInteger, checkNumber, checkOneOf } from '../validate.ts';

export type ActivationName = 'relu' | 'sigmoid' | 'tanh';
export type NormKind = 'none' | 'batch';
export type NormPlacement = 'before-activation' | 'after-activation';
export type DropoutPlacement = 'after-norm' | 'before-norm';

export interface MlpSpec {
  inputs: number;
  /** Units of each hidden layer, e.g. [128] or [128, 128, 128, 128]. */
  hidden: number[];
  activation: ActivationName;
  norm: NormKind;
  normPlacement: NormPlacement;
  /** Dropout rate after each hidden block; 0 leaves the layer out. */
  dropout: number;
  /** Default 'after-norm'; 'before-norm' moves dropout right before BN (same as 'after-norm' without BN). */
  dropoutPlacement?: DropoutPlacement;
  classes: number;
  /** Dense initializer; default 'glorot-uniform' (Keras). */
  init?: DenseInit;
  /** Multiplies the initializer's kernel weights; default 1. */
  initScale?: number;
  /** BN momentum, Keras direction; default 0.99. */
  bnMomentum?: number;
  /** BN ε; default 1e-3 (Keras). */
  bnEpsilon?: number;
}

type ModelPart = Dense | BatchNorm | Activation | Dropout;

export interface NamedLayer {
  /** Keras-style name: dense, batch_normalization, activation, dropout, dense_1, … */
  name: string;
  layer: ModelPart;
  /** Width of this layer's output. */
  units: number;
  /** The output of the last forward (valid until the next forward). */
  lastOutput(): Float32Array | null;
  /** The gradient that reached this layer's output in the last backward. */
  lastGradient(): Float32Array | null;
}

export interface SummaryRow {
  name: string;
  type: string;
  outputShape: string;
  params: number;
}

export interface ModelSummary {
  rows: SummaryRow[];
  trainable: number;
  nonTrainable: number;
  total: number;
}

export interface Mlp extends Layer {
  readonly spec: Readonly<MlpSpec>;
  /** Where every layer's tensors live (the optimizer of this model should use the same). */
  readonly backend: Backend;
  readonly layers: readonly NamedLayer[];
  summary(): ModelSummary;
  setDropout(rate: number): void;
  setBnMomentum(momentum: number): void;
}

const activationFactories = { relu, sigmoid, tanh } as const;
const activations: readonly ActivationName[] = ['relu', 'sigmoid', 'tanh'];

type LayerType = ModelPart['kind'];

/** One layer of the model as the spec lays it out, before any weight exists. */
interface PlannedLayer {
  type: LayerType;
  name: string;
  inputs: number;
  units: number;
}

/**
 * The model's layers in order, with Keras names and widths: the one description both `mlp`
 * (which builds it) and `summarizeSpec` (which counts it without allocating weights) follow.
 */
function planLayers(s: MlpSpec): PlannedLayer[] {
  const counts = new Map<string, number>();
  const plan: PlannedLayer[] = [];
  const add = (type: LayerType, inputs: number, units: number) => plan.push({ type, name: kerasName(type, counts), inputs, units });
  const bn = s.norm === 'batch';
  const dropFirst = bn && s.dropout > 0 && s.dropoutPlacement === 'before-norm';
  let width = s.inputs;
  for (const units of s.hidden) {
    add('Dense', width, units);
    if (bn && s.normPlacement === 'before-activation') {
      if (dropFirst) add('Dropout', units, units);
      add('BatchNormalization', units, units);
    }
    add('Activation', units, units);
    if (bn && s.normPlacement === 'after-activation') {
      if (dropFirst) add('Dropout', units, units);
      add('BatchNormalization', units, units);
    }
    if (s.dropout > 0 && !dropFirst) add('Dropout', units, units);
    width = units;
  }
  add('Dense', width, s.classes);
  return plan;
}

/**
 * Keras `model.summary()` computed from the spec alone (no weights allocated or initialised), so
 * pages can show it cheaply; `mlp(spec).summary()` returns the same. BN's moving mean and
 * variance count as non-trainable, as in Keras.
 */
export function summarizeSpec(spec: MlpSpec): ModelSummary {
  const s = checkSpec(spec);
  const rows: SummaryRow[] = [{ name: 'flatten', type: 'Flatten', outputShape: `(None, ${s.inputs})`, params: 0 }];
  let trainable = 0;
  let nonTrainable = 0;
  for (const { type, name, inputs, units } of planLayers(s)) {
    let params = 0;
    if (type === 'Dense') {
      params = inputs * units + units;
      trainable += params;
    } else if (type === 'BatchNormalization') {
      params = 4 * units; // γ, β trainable; moving mean and variance not
      trainable += 2 * units;
      nonTrainable += 2 * units;
    }
    rows.push({ name, type, outputShape: `(None, ${units})`, params });
  }
  return { rows, trainable, nonTrainable, total: trainable + nonTrainable };
}

export interface MlpOptions {
  /** The stream dropout draws its masks from; default one seeded from `random`. */
  dropoutRandom?: Random;
  /** Default the ts backend. */
  backend?: Backend;
}

export function mlp(spec: MlpSpec, random: Random, options: MlpOptions = {}): Mlp {
  const s = checkSpec(spec);
  const backend = options.backend ?? tsBackend;
  const plan = planLayers(s);
  // Dense layers are created first and in order, so the init stream gives the same weights with
  // or without BN (BN consumes no randomness): the BN-vs-none comparison starts from one point.
  const denseLayers = plan
    .filter((p) => p.type === 'Dense')
    .map((p, i) => dense(p.inputs, p.units, { random, init: s.init, inputGrad: i > 0, backend }));
  const scale = s.initScale ?? 1;
  if (scale !== 1) {
    for (const { W } of denseLayers) for (let j = 0; j < W.value.length; j++) W.value[j] *= scale;
  }
  const dropoutRandom = options.dropoutRandom ?? createRandom(Math.floor(random() * 0x100000000));

  let nextDense = 0;
  const parts = plan.map((p): { name: string; layer: ModelPart; units: number } => {
    const build: Record<LayerType, () => ModelPart> = {
      Dense: () => denseLayers[nextDense++],
      BatchNormalization: () => batchNorm(p.units, { momentum: s.bnMomentum, epsilon: s.bnEpsilon, backend }),
      Activation: () => activationFactories[s.activation]({ backend }),
      Dropout: () => dropout(s.dropout, { random: dropoutRandom, backend }),
    };
    return { name: p.name, layer: build[p.type](), units: p.units };
  });

  // Held as Bufs: a wasm view kept from earlier in the pass would be detached by a later layer growing the memory.
  const outputs: (Buf | null)[] = parts.map(() => null);
  const gradients: (Buf | null)[] = parts.map(() => null);
  const layers: NamedLayer[] = parts.map((p, i) => ({
    name: p.name,
    layer: p.layer,
    units: p.units,
    lastOutput: () => outputs[i]?.view ?? null,
    lastGradient: () => gradients[i]?.view ?? null,
  }));
  const params = parts.flatMap((p) => p.layer.params());

  return {
    spec: s,
    backend,
    layers,
    forward(x: Float32Array, n: number, mode: Mode): Float32Array {
      let h = x;
      for (let i = 0; i < parts.length; i++) {
        h = parts[i].layer.forward(h, n, mode);
        outputs[i] = backend.hold(h);
      }
      return h;
    },
    backward(dout: Float32Array): Float32Array {
      let g = dout;
      for (let i = parts.length - 1; i >= 0; i--) {
        gradients[i] = backend.hold(g);
        g = parts[i].layer.backward(g);
      }
      return g;
    },
    params: () => params,
    summary: () => summarizeSpec(s),
    setDropout(rate: number): void {
      checkNumber('mlp.setDropout', 'rate', rate, 0, 1, { maxOpen: true });
      const drops = parts.filter((p) => p.layer.kind === 'Dropout');
      if (drops.length === 0 && rate > 0) {
        throw new RangeError(`mlp.setDropout: this model was built without dropout, so the rate can only stay 0, received ${rate}`);
      }
      for (const p of drops) (p.layer as Dropout).rate = rate;
    },
    setBnMomentum(momentum: number): void {
      checkNumber('mlp.setBnMomentum', 'momentum', momentum, 0, 1);
      for (const p of parts) if (p.layer.kind === 'BatchNormalization') p.layer.momentum = momentum;
    },
  };
}

function kerasName(type: string, counts: Map<string, number>): string {
  const base = type.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const k = counts.get(base) ?? 0;
  counts.set(base, k + 1);
  return k === 0 ? base : `${base}_${k}`;
}

function checkSpec(spec: MlpSpec): MlpSpec {
  if (!spec || typeof spec !== 'object') throw new TypeError(`mlp: spec must be an object, received ${String(spec)}`);
  checkInteger('mlp', 'inputs', spec.inputs, 1);
  checkInteger('mlp', 'classes', spec.classes, 2);
  if (!Array.isArray(spec.hidden) || spec.hidden.length > 16) {
    throw new RangeError(`mlp: hidden must be an array of 0–16 layer widths, received ${JSON.stringify(spec.hidden)}`);
  }
  spec.hidden.forEach((u, i) => checkInteger('mlp', `hidden[${i}]`, u, 1, 4096));
  checkOneOf('mlp', 'activation', spec.activation, activations);
  checkOneOf('mlp', 'norm', spec.norm, ['none', 'batch'] as const);
  checkOneOf('mlp', 'normPlacement', spec.normPlacement, ['before-activation', 'after-activation'] as const);
  checkNumber('mlp', 'dropout', spec.dropout, 0, 1, { maxOpen: true });
  if (spec.dropoutPlacement !== undefined) checkOneOf('mlp', 'dropoutPlacement', spec.dropoutPlacement, ['after-norm', 'before-norm'] as const);
  if (spec.initScale !== undefined) checkNumber('mlp', 'initScale', spec.initScale, 0, Infinity, { minOpen: true });
  return { ...spec, hidden: [...spec.hidden] };
}
