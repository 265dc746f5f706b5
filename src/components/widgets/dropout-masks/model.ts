/**
 * The dropout-masks widget without the DOM. The classic network (784 → Dense 128 → ReLU →
 * Dropout → Dense 10, batch 32) trains with one dropout layer whose masks come from their own
 * seeded stream (`deriveSeed(seed, 2)`, apart from the initial weights and the order of images),
 * one draw per unit and image in every training step. So the masks a run with seed s draws do not
 * depend on the images or the weights, and the engine's dropout layer driven by that stream
 * reproduces them exactly: here, the mask of the first image of each of the first steps.
 */
import { createRandom, deriveSeed, dropout } from '@engine';
import { numberParam, sliderGrid, type StateOf } from '../params';

/** The classic network's hidden layer and batch. */
export const hiddenUnits = 128;
export const batchSize = 32;
/** The most steps the chart shows. */
export const maxSteps = 32;

/** The dropout-rate slider: 0 to 0.9 in steps of 0.05. */
export const rateSlider = { min: 0, max: 0.9, step: 0.05 };

export const schema = {
  rate: numberParam({ min: 0, max: 0.9, default: 0.5, grid: sliderGrid(rateSlider, (p) => Number(p.toFixed(2))) }),
  steps: numberParam({ min: 1, max: maxSteps, default: 12, integer: true }),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

/**
 * The masks of the first image of the batch at steps 1…`steps` of a run with `seed`: 1 = kept, 0 =
 * dropped. Drawn by the engine's dropout layer on a batch of ones, so a kept unit's output is the
 * scale 1/(1 − rate) itself.
 */
export function runMasks(s: Pick<State, 'rate' | 'steps' | 'seed'>): Uint8Array[] {
  const layer = dropout(s.rate, { random: createRandom(deriveSeed(s.seed, 2)) });
  const ones = new Float32Array(batchSize * hiddenUnits).fill(1);
  const masks: Uint8Array[] = [];
  for (let t = 0; t < s.steps; t++) {
    const y = layer.forward(ones, batchSize, 'train');
    masks.push(Uint8Array.from(y.subarray(0, hiddenUnits), (v) => (v === 0 ? 0 : 1)));
  }
  return masks;
}

export interface MaskStats {
  /** Units kept at each step. */
  kept: number[];
  /** (1 − rate)·H and the binomial standard deviation √(H·rate·(1 − rate)). */
  expected: number;
  sd: number;
  /** The factor a kept unit is multiplied by: 1/(1 − rate). */
  scale: number;
  /** Units dropped at every step shown (none, once enough steps are drawn). */
  alwaysDropped: number;
}

export function maskStats(masks: readonly Uint8Array[], rate: number): MaskStats {
  const kept = masks.map((m) => m.reduce((a, v) => a + v, 0));
  let alwaysDropped = 0;
  for (let h = 0; h < hiddenUnits; h++) if (masks.every((m) => m[h] === 0)) alwaysDropped++;
  return { kept, expected: (1 - rate) * hiddenUnits, sd: Math.sqrt(hiddenUnits * rate * (1 - rate)), scale: 1 / (1 - rate), alwaysDropped };
}

export const fmt = (x: number, digits = 2) => x.toFixed(digits);

export function summarize(s: State, st: MaskStats): string {
  const last = st.kept[st.kept.length - 1];
  const lo = Math.min(...st.kept);
  const hi = Math.max(...st.kept);
  if (s.rate === 0) return `Rate 0: every unit is kept at every step and multiplied by 1; dropout does nothing.`;
  return (
    `Rate ${fmt(s.rate)}: at step ${s.steps} the first image keeps ${last} of ${hiddenUnits} units; over ${s.steps} step${s.steps === 1 ? '' : 's'} between ${lo} and ${hi} ` +
    `(expected ${fmt(st.expected, 1)} ± ${fmt(st.sd, 1)}). Kept units are multiplied by 1/(1 − ${fmt(s.rate)}) = ${fmt(st.scale)}. ` +
    `${st.alwaysDropped === 0 ? 'No unit was dropped at every step shown.' : `${st.alwaysDropped} unit${st.alwaysDropped === 1 ? ' was' : 's were'} dropped at every step shown.`}`
  );
}
