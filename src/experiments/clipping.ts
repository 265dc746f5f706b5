/**
 * The lecture notes' claim "clipping prevents divergence" as an experiment on the kit (lesson 8,
 * gradient clipping). Three settings that go wrong without help — plain SGD at learning rates 2
 * and 10, Adam at 1 — each trained without and with the global gradient norm clipped at 1. The
 * verdict reads the finished runs only: which runs blew up (a batch loss above the divergence
 * limit), and which ended near chance without blowing up, with and without clipping.
 */
import type { TrainConfig } from '@engine';
import type { Arm } from './plan';
import { percent, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from './claim';

/** The global-norm threshold of the clipped arms. */
export const clipThreshold = 1;

/** The settings on trial: each is one pair of arms, identical but for clipping. */
export const clippingSettings: readonly { id: string; label: string; config: Partial<TrainConfig> }[] = [
  { id: 'sgd-2', label: 'SGD lr 2', config: { optimizer: 'sgd', lr: 2 } },
  { id: 'sgd-10', label: 'SGD lr 10', config: { optimizer: 'sgd', lr: 10 } },
  { id: 'adam-1', label: 'Adam lr 1', config: { optimizer: 'adam', lr: 1 } },
];

/** Arm ids: the setting's id, plus '-clip' for the clipped twin. */
export const clippingArms: readonly Arm[] = clippingSettings.flatMap((s) => [
  { id: s.id, label: s.label, config: s.config },
  { id: `${s.id}-clip`, label: `${s.label}, clipped`, config: { ...s.config, clipNorm: clipThreshold } },
]);

/** Above this validation accuracy a run has learned something (chance is 10 %). */
const learns = 0.5;

type Outcome = 'diverged' | 'near chance' | 'learns';

function outcomeOf(run: ClaimRun): Outcome {
  if (run.diverged) return 'diverged';
  return (run.result.validationAccuracy ?? 0) > learns ? 'learns' : 'near chance';
}

function describe(run: ClaimRun): string {
  const acc = run.result.validationAccuracy;
  if (run.diverged) return 'diverged';
  return acc === null ? 'no accuracy' : `${percent(acc)}${acc > learns ? '' : ' (near chance)'}`;
}

/**
 * Per setting: whether clipping kept a run that blew up from blowing up ("prevented"), whether
 * the run blew up all the same ("not prevented"), and whether it then learned. Holds when every
 * blow-up was prevented; holds only when the optimizer is SGD when exactly the SGD blow-ups were;
 * does not hold when none was (or nothing blew up, so the claim was never tested).
 */
export function decideClipping(runs: readonly ClaimRun[]): ClaimVerdict {
  const pairs = clippingSettings.flatMap((s) => {
    const plain = runs.find((r) => r.arm === s.id);
    const clipped = runs.find((r) => r.arm === `${s.id}-clip`);
    return plain && clipped ? [{ setting: s, plain, clipped }] : [];
  });
  if (pairs.length === 0)
    return { outcome: 'does not hold here', condition: '', reason: 'No setting finished both with and without clipping.' };
  const said = `Validation accuracy without / with clipping the global norm at ${clipThreshold}: ${pairs.map((p) => `${p.setting.label}: ${describe(p.plain)} / ${describe(p.clipped)}`).join('; ')}.`;
  const blewUp = pairs.filter((p) => outcomeOf(p.plain) === 'diverged');
  const prevented = blewUp.filter((p) => outcomeOf(p.clipped) !== 'diverged');
  const notPrevented = blewUp.filter((p) => outcomeOf(p.clipped) === 'diverged');
  const rescued = pairs.filter((p) => outcomeOf(p.plain) !== 'learns' && outcomeOf(p.clipped) === 'learns');
  const names = (ps: typeof pairs) => ps.map((p) => p.setting.label).join(' and ');
  const learnAfter = prevented.filter((p) => outcomeOf(p.clipped) !== 'learns');
  const notes = [
    rescued.length > 0 ? `Clipping turned ${names(rescued)} into a run that learns.` : '',
    learnAfter.length > 0 ? `${names(learnAfter)} no longer blew up with clipping, but did not learn either.` : '',
  ].filter(Boolean);
  if (blewUp.length === 0)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: `${said} No run blew up without clipping, so there was no divergence to prevent. ${notes.join(' ')}`.trim(),
    };
  if (notPrevented.length === 0)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} Every run that blew up without clipping did not with it. ${notes.join(' ')}`.trim(),
    };
  if (prevented.length === 0)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: `${said} ${names(notPrevented)} blew up with clipping too. ${notes.join(' ')}`.trim(),
    };
  const bySgd =
    prevented.every((p) => p.setting.config.optimizer === 'sgd') && notPrevented.every((p) => p.setting.config.optimizer !== 'sgd');
  const condition = bySgd ? 'the optimizer is plain SGD' : `the setting is ${names(prevented)}`;
  return {
    outcome: 'holds only when',
    condition,
    reason: `${said} ${names(notPrevented)} blew up with clipping too. ${notes.join(' ')}`.trim(),
  };
}

export const clippingExperiments: readonly ClaimExperiment[] = [
  {
    name: 'clipping-divergence',
    question: 'Does clipping the gradient prevent divergence?',
    settings: `The assignment’s network without BN (Dense 128, ReLU, dropout 0.2, batch 32) on the first 2,000 training images for 2 epochs: plain SGD at learning rates 2 and 10, and Adam at learning rate 1, each without and with the global gradient norm clipped at ${clipThreshold}, seed 1. A run “blows up” when a batch loss passes 1,000.`,
    plan: {
      widget: 'claim-clipping-divergence',
      base: { norm: 'none', trainLimit: 2000, epochs: 2 },
      arms: clippingArms,
      axis: null,
      seeds: [1],
      record: {},
      chart: 'curves',
    },
    measure: validation,
    decide: decideClipping,
  },
];
