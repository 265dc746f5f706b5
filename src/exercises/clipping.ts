/**
 * Exercise (gradient-clipping lesson): gradient clipping by global norm and by value, checked against the engine's
 * `clipGradNorm` and `clipGradValue` (engine/optim/clip.ts):
 *
 *   global norm  ‖g‖ = √(Σ over all tensors Σ g²);  if ‖g‖ > maxNorm: every g ← g·maxNorm/‖g‖
 *   by value     g ← clamp(g, −limit, limit)
 */
import { clipGradNorm, clipGradValue } from '@engine/optim/clip.ts';
import type { Param } from '@engine/types.ts';
import { compareStage, matches, type StageResult } from './compare.ts';
import { callReader, field, type Exercise } from './exercise.ts';
import { copy, expected, normalVector } from './inputs.ts';

const params = (grads: number[][]): Param[] =>
  grads.map((g, i) => ({ name: `p${i}`, value: new Float32Array(g.length), grad: Float32Array.from(g), decay: true }));

const starter = `// grads: a list of tensors (arrays of numbers), e.g. [dW1, db1, dW2].
// Scale them all by one factor so their global L2 norm is at most maxNorm.
// Return the clipped grads and the norm before clipping.
function clipByGlobalNorm(grads, maxNorm) {
  const norm = 0; // TODO
  return { grads, norm };
}

// Clamp every element to [−limit, limit].
function clipByValue(grads, limit) {
  return grads; // TODO
}
`;

const solution = `function clipByGlobalNorm(grads, maxNorm) {
  let sum = 0;
  for (const g of grads) for (const v of g) sum += v * v;
  const norm = Math.sqrt(sum);
  const scale = norm > maxNorm ? maxNorm / norm : 1;
  return { grads: grads.map((g) => g.map((v) => v * scale)), norm };
}

function clipByValue(grads, limit) {
  return grads.map((g) => g.map((v) => Math.min(limit, Math.max(-limit, v))));
}
`;

function cases(): { name: string; grads: number[][]; maxNorm: number }[] {
  return [
    {
      name: 'three tensors, norm above maxNorm 1',
      grads: [normalVector(130, 6, 2), normalVector(131, 4, 0.5), normalVector(132, 3, 1)],
      maxNorm: 1,
    },
    { name: 'norm below maxNorm 100 (unchanged)', grads: [normalVector(133, 5), normalVector(134, 2)], maxNorm: 100 },
    { name: 'one tensor dominates', grads: [normalVector(135, 4, 50), normalVector(136, 4, 0.01)], maxNorm: 5 },
  ];
}

export const clipping: Exercise = {
  id: 'clipping',
  functions: ['clipByGlobalNorm', 'clipByValue'],
  starter,
  hint: 'One norm over all tensors together: sum the squares of every element of every tensor, then take one square root. Scale only when that norm is above maxNorm, by the same factor everywhere.',
  solution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const c of cases()) {
      const ps = params(c.grads);
      const norm = clipGradNorm(ps, c.maxNorm);
      const call = callReader(fns, 'clipByGlobalNorm', [copy(c.grads), c.maxNorm], c.name, context);
      if (call.failure) return [...results, call.failure];
      results.push(compareStage(c.name, 'norm', expected([norm]), field(call.value, 'norm', 'clipByGlobalNorm')));
      const got = field(call.value, 'grads', 'clipByGlobalNorm');
      c.grads.forEach((g, i) => {
        const perTensor = (values: number[]) => {
          const own = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
          const clipped = g.map((v) => (own > c.maxNorm ? (v * c.maxNorm) / own : v));
          return matches(clipped, values)
            ? "this tensor was clipped by its own norm (Keras's per-tensor clipnorm); clip by the global norm over all tensors together, as clip_grad_norm_ and global_clipnorm do"
            : null;
        };
        const gi = Array.isArray(got) ? got[i] : got;
        results.push(compareStage(c.name, `grads[${i}]`, expected(ps[i].grad, g.length), gi, perTensor));
      });
    }
    const grads = [normalVector(140, 6, 2), normalVector(141, 3, 0.3)];
    const ps = params(grads);
    clipGradValue(ps, 0.5);
    const call = callReader(fns, 'clipByValue', [copy(grads), 0.5], 'by value, limit 0.5', context);
    if (call.failure) return [...results, call.failure];
    grads.forEach((g, i) =>
      results.push(
        compareStage(
          'by value, limit 0.5',
          `grads[${i}]`,
          expected(ps[i].grad, g.length),
          Array.isArray(call.value) ? call.value[i] : call.value,
        ),
      ),
    );
    return results;
  },
};
