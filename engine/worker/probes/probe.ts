/**
 * What a probe is: a test of an ended run's kept model that the worker runs in slices between
 * messages, like training. Each probe (one file beside this one, listed in index.ts) declares
 * the shape of its arguments (its `…Args` schema, which the protocol's `probe` request takes),
 * what the run must have, what it costs in multiply-adds (so a probe too large for the page is
 * refused before it starts, with the reason) and its run, a generator that yields after each
 * slice of work (engine/train/slices.ts).
 */
import type { Dataset } from '../../data/mnist.ts';
import type { Mlp } from '../../model/mlp.ts';
import type { TrainConfig } from '../../train/config.ts';
import type { Slices } from '../../train/slices.ts';
import type { ProbeArgs, ProbeKind, ProbeResultOf } from '../protocol.ts';

/** What a probe works on: the run's kept model, its configuration and its data. */
export interface ProbeContext {
  model: Mlp;
  config: TrainConfig;
  /** The run's training set (its trainLimit applied). */
  train: Dataset;
  test: Dataset;
  /** Rows per eval-mode pass, so a slice stays short for wide models (limits.ts `evaluationSliceRows`). */
  rows: number;
}

export interface Probe<K extends ProbeKind> {
  kind: K;
  /** What it is called in a refusal ("testing BN three ways"). */
  title: string;
  /** What the run needs besides a kept model (a run that finished or was stopped): BN layers, dropout, conv blocks (model 'cnn'). */
  needs: { bn?: true; dropout?: true; conv?: true };
  /** Multiply-adds of the whole probe on this model and data. */
  cost(context: ProbeContext, args: Extract<ProbeArgs, { kind: K }>): number;
  run(context: ProbeContext, args: Extract<ProbeArgs, { kind: K }>): Slices<ProbeResultOf<K>>;
}
