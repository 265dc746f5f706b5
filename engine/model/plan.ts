/**
 * The course's models as one declarative spec, and their layout before any weight exists:
 *
 *   [Conv2D → (Norm) → Activation (→ Norm) → (MaxPooling2D)] × conv → Flatten →
 *   [Dense → (Norm) → Activation (→ Norm) → Dropout] × hidden → Dense K
 *
 * With no conv blocks this is the multilayer perceptron of the classic assignment (the Flatten
 * is then the input's, a summary row only, as in Keras' `Flatten(input_shape=(28, 28))`); with
 * them, a small ConvNet such as conv 8 → norm → relu → pool → conv 16 → norm → relu → pool →
 * dense 10. The normalization is chosen per layer: the spec's `norm` for every block, which a
 * conv block may override. `planLayers` is the one description both `mlp` (which builds the
 * model) and `summarizeSpec` (which counts it) follow.
 */
import type { BnAblation } from '../layers/batch-norm.ts';
import type { DenseInit } from '../layers/dense.ts';
import { convOutputShape, paddings, type Padding } from '../layers/conv2d.ts';
import { maxPoolOutputShape } from '../layers/max-pool.ts';
import type { SpatialShape } from '../types.ts';
import { checkInteger, checkNumber, checkOneOf, describe } from '../validate.ts';

export type ActivationName = 'relu' | 'sigmoid' | 'tanh';
/**
 * 'none', 'batch' (BN: per feature or channel, statistics over the batch and all positions),
 * 'layer' (per example over all features; on a feature map, over C×R×S = GroupNorm with one
 * group, as Wu & He 2018 define it) or 'group:G' (GroupNorm with G groups of consecutive
 * channels; G = C is InstanceNorm; on a Dense layer, groups of features).
 */
export type NormKind = 'none' | 'batch' | 'layer' | `group:${number}`;
export type NormPlacement = 'before-activation' | 'after-activation';
export type DropoutPlacement = 'after-norm' | 'before-norm';

export interface ConvSpec {
  /** Channels out. */
  filters: number;
  /** Kernel side, odd; default 3. */
  kernel?: number;
  /** Default 'valid' (Keras). */
  padding?: Padding;
  /** This block's normalization; default the spec's `norm`. */
  norm?: NormKind;
  /** Whether 2 × 2 max pooling ends the block; default true. */
  pool?: boolean;
}

export interface MlpSpec {
  inputs: number;
  /** Units of each hidden Dense layer, e.g. [128] or [128, 128, 128, 128]; may be [] after conv blocks. */
  hidden: number[];
  activation: ActivationName;
  norm: NormKind;
  normPlacement: NormPlacement;
  /** Dropout rate after each hidden Dense block; 0 leaves the layer out. */
  dropout: number;
  /** Default 'after-norm'; 'before-norm' moves dropout right before the norm (same as 'after-norm' without one). */
  dropoutPlacement?: DropoutPlacement;
  classes: number;
  /** Kernel initializer of Dense and Conv2D layers; default 'glorot-uniform' (Keras). */
  init?: DenseInit;
  /** Multiplies the initializer's kernel weights; default 1. */
  initScale?: number;
  /** BN momentum, Keras direction; default 0.99. */
  bnMomentum?: number;
  /** ε of every normalization; default 1e-3 (Keras). */
  bnEpsilon?: number;
  /** Which part of every BN layer runs (engine/layers/batch-norm.ts); default 'full'. */
  bnAblation?: BnAblation;
  /**
   * Convolution blocks before the Dense layers; default none (an MLP). A convolution followed by
   * BN (or GroupNorm with one channel per group) has no bias: the normalization removes it.
   */
  conv?: ConvSpec[];
  /** The image `inputs` holds, channels-last; default a square one-channel image (MNIST: 28×28×1). */
  inputShape?: SpatialShape;
}

export type LayerType =
  | 'Dense'
  | 'BatchNormalization'
  | 'Activation'
  | 'Dropout'
  | 'Conv2D'
  | 'MaxPooling2D'
  | 'Flatten'
  | 'GroupNormalization'
  | 'LayerNormalization';

/** One layer of the model as the spec lays it out, before any weight exists. */
export interface PlannedLayer {
  type: LayerType;
  name: string;
  /** Values per example in and out. */
  inputs: number;
  units: number;
  /** The feature map in and out, for layers after the input image and before Flatten. */
  input?: SpatialShape;
  output?: SpatialShape;
  /** Conv2D only. */
  conv?: { filters: number; kernel: number; padding: Padding; bias: boolean };
  /** Normalization layers: G for GroupNormalization (1 for a LayerNormalization of a feature map). */
  groups?: number;
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

/** What a model costs per example, from its spec alone (the worker's limits start from these). */
export interface ModelCounts {
  /** Trainable and non-trainable parameters (as the summary's total). */
  params: number;
  /** Multiply-adds of one example's forward pass (the Dense and Conv2D products). */
  forwardMacs: number;
  /** Values the layers output per example (each layer's output buffer), the bulk of a batch's activation memory. */
  activationsPerExample: number;
}

/** The number of groups a norm kind asks for, or null for 'none', 'batch' and 'layer'. */
export function normGroups(norm: NormKind): number | null {
  const m = /^group:(\d+)$/.exec(norm);
  return m ? Number(m[1]) : null;
}

/** The norm kind as written, checked: 'none', 'batch', 'layer' or 'group:G' with G an integer ≥ 1. */
export function checkNorm(where: string, name: string, value: unknown): NormKind {
  if (value === 'none' || value === 'batch' || value === 'layer') return value;
  if (typeof value === 'string' && /^group:[1-9]\d{0,3}$/.test(value)) return value as NormKind;
  throw new RangeError(
    `${where}: ${name} must be 'none', 'batch', 'layer' or 'group:G' with G a whole number of groups such as group:4, received ${describe(value)}`,
  );
}

/** The input image: `spec.inputShape`, or a square one-channel image of `inputs` pixels. */
export function inputImage(spec: Pick<MlpSpec, 'inputs' | 'inputShape'>): SpatialShape {
  if (spec.inputShape) return spec.inputShape;
  const side = Math.round(Math.sqrt(spec.inputs));
  if (side * side !== spec.inputs) {
    throw new RangeError(`mlp: conv layers need an image; ${spec.inputs} inputs are not a square number of pixels, so give inputShape`);
  }
  return { rows: side, cols: side, channels: 1 };
}

export function planLayers(s: MlpSpec): PlannedLayer[] {
  const counts = new Map<string, number>();
  const plan: PlannedLayer[] = [];
  const add = (layer: Omit<PlannedLayer, 'name'>) => plan.push({ ...layer, name: kerasName(layer.type, counts) });
  const flat = (shape: SpatialShape) => shape.rows * shape.cols * shape.channels;
  const addNorm = (norm: NormKind, shape: SpatialShape, spatial: boolean) => {
    const width = flat(shape);
    const at = spatial ? { input: shape, output: shape } : {};
    if (norm === 'batch') add({ type: 'BatchNormalization', inputs: width, units: width, ...at });
    else if (norm === 'layer') add({ type: 'LayerNormalization', inputs: width, units: width, groups: 1, ...at });
    else if (norm !== 'none') add({ type: 'GroupNormalization', inputs: width, units: width, groups: normGroups(norm)!, ...at });
  };

  if (s.conv && s.conv.length > 0) {
    let shape = inputImage(s);
    for (const block of s.conv) {
      const norm = block.norm ?? s.norm;
      const kernel = block.kernel ?? 3;
      const padding = block.padding ?? 'valid';
      const out = convOutputShape(shape, block.filters, kernel, padding);
      const bias = !(norm === 'batch' || normGroups(norm) === block.filters);
      add({
        type: 'Conv2D',
        inputs: flat(shape),
        units: flat(out),
        input: shape,
        output: out,
        conv: { filters: block.filters, kernel, padding, bias },
      });
      if (s.normPlacement === 'before-activation') addNorm(norm, out, true);
      add({ type: 'Activation', inputs: flat(out), units: flat(out), input: out, output: out });
      if (s.normPlacement === 'after-activation') addNorm(norm, out, true);
      shape = out;
      if (block.pool ?? true) {
        const pooled = maxPoolOutputShape(shape);
        add({ type: 'MaxPooling2D', inputs: flat(shape), units: flat(pooled), input: shape, output: pooled });
        shape = pooled;
      }
    }
    add({ type: 'Flatten', inputs: flat(shape), units: flat(shape), input: shape });
  }

  const hasNorm = s.norm !== 'none';
  const dropFirst = hasNorm && s.dropout > 0 && s.dropoutPlacement === 'before-norm';
  let width = plan.length > 0 ? plan[plan.length - 1].units : s.inputs;
  for (const units of s.hidden) {
    const vector = { rows: 1, cols: 1, channels: units };
    add({ type: 'Dense', inputs: width, units });
    if (hasNorm && s.normPlacement === 'before-activation') {
      if (dropFirst) add({ type: 'Dropout', inputs: units, units });
      addNorm(s.norm, vector, false);
    }
    add({ type: 'Activation', inputs: units, units });
    if (hasNorm && s.normPlacement === 'after-activation') {
      if (dropFirst) add({ type: 'Dropout', inputs: units, units });
      addNorm(s.norm, vector, false);
    }
    if (s.dropout > 0 && !dropFirst) add({ type: 'Dropout', inputs: units, units });
    width = units;
  }
  add({ type: 'Dense', inputs: width, units: s.classes });
  return plan;
}

/** Trainable and non-trainable parameters of one planned layer (BN's moving statistics are not trainable, as in Keras). */
function layerParams(p: PlannedLayer, spec: MlpSpec): { trainable: number; nonTrainable: number } {
  const features = p.output ? p.output.channels : p.units;
  switch (p.type) {
    case 'Dense':
      return { trainable: p.inputs * p.units + p.units, nonTrainable: 0 };
    case 'Conv2D': {
      const { filters, kernel, bias } = p.conv!;
      return { trainable: kernel * kernel * p.input!.channels * filters + (bias ? filters : 0), nonTrainable: 0 };
    }
    case 'BatchNormalization':
      // Frozen γ and β are constants, not weights: Keras BatchNormalization(center=False, scale=False) has none.
      return { trainable: spec.bnAblation === 'frozen-affine' ? 0 : 2 * features, nonTrainable: 2 * features };
    case 'GroupNormalization':
    case 'LayerNormalization':
      return { trainable: 2 * features, nonTrainable: 0 };
    default:
      return { trainable: 0, nonTrainable: 0 };
  }
}

/** Multiply-adds of one example's forward pass through a planned layer. */
function layerMacs(p: PlannedLayer): number {
  if (p.type === 'Dense') return p.inputs * p.units;
  if (p.type === 'Conv2D') return p.units * p.conv!.kernel * p.conv!.kernel * p.input!.channels;
  return 0;
}

/**
 * Keras `model.summary()` computed from the spec alone (no weights allocated or initialised), so
 * pages can show it cheaply; `mlp(spec).summary()` returns the same. An MLP's first row is its
 * input Flatten, as in the Keras assignment; a ConvNet's Flatten is a layer of its own.
 */
export function summarizeSpec(spec: MlpSpec): ModelSummary {
  const s = checkSpec(spec);
  const plan = planLayers(s);
  const rows: SummaryRow[] = plan.some((p) => p.type === 'Flatten')
    ? []
    : [{ name: 'flatten', type: 'Flatten', outputShape: `(None, ${s.inputs})`, params: 0 }];
  let trainable = 0;
  let nonTrainable = 0;
  for (const p of plan) {
    const counted = layerParams(p, s);
    trainable += counted.trainable;
    nonTrainable += counted.nonTrainable;
    const shape =
      p.output && p.type !== 'Flatten' ? `(None, ${p.output.rows}, ${p.output.cols}, ${p.output.channels})` : `(None, ${p.units})`;
    rows.push({ name: p.name, type: p.type, outputShape: shape, params: counted.trainable + counted.nonTrainable });
  }
  return { rows, trainable, nonTrainable, total: trainable + nonTrainable };
}

/** Parameters, forward multiply-adds and activation values per example of a spec, without building it. */
export function countSpec(spec: MlpSpec): ModelCounts {
  const counts: ModelCounts = { params: 0, forwardMacs: 0, activationsPerExample: 0 };
  const s = checkSpec(spec);
  for (const p of planLayers(s)) {
    const { trainable, nonTrainable } = layerParams(p, s);
    counts.params += trainable + nonTrainable;
    counts.forwardMacs += layerMacs(p);
    if (p.type !== 'Flatten') counts.activationsPerExample += p.units; // Flatten returns its input itself
  }
  return counts;
}

function kerasName(type: string, counts: Map<string, number>): string {
  const base = type.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const k = counts.get(base) ?? 0;
  counts.set(base, k + 1);
  return k === 0 ? base : `${base}_${k}`;
}

const activations: readonly ActivationName[] = ['relu', 'sigmoid', 'tanh'];

/** Validates a spec where it enters (`mlp`, `summarizeSpec`); returns a copy. */
export function checkSpec(spec: MlpSpec): MlpSpec {
  if (!spec || typeof spec !== 'object') throw new TypeError(`mlp: spec must be an object, received ${String(spec)}`);
  checkInteger('mlp', 'inputs', spec.inputs, 1);
  checkInteger('mlp', 'classes', spec.classes, 2);
  if (!Array.isArray(spec.hidden) || spec.hidden.length > 16) {
    throw new RangeError(`mlp: hidden must be an array of 0–16 layer widths, received ${JSON.stringify(spec.hidden)}`);
  }
  spec.hidden.forEach((u, i) => checkInteger('mlp', `hidden[${i}]`, u, 1, 4096));
  checkOneOf('mlp', 'activation', spec.activation, activations);
  checkNorm('mlp', 'norm', spec.norm);
  checkOneOf('mlp', 'normPlacement', spec.normPlacement, ['before-activation', 'after-activation'] as const);
  checkNumber('mlp', 'dropout', spec.dropout, 0, 1, { maxOpen: true });
  if (spec.dropoutPlacement !== undefined)
    checkOneOf('mlp', 'dropoutPlacement', spec.dropoutPlacement, ['after-norm', 'before-norm'] as const);
  if (spec.initScale !== undefined) checkNumber('mlp', 'initScale', spec.initScale, 0, Infinity, { minOpen: true });
  const groups = normGroups(spec.norm);
  if (groups !== null) spec.hidden.forEach((u, i) => checkDivides(groups, u, `hidden[${i}]`));
  const conv = spec.conv ?? [];
  if (!Array.isArray(conv) || conv.length > 8)
    throw new RangeError(`mlp: conv must be an array of 0–8 conv blocks, received ${describe(spec.conv)}`);
  if (conv.length > 0) {
    let shape = inputImage(spec);
    checkInteger('mlp', 'inputShape.channels', shape.channels, 1);
    conv.forEach((block, i) => {
      const where = `mlp: conv[${i}]`;
      checkInteger(where, 'filters', block?.filters, 1, 1024);
      const kernel = checkInteger(where, 'kernel', block.kernel ?? 3, 1, 11);
      if (kernel % 2 === 0) throw new RangeError(`${where}: kernel must be odd (3, 5, …), received ${kernel}`);
      const padding = checkOneOf(where, 'padding', block.padding ?? 'valid', paddings);
      const norm = checkNorm(where, 'norm', block.norm ?? spec.norm);
      const g = normGroups(norm);
      if (g !== null) checkDivides(g, block.filters, `conv[${i}].filters`);
      if (padding === 'valid' && (shape.rows < kernel || shape.cols < kernel)) {
        throw new RangeError(
          `${where}: a ${kernel}×${kernel} 'valid' convolution needs a feature map of at least ${kernel}×${kernel}, received ${shape.rows}×${shape.cols}; use fewer blocks, padding 'same' or no pooling`,
        );
      }
      shape = convOutputShape(shape, block.filters, kernel, padding);
      if (block.pool ?? true) {
        if (shape.rows < 2 || shape.cols < 2)
          throw new RangeError(`${where}: 2×2 pooling needs a feature map of at least 2×2, received ${shape.rows}×${shape.cols}`);
        shape = maxPoolOutputShape(shape);
      }
    });
  }
  return { ...spec, hidden: [...spec.hidden], ...(spec.conv ? { conv: conv.map((b) => ({ ...b })) } : {}) };
}

function checkDivides(groups: number, width: number, name: string): void {
  if (width % groups !== 0) throw new RangeError(`mlp: norm 'group:${groups}' needs ${name} divisible by ${groups}, received ${width}`);
}
