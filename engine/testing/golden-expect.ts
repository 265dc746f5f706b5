/** The comparison every golden test uses: the worst element, both values and the max |difference| on failure. */
import { expect } from 'vitest';

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Fails with the worst element, both values and the max |difference| when any element is out of tolerance. */
export function expectMatches(what: string, engine: ArrayLike<number>, reference: readonly number[], tol: Tolerance): void {
  expect(engine.length, `${what}: length`).toBe(reference.length);
  let worst = -1;
  let worstExcess = 0;
  let maxAbs = 0;
  for (let i = 0; i < reference.length; i++) {
    const diff = Math.abs(engine[i] - reference[i]);
    const excess = Number.isNaN(diff) ? Infinity : diff - (tol.atol + tol.rtol * Math.abs(reference[i]));
    maxAbs = Math.max(maxAbs, Number.isNaN(diff) ? Infinity : diff);
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  const detail = worst < 0 ? '' : ` — worst [${worst}]: engine ${engine[worst]}, reference ${reference[worst]}`;
  expect(worst, `${what}: max |engine − reference| = ${maxAbs.toExponential(2)}${detail}`).toBe(-1);
}

export const maxAbsOf = (values: readonly number[]) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
