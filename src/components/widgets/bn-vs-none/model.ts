/**
 * The BN-vs-none comparison without the DOM: settings (the shared architecture controls plus
 * images, epochs and seed), the experiment plan (two arms identical but for `norm`, so with one
 * seed they share the Dense initial weights and the data order, run one after another so each is
 * timed alone), the assignment's results table with its claims beside the measured numbers, the
 * Keras summaries, and BN's measured time (against its noise) and computed memory overhead. The
 * Astro component renders the not-yet-run state at build time; the custom element re-renders as
 * the runs report.
 */
import {
  bnMemory,
  modelSpec,
  parseTrainConfig,
  summarizeSpec,
  trainImages,
  type MemoryItem,
  type ModelSummary,
  type TrainConfig,
} from '@engine';
import type { Evaluation, InferenceStats } from '@engine/worker/protocol.ts';
import type { CurvePoint } from '@charts/compare-curves';
import { architectureConfig, architectureSchema, steppedParam } from '../run-controller/architecture';
import { bnArms } from '@experiments/axes';
import { accuracyLead } from '@experiments/claims/bn-accuracy';
import { compareTimes, expandPlan, type ExperimentPlan } from '@experiments/plan';
import { choiceParam, numberParam, type StateOf } from '../params';

export const widgetName = 'bn-vs-none';

export const schema = {
  ...architectureSchema,
  /** Training images (the first N of the 54,000 after the validation split). */
  images: steppedParam({ min: 500, max: trainImages, step: 500, default: 3000 }),
  epochs: numberParam({ min: 1, max: 10, default: 2, integer: true }),
  /** BN momentum (Keras direction): close to 1, the running averages follow slowly. */
  bnMomentum: choiceParam(['0.9', '0.99', '0.999'] as const, '0.99'),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

/** Presets: seconds on a subset, or the assignment as written (all images, 5 epochs). */
export const presets = {
  quick: { images: 3000, epochs: 2, label: 'Quick: 3,000 images, 2 epochs' },
  full: { images: trainImages, epochs: 5, label: 'Full: 54,000 images, 5 epochs' },
} as const;

export type Arm = 'none' | 'batch';
export const arms: readonly Arm[] = ['none', 'batch'];
export const armLabels: Record<Arm, string> = { none: 'no BN', batch: 'BN' };

/** The experiment: the chosen model with and without BN, one seed, no swept axis. */
export function comparisonPlan(state: State): ExperimentPlan {
  return {
    widget: widgetName,
    base: {
      ...architectureConfig(state),
      bnMomentum: Number(state.bnMomentum),
      trainLimit: state.images >= trainImages ? null : state.images,
      epochs: state.epochs,
    },
    arms: bnArms,
    axis: null,
    seeds: [state.seed],
    // The trained models stay in the worker, so the BN one can be tested three ways afterwards.
    record: { models: true },
    chart: 'curves',
    // The arms' times per epoch are compared: each run is timed alone.
    sequential: true,
  };
}

/** The two configurations, identical but for `norm` (throws, naming the arm, when the settings cannot run). */
export function runConfigs(state: State): Record<Arm, TrainConfig> {
  const [none, batch] = expandPlan(comparisonPlan(state)).map((e) => e.config);
  return { none, batch };
}

/** The Keras / PyTorch panel's run: the BN arm exactly as the comparison starts it, and how the other arm differs. */
export function panelRun(state: State): { config: TrainConfig; note: string } {
  return {
    config: runConfigs(state).batch,
    note: 'The BN run of this comparison. The no-BN run is the same code without the BatchNormalization layers.',
  };
}

/** The queue key of each arm's run (the kit names runs by arm label). */
export const armKeys: Record<Arm, string> = { none: 'no BN', batch: 'BN' };

/** Keras `model.summary()` of both models, from the engine's own layer plan (no weights built). */
export function summaries(state: State): Record<Arm, ModelSummary> {
  // Batch size does not change the model; 32 keeps batch-2-with-BN-style problems out of the summary.
  const config = (norm: Arm) => parseTrainConfig({ ...architectureConfig(state), batchSize: 32, norm });
  return { none: summarizeSpec(modelSpec(config('none'), 784, 10)), batch: summarizeSpec(modelSpec(config('batch'), 784, 10)) };
}

/** What one finished (or running) run contributes to the table. */
export interface RunOutcome {
  epochs: readonly { epoch: number; train: Evaluation; validation: Evaluation | null; seconds: number }[];
  test: Evaluation | null;
}

/** 'within noise': accuracies within claim 6's noise floor (accuracyLead); 'tie': losses equal as printed. */
export type Verdict = 'holds' | 'does not hold' | 'within noise' | 'tie' | 'pending';

export interface ResultRow {
  metric: string;
  /** What the assignment says will happen. */
  claim: string;
  /** The independent reference run's numbers, where it has them. */
  reference: string | null;
  none: number | null;
  batch: number | null;
  kind: 'accuracy' | 'loss';
  verdict: Verdict;
}

/** Reference: the same assignment in an independent framework, mean test accuracy over 3 seeds. */
export const referenceTestAccuracy: Record<Arm, number> = { none: 0.9772, batch: 0.9753 };

/** Shown rounded like this, so "tie" means "equal as printed". */
export function formatValue(kind: 'accuracy' | 'loss', value: number | null): string {
  if (value === null || !Number.isFinite(value)) return value === null ? '—' : String(value);
  return kind === 'accuracy' ? `${(value * 100).toFixed(2)} %` : value.toFixed(4);
}

/** Accuracy rows state claim 6 and are judged by its one rule (`accuracyLead`); loss rows as printed. */
function verdict(kind: 'accuracy' | 'loss', none: number | null, batch: number | null): Verdict {
  if (none === null || batch === null) return 'pending';
  if (kind === 'accuracy')
    return { ahead: 'holds', behind: 'does not hold', 'within noise': 'within noise' }[accuracyLead([none], [batch]).outcome] as Verdict;
  const a = formatValue(kind, none);
  const b = formatValue(kind, batch);
  if (a === b) return 'tie';
  return batch < none ? 'holds' : 'does not hold';
}

/**
 * The assignment's table (training and validation accuracy and loss after the last epoch) plus
 * the two claims it is usually asked to confirm: BN converges faster (higher validation accuracy
 * after the first epoch) and ends higher on the test set. Values show as they arrive; verdicts
 * only when `finished` (both runs ended as planned, see the kit's verdictOf).
 */
export function resultsTable(outcomes: Record<Arm, RunOutcome | null>, finished: boolean): ResultRow[] {
  const last = (arm: Arm) => outcomes[arm]?.epochs.at(-1) ?? null;
  const first = (arm: Arm) => outcomes[arm]?.epochs.find((e) => e.epoch === 1) ?? null;
  const row = (
    metric: string,
    claim: string,
    kind: 'accuracy' | 'loss',
    read: (arm: Arm) => number | null,
    reference: string | null = null,
  ): ResultRow => {
    const none = read('none');
    const batch = read('batch');
    // A claim is judged on finished runs only: mid-run numbers would flip as epochs end.
    return { metric, claim, reference, none, batch, kind, verdict: finished ? verdict(kind, none, batch) : 'pending' };
  };
  return [
    row('Training accuracy', 'higher with BN', 'accuracy', (a) => last(a)?.train.accuracy ?? null),
    row('Training loss', 'lower with BN', 'loss', (a) => last(a)?.train.loss ?? null),
    row('Validation accuracy', 'higher with BN', 'accuracy', (a) => last(a)?.validation?.accuracy ?? null),
    row('Validation loss', 'lower with BN', 'loss', (a) => last(a)?.validation?.loss ?? null),
    row(
      'Validation accuracy after epoch 1',
      'higher with BN (it converges faster)',
      'accuracy',
      (a) => first(a)?.validation?.accuracy ?? null,
    ),
    row(
      'Test accuracy',
      'higher with BN',
      'accuracy',
      (a) => outcomes[a]?.test?.accuracy ?? null,
      `no BN ${formatValue('accuracy', referenceTestAccuracy.none)}, BN ${formatValue('accuracy', referenceTestAccuracy.batch)}`,
    ),
  ];
}

/** Mean seconds per completed epoch, or null before the first one. */
export function meanEpochSeconds(outcome: RunOutcome | null): number | null {
  if (!outcome || outcome.epochs.length === 0) return null;
  return outcome.epochs.reduce((s, e) => s + e.seconds, 0) / outcome.epochs.length;
}

/** The memory BN adds to a training step of this model (none without BN): the engine's count, `bnMemory`. */
export function bnMemoryOf(config: TrainConfig): MemoryItem[] {
  if (config.norm !== 'batch') return [];
  return bnMemory(
    config.hidden.reduce((s, h) => s + h, 0),
    config.batchSize,
    config.optimizer === 'sgd' ? 1 : 2,
  );
}

/** Weights, gradients and optimizer slots of a model: what every training step keeps in memory. */
export function parameterMemory(summary: ModelSummary, config: TrainConfig): number {
  const slots = config.optimizer === 'sgd' ? 1 : 2;
  return summary.trainable * 4 * (2 + slots) + summary.nonTrainable * 4;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

export interface Overheads {
  /** BN's mean epoch time over the no-BN one, minus 1 (0.1 = 10 % slower); null until both have an epoch. */
  time: number | null;
  /** Whether that difference is within the timing noise (see compareTimes); null with `time`. */
  withinNoise: boolean | null;
  /** The relative noise the comparison allowed for. */
  noise: number | null;
  seconds: Record<Arm, number | null>;
  memoryBytes: number;
  /** BN's bytes over the no-BN model's weights + gradients + optimizer state. */
  memoryShare: number;
}

/** One arm's configuration for memory estimates (never throws: the controls' batch sizes all work with BN). */
export function armConfig(state: State, norm: Arm): TrainConfig {
  return parseTrainConfig({ ...architectureConfig(state), batchSize: Math.max(2, Number(state.batch)), norm });
}

export function overheads(state: State, outcomes: Record<Arm, RunOutcome | null>): Overheads {
  const config = (norm: Arm) => armConfig(state, norm);
  const seconds = { none: meanEpochSeconds(outcomes.none), batch: meanEpochSeconds(outcomes.batch) };
  const memoryBytes = bnMemoryOf(config('batch')).reduce((s, m) => s + m.bytes, 0);
  const base = parameterMemory(summaries(state).none, config('none'));
  // Claim 9's method: one time per run (its mean epoch). One run a side: the noise between runs is not known.
  const times = seconds.none === null || seconds.batch === null ? null : compareTimes([seconds.none], [seconds.batch]);
  return {
    time: times?.ratio ?? null,
    withinNoise: times?.withinNoise ?? null,
    noise: times?.noise ?? null,
    seconds,
    memoryBytes,
    memoryShare: memoryBytes / base,
  };
}

/** The one-line text summary under the table (verdict words only once both runs finished). */
export function summarize(rows: readonly ResultRow[], time: number | null, withinNoise: boolean | null = null): string {
  const validation = rows.find((r) => r.metric === 'Validation accuracy');
  if (!validation || validation.verdict === 'pending') {
    return 'Not run yet: start the comparison to measure both models on the same data, from the same initial weights.';
  }
  const v = (arm: Arm) => formatValue('accuracy', arm === 'none' ? validation.none : validation.batch);
  const said =
    validation.verdict === 'holds'
      ? 'BN ends higher, as the assignment claims'
      : validation.verdict === 'within noise'
        ? 'the two end within 0.2 points of each other'
        : 'BN does not end higher, contrary to the assignment’s claim';
  const speed =
    time === null ? '' : ` An epoch with BN took ${timeChange(time)}${withinNoise === true ? ', within the timing noise' : ''}.`;
  return `Validation accuracy: no BN ${v('none')}, BN ${v('batch')}; ${said} on this seed (a few tenths of a percent is within seed-to-seed noise).${speed}`;
}

/** What the curves need from a run record. */
export interface RunHistory {
  progress: readonly { epoch: number; loss: number; accuracy: number }[];
  epochs: RunOutcome['epochs'];
}

/** Training points drawn per run at most: a full run logs ~1,000, more than a 420-pixel chart shows. */
export const maxCurvePoints = 240;

/**
 * Every `stride`-th point plus each epoch's last one (the running mean's end value) and the newest,
 * so thinning keeps the epoch ends exact while cutting the drawing work.
 */
export function thinProgress<P extends { epoch: number }>(points: readonly P[], max = maxCurvePoints): P[] {
  if (points.length <= max) return [...points];
  const stride = Math.ceil(points.length / max);
  return points.filter(
    (p, i) => i % stride === 0 || i === points.length - 1 || Math.floor(points[i + 1].epoch - 1e-9) > Math.floor(p.epoch - 1e-9),
  );
}

/** Training points (live running means, thinned) and validation points (one per epoch) of both runs. */
export function curvePoints(histories: Record<Arm, RunHistory | null>, metric: 'loss' | 'accuracy'): CurvePoint[] {
  return arms.flatMap((arm) => {
    const h = histories[arm];
    if (!h) return [];
    const run = armLabels[arm];
    const train: CurvePoint[] = thinProgress(h.progress).map((p) => ({ run, split: 'train', epoch: p.epoch, value: p[metric] }));
    const validation: CurvePoint[] = h.epochs.flatMap((e) =>
      e.validation ? [{ run, split: 'validation' as const, epoch: e.epoch, value: e.validation[metric] }] : [],
    );
    return [...train, ...validation];
  });
}

/** One line under a curve chart: the latest training value and the latest validation value per run. */
export function curveSummary(histories: Record<Arm, RunHistory | null>, metric: 'loss' | 'accuracy'): string {
  const kind = metric;
  const parts = arms.flatMap((arm) => {
    const h = histories[arm];
    const p = h?.progress.at(-1);
    if (!h || !p) return [];
    const v = h.epochs.at(-1);
    const validation = v?.validation ? `, validation ${formatValue(kind, v.validation[metric])} after epoch ${v.epoch}` : '';
    return [`${armLabels[arm]}: training ${formatValue(kind, p[metric])} at epoch ${p.epoch.toFixed(1)}${validation}`];
  });
  return parts.length === 0 ? `No ${metric} measured yet.` : `${metric === 'loss' ? 'Loss' : 'Accuracy'} — ${parts.join('; ')}.`;
}

/** "12 % longer", "3 % less time", or "about as long (within 1 %)". */
export function timeChange(ratio: number): string {
  const percent = Math.round(Math.abs(ratio) * 100);
  if (percent < 1) return 'about as long (within 1 %)';
  return `${percent} % ${ratio > 0 ? 'longer' : 'less time'}`;
}

/** Test batch sizes for "forgot eval mode" (batch statistics at test time). */
export const inferenceBatchSizes = [1, 8, 256] as const;

/** The three ways as table rows, in the order the lesson discusses them. */
export function inferenceRows(s: InferenceStats): { key: string; how: string; accuracy: number }[] {
  return [
    { key: 'running', how: '(a) running averages (eval mode, as trained)', accuracy: s.running.accuracy },
    { key: 'recalibrated', how: '(b) recalibrated: one pass over the training set', accuracy: s.recalibrated.accuracy },
    ...s.batch.map((b) => ({
      key: `batch-${b.batchSize}`,
      how: `(c) batch statistics at test batch ${b.batchSize}`,
      accuracy: b.evaluation.accuracy,
    })),
  ];
}

/** Mean absolute difference between running and recalibrated statistics over all BN units. */
function meanGap(s: InferenceStats, stat: 'Mean' | 'Variance'): number {
  let sum = 0;
  let n = 0;
  for (const l of s.layers) {
    const a = l[`running${stat}`];
    const b = l[`recalibrated${stat}`];
    for (let i = 0; i < a.length; i++, n++) sum += Math.abs(a[i] - b[i]);
  }
  return n ? sum / n : NaN;
}

export function inferenceSummary(s: InferenceStats, bnMomentum: number): string {
  const a = s.running.accuracy;
  const b = s.recalibrated.accuracy;
  const points = (b - a) * 100;
  const lag =
    Math.abs(points) < 0.1
      ? 'the running averages have caught up: (a) and (b) agree within 0.1 points'
      : points > 0
        ? `the running averages lag: (a) is ${points.toFixed(2)} points below (b)`
        : `(a) is ${(-points).toFixed(2)} points above (b)`;
  const small = s.batch.find((x) => x.batchSize === 1);
  const one = small
    ? ` At test batch 1 every unit is normalized by its own value, leaving β: ${formatValue('accuracy', small.evaluation.accuracy)}.`
    : '';
  return `Test accuracy (a) ${formatValue('accuracy', a)}, (b) ${formatValue('accuracy', b)} with BN momentum ${bnMomentum}: ${lag}. Running and recalibrated statistics differ by ${meanGap(s, 'Mean').toFixed(3)} (mean) and ${meanGap(s, 'Variance').toFixed(3)} (variance) per unit on average.${one}`;
}
