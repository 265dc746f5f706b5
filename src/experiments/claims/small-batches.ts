/**
 * Claim 10: does BN fall behind at very small batches?
 */
import { axisOf, bnArms } from '../axes';
import { validation, points, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { accuracy } from './shared';

/** Claim 10: BN's lead (or lag) at each batch size; the claim holds when the smallest batch costs BN more than the largest. */
export function decideBatchSizes(runs: readonly ClaimRun[]): ClaimVerdict {
  const sizes = [...new Set(runs.map((r) => r.position ?? 0))].sort((a, b) => a - b);
  const gap = (size: number) => {
    const acc = (arm: string) => accuracy(runs.find((r) => r.arm === arm && r.position === size)!) ?? 0;
    return acc('batch') - acc('none');
  };
  const gaps = sizes.map((s) => ({ size: s, gap: gap(s) }));
  const said = `BN minus no BN, validation accuracy: ${gaps.map((g) => `batch ${g.size}: ${g.gap >= 0 ? '+' : ''}${points(g.gap)}`).join('; ')}.`;
  const smallest = gaps[0];
  const largest = gaps[gaps.length - 1];
  // BN is sensitive to batch size when it loses more than a point of its standing at the smallest batch.
  if (smallest.gap < largest.gap - 0.01) {
    const fine = gaps.filter((g) => g.gap >= largest.gap - 0.01).map((g) => g.size);
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} BN loses ground at batch ${smallest.size}${fine.length > 0 ? ` and keeps up from batch ${Math.min(...fine)}` : ''}.`,
    };
  }
  return { outcome: 'does not hold here', condition: '', reason: `${said} BN does not fall behind at the small batches here.` };
}

export const smallBatches: ClaimExperiment = {
  name: 'small-batches',
  claim: 10,
  question: 'Does BN fall behind at very small batches?',
  settings: 'The assignment’s network at batch sizes 2, 8 and 32, 1 epoch on the first 2,000 training images, without and with BN.',
  plan: {
    widget: 'claim-small-batches',
    base: { epochs: 1, trainLimit: 2000 },
    arms: bnArms,
    axis: axisOf('batch', [2, 8, 32]),
    seeds: [1],
    record: {},
    chart: 'sweep',
  },
  measure: validation,
  decide: decideBatchSizes,
};
