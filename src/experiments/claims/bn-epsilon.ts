/**
 * Claim 11, ε: when does BN's ε matter? The validation accuracy's range over ε at each batch size.
 */
import type { Axis } from '../plan';
import { validation, percent, points, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { accuracy, byArm, rangeAlong } from './shared';

/**
 * Claim 11, ε: the validation accuracy's range over ε at each batch size (the arms). ε matters at
 * a batch size when the range is over a point; "holds only when" names the batch sizes where it does.
 */
export function decideEpsilon(runs: readonly ClaimRun[]): ClaimVerdict {
  const arms = [...new Set(runs.map((r) => r.arm))];
  const rows = arms.map((arm) => {
    const r = rangeAlong(byArm(runs, arm));
    const moved = r ? accuracy(r.hi)! - accuracy(r.lo)! : 0;
    const each = [...byArm(runs, arm)]
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
      .map((x) => `ε ${x.position}: ${accuracy(x) === null ? 'diverged' : percent(accuracy(x)!, 2)}`);
    return { arm, moved, best: r ? r.hi.position : null, text: `${arm}: ${each.join(', ')} (range ${points(moved)})` };
  });
  const said = `Validation accuracy by ε — ${rows.map((r) => r.text).join('; ')}.`;
  const matters = rows.filter((r) => r.moved > 0.01);
  if (matters.length === 0)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: `${said} ε moves the accuracy by less than a point at every batch size.`,
    };
  if (matters.length === rows.length)
    return { outcome: 'holds', condition: '', reason: `${said} ε moves the accuracy by more than a point at every batch size tried.` };
  return {
    outcome: 'holds only when',
    condition: `batches are as small as ${matters.map((r) => r.arm).join(', ')}`,
    reason: `${said} ε matters at ${matters.map((r) => `${r.arm} (best ε ${r.best})`).join(', ')} and moves the accuracy by less than a point at ${rows
      .filter((r) => r.moved <= 0.01)
      .map((r) => r.arm)
      .join(', ')}.`,
  };
}

/** Claim 11's other axis: ε. */
const epsilonAxis: Axis = {
  key: 'epsilon',
  label: 'BN ε',
  values: [0.00001, 0.001, 0.1],
  format: (v) => `ε ${String(v)}`,
  position: Number,
  scale: 'log',
};

export const bnEpsilon: ClaimExperiment = {
  name: 'bn-epsilon',
  claim: 11,
  question: 'When does BN’s ε matter?',
  settings:
    'The assignment’s network with BN on the first 2,000 training images for 1 epoch, ε = 0.00001, 0.001 and 0.1, at batch 2 and at batch 32.',
  plan: {
    widget: 'claim-bn-epsilon',
    base: { norm: 'batch', epochs: 1, trainLimit: 2000 },
    arms: [
      { id: 'batch 2', label: 'batch 2', config: { batchSize: 2 } },
      { id: 'batch 32', label: 'batch 32', config: { batchSize: 32 } },
    ],
    axis: epsilonAxis,
    seeds: [1],
    record: {},
    chart: 'sweep',
  },
  measure: validation,
  decide: decideEpsilon,
};
