/**
 * Lesson 14's second ConvNet question: at the default settings (Adam 1e-3, batch 32, 1 epoch),
 * does BN put the small ConvNet ahead on every seed? Seeds 1–3, without and with BN, each pair
 * from the same initial weights and data order; the independent reference's test accuracies
 * (src/measurements/convnet.ts) stand beside the page's. The verdict rule below was written before
 * any run and reads only the finished runs.
 */
import type { TrainConfig } from '@engine';
import { bnArms } from '../axes';
import { percent, points, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';

export const convnetSeeds = [1, 2, 3] as const;

/**
 * The claim: "after one epoch at the default settings, BN makes the ConvNet more accurate."
 * Rule (fixed before any run), on final validation accuracy (eval mode) per seed: holds when BN
 * is ahead of no BN on every seed; does not hold here when no BN is ahead or level on any seed, or
 * a run diverged or is missing. The reason gives each seed's pair, the mean gain and, beside it,
 * the largest spread between one model's seeds (no part of the rule: it says how large a gain the
 * seeds alone make).
 */
export function decideConvnetSeeds(runs: readonly ClaimRun[]): ClaimVerdict {
  const seeds = [...new Set(runs.map((r) => r.seed).filter((s): s is number => s !== null))].sort((a, b) => a - b);
  const acc = (seed: number, arm: string) => {
    const r = runs.find((x) => x.seed === seed && x.arm === arm);
    return r && !r.diverged ? r.result.validationAccuracy : null;
  };
  const pairs = seeds.map((seed) => ({ seed, none: acc(seed, 'none'), batch: acc(seed, 'batch') }));
  const broken = pairs.find((p) => p.none === null || p.batch === null);
  if (seeds.length === 0 || broken)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: broken ? `A run of seed ${broken.seed} diverged or is missing, so that seed has no pair to compare.` : 'No run finished.',
    };
  const gains = pairs.map((p) => p.batch! - p.none!);
  const mean = gains.reduce((s, g) => s + g, 0) / gains.length;
  const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
  const seedSpread = Math.max(spread(pairs.map((p) => p.none!)), spread(pairs.map((p) => p.batch!)));
  const said = `Validation accuracy (eval mode): ${pairs
    .map((p) => `seed ${p.seed} no BN ${percent(p.none!, 2)}, BN ${percent(p.batch!, 2)}`)
    .join('; ')}. Mean gain ${mean >= 0 ? '+' : '−'}${points(Math.abs(mean), 2)}; one model's seeds span up to ${points(seedSpread, 2)}.`;
  const behind = pairs.filter((p) => p.batch! <= p.none!).map((p) => p.seed);
  if (behind.length === 0) return { outcome: 'holds', condition: '', reason: `${said} BN is ahead on every seed.` };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} BN is not ahead on seed${behind.length > 1 ? 's' : ''} ${behind.join(', ')}.`,
  };
}

/** `scope` tells the quick plan from the full one wherever only the question is shown (the embed catalogue's headings). */
function seedsPlan(name: string, base: Partial<TrainConfig>, scope: string, settings: string): ClaimExperiment {
  return {
    name,
    question: `At the default settings, is the ConvNet with BN ahead after one epoch on every seed (${scope})?`,
    settings,
    plan: {
      widget: name,
      base: { model: 'cnn', epochs: 1, ...base },
      arms: bnArms,
      axis: null,
      seeds: convnetSeeds,
      record: {},
      chart: 'curves',
    },
    measure: validation,
    decide: decideConvnetSeeds,
  };
}

const model =
  'The ConvNet Conv 3×3 × 8 → [BN] → ReLU → max-pool → Conv 3×3 × 16 → [BN] → ReLU → max-pool → Dense 10, Adam at learning rate 0.001, batch 32, 1 epoch, seeds 1, 2 and 3, each without and with BN (6 runs);';
const where = 'validation accuracy in eval mode on the 6,000 validation images, test accuracy on the 10,000 test images.';

export const convnetSeedsFull = seedsPlan('convnet-seeds', {}, 'all 54,000 images', `${model} all 54,000 training images; ${where}`);
export const convnetSeedsQuick = seedsPlan(
  'convnet-seeds-quick',
  { trainLimit: 1000 },
  'quick: the first 1,000 images',
  `${model} the first 1,000 training images (32 steps); ${where}`,
);
