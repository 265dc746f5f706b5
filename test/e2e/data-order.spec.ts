/**
 * Lesson 5's data-order experiment in real Chromium on real MNIST: the same 3,000 training images
 * in four orders (shuffled every epoch, shuffled once, one class per batch, sorted by class),
 * without and with BN, 2 epochs each (eight short runs). The prediction exercise comes before the
 * button; the verdict reads "pending" until every run has ended, then quotes the validation
 * accuracy each queue entry shows and follows its 5-point rule from those numbers — it is computed
 * from the runs, not written in advance.
 */
import { expect, test } from './fixtures';
import { runExperiment, valueOf } from './experiment-run';

const lesson = 'lessons/batch-size/';
const models = ['no BN', 'BN'] as const;

test.describe('lesson 5: diverse mini-batches', () => {
  test.describe.configure({ timeout: 300_000 });

  test('the data-order experiment: eight runs, a verdict that quotes the queue and follows its 5-point rule', async ({ page }) => {
    await page.goto(lesson);
    const widget = page.locator('nn-experiment[data-plan="data-order"]');
    await expect(widget.locator('[data-queue] li')).toHaveCount(8);
    // The prediction is asked before the experiment, in the page's order.
    const predictFirst = await page
      .locator('nn-exercise[data-id="predict-data-order"]')
      .evaluate(
        (exercise, experiment) => !!(exercise.compareDocumentPosition(experiment!) & Node.DOCUMENT_POSITION_FOLLOWING),
        await widget.elementHandle(),
      );
    expect(predictFirst).toBe(true);

    const run = await runExperiment(page, 'data-order');
    expect(run.entries.map((e) => e.state)).toEqual(Array.from({ length: 8 }, () => 'done'));
    for (const s of run.seen) expect(s.outcome === 'pending').toBe(s.states.some((st) => st === 'pending' || st === 'running'));
    // The chart names the orders on its axis, and draws one line per model.
    for (const tick of ['shuffled', 'shuffled 1×', 'one class', 'sorted'])
      await expect(
        widget.locator('[data-chart] g[aria-label="x-axis tick label"] text').filter({ hasText: new RegExp(`^${tick}$`) }),
      ).toHaveCount(1);

    const acc = (order: string, model: string) => valueOf(run.entries, `${order} · ${model}`);
    const { verdict, outcome } = run;
    // The verdict quotes each reference and each one-class run as the queue shows it.
    for (const model of models) expect(verdict).toContain(`${model} ${acc('shuffled every epoch', model).toFixed(2)} %`);
    const cells = (['one class per batch', 'sorted by class'] as const).flatMap((order) =>
      models.map((model) => {
        const quoted = new RegExp(`${order[0].toUpperCase()}${order.slice(1)}, ${model}: validation ([\\d.]+) %`).exec(verdict);
        expect(quoted, `${order}, ${model} in: ${verdict}`).not.toBeNull();
        expect(Number(quoted![1])).toBeCloseTo(acc(order, model), 2);
        return { order, model, drop: acc('shuffled every epoch', model) - acc(order, model) };
      }),
    );
    // The rule on the queue's numbers (two decimals); a drop within rounding of 5 points is left unchecked.
    if (cells.every((c) => Math.abs(c.drop - 5) > 0.011)) {
      const hurt = cells.filter((c) => c.drop >= 5);
      expect(outcome, verdict).toBe(hurt.length === 4 ? 'holds' : hurt.length === 0 ? 'does not hold here' : 'holds only when');
      if (outcome === 'holds only when') for (const c of hurt) expect(verdict).toContain(c.order);
    }
  });
});
