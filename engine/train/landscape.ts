/**
 * The loss landscape along the step, as Santurkar et al. measure it ("How Does Batch
 * Normalization Help Optimization?", 2018, https://arxiv.org/abs/1805.11604, Figures 4 and 9):
 * at a training step from weights w with update Δ, on the step's own mini-batch, the loss and its
 * gradient at the points w + tΔ for a few multiples t ∈ T of the step:
 *
 *   loss variation            max − min of L(w + tΔ) over t ∈ {0} ∪ T
 *   gradient predictiveness   ‖∇L(w) − ∇L(w + tΔ)‖ for each t ∈ T
 *   effective β-smoothness    max over t ∈ T of ‖∇L(w) − ∇L(w + tΔ)‖ / ‖tΔ‖
 *
 * Δ is the update the optimizer just applied (w_next − w), measured, not recomputed: it is the step
 * the run really takes, whatever the optimizer (momentum and Adam go elsewhere than the gradient).
 * For plain SGD without L2 — the deep presets — Δ = −lr·∇L(w), the paper's "gradient direction
 * scaled by the learning rate", so t = 1 is one step and t = 4 four steps along the gradient.
 * ∇L is the loss's gradient over every trainable parameter (BN's γ and β too), L2 not included.
 *
 * The probe must not change the run. Each point is a train-mode forward and backward with the
 * step's dropout masks (every random stream set back to where it was before the step), and
 * afterwards the weights, their gradients, BN's moving statistics and the streams' positions are
 * put back exactly as the step left them. The optimizer is never called. The point t = 0 is
 * evaluated last: it repeats the step's own forward and backward bit for bit, so every cache the
 * diagnostics read (layer outputs, output gradients, BN's last batch statistics, dropout masks)
 * holds the step's values again.
 */
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import type { Mlp } from '../model/mlp.ts';
import type { SeededRandom } from '../random.ts';
import { array, number, object, type Infer } from '../schema.ts';
import { zeroGrad } from '../types.ts';
import { checkNumber } from '../validate.ts';

/** The multiples of the step probed by default: from half a step to four steps. */
export const defaultMultiples: readonly number[] = [0.5, 1, 2, 4];
/** The multiples accepted, and the most of them (each costs one forward and backward). */
export const minMultiple = 0.01;
export const maxMultiple = 16;
export const maxMultiples = 8;

const measured = number({ nan: true });

export const LandscapeSample = object({
  /** The multiples t of the step, as requested (ascending). */
  multiples: array(number({ min: minMultiple, max: maxMultiple }), { minLength: 1, maxLength: maxMultiples }),
  /** L(w): the step's own loss on its batch. */
  loss: measured,
  /** L(w + tΔ), one per multiple. */
  losses: array(measured),
  /** ‖∇L(w) − ∇L(w + tΔ)‖, one per multiple (gradient predictiveness). */
  gradChanges: array(measured),
  /** ‖Δ‖, the length of the step. */
  stepNorm: measured,
  /** ‖∇L(w)‖. */
  gradNorm: measured,
  /** max − min of the loss over t = 0 and every multiple (loss variation). */
  lossRange: measured,
  /** max over the multiples of ‖∇L(w) − ∇L(w + tΔ)‖ / ‖tΔ‖ (effective β-smoothness); NaN for a zero step. */
  smoothness: measured,
});
export type LandscapeSample = Infer<typeof LandscapeSample>;

/** Checks a list of multiples where it enters (sessions, the worker's protocol parses its own). */
export function checkMultiples(multiples: readonly number[]): readonly number[] {
  if (!Array.isArray(multiples) || multiples.length < 1 || multiples.length > maxMultiples)
    throw new RangeError(`landscape: multiples must list 1 to ${maxMultiples} numbers, received ${JSON.stringify(multiples)}`);
  multiples.forEach((t, i) => checkNumber('landscape', `multiples[${i}]`, t, minMultiple, maxMultiple));
  return multiples;
}

/**
 * Runs `step` (one training step on the batch x, labels of n rows) and probes the landscape along
 * the update it applied; no sample when the step diverged (it applied no update).
 */
export function stepAlongLandscape<R extends { diverged: boolean }>(
  model: Mlp,
  streams: readonly SeededRandom[],
  multiples: readonly number[],
  batch: { x: Float32Array; labels: ArrayLike<number>; n: number },
  step: () => R,
): { result: R; sample: LandscapeSample | null } {
  const params = model.params();
  const before = params.map((p) => p.value.slice());
  const marks = streams.map((s) => s.state);
  const result = step();
  if (result.diverged) return { result, sample: null };

  // What the step left, put back after probing.
  const after = params.map((p) => p.value.slice());
  const grads = params.map((p) => p.grad.slice());
  const positions = streams.map((s) => s.state);
  const bns = model.layers.flatMap(({ layer }) => (layer.kind === 'BatchNormalization' ? [layer] : []));
  const moving = bns.map((bn) => ({ mean: bn.movingMean.slice(), variance: bn.movingVariance.slice() }));

  /** L(w + tΔ) with the step's masks; its gradient stays in the params' grads. */
  const lossAt = (t: number): number => {
    params.forEach((p, i) => {
      const w = before[i];
      const next = after[i];
      const value = p.value;
      for (let j = 0; j < value.length; j++) value[j] = w[j] + t * (next[j] - w[j]);
    });
    streams.forEach((s, i) => (s.state = marks[i]));
    zeroGrad(params);
    const logits = model.forward(batch.x, batch.n, 'train');
    const { loss, dlogits } = softmaxCrossEntropy(logits, batch.labels, batch.n, logits.length / batch.n, model.backend);
    model.backward(dlogits);
    return loss;
  };
  const flatGrad = (): Float32Array[] => params.map((p) => p.grad.slice());

  try {
    const atMultiples = multiples.map((t) => ({ t, loss: lossAt(t), grad: flatGrad() }));
    const loss = lossAt(0); // last: the caches end as the step left them
    const g0 = flatGrad();
    const stepNorm = Math.sqrt(sumSquares(params.map((_, i) => [after[i], before[i]])));
    const gradNorm = Math.sqrt(sumSquares(g0.map((g) => [g, null])));
    const gradChanges = atMultiples.map(({ grad }) => Math.sqrt(sumSquares(grad.map((g, i) => [g, g0[i]]))));
    const losses = atMultiples.map((p) => p.loss);
    const all = [loss, ...losses];
    const perDistance = gradChanges.map((c, i) => c / (multiples[i] * stepNorm));
    return {
      result,
      sample: {
        multiples: [...multiples],
        loss,
        losses,
        gradChanges,
        stepNorm,
        gradNorm,
        lossRange: all.some((l) => !Number.isFinite(l)) ? NaN : Math.max(...all) - Math.min(...all),
        smoothness: stepNorm > 0 ? Math.max(...perDistance) : NaN,
      },
    };
  } finally {
    // Also when a point throws midway (after t = 0 the streams are already where the step left them).
    params.forEach((p, i) => {
      p.value.set(after[i]);
      p.grad.set(grads[i]);
    });
    bns.forEach((bn, i) => {
      bn.movingMean.set(moving[i].mean);
      bn.movingVariance.set(moving[i].variance);
    });
    streams.forEach((s, i) => (s.state = positions[i]));
  }
}

/** Σ (a − b)² over pairs of equal-length arrays (b null: Σ a²), accumulated in float64. */
function sumSquares(pairs: readonly (readonly [Float32Array, Float32Array | null])[]): number {
  let sum = 0;
  for (const [a, b] of pairs) {
    for (let j = 0; j < a.length; j++) {
      const d = b === null ? a[j] : a[j] - b[j];
      sum += d * d;
    }
  }
  return sum;
}
