/**
 * Stochastic gradient descent with optional momentum and coupled L2.
 *
 *   g ← ∇w + 2·l2·w            (only params with `decay: true`)
 *   v ← μ·v + g ;  w ← w − lr·v   (μ = 0: plain w ← w − lr·g)
 *
 * Momentum form: PyTorch's `torch.optim.SGD` (dampening 0, no Nesterov), where the velocity holds
 * gradients and the learning rate is applied on the way out. Keras keeps lr inside the velocity
 * (v ← μ·v − lr·g ; w ← w + v). With a constant lr the two give identical weights
 * (Keras's v is −lr times ours); they differ only in the steps right after lr changes, where ours
 * applies the new rate to the whole accumulated velocity at once.
 *
 * L2 is coupled, as Keras's `kernel_regularizer=regularizers.L2(l2)`: the loss gains l2·Σw² (no ½),
 * so the gradient gains 2·l2·w. PyTorch's `weight_decay=wd` adds wd·w: wd = 2·l2. With plain SGD
 * coupled L2 and decoupled decay coincide (lr·2·l2·w either way); they part ways with momentum
 * and with Adam (see adam.ts).
 *
 * Sources: https://pytorch.org/docs/stable/generated/torch.optim.SGD.html ;
 * https://keras.io/api/optimizers/sgd/ ; https://keras.io/api/layers/regularizers/
 */
import type { Backend, Buf } from '../backend.ts';
import type { Param } from '../types.ts';
import { checkNumber } from '../validate.ts';
import { createOptimizer, type Optimizer } from './optimizer.ts';

export interface SgdOptions {
  /** Learning rate, (0, 10]. Required: plain SGD has no rate that suits every problem. */
  lr: number;
  /** Momentum μ in [0, 1); default 0 (plain SGD). */
  momentum?: number;
  /** Coupled L2 factor in [0, 1] (Keras `L2(l2)`, penalty l2·Σw²); default 0. PyTorch's weight_decay = 2·l2. */
  l2?: number;
  /** Where the velocities live and which kernel runs (the model's backend); default ts. */
  backend?: Backend;
}

export type Sgd = Optimizer & { readonly kind: 'sgd'; momentum: number; l2: number };

const defaults = { momentum: 0, l2: 0 };

export function sgd(options: SgdOptions): Sgd {
  const checkMomentum = (value: unknown) => checkNumber('sgd', 'momentum', value, 0, 1, { maxOpen: true });
  const checkL2 = (value: unknown) => checkNumber('sgd', 'l2', value, 0, 1);
  let momentum = checkMomentum(options?.momentum ?? defaults.momentum);
  let l2 = checkL2(options?.l2 ?? defaults.l2);
  let lr = 0;

  const rule = {
    slots: 1,
    begin(_t: number, rate: number) {
      lr = rate;
    },
    apply(p: Param, [velocity]: readonly Buf[], backend: Backend) {
      const w = backend.address(p.value);
      const g = backend.address(p.grad);
      const l2x2 = p.decay ? 2 * l2 : 0;
      if (backend.kernels && w >= 0 && g >= 0) backend.kernels.sgdUpdate(w, g, velocity.ptr, velocity.length, lr, momentum, l2x2);
      else sgdUpdate(p.value, p.grad, velocity.view, lr, momentum, l2x2);
    },
  };
  const settings = {
    get momentum() {
      return momentum;
    },
    set momentum(value: number) {
      momentum = checkMomentum(value);
    },
    get l2() {
      return l2;
    },
    set l2(value: number) {
      l2 = checkL2(value);
    },
  };
  return createOptimizer('sgd', 'sgd', options?.lr, rule, settings, options?.backend);
}

/** One tensor: w (P), g (P), velocity (P) updated in place; `l2x2` = 2·l2 or 0 for non-decaying params. */
export function sgdUpdate(w: Float32Array, g: Float32Array, velocity: Float32Array, lr: number, momentum: number, l2x2: number): void {
  for (let i = 0; i < w.length; i++) {
    const v = momentum * velocity[i] + g[i] + l2x2 * w[i];
    velocity[i] = v;
    w[i] -= lr * v;
  }
}
