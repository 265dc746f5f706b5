/**
 * The table of probes the worker runs on an ended run's kept model, and the checks every probe
 * passes before it starts: the run kept its model (it finished or was stopped, so it neither
 * diverged nor failed), it has what the probe needs (BN layers, dropout, conv blocks), and the probe's cost is
 * within `maxProbeMacs`. A refusal names the reason; a probe that starts runs in slices between
 * messages and reports its progress, so it may take a while without the page thinking the worker
 * dead.
 *
 * `maxProbeMacs`: on this kind of machine (2 cores) the engine's eval-mode passes run at a few
 * G multiply-adds/s in Chromium, so a probe at the limit takes tens of seconds when the machine is
 * idle and minutes under load — the longest a reader should wait for one button. BN three ways
 * on 4 × 512 with 3,000 images costs 63 G; on 8 × 512 it costs at least 113 G (five passes over
 * the 10,000 test images alone) and is refused; the classic model with all 54,000 images costs
 * 11 G. Passes over batches of a few rows (batch statistics at batch 1) run several times slower
 * per multiply-add than the count says; the limit leaves room for it.
 */
import type { TrainConfig } from '../../train/config.ts';
import type { Slices } from '../../train/slices.ts';
import type { ProbeArgs, ProbeKind, ProbeResult, RunState } from '../protocol.ts';
import { dropoutEnsemble } from './dropout-ensemble.ts';
import { featureMapsProbe } from './feature-maps.ts';
import { inferenceStats } from './inference-stats.ts';
import { intensityTest } from './intensity-test.ts';
import type { Probe, ProbeContext } from './probe.ts';

export type { ProbeContext };

export const probes: { [K in ProbeKind]: Probe<K> } = {
  'inference-stats': inferenceStats,
  'intensity-test': intensityTest,
  'dropout-ensemble': dropoutEnsemble,
  'feature-maps': featureMapsProbe,
};

export const maxProbeMacs = 100e9;

/** The probe's work in slices; its result is the reply. */
export function runProbe(args: ProbeArgs, context: ProbeContext): Slices<ProbeResult> {
  return (probes[args.kind] as Probe<ProbeKind>).run(context, args as never);
}

/** Why the run cannot take this probe now ('bad-state'), or null. */
export function checkNeeds(kind: ProbeKind, run: { id: string; state: RunState; config: TrainConfig }): string | null {
  const probe = probes[kind];
  const named = `run '${run.id}'`;
  if (run.state !== 'finished' && run.state !== 'stopped')
    return `${probe.title} needs a run that finished or was stopped, with its trained weights; ${named} is ${run.state}`;
  if (probe.needs.bn && run.config.norm !== 'batch')
    return `${probe.title} needs BN layers; ${named} has none (norm '${run.config.norm}'), so there are no statistics to compare`;
  if (probe.needs.conv && run.config.model !== 'cnn')
    return `${probe.title} needs a ConvNet; ${named} is model '${run.config.model}', which has no conv blocks (train it with model 'cnn')`;
  if (probe.needs.dropout && !(run.config.dropout > 0))
    return `${probe.title} needs dropout; ${named} has none (rate ${run.config.dropout}), so there are no masks to sample`;
  return null;
}

/** The probe's cost, and why it is too large for the page ('too-large'), or null. */
export function checkCost(args: ProbeArgs, context: ProbeContext): { macs: number; refusal: string | null } {
  const probe = probes[args.kind] as Probe<ProbeKind>;
  const macs = probe.cost(context, args as never);
  const g = (n: number) => `${(n / 1e9).toFixed(n < 10e9 ? 1 : 0)} G`;
  const refusal =
    macs > maxProbeMacs
      ? `${probe.title} on this model needs about ${g(macs)} multiply-adds, more than the ${g(maxProbeMacs)} a probe may use in the page (about a minute or more); use a smaller model or fewer images, or the CLI (npm run train), which has no such limit`
      : null;
  return { macs, refusal };
}
