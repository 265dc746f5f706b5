/**
 * BN taken apart (lesson 10, issue 21): which part of BN makes a deep network train — subtracting
 * the batch mean, dividing by the batch spread, or the learned γ and β? The same deep network
 * without BN, with full BN, and with each part alone (the engine's `bnAblation`,
 * engine/layers/batch-norm.ts), from the same initial weights and data order, on two deep presets
 * whose trouble differs: sigmoid (small gradients) and ReLU at a large step. The verdict rule
 * below was written before any run and reads only the finished runs.
 */
import type { BnAblation, TrainConfig } from '@engine';
import type { Arm } from './plan';
import { percent, points, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from './claim';
import { deep } from './claims/shared';

const labels: Record<BnAblation, string> = {
  full: 'full BN',
  center: 'centering only',
  scale: 'scaling only',
  'frozen-affine': 'γ, β frozen',
};

/** No BN, then the four BN variants, identical but for the normalization. */
export const ablationArms: readonly Arm[] = [
  { id: 'none', label: 'no BN', config: { norm: 'none' } },
  ...(['full', 'center', 'scale', 'frozen-affine'] as const).map((a) => ({
    id: a,
    label: labels[a],
    config: { norm: 'batch' as const, bnAblation: a },
  })),
];

/** Within this many points of full BN's validation accuracy, a variant "matches" it. */
export const matchPoints = 0.02;
/** Full BN must beat no BN by this much for there to be a gain to take apart. */
export const gainPoints = 0.05;

/**
 * The claim: "BN's gain here needs both of its parts — centering and scaling — and not its
 * learned γ and β." Rule (fixed before any run), on final validation accuracy (a diverged run
 * has none and matches nothing):
 * - there is a gain to explain only when full BN is at least 5 points above no BN; else the
 *   claim does not hold here (nothing to take apart);
 * - a variant matches full BN when it is within 2 points of it;
 * - holds when γ, β frozen matches full BN while centering only and scaling only both fall short;
 * - otherwise it does not hold here, and the reason names which part alone matched full BN, or
 *   that freezing γ and β fell short.
 */
export function decideBnAblation(runs: readonly ClaimRun[]): ClaimVerdict {
  const find = (id: string) => runs.find((r) => r.arm === id);
  const none = find('none');
  const full = find('full');
  const parts = (['center', 'scale', 'frozen-affine'] as const).map((id) => ({ id, run: find(id) }));
  if (!none || !full || parts.some((p) => !p.run))
    return { outcome: 'does not hold here', condition: '', reason: 'A run is missing, so there is nothing to compare.' };
  const acc = (r: ClaimRun) => (r.diverged ? null : r.result.validationAccuracy);
  const show = (r: ClaimRun) => (acc(r) === null ? 'diverged' : percent(acc(r)!, 2));
  const said = `Validation accuracy: no BN ${show(none)}, full BN ${show(full)}, ${parts.map((p) => `${labels[p.id]} ${show(p.run!)}`).join(', ')}.`;
  const fullAcc = acc(full);
  const noneAcc = acc(none) ?? 0;
  if (fullAcc === null || fullAcc < noneAcc + gainPoints)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: `${said} Full BN is not ${points(gainPoints, 0)} above no BN, so there is no gain to take apart.`,
    };
  const matches = (r: ClaimRun) => acc(r) !== null && acc(r)! >= fullAcc - matchPoints;
  const [center, scale, frozen] = parts.map((p) => matches(p.run!));
  const rule = `(a variant matches full BN within ${points(matchPoints, 0)})`;
  if (frozen && !center && !scale)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} With γ and β frozen the network matches full BN; centering alone and scaling alone both fall short ${rule}.`,
    };
  const alone = [center ? 'centering' : null, scale ? 'scaling' : null].filter(Boolean);
  const why = [
    alone.length > 0 ? `${alone.join(' and ')} alone already match${alone.length === 1 ? 'es' : ''} full BN` : null,
    frozen ? null : 'freezing γ and β falls short of full BN',
  ]
    .filter(Boolean)
    .join('; ');
  return { outcome: 'does not hold here', condition: '', reason: `${said} Here ${why} ${rule}.` };
}

function ablationPlan(name: string, network: string, preset: Partial<TrainConfig>, settings: string): ClaimExperiment {
  return {
    name,
    question: `On the ${network} network, does BN’s gain need both of its parts — centering and scaling — and not its learned γ and β?`,
    settings,
    plan: {
      widget: name,
      base: { hidden: deep, dropout: 0, epochs: 1, trainLimit: 4000, bnMomentum: 0.9, ...preset },
      arms: ablationArms,
      axis: null,
      seeds: [1],
      record: {},
      chart: 'curves',
    },
    measure: validation,
    decide: decideBnAblation,
  };
}

const common =
  'no dropout, batch 32, 1 epoch on the first 4,000 training images, seed 1; BN momentum 0.9 so the running statistics catch up within the 125 steps. Five runs from the same initial weights and data order: no BN, full BN, centering only (subtract the batch mean, no division), scaling only (divide by √(σ² + ε), σ² the batch variance about the mean, nothing subtracted), and full normalization with γ fixed at 1 and β at 0.';

export const bnAblation = ablationPlan(
  'bn-ablation',
  'deep sigmoid',
  { activation: 'sigmoid', optimizer: 'sgd', lr: 0.1 },
  `The deep sigmoid preset: 4 × 128 sigmoid, SGD at learning rate 0.1, ${common}`,
);

export const bnAblationRelu = ablationPlan(
  'bn-ablation-relu',
  'deep ReLU',
  { activation: 'relu', optimizer: 'sgd', lr: 1 },
  `The deep ReLU preset: 4 × 128 ReLU, SGD at learning rate 1, ${common}`,
);

export const bnAblationExperiments: readonly ClaimExperiment[] = [bnAblation, bnAblationRelu];
