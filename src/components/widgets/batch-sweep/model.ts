/**
 * The batch-size sweep's settings and what is derived from them without the DOM: which batch
 * sizes and norms to run, each run's configuration (the classic assignment with one batch size),
 * and the one-line summaries under the two charts.
 */
import { parseTrainConfig, type TrainConfig } from '@engine';
import { choiceParam, numberParam, type Param, type StateOf } from '../params';
import { normLabels, type Norm, type QueueEntry } from './queue';

export const allBatchSizes = [16, 32, 64, 128, 256] as const;
export const trainImages = 54_000;

/** A subset of the sweep's batch sizes, written `16,64,256`; anything else falls back to the default. */
function batchSizesParam(fallback: readonly number[]): Param<number[]> {
  return {
    default: [...fallback],
    parse(raw) {
      if (raw == null || raw.trim() === '') return undefined;
      const sizes = raw.split(',').map((s) => Number(s.trim()));
      if (!sizes.every((s) => (allBatchSizes as readonly number[]).includes(s))) return undefined;
      return [...new Set(sizes)].sort((a, b) => a - b);
    },
    format: (sizes) => sizes.join(','),
  };
}

export const schema = {
  images: numberParam({ min: 500, max: trainImages, default: 3000, integer: true }),
  epochs: numberParam({ min: 1, max: 10, default: 1, integer: true }),
  sizes: batchSizesParam(allBatchSizes),
  norms: choiceParam(['both', 'none', 'batch'] as const, 'both'),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

export const presets = {
  quick: { images: 3000, epochs: 1, label: 'Quick: 3,000 images, 1 epoch per run' },
  full: { images: trainImages, epochs: 5, label: 'Full: 54,000 images, 5 epochs per run (several minutes)' },
} as const;

export function normsOf(state: State): Norm[] {
  return state.norms === 'both' ? ['none', 'batch'] : [state.norms];
}

/** The configuration of one queue entry: the classic assignment with this batch size and norm. */
export function entryConfig(state: State, entry: Pick<QueueEntry, 'batchSize' | 'norm'>): TrainConfig {
  return parseTrainConfig({
    norm: entry.norm,
    batchSize: entry.batchSize,
    epochs: state.epochs,
    seed: state.seed,
    trainLimit: state.images >= trainImages ? null : state.images,
  });
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)} %`;
}

/** "Best validation accuracy: BN at batch 32 (97.1 %); …" or a not-yet line. */
export function accuracySummary(queue: readonly QueueEntry[]): string {
  const done = queue.filter((e) => e.state === 'done' && e.result?.validationAccuracy != null);
  if (done.length === 0) return 'No finished runs yet: final validation accuracy per batch size appears here as runs finish.';
  const parts = (['none', 'batch'] as const).flatMap((norm) => {
    const mine = done.filter((e) => e.norm === norm);
    if (mine.length === 0) return [];
    const best = mine.reduce((a, b) => (b.result!.validationAccuracy! > a.result!.validationAccuracy! ? b : a));
    const worst = mine.reduce((a, b) => (b.result!.validationAccuracy! < a.result!.validationAccuracy! ? b : a));
    const range = mine.length > 1 ? `, lowest ${percent(worst.result!.validationAccuracy!)} at batch ${worst.batchSize}` : '';
    return [`${normLabels[norm]}: highest ${percent(best.result!.validationAccuracy!)} at batch ${best.batchSize}${range}`];
  });
  return `Final validation accuracy — ${parts.join('; ')} (${done.length} of ${queue.length} runs done).`;
}

export function timeSummary(queue: readonly QueueEntry[]): string {
  const done = queue.filter((e) => e.state === 'done' && e.result?.secondsPerEpoch != null);
  if (done.length === 0) return 'No finished runs yet: seconds per epoch per batch size appear here as runs finish.';
  const fastest = done.reduce((a, b) => (b.result!.secondsPerEpoch! < a.result!.secondsPerEpoch! ? b : a));
  const slowest = done.reduce((a, b) => (b.result!.secondsPerEpoch! > a.result!.secondsPerEpoch! ? b : a));
  const s = (e: QueueEntry) => `${e.result!.secondsPerEpoch!.toFixed(2)} s (${normLabels[e.norm]}, batch ${e.batchSize})`;
  return done.length === 1 ? `Time per epoch: ${s(fastest)}.` : `Time per epoch from ${s(fastest)} to ${s(slowest)}; smaller batches take more steps per epoch.`;
}
