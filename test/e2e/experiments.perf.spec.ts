/**
 * Timing of the experiment widgets, in the `perf` project (after every other browser test, one
 * test at a time). The runs themselves are asserted to finish with sensible results; the timings
 * are measured and reported (printed and attached as annotations), never asserted: speed goals
 * belong to benchmarks, and a shared CI machine would make such assertions flaky.
 * - measured: a full 5-epoch BN-vs-none comparison of the classic config (2 × 54,000 images ×
 *   5 epochs; goal: under a minute) and main-thread tasks over 50 ms while it runs (goal: none);
 *   the same for a diagnostics run streaming ≤ 10 frames/s; BN's time per epoch; the quick sweep;
 *   the full batch sweep (batch 16–256, without and with BN, 5 epochs of 54,000 images each: 10 runs),
 *   timed with the runs side by side (one worker per core) and one at a time, and the ratio printed
 *   with the core count (goal: at most 70 % on 2 cores, no main-thread task over 50 ms);
 *   a deep model (8 × 512, BN) training with diagnostics of all its layers (goal: no main-thread
 *   task over 50 ms, chart redraws under 16 ms each).
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { report, watchLongTasks } from './training-page';

test.describe.configure({ mode: 'serial' });

type Task = { start: number; duration: number };

const now = (page: Page) => page.evaluate(() => performance.now());
const tasksBetween = async (page: Page, from: number, to: number) =>
  (await page.evaluate(() => (window as unknown as { longTasks: Task[] }).longTasks)).filter((t) => t.start >= from && t.start <= to);
const describeTasks = (tasks: Task[]) =>
  `${tasks.length} main-thread tasks over 50 ms${tasks.length ? ` (${tasks.map((t) => t.duration.toFixed(0)).join(', ')} ms)` : ''}`;

/** Waits until the data is in the worker, so the timings below are training, not downloading. */
async function dataReady(widget: Locator): Promise<void> {
  await expect(widget.locator('[data-status]')).toContainText('Data ready', { timeout: 60_000 });
}

test.describe('Experiment widget timing', () => {
  test('a full BN-vs-none comparison finishes (time and main-thread long tasks measured)', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto('lessons/bn-vs-none/?bvn.images=54000&bvn.epochs=5');
    const widget = page.locator('nn-bn-vs-none');
    await watchLongTasks(page);
    await widget.getByRole('button', { name: 'Start the comparison' }).click();
    await dataReady(widget);
    const from = await now(page);
    for (const arm of ['none', 'batch']) {
      await expect(widget.locator(`[data-run="${arm}"] [data-run-text]`)).toContainText('finished: 5 epochs', { timeout: 200_000 });
    }
    const to = await now(page);
    const seconds = (to - from) / 1000;
    const during = await tasksBetween(page, from, to);
    const time = await widget.locator('[data-cost="time"]').textContent();
    report(
      'bn-vs-none',
      `full comparison (2 × 54,000 images × 5 epochs, validation and test included) in ${seconds.toFixed(1)} s; ${describeTasks(during)}; ${time}`,
    );
    await expect(widget.locator('tr[data-row="Validation accuracy"] [data-cell="none"]')).toHaveText(/^9[6-9]\.\d\d %$/);
  });

  test('a full-epoch diagnostics run streams its frames (main-thread long tasks measured)', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('lessons/bn-vs-none/?diag.images=54000&diag.epochs=1');
    const widget = page.locator('nn-layer-diagnostics');
    await watchLongTasks(page);
    await widget.getByRole('button', { name: 'Start the run' }).click();
    await dataReady(widget);
    const from = await now(page);
    await expect(widget.locator('[data-run-text]')).toContainText('finished', { timeout: 150_000 });
    const to = await now(page);
    const during = await tasksBetween(page, from, to);
    const frames = await widget.evaluate((el) => (el as HTMLElement & { frames: unknown[] }).frames.length);
    const chartMs = await widget.evaluate((el) => (el as HTMLElement & { lastRenderMs: number }).lastRenderMs);
    report(
      'layer-diagnostics',
      `54,000 images × 1 epoch in ${((to - from) / 1000).toFixed(1)} s, ${frames} frames kept; longest chart redraw ${chartMs.toFixed(1)} ms; ${describeTasks(during)}`,
    );
    expect(frames).toBeGreaterThan(0);
  });

  test('the quick sweep preset (10 runs on 3,000 images) takes seconds, not minutes (reported)', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('lessons/batch-size-sweep/');
    const widget = page.locator('nn-batch-sweep');
    await widget.getByRole('button', { name: /^Quick:/ }).click();
    await watchLongTasks(page);
    await widget.getByRole('button', { name: 'Start the sweep' }).click();
    await dataReady(widget);
    const from = await now(page);
    await expect(widget.locator('[data-queue-counts]')).toHaveText('(10 done)', { timeout: 150_000 });
    const to = await now(page);
    const during = await tasksBetween(page, from, to);
    report(
      'batch-sweep',
      `quick preset, 10 runs × 3,000 images × 1 epoch, in ${((to - from) / 1000).toFixed(1)} s; ${describeTasks(during)}; ${await widget.locator('[data-chart-summary="time"]').textContent()}`,
    );
  });

  test('the full batch sweep (16–256, without and with BN, 5 epochs × 54,000 images each): parallel against sequential (ratio and cores reported)', async ({
    page,
  }) => {
    // The one configuration the issue sets a goal for, run as a reader would start it — once with
    // every core the device reports (runs side by side, one worker each) and once with the device
    // claiming one core (one run at a time) — so both times come from the same machine and load.
    test.setTimeout(900_000);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const sweep = async (label: string) => {
      await page.goto('lessons/batch-size-sweep/');
      const widget = page.locator('nn-batch-sweep');
      await widget.getByRole('button', { name: /^Full:/ }).click();
      await expect(widget.locator('input[name="images"]')).toHaveValue('54000');
      await expect(widget.locator('input[name="epochs"]')).toHaveValue('5');
      await expect(widget.locator('[data-summary]')).toContainText('10 runs are planned');
      await watchLongTasks(page);
      await widget.getByRole('button', { name: 'Start the sweep' }).click();
      await dataReady(widget);
      const from = await now(page);
      await expect(widget.locator('[data-queue-counts]')).toHaveText('(10 done)', { timeout: 420_000 });
      const to = await now(page);
      const during = await tasksBetween(page, from, to);
      const chartMs = await widget.evaluate((el) => (el as HTMLElement & { lastRenderMs: number }).lastRenderMs);
      const seconds = (to - from) / 1000;
      report(
        'batch-sweep',
        `${label}: full sweep, 10 runs × 54,000 images × 5 epochs, validation included, in ${seconds.toFixed(1)} s; ${describeTasks(during)}; longest chart redraw ${chartMs.toFixed(1)} ms`,
      );
      await expect(widget.locator('[data-chart-summary="accuracy"]')).toContainText('10 of 10 runs done');
      const accuracies = await widget.locator('[data-queue] li [data-entry-state]').allTextContents();
      return { seconds, accuracies: accuracies.map((t) => /^done: ([\d.]+) %/.exec(t)?.[1] ?? t) };
    };
    const parallel = await sweep(`parallel (${cores} cores reported)`);
    await page.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 1 }));
    const sequential = await sweep('sequential (one core claimed)');
    report(
      'batch-sweep',
      `parallel / sequential time: ${(parallel.seconds / sequential.seconds).toFixed(2)} on ${cores} cores (${parallel.seconds.toFixed(1)} s against ${sequential.seconds.toFixed(1)} s)`,
    );
    // Seeded runs give the same numbers side by side as one at a time.
    expect(parallel.accuracies).toEqual(sequential.accuracies);
  });

  test('a deep model (8 × 512 with BN) trains with per-layer diagnostics (long tasks and redraw times reported)', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto('lessons/bn-vs-none/?diag.images=6000&diag.epochs=1&diag.layers=8&diag.width=512&diag.norm=batch&diag.dropout=0');
    const widget = page.locator('nn-layer-diagnostics');
    await expect(widget.locator('[data-model-line]')).toContainText('8 × 512');
    await watchLongTasks(page);
    await widget.getByRole('button', { name: 'Start the run' }).click();
    await dataReady(widget);
    const from = await now(page);
    await expect(widget.locator('[data-run-text]')).toContainText('finished', { timeout: 280_000 });
    const to = await now(page);
    const during = await tasksBetween(page, from, to);
    const chartMs = await widget.evaluate((el) => (el as HTMLElement & { lastRenderMs: number }).lastRenderMs);
    const heap = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN,
    );
    const status = await widget.locator('[data-run-text]').textContent();
    report(
      'deep-diagnostics',
      `8 × 512 with BN, 6,000 images × 1 epoch in ${((to - from) / 1000).toFixed(1)} s (${status}); longest chart redraw ${chartMs.toFixed(1)} ms; ${describeTasks(during)}; page JS heap ${(heap / 1024 / 1024).toFixed(0)} MB`,
    );
    await expect(widget.locator('[data-chart="layer-strips"] [data-strip]')).toHaveCount(8);
    await expect(widget.locator('[data-chart="grad-norms"] g[aria-label="line"] path')).toHaveCount(9);
  });
});
