/**
 * "Internal covariate shift" made measurable: the distribution of a hidden Dense layer's input
 * (the previous block's output: after its activation, BN and dropout) as training changes the
 * layers below it. Ioffe & Szegedy (2015) name the shift; Santurkar et al. (2018,
 * https://arxiv.org/abs/1805.11604) argue it is not why BN helps.
 *
 * A snapshot is the mean m and standard deviation s of all N·H values of one training batch's
 * input to the layer, pooled over its H units. The drift of a series of snapshots taken during
 * training is the larger of
 *   |m_T − m_0| / s_0   (how far the mean moved) and   |s_T − s_0| / s_0   (how far the spread moved),
 * from the first snapshot (right after the first step) to the last, in units of the first spread:
 * 0 means the layer sees inputs with the same mean and spread at the end as at the start; 1 means
 * the mean or the spread moved by as much as the whole spread was at the start.
 */
import type { Mlp } from '../model/mlp.ts';

export interface InputSnapshot {
  step: number;
  mean: number;
  std: number;
}

export interface Drift {
  /** |m_T − m_0| / s_0 */
  mean: number;
  /** |s_T − s_0| / s_0 */
  spread: number;
  /** max(mean, spread) */
  drift: number;
}

/** The index in `model.layers` of the layer whose output is the input of Dense layer `k` (1-based, k ≥ 2). */
export function inputLayerOf(model: Mlp, k: number): number {
  const dense = model.layers.flatMap((l, i) => (l.layer.kind === 'Dense' ? [i] : []));
  if (!Number.isInteger(k) || k < 2 || k > dense.length)
    throw new RangeError(
      `inputLayerOf: k must be an integer in [2, ${dense.length}] (a Dense layer with a layer before it), received ${k}`,
    );
  return dense[k - 1] - 1;
}

/** Pooled mean and standard deviation of the last forward pass's input to Dense layer `k`. */
export function inputSnapshot(model: Mlp, k: number, step: number): InputSnapshot {
  const x = model.layers[inputLayerOf(model, k)].lastOutput();
  if (!x || x.length === 0) throw new RangeError(`inputSnapshot: Dense layer ${k} has no input yet; take a snapshot after a forward pass`);
  let sum = 0;
  let square = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i];
    square += x[i] * x[i];
  }
  const mean = sum / x.length;
  return { step, mean, std: Math.sqrt(Math.max(0, square / x.length - mean * mean)) };
}

/** The drift from the first snapshot to the last (see the file header); null with fewer than two or a zero first spread. */
export function drift(series: readonly { mean: number; std: number }[]): Drift | null {
  if (series.length < 2) return null;
  const first = series[0];
  const last = series[series.length - 1];
  if (!(first.std > 0) || ![first.mean, last.mean, last.std].every(Number.isFinite)) return null;
  const mean = Math.abs(last.mean - first.mean) / first.std;
  const spread = Math.abs(last.std - first.std) / first.std;
  return { mean, spread, drift: Math.max(mean, spread) };
}
