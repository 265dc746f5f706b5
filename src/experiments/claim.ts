/**
 * A claim of the assignment put on trial: the question in words, a plan on the experiment kit
 * (arms × at most one axis × seeds), which measurement the chart shows, and a verdict function
 * that sees the finished runs only. `claimVerdict` turns a plan's queue into the runs a verdict
 * function reads, and keeps the answer 'pending' while any run is still going — the verdict is
 * computed from what the runs measured, never written in advance.
 */
import type { EpochPoint } from '@client/run-record';
import type { EnsembleResult } from '@engine/train/dropout-ensemble.ts';
import type { IntensityChange, IntensityResult } from '@engine/train/intensity.ts';
import type { DiagnosticsEvent } from '@engine/worker/protocol.ts';
import { verdictOf, type ExperimentPlan, type Verdict } from './plan';
import type { QueueEntry, SweepResult } from './queue';

/** What one finished run of a claim's plan measured. */
export interface ClaimRun {
  key: string;
  /** The arm's id ('none', 'batch') and its position on the axis (null without an axis). */
  arm: string;
  position: number | null;
  seed: number | null;
  /** The run blew up (a batch loss above the divergence limit): a measured outcome, not a missing one. */
  diverged: boolean;
  result: SweepResult;
  /** Training (running mean) and validation accuracy after each completed epoch. */
  epochs: readonly { epoch: number; train: number; validation: number | null }[];
  /** Mean gradient norm of each Dense kernel over the recorded diagnostics frames, input to output; [] when none were recorded. */
  kernelGradNorms: readonly number[];
  /** Per diagnostics frame, the pooled mean and standard deviation of every layer's output over that step's batch (plans that record diagnostics). */
  outputFrames?: readonly OutputFrame[];
  /** The trained model tested on intensity-changed test images (plans with an intensity probe). */
  intensity?: readonly IntensityResult[];
  /** The trained model as an ensemble of sampled dropout masks (plans with an ensemble probe). */
  ensemble?: EnsembleResult;
  /** The experiment's trace (its `trace.read` of every diagnostics frame) in step order; the last point is the run's final step. Empty or absent without a trace. */
  trace?: readonly TracePoint[];
  /** The loss of the first mini-batch, computed with the initial weights (null when the first step was not recorded). */
  initialLoss?: number | null;
}

/** One value of a trace: after `step` training steps, `epoch` (fractional) epochs. */
export interface TracePoint {
  step: number;
  epoch: number;
  value: number;
}

/** A quantity read from each diagnostics frame of a run and drawn over the epochs, one line per run. */
export interface TraceSpec {
  /** Axis title, e.g. 'weight norm ‖W‖'. */
  label: string;
  percent: boolean;
  /** The value of one frame, or null when the frame does not carry it. */
  read: (frame: DiagnosticsEvent) => number | null;
}

export interface OutputFrame {
  step: number;
  /** Per layer: kind, the pooled mean and spread of its outputs, and (sigmoid and tanh layers) the share in the flat tails, else null. */
  layers: readonly { kind: string; mean: number; std: number; saturated?: number | null }[];
}

export type ClaimOutcome = 'holds' | 'holds only when' | 'does not hold here';

export interface ClaimVerdict {
  outcome: ClaimOutcome;
  /** The condition after "holds only when …" (empty otherwise). */
  condition: string;
  /** The measured numbers the verdict rests on, in one or two sentences. */
  reason: string;
}

export interface ClaimExperiment {
  /** The name a page uses: `<Experiment plan="bn-accuracy" />`. */
  name: string;
  /** The claim's number in issue 11's list; absent for a lesson's own question. */
  claim?: number;
  /** The question the button answers. */
  question: string;
  /** The settings in words, as the reader would set them by hand. */
  settings: string;
  plan: ExperimentPlan;
  /** The quantity the sweep chart shows and the queue reports per run. */
  measure: { label: string; read: (r: SweepResult) => number | null; percent: boolean };
  /** The verdict from the finished runs (called only once every run has ended). */
  decide: (runs: readonly ClaimRun[]) => ClaimVerdict;
  /** After each run, test its trained model on the first `limit` test images changed each way (the plan must keep models). */
  intensityProbe?: { changes: readonly IntensityChange[]; batchSize: number; limit: number };
  /** After each run, compare its scaled network with the average of each K sampled dropout masks on the first `limit` test images (the plan must keep models and use dropout). */
  ensembleProbe?: { samples: readonly number[]; limit: number; seed: number };
  /** A per-frame quantity drawn over the epochs in a second chart (the plan must record diagnostics). */
  trace?: TraceSpec;
}

/** The measure most plans show: each run's final validation accuracy. */
export const validation: ClaimExperiment['measure'] = {
  label: 'validation accuracy (%)',
  read: (r: SweepResult) => r.validationAccuracy,
  percent: true,
};

/** Per-run extras the queue does not carry: epoch history and the mean kernel gradient norms. */
export interface RunExtras {
  seed: number | null;
  epochs: readonly EpochPoint[];
  kernelGradNorms: readonly number[];
  outputFrames?: readonly OutputFrame[];
  intensity?: readonly IntensityResult[];
  ensemble?: EnsembleResult;
  trace?: readonly TracePoint[];
  initialLoss?: number | null;
}

const isDiverged = (e: QueueEntry) => e.state === 'failed' && e.result !== null && (e.error ?? '').startsWith('diverged');

/**
 * The verdict on a plan's queue: pending while a run is pending or running; incomplete when one
 * was cancelled or failed for another reason than diverging; otherwise decided by `decide`.
 */
export function claimVerdict(
  experiment: ClaimExperiment,
  queue: readonly QueueEntry[],
  extras: (key: string) => RunExtras | undefined,
): Verdict<ClaimVerdict> {
  const entries = queue.map((e) => ({ key: e.key, state: isDiverged(e) ? 'done' : e.state, result: e.result === null ? null : e }));
  return verdictOf(entries, (results) =>
    experiment.decide(
      [...results.values()].map((e): ClaimRun => {
        const x = extras(e.key);
        return {
          key: e.key,
          arm: e.arm,
          position: e.position,
          seed: x?.seed ?? null,
          diverged: isDiverged(e),
          result: e.result!,
          epochs: (x?.epochs ?? []).map((p) => ({ epoch: p.epoch, train: p.train.accuracy, validation: p.validation?.accuracy ?? null })),
          kernelGradNorms: x?.kernelGradNorms ?? [],
          ...(x?.outputFrames ? { outputFrames: x.outputFrames } : {}),
          ...(x?.intensity ? { intensity: x.intensity } : {}),
          ...(x?.ensemble ? { ensemble: x.ensemble } : {}),
          trace: x?.trace ?? [],
          initialLoss: x?.initialLoss ?? null,
        };
      }),
    ),
  );
}

/** "holds", "holds only when batches have 8 or more examples", "does not hold here". */
export function verdictHeadline(v: ClaimVerdict): string {
  return v.outcome === 'holds only when' ? `holds only when ${v.condition}` : v.outcome;
}

export const percent = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`;
export const points = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} points`;
