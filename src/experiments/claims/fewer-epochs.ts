/**
 * Claim 3: does BN reach a given validation accuracy in fewer epochs? Every target is compared,
 * none picked after the runs.
 */
import { bnArms } from '../axes';
import { validation, percent, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { byArm } from './shared';

/** Claim 3: the first epoch after which validation accuracy reaches `threshold`. */
export function epochsTo(run: ClaimRun, threshold: number): number | null {
  return run.epochs.find((e) => e.validation !== null && e.validation >= threshold)?.epoch ?? null;
}

/** An accuracy target as text: 92 %, 96.5 %. */
const target = (t: number) => `${Number((t * 100).toFixed(1))} %`;

/** The accuracy targets of claim 3's in-page plan: every one is compared, none picked after the runs. */
const epochsTargets: readonly number[] = [0.92, 0.93, 0.94, 0.95];

/**
 * Claim 3 at each target: BN is "sooner" when it reaches the target in fewer epochs (or reaches
 * it and the other does not). Holds when BN is sooner at some target and later at none; holds
 * only up to a target when it is sooner at the lower targets and later at higher ones.
 */
export function decideEpochs(runs: readonly ClaimRun[], targets: readonly number[] = epochsTargets): ClaimVerdict {
  const [none] = byArm(runs, 'none');
  const [bn] = byArm(runs, 'batch');
  if (!none || !bn) return { outcome: 'does not hold here', condition: '', reason: 'Both models must finish to compare them.' };
  const ep = (e: number | null) => (e === null ? 'not reached' : `epoch ${e}`);
  const rows = targets.map((t) => {
    const n = epochsTo(none, t);
    const b = epochsTo(bn, t);
    const sooner = b !== null && (n === null || b < n);
    const later = n !== null && (b === null || n < b);
    return { t, n, b, sooner, later };
  });
  const history = (r: ClaimRun) => r.epochs.map((e) => (e.validation === null ? '—' : percent(e.validation, 2))).join(', ');
  const said = `Epochs to reach each target (no BN / BN): ${rows.map((r) => `${target(r.t)}: ${ep(r.n)} / ${ep(r.b)}`).join('; ')}. Validation accuracy after each epoch: without BN (${history(none)}), with BN (${history(bn)}).`;
  const sooner = rows.filter((r) => r.sooner);
  const later = rows.filter((r) => r.later);
  if (sooner.length > 0 && later.length === 0)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} BN is sooner at ${sooner.map((r) => target(r.t)).join(', ')} and never later.`,
    };
  if (sooner.length > 0) {
    const top = Math.max(...sooner.map((r) => r.t));
    const condition = later.every((r) => r.t > top)
      ? `the target is ${target(top)} or lower`
      : `the target is one of ${sooner.map((r) => target(r.t)).join(', ')}`;
    return { outcome: 'holds only when', condition, reason: `${said} BN is later at ${later.map((r) => target(r.t)).join(', ')}.` };
  }
  return { outcome: 'does not hold here', condition: '', reason: `${said} BN reaches none of the targets sooner.` };
}

export const fewerEpochs: ClaimExperiment = {
  name: 'fewer-epochs',
  claim: 3,
  question: 'Does BN reach a given validation accuracy in fewer epochs?',
  settings: `The assignment’s network on the first 6,000 training images for 4 epochs, without and with BN; validation accuracy after every epoch, and the epochs each model needs to reach ${epochsTargets.map(target).join(', ')}.`,
  plan: {
    widget: 'claim-fewer-epochs',
    base: { trainLimit: 6000, epochs: 4 },
    arms: bnArms,
    axis: null,
    seeds: [1],
    record: {},
    chart: 'curves',
  },
  measure: validation,
  decide: decideEpochs,
};
