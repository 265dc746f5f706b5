/**
 * Weight decay & L2 (lesson 6): does weight decay keep ReLU units from dying at a high learning rate?
 */
import type { DiagnosticsEvent } from '@engine/worker/protocol.ts';
import { percent, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict, type TraceSpec } from '../claim';
import { finalTrace } from './shared';

/** The share of the first ReLU layer's units that are 0 for every example of the frame's training batch. */
export function deadReluShare(frame: DiagnosticsEvent): number | null {
  return frame.layers.find((l) => l.dead !== undefined && l.dead !== null)?.dead ?? null;
}

const deadReluTrace: TraceSpec = { label: 'dead ReLU units', percent: true, read: deadReluShare };

/**
 * Does weight decay keep ReLUs from dying at a high learning rate? Rule: it does when a decay
 * arm ends with at least 5 points fewer dead units (on the last training batch) than the same
 * run without decay; it does not when none does (and the reason says whether decay left more).
 */
export function decideDeadRelus(runs: readonly ClaimRun[]): ClaimVerdict {
  const base = runs.find((r) => r.arm === 'adam');
  const decayed = runs.filter((r) => r.arm !== 'adam');
  const baseDead = base ? finalTrace(base) : null;
  if (!base || baseDead === null || decayed.some((r) => finalTrace(r) === null))
    return { outcome: 'does not hold here', condition: '', reason: 'A run recorded no dead-unit share, so there is nothing to compare.' };
  const label = (r: ClaimRun) => deadArms.find((a) => a.id === r.arm)?.label ?? r.arm;
  const acc = (r: ClaimRun) => (r.diverged ? 'diverged' : percent(r.result.validationAccuracy ?? 0));
  const said = `Dead ReLU units after the last step (0 on every example of the last training batch): ${[base, ...decayed].map((r) => `${label(r)} ${percent(finalTrace(r)!)} (validation ${acc(r)})`).join('; ')}.`;
  const fewer = decayed.filter((r) => finalTrace(r)! <= baseDead - 0.05);
  if (fewer.length > 0)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} ${fewer.map(label).join(' and ')} leave${fewer.length === 1 ? 's' : ''} at least 5 points fewer dead units.`,
    };
  const more = decayed.filter((r) => finalTrace(r)! >= baseDead + 0.05);
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} ${more.length > 0 ? `${more.map(label).join(' and ')} leave${more.length === 1 ? 's' : ''} more units dead, not fewer.` : 'Decay changes the dead share by less than 5 points.'}`,
  };
}

/** Arms of the high-learning-rate run: Adam at lr 0.03 alone, with L2 in the loss, and AdamW. */
const deadArms = [
  { id: 'adam', label: 'Adam', config: {} },
  { id: 'l2', label: 'Adam + L2 0.001', config: { l2: 0.001 } },
  { id: 'adamw', label: 'AdamW 0.1', config: { optimizer: 'adamw', weightDecay: 0.1 } },
] as const;

export const wdDeadRelus: ClaimExperiment = {
  name: 'wd-dead-relus',
  question: 'Does weight decay keep ReLU units from dying at a high learning rate?',
  settings:
    'The assignment’s network without dropout, Adam at learning rate 0.03 (30 times the default), batch 32, on the first 4,000 training images for 10 epochs: without decay, with L2 0.001 in the loss, and with AdamW weight decay 0.1. A hidden unit counts as dead when it outputs 0 for every image of a training batch (32 images).',
  plan: {
    widget: 'wd-dead-relus',
    base: { trainLimit: 4000, epochs: 10, dropout: 0, lr: 0.03 },
    arms: deadArms,
    axis: null,
    seeds: [1],
    record: { diagnostics: { intervalMs: 100, bins: 8 } },
    chart: 'curves',
  },
  measure: validation,
  decide: decideDeadRelus,
  trace: deadReluTrace,
};
