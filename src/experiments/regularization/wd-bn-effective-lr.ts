/**
 * Weight decay & L2 (lesson 6): before a BN layer, does weight decay change the effective learning
 * rate? The first layer's relative step ‖Δw‖/‖w‖ is drawn over the epochs.
 */
import type { DiagnosticsEvent } from '@engine/worker/protocol.ts';
import { percent, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict, type TraceSpec } from '../claim';

/** ‖Δw‖ / ‖w‖ of the first Dense kernel over the frame's step: the step size relative to the weights, which is what a layer before BN feels. */
export function firstKernelUpdateRatio(frame: DiagnosticsEvent): number | null {
  const kernel = frame.layers.find((l) => l.kind === 'Dense')?.params.find((p) => p.name === 'kernel');
  return kernel && Number.isFinite(kernel.updateRatio) ? kernel.updateRatio : null;
}

const updateRatioTrace: TraceSpec = { label: 'relative step ‖Δw‖/‖w‖, first layer', percent: false, read: firstKernelUpdateRatio };

/** Arms of the BN run under plain SGD: no decay, and L2 at two strengths. */
const bnDecayArms = [
  { id: 'none', label: 'SGD', config: {} },
  { id: 'l2-small', label: 'SGD + L2 0.0005', config: { l2: 0.0005 } },
  { id: 'l2', label: 'SGD + L2 0.005', config: { l2: 0.005 } },
] as const;

/** The mean of a run's trace over its second half (by step): single steps are noisy, half a run is not. */
export function lateMean(r: ClaimRun): number | null {
  const t = r.trace ?? [];
  if (t.length === 0) return null;
  const half = t[t.length - 1].step / 2;
  const late = t.filter((p) => p.step >= half);
  return late.reduce((s, p) => s + p.value, 0) / late.length;
}

/**
 * Decay on weights that feed BN: does it change the effective learning rate? Rule: holds when
 * the strongest decay's mean relative step over the second half of training is at least 1.5 ×
 * the undecayed run's (the layer's function is unchanged by the scale, so a larger relative step
 * is a larger effective learning rate); does not hold otherwise.
 */
export function decideBnDecay(runs: readonly ClaimRun[]): ClaimVerdict {
  const base = runs.find((r) => r.arm === 'none');
  const strongest = runs.find((r) => r.arm === 'l2');
  const b = base ? lateMean(base) : null;
  const s = strongest ? lateMean(strongest) : null;
  if (!base || !strongest || b === null || s === null || b <= 0)
    return { outcome: 'does not hold here', condition: '', reason: 'A run recorded no relative steps, so there is nothing to compare.' };
  const label = (r: ClaimRun) => bnDecayArms.find((a) => a.id === r.arm)?.label ?? r.arm;
  const acc = (r: ClaimRun) => (r.diverged ? 'diverged' : percent(r.result.validationAccuracy ?? 0));
  const said = `Mean relative step ‖Δw‖/‖w‖ of the first layer over the second half of training: ${runs.map((r) => `${label(r)} ${lateMean(r)?.toExponential(1) ?? '—'} (validation ${acc(r)})`).join('; ')}.`;
  const ratio = s / b;
  if (ratio >= 1.5)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} The strongest decay takes steps ${ratio.toFixed(1)} times as large relative to the weights, with the same learning rate.`,
    };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} The relative steps differ by a factor of ${ratio.toFixed(1)} only.`,
  };
}

export const wdBnEffectiveLr: ClaimExperiment = {
  name: 'wd-bn-effective-lr',
  question: 'Before a BN layer, does weight decay change the effective learning rate?',
  settings:
    'The assignment’s network with BN before the ReLU, no dropout, plain SGD at learning rate 0.1, batch 32, on the first 6,000 training images for 10 epochs: without decay and with L2 0.0005 and 0.005 in the loss. The relative step is ‖Δw‖/‖w‖ of the first Dense layer’s weights over one training step.',
  plan: {
    widget: 'wd-bn-effective-lr',
    base: { trainLimit: 6000, epochs: 10, dropout: 0, norm: 'batch', optimizer: 'sgd', lr: 0.1 },
    arms: bnDecayArms,
    axis: null,
    seeds: [1],
    record: { diagnostics: { intervalMs: 100, bins: 8 } },
    chart: 'curves',
  },
  measure: validation,
  decide: decideBnDecay,
  trace: updateRatioTrace,
};
