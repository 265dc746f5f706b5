/**
 * The costs-and-limits lesson's experiments for claims 11 and 12, and the identical-batch table of the backpropagation lesson, in real Chromium on
 * real MNIST with their short in-page configurations: every experiment's verdict stays pending
 * until its runs have ended and then quotes the numbers the queue shows (it is computed from the
 * runs); the gradient table is recomputed by the engine in the page.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { runExperiment as runShared, valueOf as value } from './experiment-run';

const lesson = 'lessons/bn-costs-and-limits/';
const backprop = 'lessons/backprop-through-bn/';

/** Starts one experiment and waits for every run to finish; no verdict may show while a run is pending or running. */
async function runExperiment(page: Page, name: string) {
  const run = await runShared(page, name);
  expect(
    run.seen.filter((s) => s.states.some((st) => st === 'pending' || st === 'running') && s.outcome !== 'pending').map((s) => s.verdict),
  ).toEqual([]);
  expect(
    run.entries.every((e) => e.state === 'done'),
    JSON.stringify(run.entries),
  ).toBe(true);
  return run;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

test.describe('BN’s costs and limits: claims 11 and 12, and identical mini-batches', () => {
  test.describe.configure({ timeout: 600_000 });

  test('claim 11, overhead: the verdict quotes every run’s time per epoch from the queue and applies the noise rule to them', async ({
    page,
  }) => {
    await page.goto(lesson);
    const { entries, verdict, outcome } = await runExperiment(page, 'bn-overhead');
    const times = (arm: string) => [1, 2, 3].map((seed) => value(entries, `${arm} · seed ${seed}`));
    const quotedTimes = (label: string) => new RegExp(`${label} [\\d.]+ s \\(([^)]*)\\)`).exec(verdict)![1].split(', ').map(Number);
    const none = times('no BN');
    const bn = times('BN');
    quotedTimes('without BN').forEach((t, i) =>
      expect(Math.abs(t - none[i]), `no BN seed ${i + 1}`).toBeLessThanOrEqual(0.0051 * Math.max(1, none[i])),
    );
    quotedTimes('with BN').forEach((t, i) =>
      expect(Math.abs(t - bn[i]), `BN seed ${i + 1}`).toBeLessThanOrEqual(0.0051 * Math.max(1, bn[i])),
    );
    expect(verdict).toContain('62.0 KiB at batch 32');
    const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / mean(xs);
    const ratio = mean(bn) / mean(none) - 1;
    const noise = Math.max(0.05, spread(none), spread(bn));
    // Away from the rule's edges (the queue shows rounded times), the outcome follows from the queue's numbers.
    if (Math.abs(Math.abs(ratio) - noise) > 0.02 && Math.abs(ratio - 0.1) > 0.02) {
      expect(outcome).toBe(Math.abs(ratio) <= noise || ratio < 0.1 ? 'holds' : 'does not hold here');
      if (Math.abs(ratio) <= noise) expect(verdict).toContain('within the noise');
    }
  });

  test('claim 12, momentum: the three runs train alike, and the verdict quotes the validation accuracy of each momentum', async ({
    page,
  }) => {
    await page.goto(lesson);
    const { entries, verdict, outcome } = await runExperiment(page, 'bn-momentum');
    const acc = [0.9, 0.99, 0.999].map((m) => value(entries, `momentum ${m} · BN`));
    for (const [i, window] of [10, 100, 1000].entries()) {
      const shown = Number(new RegExp(`window ${window} steps: ([\\d.]+) %`).exec(verdict)![1]);
      expect(Math.abs(shown - acc[i]), `window ${window}`).toBeLessThanOrEqual(0.006);
    }
    expect(verdict).toMatch(/Training accuracy is [\d.]+ % in every run/);
    expect(acc[0]).toBeGreaterThan(acc[1] + 20);
    expect(outcome).toBe(Math.max(...acc) - Math.min(...acc) > 1 ? 'holds' : 'does not hold here');
  });

  test('claim 12, ε: the verdict quotes every run’s accuracy at both batch sizes and decides from their ranges', async ({ page }) => {
    await page.goto(lesson);
    const { entries, verdict, outcome } = await runExperiment(page, 'bn-epsilon');
    const ranges = ['batch 2', 'batch 32'].map((arm) => {
      const accs = ['0.00001', '0.001', '0.1'].map((eps) => {
        const v = value(entries, `ε ${eps} · ${arm}`);
        const shown = Number(new RegExp(`${arm}: [^;]*ε ${eps.replace('.', '\\.')}: ([\\d.]+) %`).exec(verdict)![1]);
        expect(Math.abs(shown - v), `${arm}, ε ${eps}`).toBeLessThanOrEqual(0.006);
        return v;
      });
      return Math.max(...accs) - Math.min(...accs);
    });
    if (ranges.every((r) => Math.abs(r - 1) > 0.05)) {
      const matters = ranges.filter((r) => r > 1).length;
      expect(outcome).toBe(matters === 0 ? 'does not hold here' : matters === 2 ? 'holds' : 'holds only when');
    }
  });

  test('identical batches: the engine’s gradient table has exact zeros below BN, recomputed for ReLU and for other images', async ({
    page,
  }) => {
    await page.goto(backprop);
    const widget = page.locator('nn-identical-batch');
    const cell = (tensor: string, column: number) => widget.locator(`tr[data-tensor="${tensor}"] td`).nth(column);
    // Built into the HTML: BN with one repeated example (column 4) zeroes every tensor below the top BN.
    await expect(cell('dense kernel', 3)).toHaveText('0');
    await expect(cell('batch_normalization_1 gamma', 3)).toHaveText('0');
    await expect(cell('batch_normalization_1 beta', 3)).not.toHaveText('0');
    await expect(cell('dense kernel', 1)).not.toHaveText('0');
    await expect(widget.locator('[data-summary]')).toContainText('7 of 10 tensors get exactly zero gradient');
    const before = await cell('dense_2 kernel', 3).textContent();
    await expect(widget.getByRole('button', { name: 'Draw other images and weights' })).toBeEnabled();
    await widget.getByRole('button', { name: 'Draw other images and weights' }).click();
    await expect(cell('dense_2 kernel', 3)).not.toHaveText(before ?? '');
    await expect(cell('dense kernel', 3)).toHaveText('0');
    await widget.getByLabel('Activation').selectOption('relu');
    await expect(widget.locator('[data-summary]')).toContainText('9 of 10 tensors get exactly zero gradient');
    await expect(widget.locator('[data-summary]')).toContainText('only dense_2 bias still gets one');
    // The assignment's Dropout(0.2) after each activation: with the sigmoid, the copies differ above the
    // first BN, so the second Dense layer learns again (the first kernel's gradient is rounding only).
    await widget.getByLabel('Activation').selectOption('sigmoid');
    await widget.getByLabel('Dropout').selectOption('0.2');
    await expect(cell('dense_1 kernel', 3)).not.toHaveText('0');
    await expect(cell('batch_normalization gamma', 3)).toHaveText('0');
  });
});
