/**
 * Exercise (dropout lesson): inverted dropout forward and backward with a seeded mask, and eval as the
 * identity, checked against the engine's `dropout` layer (engine/layers/dropout.ts) driven by the
 * same seeded generator: one random() per element in row-major order, a unit kept when
 * random() ≥ rate, kept units scaled by 1/(1 − rate).
 */
import { dropout } from '@engine/layers/dropout.ts';
import { createRandom } from '@engine/random.ts';
import { compareStage, matches, type StageResult } from './compare.ts';
import { callReader, field, type Exercise } from './exercise.ts';
import { copy, expected, normalMatrix, toFloat32 } from './inputs.ts';

const starter = `// x: N × H; rate: probability of dropping a unit; mode: 'train' or 'eval';
// random(): the seeded generator — call it once per element, row by row, and keep the unit when
// random() >= rate. Return y and whatever backward needs (the mask).
function dropoutForward(x, rate, mode, random) {
  const mask = x.map((row) => row.map(() => 1)); // TODO
  const y = x.map((row, n) => row.map((v, h) => v * mask[n][h]));
  return { y, mask };
}

function dropoutBackward(dy, mask) {
  return dy; // TODO
}
`;

const solution = `function dropoutForward(x, rate, mode, random) {
  if (mode === 'eval') return { y: x, mask: null };
  const mask = x.map((row) => row.map(() => (random() >= rate ? 1 / (1 - rate) : 0)));
  const y = x.map((row, n) => row.map((v, h) => v * mask[n][h]));
  return { y, mask };
}

function dropoutBackward(dy, mask) {
  return dy.map((row, n) => row.map((g, h) => g * mask[n][h]));
}
`;

export const dropoutExercise: Exercise = {
  id: 'dropout',
  functions: ['dropoutForward', 'dropoutBackward'],
  starter,
  hint: 'Inverted dropout scales in training, not in eval: a kept unit becomes x/(1 − rate), a dropped one 0, so the expected value stays x. Backward lets the gradient through the same mask, with the same scale. In eval, return x unchanged.',
  solution,
  check(fns, context) {
    const results: StageResult[] = [];
    for (const [i, [rate, n, h]] of (
      [
        [0.2, 6, 5],
        [0.5, 2, 8],
        [0.9, 4, 4],
      ] as const
    ).entries()) {
      const name = `rate ${rate}, ${n}×${h}, seed ${i + 1}`;
      const x = normalMatrix(70 + i, n, h);
      const dy = normalMatrix(80 + i, n, h);
      const layer = dropout(rate, { random: createRandom(i + 1) });
      const y = Float32Array.from(layer.forward(toFloat32(x), n, 'train'));
      const dx = Float32Array.from(layer.backward(toFloat32(dy)));
      const fwd = callReader(fns, 'dropoutForward', [copy(x), rate, 'train', createRandom(i + 1)], name, context);
      if (fwd.failure) return [...results, fwd.failure];
      const keep = x.flatMap((r, k) => r.map((v, j) => (y[k * h + j] !== 0 || v === 0 ? 1 : 0)));
      const diagnoseY = (got: number[]) => {
        if (
          matches(
            x.flat().map((v, k) => v * keep[k]),
            got,
          )
        )
          return 'kept units are not rescaled: inverted dropout multiplies them by 1/(1 − rate) in training';
        if (
          matches(
            x.flat().map((v, k) => v * keep[k] * (1 - rate)),
            got,
          )
        )
          return 'kept units are multiplied by (1 − rate); inverted dropout divides by it: x/(1 − rate)';
        const flipped = createRandom(i + 1);
        if (
          matches(
            x.flat().map((v) => (flipped() < rate ? v / (1 - rate) : 0)),
            got,
          )
        )
          return 'the mask is flipped: keep a unit when random() ≥ rate (keep probability 1 − rate)';
        return null;
      };
      results.push(compareStage(name, 'y', expected(y, n, h), field(fwd.value, 'y', 'dropoutForward'), diagnoseY));
      const mask = fwd.value && typeof fwd.value === 'object' ? (fwd.value as { mask?: unknown }).mask : undefined;
      const bwd = callReader(fns, 'dropoutBackward', [copy(dy), mask], name, context);
      if (bwd.failure) return [...results, bwd.failure];
      const diagnoseDx = (got: number[]) =>
        matches(
          dy.flat().map((v, k) => v * keep[k]),
          got,
        )
          ? 'the gradient needs the same 1/(1 − rate) scale as the forward'
          : null;
      results.push(compareStage(name, 'dx', expected(dx, n, h), bwd.value, diagnoseDx));
    }
    const x = normalMatrix(90, 3, 4);
    const ev = callReader(fns, 'dropoutForward', [copy(x), 0.5, 'eval', createRandom(9)], 'eval mode', context);
    if (ev.failure) return [...results, ev.failure];
    const identity = (got: number[]) =>
      matches(
        x.flat().map((v) => v * 0.5),
        got,
      )
        ? 'eval scaled by (1 − rate): with inverted dropout, eval is the identity'
        : 'in eval mode dropout is the identity: return x unchanged';
    results.push(compareStage('eval mode (rate 0.5)', 'y', expected(x.flat(), 3, 4), field(ev.value, 'y', 'dropoutForward'), identity));
    return results;
  },
};
