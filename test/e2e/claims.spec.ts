/**
 * The claims lessons' experiment buttons (BN's promised benefits, and claim 10 of its costs and limits) in real Chromium on real MNIST, each with its short in-page
 * configuration: every button trains its plan's runs one after another, the verdict reads
 * "pending" until every run has ended, and the verdict that then appears agrees with the numbers
 * the queue shows — it is computed from the runs, not a sentence written in advance.
 */
import { expect, test } from './fixtures';
import { expectNoEarlyVerdict, runExperiment, valueOf as value } from './experiment-run';

const lesson = 'lessons/claims-on-trial/';
const costs = 'lessons/bn-costs-and-limits/';

/** The percentages a verdict quotes, in order. */
const quoted = (text: string) => [...text.matchAll(/(-?[\d.]+) %/g)].map((m) => Number(m[1]));
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

test.describe('the claims on trial: BN’s benefits, and batch size', () => {
  test.describe.configure({ timeout: 600_000 });

  test('the page renders every experiment as HTML first: question, settings, queue and a pending verdict', async ({ page }) => {
    await page.goto(lesson);
    const widgets = page.locator('nn-experiment');
    expect(await widgets.count()).toBeGreaterThanOrEqual(7);
    for (const w of await widgets.all()) {
      await expect(w.locator('.widget-title')).toContainText('Experiment: ');
      await expect(w.locator('[data-settings]')).toContainText('training images');
      expect(await w.locator('[data-queue] li').count()).toBeGreaterThanOrEqual(2);
      await expect(w.locator('[data-verdict]')).toHaveText('The verdict appears here once every run has finished.');
    }
  });

  test('the page keeps the old claim anchors: renumbered claims by a marker before their heading, moved ones by a linked note', async ({
    page,
  }) => {
    await page.goto(lesson);
    // The anchors of the single claims page before the split (issue 20), and where each now lives.
    const kept = [
      'claim-1-bn-reduces-internal-covariate-shift',
      'claim-2-bn-enables-higher-learning-rates-without-divergence',
      'claim-4-bn-mitigates-vanishing-and-exploding-gradients',
      'claim-7-bn-reduces-sensitivity-to-weight-initialization',
      'claim-3-bn-converges-in-fewer-epochs',
      'claim-5-bn-regularizes-and-reduces-overfitting',
      'claim-6-bn-improves-generalization-and-accuracy',
      'claim-13-the-assignments-results-table',
      'claim-8-bn-makes-the-network-robust-to-input-brightness-and-contrast',
    ];
    for (const id of kept) await expect(page.locator(`[id="${id}"]`), id).toHaveCount(1);
    const moved: Record<string, string> = {
      'claim-10-bn-is-sensitive-to-batch-size': 'bn-costs-and-limits/#claim-10-bn-is-sensitive-to-batch-size',
      'claim-9-bns-computational-overhead-is-small-it-costs-extra-memory':
        'bn-costs-and-limits/#claim-11-bns-computational-overhead-is-small-it-costs-extra-memory',
      'claim-11-bn-adds-hyperparameters-to-tune': 'bn-costs-and-limits/#claim-12-bn-adds-hyperparameters-to-tune',
      'claim-12-bn-is-hard-to-apply-to-recurrent-networks': 'bn-costs-and-limits/#claim-13-bn-is-hard-to-apply-to-recurrent-networks',
      'identical-mini-batches-block-backpropagation': 'backprop-through-bn/#identical-examples-in-a-batch',
    };
    for (const [id, target] of Object.entries(moved))
      await expect(page.locator(`[id="${id}"] a`), id).toHaveAttribute('href', `../${target}`);
    await page.locator('[id="claim-11-bn-adds-hyperparameters-to-tune"] a').click();
    await expect(page).toHaveURL(/bn-costs-and-limits\/#claim-12-bn-adds-hyperparameters-to-tune$/);
    await expect(page.locator('h2#claim-12-bn-adds-hyperparameters-to-tune')).toBeVisible();
  });

  test('claim 7, accuracy: the verdict quotes the mean of the seeds the queue shows', async ({ page }) => {
    await page.goto(lesson);
    const { seen, entries, verdict, outcome } = await runExperiment(page, 'bn-accuracy');
    expectNoEarlyVerdict(seen);
    expect(entries.map((e) => e.state)).toEqual(['done', 'done', 'done', 'done']);
    const bn = mean([value(entries, 'BN · seed 1'), value(entries, 'BN · seed 2')]);
    const none = mean([value(entries, 'no BN · seed 1'), value(entries, 'no BN · seed 2')]);
    const [qBn, qNone] = quoted(verdict);
    expect(Math.abs(qBn - bn)).toBeLessThanOrEqual(0.011);
    expect(Math.abs(qNone - none)).toBeLessThanOrEqual(0.011);
    expect(['holds', 'does not hold here']).toContain(outcome);
    for (const v of [bn, none]) expect(v).toBeGreaterThan(85);
  });

  test('claim 2, learning rates: only BN trains at lr 1, and the verdict names the largest rate each model trains at', async ({ page }) => {
    await page.goto(lesson);
    const { seen, entries, verdict, outcome } = await runExperiment(page, 'lr-headroom');
    expectNoEarlyVerdict(seen);
    const trainsAt = (arm: string) =>
      Math.max(
        ...entries
          .filter((e) => e.key.endsWith(` · ${arm}`) && e.state === 'done' && (e.value ?? 0) > 50)
          .map((e) => Number(/^lr ([\d.]+)/.exec(e.key)![1])),
      );
    expect(value(entries, 'lr 1 · BN')).toBeGreaterThan(80);
    expect(entries.find((e) => e.key === 'lr 1 · no BN')!.value ?? 0).toBeLessThan(50);
    expect(verdict).toContain(`without BN lr ${trainsAt('no BN')}, with BN lr ${trainsAt('BN')}`);
    expect(outcome).toBe(trainsAt('BN') > trainsAt('no BN') ? 'holds' : 'does not hold here');
  });

  test('claim 3, vanishing gradients: the verdict compares recorded per-layer gradient norms and quotes the accuracies shown', async ({
    page,
  }) => {
    await page.goto(lesson);
    const { seen, entries, verdict, outcome } = await runExperiment(page, 'vanishing-gradients');
    expectNoEarlyVerdict(seen);
    const fans = [...verdict.matchAll(/([\d,.]+)× with(out)? BN/g)].map((m) => Number(m[1].replace(/,/g, '')));
    expect(fans).toHaveLength(2);
    expect(outcome).toBe(fans[0] > 2 * fans[1] ? 'holds' : 'does not hold here');
    const [accNone, accBn] = quoted(verdict);
    expect(accNone).toBeCloseTo(value(entries, 'no BN'), 0);
    expect(accBn).toBeCloseTo(value(entries, 'BN'), 0);
    expect(value(entries, 'BN')).toBeGreaterThan(value(entries, 'no BN'));
  });

  test('claim 4, initialization: the verdict quotes each model’s accuracy range over the init scales', async ({ page }) => {
    await page.goto(lesson);
    const { seen, entries, verdict, outcome } = await runExperiment(page, 'init-sensitivity');
    expectNoEarlyVerdict(seen);
    const arm = (label: string) => entries.filter((e) => e.key.endsWith(` · ${label}`)).map((e) => e.value ?? 0);
    const [noneLo, noneHi, bnLo, bnHi] = quoted(verdict);
    expect(noneLo).toBeCloseTo(Math.min(...arm('no BN')), 0);
    expect(noneHi).toBeCloseTo(Math.max(...arm('no BN')), 0);
    expect(bnLo).toBeCloseTo(Math.min(...arm('BN')), 0);
    expect(bnHi).toBeCloseTo(Math.max(...arm('BN')), 0);
    const rangeNone = Math.max(...arm('no BN')) - Math.min(...arm('no BN'));
    const rangeBn = Math.max(...arm('BN')) - Math.min(...arm('BN'));
    if (Math.abs(rangeNone - rangeBn - 1) > 0.1) expect(outcome).toBe(rangeBn + 1 < rangeNone ? 'holds' : 'does not hold here');
  });

  test('claim 5, epochs: the verdict’s per-epoch history ends at the final accuracy the queue shows', async ({ page }) => {
    await page.goto(lesson);
    const { seen, entries, verdict } = await runExperiment(page, 'fewer-epochs');
    expectNoEarlyVerdict(seen);
    const history = (arm: string) => quoted(new RegExp(`${arm} [^(]*\\(([^)]*)\\)`).exec(verdict)![1]);
    const none = history('without BN');
    const bn = history('with BN');
    expect(none).toHaveLength(4);
    expect(bn).toHaveLength(4);
    expect(none[3]).toBeCloseTo(value(entries, 'no BN'), 0);
    expect(bn[3]).toBeCloseTo(value(entries, 'BN'), 0);
  });

  test('claim 10, small batches: the verdict quotes BN’s lead or lag at every batch size the queue shows', async ({ page }) => {
    await page.goto(costs);
    const { seen, entries, verdict } = await runExperiment(page, 'small-batches');
    expectNoEarlyVerdict(seen);
    for (const size of [2, 8, 32]) {
      const gap = value(entries, `batch ${size} · BN`) - value(entries, `batch ${size} · no BN`);
      const shown = Number(new RegExp(`batch ${size}: ([+-][\\d.]+) points`).exec(verdict)![1]);
      expect(Math.abs(shown - gap)).toBeLessThanOrEqual(0.06);
    }
  });

  test('claim 6, overfitting: the verdict quotes the validation accuracies the queue shows', async ({ page }) => {
    await page.goto(lesson);
    const { seen, entries, verdict } = await runExperiment(page, 'regularization');
    expectNoEarlyVerdict(seen);
    const [none, bn] = quoted(verdict);
    expect(none).toBeCloseTo(value(entries, 'no BN'), 0);
    expect(bn).toBeCloseTo(value(entries, 'BN'), 0);
  });

  test('cancelling leaves no verdict: it says which run did not finish', async ({ page }) => {
    await page.goto(lesson);
    const widget = page.locator('nn-experiment[data-plan="lr-headroom"]');
    await widget.getByRole('button', { name: 'Start the experiment' }).click();
    // Runs go in parallel now: cancel while one runs and others still wait, so there is something left to cancel.
    await expect(widget.locator('[data-queue] li[data-state="running"]').first()).toBeAttached({ timeout: 60_000 });
    await expect(widget.locator('[data-queue] li[data-state="pending"]').first()).toBeAttached();
    await widget.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(widget.locator('[data-verdict]')).toHaveAttribute('data-outcome', 'incomplete', { timeout: 60_000 });
    // Whichever run was going when Cancel landed (a short run may have finished just before) is the one named.
    const text = (await widget.locator('[data-verdict]').textContent()) ?? '';
    const named = /^No verdict: (.+) did not finish \(cancelled\)/.exec(text);
    expect(named, text).not.toBeNull();
    await expect(widget.locator(`[data-queue] li[data-entry="${named![1]}"]`)).toHaveAttribute('data-state', 'cancelled');
    await expect(widget.locator('[data-queue] li[data-state="pending"], [data-queue] li[data-state="running"]')).toHaveCount(0);
  });
});
