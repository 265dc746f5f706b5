/**
 * Lesson 14's first ConvNet question: over a sweep of learning rates for plain SGD, where does the
 * small ConvNet (conv 8 → conv 16 → Dense 10, issue 17) train only with BN? The same network
 * without and with spatial BN (per channel over N·R·S values), from the same initial weights and
 * data order, at each rate. SGD without momentum, because Adam's per-weight step sizes hide most
 * of a rate's size (lesson 10). The verdict rule below was written before any run and reads only
 * the finished runs.
 */
import type { TrainConfig } from '@engine';
import { axisOf, bnArms } from '../axes';
import { percent, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';

/** The swept learning rates (a subset of the kit's grid). */
export const convnetRates = [0.01, 0.1, 1, 3] as const;

/** A model "trains" at a rate when its final validation accuracy is at least this (five times chance) and it did not diverge. */
export const trainsAbove = 0.5;

const labelOf = { none: 'no BN', batch: 'BN' } as const;

/**
 * The claim: "with SGD, BN lets the ConvNet train at learning rates where it cannot train
 * without BN." Rule (fixed before any run), at each learning rate, on final validation accuracy
 * (eval mode): a model trains when it reached at least 50 % and did not diverge. The rates where
 * BN trains and no BN does not are "only BN" rates. Holds only when the rate is one of those (the
 * condition names them); does not hold here when there are none. The reason gives every run's
 * accuracy, and names the rates where only no BN trains, if any (no part of the rule).
 */
export function decideConvnetLr(runs: readonly ClaimRun[]): ClaimVerdict {
  const rates = [...new Set(runs.map((r) => r.position).filter((p): p is number => p !== null))].sort((a, b) => a - b);
  const at = (rate: number, arm: 'none' | 'batch') => runs.find((r) => r.position === rate && r.arm === arm);
  const trains = (r: ClaimRun | undefined) => !!r && !r.diverged && (r.result.validationAccuracy ?? 0) >= trainsAbove;
  const shown = (r: ClaimRun | undefined) =>
    !r ? 'missing' : r.diverged ? 'diverged' : r.result.validationAccuracy === null ? '—' : percent(r.result.validationAccuracy, 2);
  if (rates.length === 0)
    return { outcome: 'does not hold here', condition: '', reason: 'No run finished, so there is nothing to compare.' };
  const said = `Validation accuracy by learning rate: ${rates
    .map((rate) => `${rate}: ${(['none', 'batch'] as const).map((arm) => `${labelOf[arm]} ${shown(at(rate, arm))}`).join(', ')}`)
    .join('; ')}.`;
  const onlyBn = rates.filter((rate) => trains(at(rate, 'batch')) && !trains(at(rate, 'none')));
  const onlyNone = rates.filter((rate) => trains(at(rate, 'none')) && !trains(at(rate, 'batch')));
  const also = onlyNone.length > 0 ? ` Only the model without BN trains at ${onlyNone.join(', ')}.` : '';
  const rule = `(a model trains when it reaches ${percent(trainsAbove, 0)} and does not diverge)`;
  if (onlyBn.length === 0)
    return { outcome: 'does not hold here', condition: '', reason: `${said} At no rate does only BN train ${rule}.${also}` };
  const list = onlyBn.length === 1 ? String(onlyBn[0]) : `${onlyBn.slice(0, -1).join(', ')} or ${onlyBn[onlyBn.length - 1]}`;
  return {
    outcome: 'holds only when',
    condition: `the learning rate is ${list}`,
    reason: `${said} Only BN trains at ${onlyBn.join(', ')} ${rule}.${also}`,
  };
}

/** `scope` tells the quick plan from the full one wherever only the question is shown (the embed catalogue's headings). */
function lrPlan(name: string, base: Partial<TrainConfig>, scope: string, settings: string): ClaimExperiment {
  return {
    name,
    question: `With plain SGD, at which learning rates does the ConvNet train only with BN (${scope})?`,
    settings,
    plan: {
      widget: name,
      base: { model: 'cnn', optimizer: 'sgd', epochs: 1, ...base },
      arms: bnArms,
      axis: axisOf('lr', convnetRates),
      seeds: [1],
      record: {},
      chart: 'sweep',
    },
    measure: validation,
    decide: decideConvnetLr,
  };
}

const model =
  'The ConvNet Conv 3×3 × 8 → [BN] → ReLU → max-pool → Conv 3×3 × 16 → [BN] → ReLU → max-pool → Dense 10, SGD without momentum, batch 32, 1 epoch, seed 1,';
const rates = `at learning rates ${convnetRates.join(', ')}, each without and with BN (8 runs); validation accuracy in eval mode on the 6,000 validation images.`;

export const convnetLr = lrPlan('convnet-lr', {}, 'all 54,000 images', `${model} all 54,000 training images, ${rates}`);
export const convnetLrQuick = lrPlan(
  'convnet-lr-quick',
  { trainLimit: 1000 },
  'quick: the first 1,000 images',
  `${model} the first 1,000 training images (32 steps), ${rates}`,
);
