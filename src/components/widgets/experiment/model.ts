/**
 * What the generic experiment element shows, without the DOM: a finished run's measure, the
 * chart's points (final values against the axis, or training curves per run), the status line
 * and the verdict's words. The verdict is computed by the plan's own function once every run has
 * ended (claim.ts `claimVerdict`), and reads 'pending' until then.
 */
import type { AxisSweepPoint } from '@charts/axis-sweep';
import type { CurvePoint } from '@charts/compare-curves';
import type { RunRecord } from '@client/run-record';
import { countStates, sweepPoints, type QueueEntry, type SweepResult } from '@experiments/queue';
import type { Verdict } from '@experiments/plan';
import { verdictHeadline, type ClaimExperiment, type ClaimVerdict } from '@experiments/claim';

/** How a finished run's measure reads in its queue entry, e.g. '91.23 % validation accuracy' (run-text's `entryText` adds the time). */
export function measuredText(experiment: ClaimExperiment): (result: SweepResult | null) => string {
  const m = experiment.measure;
  return (result) => {
    const value = result ? m.read(result) : null;
    const shown = value === null ? 'no result' : m.percent ? `${(value * 100).toFixed(2)} %` : value.toPrecision(3);
    return `${shown} ${m.label.replace(/ \(%\)$/, '')}`;
  };
}

/** Final values of finished runs against the axis, and a cross at the bottom for each run that diverged. */
export function axisPoints(queue: readonly QueueEntry[], experiment: ClaimExperiment): AxisSweepPoint[] {
  const failed = queue
    .filter((e) => e.state === 'failed' && e.position !== null)
    .map((e) => ({ x: e.position!, series: e.armLabel, value: null }));
  return [...sweepPoints(queue, experiment.measure.read), ...failed];
}

/** A sweep's trace against the axis: each finished run's last traced value (the value after its final step). */
export function finalTracePoints(
  queue: readonly QueueEntry[],
  traceOf: (key: string) => readonly { value: number }[] | undefined,
): AxisSweepPoint[] {
  return queue.flatMap((e) => {
    const trace = traceOf(e.key);
    if (e.state !== 'done' || e.position === null || !trace || trace.length === 0) return [];
    return [{ x: e.position, series: e.armLabel, value: trace[trace.length - 1].value }];
  });
}

/** The loss of a run's first mini-batch (its initial weights), when the record kept step 1; else null. */
export function firstBatchLoss(record: RunRecord | undefined): number | null {
  const first = record?.progress[0];
  return first && first.step === 1 && Number.isFinite(first.batchLoss) ? first.batchLoss : null;
}

/** Training accuracy (running mean, live) and validation accuracy (per epoch) of every started run, labelled by its entry. */
export function curvePointsOf(records: ReadonlyMap<string, RunRecord>): CurvePoint[] {
  return [...records].flatMap(([run, r]) => {
    const stride = Math.max(1, Math.ceil(r.progress.length / 200));
    const train = r.progress
      .filter((_, i) => i % stride === 0 || i === r.progress.length - 1)
      .map((p): CurvePoint => ({ run, split: 'train', epoch: p.epoch, value: p.accuracy }));
    const validation = r.epochs.flatMap((e): CurvePoint[] =>
      e.validation ? [{ run, split: 'validation', epoch: e.epoch, value: e.validation.accuracy }] : [],
    );
    return [...train, ...validation];
  });
}

/** "3 of 6 runs done, 1 running" — or, at the end, how the runs ended. */
export function statusLine(queue: readonly QueueEntry[], running: boolean): string {
  const c = countStates(queue);
  const ended = c.done + c.failed + c.cancelled;
  const extra = [c.failed > 0 ? `${c.failed} failed or diverged` : '', c.cancelled > 0 ? `${c.cancelled} cancelled` : '']
    .filter(Boolean)
    .join(', ');
  const one = queue.length === 1;
  if (!running && ended === 0)
    return one
      ? '1 run planned. Press start to train it in this page.'
      : `${queue.length} runs planned. Press start to train them in this page.`;
  if (running)
    return `${ended} of ${queue.length} ${one ? 'run' : 'runs'} ended${c.running > 0 ? ', 1 running' : ''}${extra ? ` (${extra})` : ''}.`;
  return `${one ? 'The run' : `All ${queue.length} runs`} ended${extra ? ` (${extra})` : ''}.`;
}

export const pendingVerdict = 'The verdict appears here once every run has finished.';

export function verdictText(verdict: Verdict<ClaimVerdict>): { outcome: string; text: string } {
  switch (verdict.state) {
    case 'pending':
      return { outcome: 'pending', text: pendingVerdict };
    case 'incomplete':
      return { outcome: 'incomplete', text: `No verdict: ${verdict.reason}. Start again to answer the question.` };
    case 'decided':
      return { outcome: verdict.value.outcome, text: `Verdict: ${verdictHeadline(verdict.value)}. ${verdict.value.reason}` };
  }
}
