/**
 * Gradient clipping, applied between backward and the optimizer step.
 *
 *   gradNorm      ‖g‖ = √(Σ_p Σ_i g²)            one global L2 norm over every parameter
 *   clipGradNorm  if ‖g‖ > maxNorm: g ← g · maxNorm/‖g‖   (direction kept, length capped)
 *   clipGradValue g ← clamp(g, −limit, limit)      (elementwise; direction may change)
 *
 * clipGradNorm is global, as PyTorch's `clip_grad_norm_` and Keras's `global_clipnorm`; Keras's
 * plain `clipnorm` instead clips each tensor by its own norm. PyTorch always multiplies by
 * min(1, maxNorm/(‖g‖ + 1e-6)); we scale only above the threshold and divide by ‖g‖ exactly
 * (as `tf.clip_by_global_norm`), a relative difference of 1e-6/‖g‖. It returns the norm before
 * clipping so charts can plot it. A non-finite norm (an overflow or NaN upstream) leaves the
 * gradients untouched: the returned norm is the caller's signal that the run has diverged.
 * clipGradValue matches `clip_grad_value_` and Keras's `clipvalue`.
 *
 * The sum of squares accumulates in a float64 number even though the grads are float32: summed in
 * float32, 10⁵ terms could drift by up to n·2⁻²⁴ ≈ 0.6 %.
 *
 * `backend` (the model's) runs the wasm kernels on params that live in its memory; they do the
 * same float64 arithmetic in the same order, so both backends give the same bits.
 *
 * Sources: Pascanu, Mikolov & Bengio 2013 https://arxiv.org/abs/1211.5063 ;
 * https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_norm_.html ;
 * https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_value_.html ;
 * https://keras.io/api/optimizers/ (clipnorm, clipvalue, global_clipnorm)
 */
import { tsBackend, type Backend } from '../backend.ts';
import type { Param } from '../types.ts';
import { checkNumber } from '../validate.ts';

/** Global L2 norm of all gradients, accumulated in float64. */
export function gradNorm(params: Param[], backend: Backend = tsBackend): number {
  let sum = 0;
  for (const p of params) {
    const g = p.grad;
    const at = backend.address(g);
    if (at >= 0) sum = backend.kernels!.sumSquares(at, g.length, sum);
    else for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  }
  return Math.sqrt(sum);
}

/** Rescales all gradients so their global norm is at most `maxNorm` (> 0); returns the norm before clipping. */
export function clipGradNorm(params: Param[], maxNorm: number, backend: Backend = tsBackend): number {
  checkNumber('clipGradNorm', 'maxNorm', maxNorm, 0, Infinity, { minOpen: true, maxOpen: true });
  const norm = gradNorm(params, backend);
  if (norm > maxNorm && Number.isFinite(norm)) {
    const scale = maxNorm / norm;
    for (const p of params) {
      const g = p.grad;
      const at = backend.address(g);
      if (at >= 0) backend.kernels!.scaleInPlace(at, g.length, scale);
      else for (let i = 0; i < g.length; i++) g[i] *= scale;
    }
  }
  return norm;
}

/** Clamps every gradient element to [−limit, limit] (limit > 0). NaN stays NaN. */
export function clipGradValue(params: Param[], limit: number, backend: Backend = tsBackend): void {
  checkNumber('clipGradValue', 'limit', limit, 0, Infinity, { minOpen: true, maxOpen: true });
  for (const p of params) {
    const g = p.grad;
    const at = backend.address(g);
    if (at >= 0) {
      backend.kernels!.clampInPlace(at, g.length, limit);
      continue;
    }
    for (let i = 0; i < g.length; i++) {
      if (g[i] > limit) g[i] = limit;
      else if (g[i] < -limit) g[i] = -limit;
    }
  }
}
