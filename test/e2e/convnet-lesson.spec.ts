/**
 * Lesson 14 (BN in a ConvNet) in real Chromium on real MNIST: both quick experiments (the SGD
 * learning-rate sweep, eight runs of 1,000 images; the seeds at the defaults, six runs of 1,000
 * images) — each prediction asked before its button, each verdict pending until every run ended
 * and then following its rule from the numbers the queue shows — and the feature-maps widget on a
 * ConvNet trained in the page (2,000 images), its table checked against the probe's own numbers.
 * The full plans (54,000 images a run) are too long for a test; their queues are checked unstarted.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoEarlyVerdict, runExperiment, valueOf } from './experiment-run';

const lesson = 'lessons/bn-in-convnets/';

/** Whether the exercise `id` comes before the element matched by `selector` in the page. */
async function asksFirst(page: Page, id: string, selector: string): Promise<boolean> {
  const target = await page.locator(selector).elementHandle();
  return page
    .locator(`nn-exercise[data-id="${id}"]`)
    .evaluate((exercise, el) => !!(exercise.compareDocumentPosition(el!) & Node.DOCUMENT_POSITION_FOLLOWING), target);
}

test.describe('lesson 14: BN in a ConvNet', () => {
  test.describe.configure({ timeout: 300_000 });

  test('the quick learning-rate sweep: eight runs, a verdict that follows its 50 % rule from the queue', async ({ page }) => {
    await page.goto(lesson);
    expect(await asksFirst(page, 'predict-lr', 'nn-experiment[data-plan="convnet-lr-quick"]')).toBe(true);
    await expect(page.locator('nn-experiment[data-plan="convnet-lr"] [data-queue] li')).toHaveCount(8);
    const run = await runExperiment(page, 'convnet-lr-quick');
    expectNoEarlyVerdict(run.seen);
    expect(run.entries).toHaveLength(8);
    for (const e of run.entries) expect(['done', 'failed']).toContain(e.state);
    const rates = [0.01, 0.1, 1, 3];
    const trains = (rate: number, model: string) => {
      const entry = run.entries.find((e) => e.key === `lr ${rate} · ${model}`)!;
      return entry.state === 'done' && entry.value !== null && entry.value >= 50;
    };
    for (const rate of rates)
      for (const model of ['no BN', 'BN']) {
        const entry = run.entries.find((e) => e.key === `lr ${rate} · ${model}`)!;
        if (entry.state === 'done') expect(run.verdict).toContain(`${model} ${valueOf(run.entries, entry.key).toFixed(2)} %`);
      }
    // A value within rounding of 50 % is left unchecked.
    const near = run.entries.some((e) => e.value !== null && Math.abs(e.value - 50) < 0.011);
    if (!near) {
      const onlyBn = rates.filter((rate) => trains(rate, 'BN') && !trains(rate, 'no BN'));
      expect(run.outcome, run.verdict).toBe(onlyBn.length > 0 ? 'holds only when' : 'does not hold here');
      if (onlyBn.length > 0) expect(run.verdict).toContain(`Only BN trains at ${onlyBn.join(', ')}`);
    }
  });

  test('the quick seeds experiment: six runs, holds exactly when BN is ahead on every seed in the queue', async ({ page }) => {
    await page.goto(lesson);
    expect(await asksFirst(page, 'predict-seeds', 'nn-experiment[data-plan="convnet-seeds-quick"]')).toBe(true);
    await expect(page.locator('nn-experiment[data-plan="convnet-seeds"] [data-queue] li')).toHaveCount(6);
    const run = await runExperiment(page, 'convnet-seeds-quick');
    expectNoEarlyVerdict(run.seen);
    expect(run.entries.map((e) => e.state)).toEqual(Array.from({ length: 6 }, () => 'done'));
    const pairs = [1, 2, 3].map((seed) => ({
      seed,
      none: valueOf(run.entries, `no BN · seed ${seed}`),
      batch: valueOf(run.entries, `BN · seed ${seed}`),
    }));
    for (const p of pairs) expect(run.verdict).toContain(`seed ${p.seed} no BN ${p.none.toFixed(2)} %, BN ${p.batch.toFixed(2)} %`);
    if (pairs.every((p) => Math.abs(p.batch - p.none) > 0.011))
      expect(run.outcome, run.verdict).toBe(pairs.every((p) => p.batch > p.none) ? 'holds' : 'does not hold here');
  });

  test('the feature-maps widget: a trained ConvNet’s maps before and after BN, per channel and per position', async ({ page }) => {
    await page.goto(lesson);
    const widget = page.locator('nn-feature-maps');
    expect(await asksFirst(page, 'predict-channel-mean', 'nn-feature-maps')).toBe(true);
    await widget.scrollIntoViewIfNeeded();
    await widget.getByRole('button', { name: 'Train the ConvNet' }).click();
    const rows = widget.locator('[data-stats] tbody tr');
    await expect(rows).toHaveCount(8, { timeout: 240_000 });
    await expect(widget.locator('[data-before] image')).toHaveCount(8);
    await expect(widget.locator('[data-after] image')).toHaveCount(8);
    await expect(widget.locator('[data-maps-status]')).toContainText('N·R·S = 16 · 26 · 26 = 10816 values');
    // The table's "before" columns are the probe's conv output, pooled per channel; after BN each channel has mean β and variance just under γ².
    const probe = await widget.evaluate((el) => {
      const m = (
        el as HTMLElement & { maps: { preNorm: Float32Array; channels: number; norm: { gamma: Float32Array; beta: Float32Array } } }
      ).maps;
      const C = m.channels;
      const mean = new Array(C).fill(0);
      const M = m.preNorm.length / C;
      const variance = new Array(C).fill(0);
      for (let i = 0; i < m.preNorm.length; i++) mean[i % C] += m.preNorm[i] / M;
      for (let i = 0; i < m.preNorm.length; i++) variance[i % C] += (m.preNorm[i] - mean[i % C]) ** 2 / M;
      return { mean, variance, gamma: [...m.norm.gamma], beta: [...m.norm.beta] };
    });
    const table = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => Number(c.textContent))));
    table.forEach((row, c) => {
      expect(row[1]).toBeCloseTo(probe.mean[c], Math.abs(probe.mean[c]) >= 1 ? 1 : 2);
      expect(row[3]).toBeCloseTo(probe.beta[c], 2);
      // γ²·σ²/(σ² + ε), ε = 10⁻³ (Keras): "a little under γ²".
      const after = (probe.gamma[c] ** 2 * probe.variance[c]) / (probe.variance[c] + 1e-3);
      // The table shows 2 decimals from 1 up, 3 below.
      expect(Math.abs(row[4] - after)).toBeLessThanOrEqual(after >= 1 ? 0.0051 : 0.00051);
      expect(row[4]).toBeLessThanOrEqual(probe.gamma[c] ** 2 + 0.0051);
    });
    // Per position: 16 values a statistic, and the channel means stay at β.
    await widget.getByLabel('per position, over N only').check();
    await expect(widget.locator('[data-maps-status]')).toContainText('only N = 16 values');
    await expect.poll(async () => Number(await rows.first().locator('td').nth(2).textContent())).toBeCloseTo(probe.beta[0], 2);
    await expect.poll(async () => (await rows.first().locator('td').nth(6).textContent()) !== '0 %').toBe(true);
    // The second block: 16 channels of 11 × 11.
    await widget.getByLabel('2 (11 × 11 × 16)').check();
    await expect(rows).toHaveCount(16, { timeout: 60_000 });
    await expect(widget.locator('[data-before] image')).toHaveCount(16);
  });
});
