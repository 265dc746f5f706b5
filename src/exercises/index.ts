/** Every code-cell exercise, by id (the `exercise` prop of `<CodeCell>`). */
import { bnBackward, bnBackwardCompact } from './bn-backward.ts';
import { bnEval } from './bn-eval.ts';
import { bnForward } from './bn-forward.ts';
import { clipping } from './clipping.ts';
import { dropoutExercise } from './dropout.ts';
import { gradCheck } from './grad-check.ts';
import { gnForward } from './group-norm.ts';
import { lnBackward, lnForward } from './layer-norm.ts';
import type { Exercise } from './exercise.ts';
import { regularization } from './regularization.ts';
import { spatialBn } from './spatial-bn.ts';

export const exercises: Readonly<Record<string, Exercise>> = Object.fromEntries(
  [
    bnForward,
    bnBackward,
    bnBackwardCompact,
    gradCheck,
    bnEval,
    dropoutExercise,
    regularization,
    clipping,
    spatialBn,
    lnForward,
    lnBackward,
    gnForward,
  ].map((e) => [e.id, e]),
);

export function exerciseById(id: string): Exercise {
  const e = exercises[id];
  if (!e) throw new RangeError(`code cell: unknown exercise '${id}', expected one of ${Object.keys(exercises).join(', ')}`);
  return e;
}
