/**
 * Words for runs, shared by the experiment widgets: one progress line per run, seconds and
 * sizes for people, and the newest saved group of runs a widget made (to re-plot after reload).
 */
import type { RunRecord } from '@client/run-record';
import type { QueueEntry, SweepResult } from '@experiments/queue';

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "epoch 2/5 · step 1,200/8,440 · 11,800 images/s · about 40 s left", or how the run ended. */
export function progressLine(record: RunRecord): string {
  const info = record.info;
  const last = record.progress.at(-1);
  switch (record.state) {
    case 'starting':
      return 'starting…';
    case 'interrupted':
      return `interrupted (the tab closed) after ${formatCount(last?.step ?? 0)} steps`;
    case 'diverged':
      return `diverged at step ${formatCount(record.summary?.diverged?.step ?? record.summary?.steps ?? 0)}`;
    case 'failed':
      return `failed: ${record.summary?.error ?? 'unknown error'}`;
    case 'stopped':
      return `stopped after ${formatCount(record.summary?.steps ?? last?.step ?? 0)} steps`;
    case 'finished':
      return `finished: ${record.epochs.length} epoch${record.epochs.length === 1 ? '' : 's'} in ${formatSeconds(record.summary?.seconds ?? 0)}`;
    case 'running':
    case 'paused': {
      if (!info || !last) return record.state === 'paused' ? 'paused' : 'running…';
      const epochs = record.config.epochs;
      const epoch = Math.min(
        epochs,
        Math.floor(last.step / info.stepsPerEpoch) + (last.step % info.stepsPerEpoch === 0 && last.step > 0 ? 0 : 1),
      );
      const parts = [`epoch ${epoch}/${epochs}`, `step ${formatCount(last.step)}/${formatCount(info.totalSteps)}`];
      if (record.samplesPerSecond > 0) parts.push(`${formatCount(record.samplesPerSecond)} images/s`);
      if (record.etaSeconds !== null && record.state === 'running') parts.push(`about ${formatSeconds(record.etaSeconds)} left`);
      return `${record.state === 'paused' ? 'paused · ' : ''}${parts.join(' · ')}`;
    }
  }
}

/** Steps taken so far: the summary's count once the run ended, else the latest progress point's. */
export function currentStep(record: RunRecord): number {
  return record.summary?.steps ?? record.progress.at(-1)?.step ?? 0;
}

/** Fraction of the run's steps done, for a <progress> element. */
export function progressFraction(record: RunRecord): number {
  if (record.state === 'finished') return 1;
  const total = record.info?.totalSteps ?? 0;
  return total > 0 ? Math.min(1, currentStep(record) / total) : 0;
}

/** The runs of the newest group (runs a widget made together), oldest first; [] when there is none. */
export function newestGroup(records: readonly RunRecord[]): RunRecord[] {
  const grouped = records.filter((r) => r.group !== null);
  if (grouped.length === 0) return [];
  const newest = grouped.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
  return grouped.filter((r) => r.group === newest.group).sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * A queue entry in words: 'pending', 'running: <progress>', 'done: 97.12 % validation, 1.2 s per
 * epoch' (or the plan's own measure, `measured`), 'failed: <why>', 'cancelled'.
 */
export function entryText(entry: QueueEntry, progress: string | null, measured = validationText): string {
  switch (entry.state) {
    case 'pending':
      return 'pending';
    case 'running':
      return `running: ${progress ?? 'starting…'}`;
    case 'done': {
      const time = entry.result?.secondsPerEpoch != null ? `, ${formatSeconds(entry.result.secondsPerEpoch)} per epoch` : '';
      return `done: ${measured(entry.result)}${time}`;
    }
    case 'failed':
      return `failed: ${entry.error ?? 'unknown reason'}`;
    case 'cancelled':
      return entry.error ? `cancelled (${entry.error})` : 'cancelled';
  }
}

function validationText(r: SweepResult | null): string {
  return r?.validationAccuracy != null ? `${(r.validationAccuracy * 100).toFixed(2)} % validation` : 'no validation';
}
