/**
 * The one optimizer core (after tinygrad's `Optimizer`): SGD, Adam, Adam + L2 and AdamW are named
 * update rules plugged into the same step loop.
 *
 *   step(params):  t ← t + 1;  rule.begin(t, lr);  for each p: rule.apply(p, state(p))
 *
 * The core owns what every optimizer shares — the learning rate (a validated setter, read once
 * per step, so a change takes effect at the next step), the step counter t, and the per-parameter
 * state: `slots` Float32Arrays the size of the parameter (SGD's velocity, Adam's m and v), created
 * zeroed the first time a parameter is seen and found again through a WeakMap keyed by the Param.
 * A rule precomputes its per-step scalars (bias corrections) in `begin`, then runs one tight loop
 * per tensor in `apply`: nothing is allocated per step after the first.
 *
 * The step counter is global, as in Keras (`optimizer.iterations`): a parameter first seen at
 * step t gets bias corrections for t, where PyTorch would keep a per-parameter count.
 * `step` reads `p.grad` and never resets it; the caller runs `zeroGrad` before the next backward.
 *
 * Sources: tinygrad optimizers https://github.com/tinygrad/tinygrad/blob/master/tinygrad/nn/optim.py ;
 * Keras optimizers https://keras.io/api/optimizers/ ; PyTorch https://pytorch.org/docs/stable/optim.html
 */
import { tsBackend, type Backend, type Buf } from '../backend.ts';
import type { Param } from '../types.ts';
import { checkNumber } from '../validate.ts';

export type OptimizerKind = 'sgd' | 'adam' | 'adamw';

export interface Optimizer {
  readonly kind: OptimizerKind;
  /** Learning rate in (0, 10]; a change takes effect at the next step. */
  lr: number;
  /** Updates every parameter from its `grad`; does not zero the grads (the caller runs `zeroGrad`). */
  step(params: Param[]): void;
  /** Steps taken so far. */
  readonly iterations: number;
}

/** What a named optimizer plugs into the core. */
export interface UpdateRule {
  /** How many state buffers (each the size of the parameter, starting at 0) a parameter needs. */
  readonly slots: number;
  /** Once per step, before any tensor: `t` is the 1-based step number. Precompute scalars here. */
  begin(t: number, lr: number): void;
  /**
   * Updates one tensor in place from `p.grad`; `state` holds `slots` buffers of `backend`. Runs the
   * backend's kernel when `p` lives in its memory (`backend.address`), else the TypeScript one.
   */
  apply(p: Param, state: readonly Buf[], backend: Backend): void;
}

/** The learning-rate range every optimizer accepts. Above 10 nothing in this course trains. */
function checkLr(where: string, value: unknown): number {
  return checkNumber(where, 'lr', value, 0, 10, { minOpen: true });
}

/**
 * Builds an optimizer from a rule. `settings` carries the rule's own validated setters
 * (momentum, l2, weightDecay…) and read-only facts; its accessors are copied as accessors.
 */
export function createOptimizer<K extends OptimizerKind, S extends object>(
  kind: K,
  where: string,
  lr: unknown,
  rule: UpdateRule,
  settings: S,
  backend: Backend = tsBackend,
): Optimizer & { readonly kind: K } & S {
  let rate = checkLr(where, lr);
  let iterations = 0;
  const state = new WeakMap<Param, Buf[]>();

  function stateOf(p: Param): Buf[] {
    let buffers = state.get(p);
    if (!buffers) {
      if (p.grad.length !== p.value.length) {
        throw new RangeError(
          `${where}.step: param '${p.name}' has ${p.value.length} values but a grad of ${p.grad.length}; expected equal lengths`,
        );
      }
      buffers = Array.from({ length: rule.slots }, () => backend.f32(p.value.length));
      state.set(p, buffers);
    }
    return buffers;
  }

  const optimizer: Optimizer & { readonly kind: K } = {
    kind,
    get lr() {
      return rate;
    },
    set lr(value: number) {
      rate = checkLr(where, value);
    },
    get iterations() {
      return iterations;
    },
    step(params: Param[]): void {
      iterations += 1;
      rule.begin(iterations, rate);
      for (const p of params) rule.apply(p, stateOf(p), backend);
    },
  };
  return Object.defineProperties(optimizer, Object.getOwnPropertyDescriptors(settings)) as Optimizer & { readonly kind: K } & S;
}
