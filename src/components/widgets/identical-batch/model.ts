/**
 * Identical mini-batches through the course engine: one training step's gradient norm for every
 * weight tensor of a small network (Dense 64 → [BN] → act → Dense 64 → [BN] → act → Dense 10),
 * on a batch of different examples and on a batch made of one example repeated, with and without
 * BN. With every row equal, BN's batch mean equals each row, so x − μ = 0, x̂ = 0, the output is
 * β, and BN's input gradient
 *
 *   dx = (γ / (N·σ))·(N·dy − Σ dy − x̂·Σ dy·x̂) = 0      (every dy row is equal too)
 *
 * vanishes, as does dγ = Σ dy·x̂: nothing below the topmost BN learns from that batch. With dropout
 * after the activation (the assignment's Dropout(0.2)) each copy gets its own mask, the dy rows
 * differ and dx = γ/√ε·(dy − mean dy) is not zero — but it still sums to zero over the batch, so the
 * first Dense kernel, whose inputs are the identical copies, gets exactly zero all the same. The
 * inputs are seeded random pixels in [0, 1), not MNIST digits: the effect does not depend on them.
 */
import { softmaxCrossEntropy } from '@engine/loss/softmax-cross-entropy.ts';
import { mlp, type ActivationName, type NormKind } from '@engine/model/mlp.ts';
import { createRandom } from '@engine/random.ts';
import { zeroGrad } from '@engine/types.ts';
import { checkInteger, checkOneOf } from '@engine/validate.ts';

export const activations: readonly ActivationName[] = ['sigmoid', 'relu'];
/** Dropout rates the widget offers: none, or the assignment's 0.2 after each activation. */
export const dropoutRates = [0, 0.2] as const;
const inputs = 784;
const classes = 10;
const hidden = [64, 64];

export interface GradientRow {
  /** Keras-style layer name and the tensor: 'dense kernel', 'batch_normalization beta'. */
  tensor: string;
  /** L2 norm of the tensor's gradient after one backward pass. */
  norm: number;
}

export interface Case {
  norm: NormKind;
  identical: boolean;
  rows: GradientRow[];
  loss: number;
}

/** A batch of n seeded random images and labels; `identical` repeats the first image and label n times. */
export function makeBatch(n: number, identical: boolean, seed: number): { x: Float32Array; labels: Uint8Array } {
  const random = createRandom(seed);
  const x = new Float32Array(n * inputs);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (identical && i > 0) {
      x.copyWithin(i * inputs, 0, inputs);
      labels[i] = labels[0];
      continue;
    }
    for (let j = 0; j < inputs; j++) x[i * inputs + j] = random();
    labels[i] = Math.floor(random() * classes);
  }
  return { x, labels };
}

/** One forward and backward pass in training mode (no update) from the same initial weights; the gradient norm of every tensor. */
export function gradientCase(options: {
  activation: ActivationName;
  norm: NormKind;
  identical: boolean;
  n: number;
  seed: number;
  dropout?: number;
}): Case {
  const activation = checkOneOf('identical batch', 'activation', options.activation, activations);
  const n = checkInteger('identical batch', 'n', options.n, 2, 256);
  const seed = checkInteger('identical batch', 'seed', options.seed, 0, 0xfffffffe);
  const dropout = options.dropout ?? 0;
  if (!(dropoutRates as readonly number[]).includes(dropout))
    throw new RangeError(`identical batch: dropout must be one of ${dropoutRates.join(', ')}, received ${dropout}`);
  const model = mlp(
    { inputs, hidden, activation, norm: options.norm, normPlacement: 'before-activation', dropout, classes },
    createRandom(seed),
  );
  const { x, labels } = makeBatch(n, options.identical, seed + 1);
  zeroGrad(model.params());
  const logits = model.forward(x, n, 'train');
  const { loss, dlogits } = softmaxCrossEntropy(logits, labels, n, classes);
  model.backward(dlogits);
  const rows = model.layers.flatMap(({ name, layer }) =>
    layer.params().map((p) => ({ tensor: `${name} ${p.name}`, norm: Math.sqrt(p.grad.reduce((s, g) => s + g * g, 0)) })),
  );
  return { norm: options.norm, identical: options.identical, rows, loss };
}

/** The four cases the widget's table shows: {no BN, BN} × {different examples, one example repeated}. */
export function gradientTable(activation: ActivationName, seed: number, n = 32, dropout = 0): Case[] {
  return (['none', 'batch'] as const).flatMap((norm) =>
    [false, true].map((identical) => gradientCase({ activation, norm, identical, n, seed, dropout })),
  );
}

/** A gradient norm as the table shows it: exactly 0 as "0", otherwise 3 significant digits. */
export const formatNorm = (x: number) => (x === 0 ? '0' : x.toPrecision(3));

/** Which tensors get no gradient at all from the BN model's batch of one repeated example. */
export function summarize(cases: readonly Case[]): string {
  const bn = cases.find((c) => c.norm === 'batch' && c.identical);
  const none = cases.find((c) => c.norm === 'none' && c.identical);
  if (!bn || !none) throw new RangeError('identical batch: the table needs the BN and no-BN cases of an identical batch');
  const zero = bn.rows.filter((r) => r.norm === 0).map((r) => r.tensor);
  const live = bn.rows.filter((r) => r.norm !== 0).map((r) => r.tensor);
  const noneZero = none.rows.filter((r) => r.norm === 0).length;
  return `With BN and one example repeated, ${zero.length} of ${bn.rows.length} tensors get exactly zero gradient (${zero.join(', ')}); only ${live.length === 0 ? 'none' : live.join(', ')} still ${live.length === 1 ? 'gets' : 'get'} one. Without BN, ${noneZero === 0 ? 'every tensor gets a gradient from the same batch' : `${noneZero} tensors get none`}.`;
}
