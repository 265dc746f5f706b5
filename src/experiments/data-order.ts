/**
 * The lecture notes' "mini-batches should be diverse" as an experiment on the kit (lesson 5, batch
 * size): the assignment's network trained on the same images in four orders (the engine's
 * `dataOrder`, engine/train/data-order.ts), without and with BN. Diverse batches: shuffled every
 * epoch (the default) and shuffled once. Batches of one class: sorted by class, and one class per
 * batch in a shuffled order of batches. Every run is tested in eval mode on the validation images
 * (BN with its moving averages), as a trained model is used.
 */
import { dataOrders, type DataOrder } from '@engine';
import { bnArms } from './axes';
import { percent, points, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from './claim';
import type { Axis } from './plan';

/** The orders as the chart reads them left to right: from the most diverse batches to the least. */
const orders: readonly { order: DataOrder; label: string; tick: string }[] = [
  { order: 'shuffle-each-epoch', label: 'shuffled every epoch', tick: 'shuffled' },
  { order: 'shuffle-once', label: 'shuffled once', tick: 'shuffled 1×' },
  { order: 'one-class-per-batch', label: 'one class per batch', tick: 'one class' },
  { order: 'sorted-by-class', label: 'sorted by class', tick: 'sorted' },
];

const entryOf = (value: unknown) => {
  const found = orders.find((o) => o.order === value);
  if (!found) throw new RangeError(`data order: expected one of ${dataOrders.join(', ')}, received ${String(value)}`);
  return found;
};

/** The chart's position of an order: 1 (shuffled every epoch) … 4 (sorted by class). */
export const orderPosition = (order: DataOrder): number => orders.indexOf(entryOf(order)) + 1;

export const dataOrderAxis: Axis = {
  key: 'dataOrder',
  label: 'order of the training images',
  values: orders.map((o) => o.order),
  format: (v) => entryOf(v).label,
  position: (v) => orderPosition(entryOf(v).order),
  scale: 'linear',
  tick: (x) => orders[x - 1]?.tick ?? '',
};

/** The orders whose batches hold one class, on trial against the default shuffle. */
const oneClassOrders: readonly DataOrder[] = ['one-class-per-batch', 'sorted-by-class'];

/** A one-class order "hurts" a model when its validation accuracy is this far or more below the shuffled run's (or it diverged). */
export const hurtThreshold = 0.05;

const models = [
  { arm: 'none', label: 'no BN' },
  { arm: 'batch', label: 'BN' },
] as const;

/**
 * Do mini-batches need to be diverse? Rule (its 5-point margin chosen after pilot runs on seeds 1–4,
 * as the lesson says): for each model (no BN, BN)
 * the reference is the run shuffled every epoch; a one-class order — sorted by class, or one
 * class per batch — hurts that model when its final validation accuracy (eval mode) is 5 points
 * or more below the reference, or the run diverged. Holds when both one-class orders hurt both
 * models; holds only when the orders and models that were hurt (named in the condition) when
 * some were; does not hold here when none was. The reason also gives shuffling once against every
 * epoch (no part of the rule: both give diverse batches) and, for each one-class run, its
 * training accuracy (train mode: the running mean over the last epoch, with BN on batch
 * statistics) beside its validation accuracy.
 */
export function decideDataOrder(runs: readonly ClaimRun[]): ClaimVerdict {
  const find = (order: DataOrder, arm: string) => runs.find((r) => r.position === orderPosition(order) && r.arm === arm);
  const acc = (r: ClaimRun | undefined) => (r && !r.diverged ? r.result.validationAccuracy : null);
  const refs = models.map((m) => ({ ...m, ref: acc(find('shuffle-each-epoch', m.arm)) }));
  const missing = refs.find((m) => m.ref === null);
  if (missing)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: `The ${missing.label} run shuffled every epoch diverged or is missing, so there is nothing to compare with.`,
    };
  const cells = oneClassOrders.flatMap((order) =>
    refs.map((m) => {
      const r = find(order, m.arm);
      const a = acc(r);
      return {
        order,
        model: m.label,
        run: r,
        acc: a,
        drop: a === null ? null : m.ref! - a,
        hurts: a === null || m.ref! - a >= hurtThreshold,
      };
    }),
  );
  const label = (order: DataOrder) => entryOf(order).label;
  const capitalize = (text: string) => text[0].toUpperCase() + text.slice(1);
  const shown = (a: number | null) => (a === null ? 'diverged or missing' : percent(a, 2));
  const once = refs.map((m) => {
    const a = acc(find('shuffle-once', m.arm));
    return `${m.label} ${shown(a)}${a === null ? '' : ` (${a >= m.ref! ? '+' : '−'}${points(Math.abs(a - m.ref!), 2)})`}`;
  });
  const said = [
    `Validation accuracy (eval mode) shuffled every epoch: ${refs.map((m) => `${m.label} ${percent(m.ref!, 2)}`).join(', ')}; shuffled once: ${once.join(', ')}.`,
    ...cells.map(
      (c) =>
        `${capitalize(label(c.order))}, ${c.model}: validation ${shown(c.acc)}${c.drop === null ? '' : ` (${c.drop >= 0 ? '−' : '+'}${points(Math.abs(c.drop), 2)})`}, training ${c.run?.result.trainAccuracy == null ? '—' : percent(c.run.result.trainAccuracy)}.`,
    ),
  ].join(' ');
  const hurt = cells.filter((c) => c.hurts);
  if (hurt.length === cells.length)
    return { outcome: 'holds', condition: '', reason: `${said} Both one-class orders cost both models 5 points or more.` };
  if (hurt.length === 0)
    return { outcome: 'does not hold here', condition: '', reason: `${said} No one-class order costs either model 5 points.` };
  const condition = oneClassOrders
    .flatMap((order) => {
      const by = hurt.filter((c) => c.order === order);
      if (by.length === 0) return [];
      return [by.length === models.length ? `batches are ${label(order)}` : `batches are ${label(order)} with ${by[0].model}`];
    })
    .join(', or ');
  return { outcome: 'holds only when', condition, reason: `${said} Only then does the order cost 5 points or more.` };
}

export const dataOrderExperiments: readonly ClaimExperiment[] = [
  {
    name: 'data-order',
    question: 'Do mini-batches need to be diverse? The same images shuffled, or one class per batch, without and with BN',
    settings:
      'The assignment’s network (Dense 128, ReLU, dropout 0.2; Adam at learning rate 0.001, batch 32) on the first 3,000 training images for 2 epochs, seed 1, in four orders: shuffled every epoch (the default), shuffled once, one class per batch (the batches in a new random order every epoch), and sorted by class (0s first, the same every epoch); each without and with BN. Validation accuracy is measured in eval mode (BN with its moving averages) on the 6,000 validation images.',
    plan: {
      widget: 'data-order',
      base: { trainLimit: 3000, epochs: 2 },
      arms: bnArms,
      axis: dataOrderAxis,
      seeds: [1],
      record: {},
      chart: 'sweep',
    },
    measure: validation,
    decide: decideDataOrder,
  },
];
