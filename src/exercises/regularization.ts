/**
 * Exercise (weight-decay lesson): the L2 gradient in Keras's convention and one AdamW step, checked against
 * the engine's optimizers (engine/optim/sgd.ts, engine/optim/adam.ts):
 *
 *   L2 (Keras L2(l2), penalty l2·Σw²)   ∂/∂w = 2·l2·w          (PyTorch's weight_decay = 2·l2)
 *   AdamW (Keras form)   m ← β1·m + (1−β1)·g ;  v ← β2·v + (1−β2)·g²
 *                        w ← w − lr·wd·w − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)
 *
 * The engine's L2 gradient is read off one plain SGD step with lr = 1 and a zero gradient.
 */
import { adam, adamW } from '@engine/optim/adam.ts';
import { sgd } from '@engine/optim/sgd.ts';
import type { Param } from '@engine/types.ts';
import { compareStage, matches, type StageResult } from './compare.ts';
import { callReader, field, type Exercise } from './exercise.ts';
import { copy, expected, normalVector } from './inputs.ts';

const param = (w: number[], g: number[] = w.map(() => 0)): Param => ({
  name: 'w',
  value: Float32Array.from(w),
  grad: Float32Array.from(g),
  decay: true,
});

const starter = `// Keras's L2(l2) adds l2·Σw² to the loss. Its gradient:
function l2Gradient(w, l2) {
  return w.map(() => 0); // TODO
}

// One AdamW step (Keras's form). state = { m, v, t } with t the 1-based step number.
// Return the new w, m and v.
function adamWStep(w, g, state, { lr, beta1, beta2, epsilon, weightDecay }) {
  const { m, v, t } = state;
  return { w, m, v }; // TODO
}

l2Gradient([1, -2, 3], 0.01)
`;

const solution = `function l2Gradient(w, l2) {
  return w.map((x) => 2 * l2 * x);
}

function adamWStep(w, g, state, { lr, beta1, beta2, epsilon, weightDecay }) {
  const { t } = state;
  const m = state.m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);
  const v = state.v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i] * g[i]);
  const stepSize = lr * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t);
  const next = w.map((wi, i) => wi - lr * weightDecay * wi - stepSize * m[i] / (Math.sqrt(v[i]) + epsilon));
  return { w: next, m, v };
}

l2Gradient([1, -2, 3], 0.01)
`;

export const regularization: Exercise = {
  id: 'l2-adamw',
  functions: ['l2Gradient', 'adamWStep'],
  starter,
  hint: 'd/dw of l2·w² is 2·l2·w (no ½ in Keras). AdamW keeps the decay out of the moments: update m and v from g alone, then shrink w by lr·weightDecay·w beside the Adam step.',
  solution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const [l2, seed] of [
      [0.01, 1],
      [0.5, 2],
    ] as const) {
      const w = normalVector(100 + seed, 6);
      const p = param(w);
      sgd({ lr: 1, l2 }).step([p]);
      const grad = w.map((v, i) => v - p.value[i]);
      const name = `l2 = ${l2}`;
      const call = callReader(fns, 'l2Gradient', [copy(w), l2], name, context);
      if (call.failure) return [...results, call.failure];
      const half = (got: number[]) =>
        matches(
          w.map((v) => l2 * v),
          got,
        )
          ? "that is the gradient of ½·l2·Σw²; Keras's L2(l2) penalty is l2·Σw², whose gradient is 2·l2·w"
          : null;
      results.push(compareStage(name, 'gradient', expected(Float32Array.from(grad), 6), call.value, half));
    }
    const options = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.1 };
    const engine = param(normalVector(110, 5, 1, 0.5));
    const coupled = param(Array.from(engine.value));
    const optimizer = adamW(options);
    const coupledOptimizer = adam({ ...options, l2: options.weightDecay / 2 });
    let state = { w: Array.from(engine.value), m: [0, 0, 0, 0, 0], v: [0, 0, 0, 0, 0] };
    for (let t = 1; t <= 3; t++) {
      const name = `AdamW step ${t} (lr 0.01, weightDecay 0.1)`;
      const g = normalVector(120 + t, 5);
      engine.grad.set(g);
      optimizer.step([engine]);
      coupled.grad.set(g);
      coupledOptimizer.step([coupled]);
      const call = callReader(
        fns,
        'adamWStep',
        [copy(state.w), copy(g), { m: copy(state.m), v: copy(state.v), t }, { ...options }],
        name,
        context,
      );
      if (call.failure) return [...results, call.failure];
      const couplingHint = (got: number[]) =>
        matches(coupled.value, got)
          ? 'the decay went through m and v (that is Adam with L2); AdamW shrinks w directly: w ← w − lr·weightDecay·w, outside the moments'
          : null;
      const stage = compareStage(
        name,
        'w',
        expected(Float32Array.from(engine.value), 5),
        field(call.value, 'w', 'adamWStep'),
        couplingHint,
      );
      results.push(stage);
      if (!stage.pass) return results;
      const r = call.value as { w: number[]; m: number[]; v: number[] };
      state = { w: Array.from(engine.value), m: r.m, v: r.v };
    }
    return results;
  },
};
