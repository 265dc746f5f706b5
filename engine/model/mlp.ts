/**
 * The course's models, built like the Keras Sequential models of the assignment from the one
 * spec of model/plan.ts: the classic multilayer perceptron
 *
 *   Flatten → [Dense H → (Norm) → Activation (→ Norm) → Dropout] × hidden → Dense K
 *
 * and, with `conv` blocks, small ConvNets (Conv2D → (Norm) → Activation → MaxPooling2D, …,
 * Flatten, Dense). Dropout may instead sit right before the norm ('before-norm'), the placement
 * whose train/eval variance mismatch Li et al. 2019 ("Understanding the disharmony between
 * dropout and batch normalization by variance shift", https://arxiv.org/abs/1801.05134)
 * analyse. `initScale` multiplies every kernel's initial weights, the knob that shows bad
 * initialization.
 *
 * Softmax lives in the loss (softmaxCrossEntropy), so the model outputs logits (N, K). The norm
 * sits before the activation (Ioffe & Szegedy 2015, §3.2) or after it, as chosen. The model is
 * itself a Layer; `summary()` mirrors Keras `model.summary()`, where BN's moving mean and
 * variance count as non-trainable parameters.
 */
import { tsBackend, type Backend, type Buf } from '../backend.ts';
import { relu, sigmoid, tanh, type Activation } from '../layers/activations.ts';
import { batchNorm, type BatchNorm, type BatchNormOptions } from '../layers/batch-norm.ts';
import { conv2d, type Conv2d } from '../layers/conv2d.ts';
import { dense, type Dense } from '../layers/dense.ts';
import { dropout, type Dropout } from '../layers/dropout.ts';
import { flatten, type Flatten } from '../layers/flatten.ts';
import { groupNorm, type GroupNorm } from '../layers/group-norm.ts';
import { layerNorm } from '../layers/layer-norm.ts';
import { maxPool2d, type MaxPool2d } from '../layers/max-pool.ts';
import { spatialBatchNorm } from '../layers/spatial-batch-norm.ts';
import { createRandom } from '../random.ts';
import type { Layer, Mode, Random, SpatialShape } from '../types.ts';
import { checkNumber } from '../validate.ts';
import { checkSpec, planLayers, summarizeSpec, type LayerType, type MlpSpec, type ModelSummary, type PlannedLayer } from './plan.ts';

export type {
  ActivationName,
  ConvSpec,
  DropoutPlacement,
  MlpSpec,
  ModelCounts,
  ModelSummary,
  NormKind,
  NormPlacement,
  SummaryRow,
} from './plan.ts';
export { countSpec, summarizeSpec } from './plan.ts';

type ModelPart = Dense | BatchNorm | Activation | Dropout | Conv2d | MaxPool2d | Flatten | GroupNorm;

export interface NamedLayer {
  /** Keras-style name: dense, batch_normalization, activation, dropout, dense_1, conv2d, … */
  name: string;
  layer: ModelPart;
  /** Width of this layer's output per example (R·S·C for a feature map). */
  units: number;
  /** The feature map this layer outputs (N, R, S, C); absent for vectors (Dense layers, Flatten). */
  output?: SpatialShape;
  /** The output of the last forward (valid until the next forward). */
  lastOutput(): Float32Array | null;
  /** The gradient that reached this layer's output in the last backward. */
  lastGradient(): Float32Array | null;
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

/** Builds a BN layer; `mlp` takes one to swap in another implementation (the reader's, in a code cell, or noisy BN). */
export type BatchNormFactory = (features: number, options: BatchNormOptions) => BatchNorm;

export interface MlpOptions {
  /** The stream dropout draws its masks from; default one seeded from `random`. */
  dropoutRandom?: Random;
  /** Default the ts backend. */
  backend?: Backend;
  /** Builds each BN layer (spatial BN too: it is this BN over N·R·S rows); default the engine's `batchNorm`. */
  batchNorm?: BatchNormFactory;
}

export function mlp(spec: MlpSpec, random: Random, options: MlpOptions = {}): Mlp {
  const s = checkSpec(spec);
  const backend = options.backend ?? tsBackend;
  const plan = planLayers(s);
  // Layers with weights are created first and in order, so the init stream gives the same weights
  // whatever the normalization (norms consume no randomness): comparisons start from one point.
  const weighted = plan.filter((p) => p.type === 'Dense' || p.type === 'Conv2D');
  const weightedLayers = weighted.map((p, i): Dense | Conv2d =>
    p.type === 'Dense'
      ? dense(p.inputs, p.units, { random, init: s.init, inputGrad: i > 0, backend })
      : conv2d(p.input!, p.conv!.filters, {
          random,
          init: s.init,
          kernel: p.conv!.kernel,
          padding: p.conv!.padding,
          bias: p.conv!.bias,
          inputGrad: i > 0,
          backend,
        }),
  );
  const scale = s.initScale ?? 1;
  if (scale !== 1) {
    for (const { W } of weightedLayers) for (let j = 0; j < W.value.length; j++) W.value[j] *= scale;
  }
  const dropoutRandom = options.dropoutRandom ?? createRandom(Math.floor(random() * 0x100000000));
  const makeBn = options.batchNorm ?? batchNorm;
  const bnOptions = { momentum: s.bnMomentum, epsilon: s.bnEpsilon, ablation: s.bnAblation, backend };
  const normOptions = { epsilon: s.bnEpsilon, backend };

  let nextWeighted = 0;
  const build: Record<LayerType, (p: PlannedLayer) => ModelPart> = {
    Dense: () => weightedLayers[nextWeighted++],
    Conv2D: () => weightedLayers[nextWeighted++],
    BatchNormalization: (p) => (p.input ? spatialBatchNorm(p.input, bnOptions, makeBn) : makeBn(p.units, bnOptions)),
    GroupNormalization: (p) => groupNorm(p.input ?? { rows: 1, cols: 1, channels: p.units }, p.groups!, normOptions),
    LayerNormalization: (p) => (p.input ? groupNorm(p.input, 1, normOptions) : layerNorm(p.units, normOptions)),
    Activation: () => activationFactories[s.activation]({ backend }),
    Dropout: () => dropout(s.dropout, { random: dropoutRandom, backend }),
    MaxPooling2D: (p) => maxPool2d(p.input!, { backend }),
    Flatten: (p) => flatten(p.input!),
  };
  const parts = plan.map((p) => ({ name: p.name, layer: build[p.type](p), units: p.units, output: p.output }));

  // Held as Bufs: a wasm view kept from earlier in the pass would be detached by a later layer growing the memory.
  const outputs: (Buf | null)[] = parts.map(() => null);
  const gradients: (Buf | null)[] = parts.map(() => null);
  const layers: NamedLayer[] = parts.map((p, i) => ({
    name: p.name,
    layer: p.layer,
    units: p.units,
    ...(p.output ? { output: p.output } : {}),
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
