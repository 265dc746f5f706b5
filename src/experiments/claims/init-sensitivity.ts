/**
 * Claim 7: is BN less sensitive to the scale of the initial weights?
 */
import { axisOf, bnArms } from '../axes';
import { validation, percent, points, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { byArm } from './shared';

/** Claim 7: how much the final accuracy moves across init scales, per model. */
export function decideInit(runs: readonly ClaimRun[]): ClaimVerdict {
  const range = (arm: string) => {
    const rs = byArm(runs, arm);
    const accs = rs.map((r) => (r.diverged ? 0 : (r.result.validationAccuracy ?? 0)));
    return { lo: Math.min(...accs), hi: Math.max(...accs) };
  };
  const none = range('none');
  const bn = range('batch');
  const said = `Across the init scales, validation accuracy ranges ${percent(none.lo)}–${percent(none.hi)} without BN (${points(none.hi - none.lo)}) and ${percent(bn.lo)}–${percent(bn.hi)} with BN (${points(bn.hi - bn.lo)}).`;
  // One point of accuracy is the rule's margin: smaller ranges differ by seed noise alone.
  if (bn.hi - bn.lo + 0.01 < none.hi - none.lo)
    return { outcome: 'holds', condition: '', reason: `${said} BN is less sensitive to the scale of the initial weights.` };
  return { outcome: 'does not hold here', condition: '', reason: `${said} The two are about equally sensitive.` };
}

export const initSensitivity: ClaimExperiment = {
  name: 'init-sensitivity',
  claim: 7,
  question: 'Is BN less sensitive to the scale of the initial weights?',
  settings:
    'The assignment’s network with its Glorot initial weights multiplied by 0.1, 1 and 10, 1 epoch on the first 4,000 training images, without and with BN.',
  plan: {
    widget: 'claim-init-sensitivity',
    base: { epochs: 1, trainLimit: 4000 },
    arms: bnArms,
    axis: axisOf('init', [0.1, 1, 10]),
    seeds: [1],
    record: {},
    chart: 'sweep',
  },
  measure: validation,
  decide: decideInit,
};
