/**
 * The experiment widgets in real Chromium on real MNIST: BN vs none (both runs one after the
 * other, curves, the results table with verdicts only on finished runs, saved across a reload,
 * model presets that reproduce "no BN does not learn / BN learns"), the sweep (a visible queue run
 * one entry at a time, cancelling, saved sweeps), layer diagnostics (heat strips, update ratios,
 * BN running statistics), settings round-tripping through the URL with values the controls
 * cannot take reported at the control, and the embed routes. Timings are measured in
 * experiments.perf.spec.ts.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const lesson = {
  compare: 'lessons/bn-vs-none/',
  sweep: 'lessons/batch-size-sweep/',
};

/** The page's device reports one core: plans run one at a time (lanes.ts). */
async function oneCore(page: Page): Promise<void> {
  await page.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 1 }));
}

async function widgetState(widget: Locator): Promise<Record<string, unknown>> {
  return widget.evaluate((el) => ({ ...(el as HTMLElement & { state: Record<string, unknown> }).state }));
}

test.describe('BN vs none', () => {
  test(
    'a short comparison trains both models, draws both curves and fills the results table, which survives a reload',
    { tag: '@base-path' },
    async ({ page }) => {
      test.setTimeout(120_000);
      await page.goto(`${lesson.compare}?bvn.images=2000&bvn.epochs=2`);
      const widget = page.locator('nn-bn-vs-none');
      await expect(widget.locator('output[data-for="images"]')).toHaveText('2,000');
      await expect(widget.locator('table[data-model="batch"] tfoot')).toContainText('102,282');
      await expect(widget.locator('table[data-model="none"] tfoot')).toContainText('101,770');
      await expect(widget.getByRole('button', { name: 'Stop' })).toBeDisabled();
      // Every verdict the table ever shows, with both runs' progress text at that moment.
      await widget.evaluate((el) => {
        const w = window as unknown as { verdicts: string[][] };
        w.verdicts = [];
        const cell = el.querySelector('tr[data-row="Validation accuracy"] [data-cell="verdict"]')!;
        const text = (arm: string) => el.querySelector(`[data-run="${arm}"] [data-run-text]`)!.textContent ?? '';
        new MutationObserver(() => w.verdicts.push([cell.textContent ?? '', text('none'), text('batch')])).observe(cell, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
      await widget.getByRole('button', { name: 'Start the comparison' }).click();
      await expect(widget.getByRole('button', { name: 'Stop' })).toBeEnabled();
      await expect(widget.locator('[data-status]')).toContainText('Data ready', { timeout: 60_000 });
      for (const arm of ['none', 'batch']) {
        await expect(widget.locator(`[data-run="${arm}"] [data-run-text]`)).toContainText('finished: 2 epochs', { timeout: 60_000 });
      }
      await expect(widget.getByRole('button', { name: 'Start the comparison' })).toBeEnabled();
      const verdicts = await page.evaluate(() => (window as unknown as { verdicts: string[][] }).verdicts);
      expect(verdicts.some(([v]) => v === 'after both runs finish')).toBe(true);
      for (const [v, none, batch] of verdicts) {
        if (['holds', 'does not hold', 'within noise (±0.2 points)', 'tie (equal as printed)'].includes(v))
          expect([none, batch]).toEqual([expect.stringContaining('finished'), expect.stringContaining('finished')]);
      }

      for (const metric of ['loss', 'accuracy']) {
        const chart = widget.locator(`[data-chart="${metric}"] svg`);
        await expect(chart).toHaveAttribute('role', 'img');
        await expect(chart.locator('g[aria-label="line"] path')).toHaveCount(4); // train + validation per run
        await expect(widget.locator(`[data-chart-summary="${metric}"]`)).toContainText('no BN: training');
      }
      const cells = await widget.locator('table[data-results] tbody tr').evaluateAll((rows) =>
        rows.map((r) => ({
          metric: r.querySelector('th')!.textContent,
          none: r.querySelector('[data-cell="none"]')!.textContent,
          batch: r.querySelector('[data-cell="batch"]')!.textContent,
          verdict: r.querySelector('[data-cell="verdict"]')!.textContent,
        })),
      );
      expect(cells.map((c) => c.metric)).toEqual([
        'Training accuracy',
        'Training loss',
        'Validation accuracy',
        'Validation loss',
        'Validation accuracy after epoch 1',
        'Test accuracy',
      ]);
      for (const c of cells) {
        expect(c.none).not.toBe('—');
        expect(c.batch).not.toBe('—');
        expect(['holds', 'does not hold', 'within noise (±0.2 points)', 'tie (equal as printed)']).toContain(c.verdict);
      }
      // Well above chance (10 %) after 2 epochs on 2,000 images.
      for (const text of [cells[2].none!, cells[2].batch!]) expect(parseFloat(text)).toBeGreaterThan(80);
      await expect(widget.locator('[data-summary]')).toContainText(/^Validation accuracy: no BN [\d.]+ %, BN [\d.]+ %/);
      await expect(widget.locator('[data-cost="time"]')).toContainText(/no BN [\d.]+ s, BN [\d.]+ s per epoch/);
      // One run a side: the difference is never called beyond (or within) a noise that was not measured.
      await expect(widget.locator('[data-cost="time"]')).toContainText('with one run each the timing noise between runs is not measured');
      await expect(widget.locator('[data-cost="time"]')).not.toContainText('beyond');
      await expect(widget.locator('[data-cost="memory"]')).toContainText('62.0 KiB');

      // BN at inference, three ways, on the BN model just trained.
      await widget.getByRole('button', { name: 'Test the BN model three ways' }).click();
      await expect(widget.locator('[data-inference-status]')).toContainText(
        /^Test accuracy \(a\) [\d.]+ %, \(b\) [\d.]+ % with BN momentum 0.99/,
        { timeout: 60_000 },
      );
      for (const key of ['running', 'recalibrated', 'batch-8', 'batch-256'])
        expect(parseFloat((await widget.locator(`[data-inference="${key}"]`).textContent()) ?? 'NaN')).toBeGreaterThan(60);
      expect(parseFloat((await widget.locator('[data-inference="batch-1"]').textContent()) ?? 'NaN')).toBeLessThan(20);
      await expect(widget.locator('[data-chart="inference-mean"] g[aria-label="dot"] circle')).toHaveCount(128);

      await page.reload();
      const again = page.locator('nn-bn-vs-none');
      await expect(again.getByRole('button', { name: 'Test the BN model three ways' })).toBeDisabled();
      await expect(again.locator('[data-inference-status]')).toContainText('run it again to test them');
      await expect(again.locator('[data-summary]')).toContainText('saved comparison from');
      await expect(again.locator('tr[data-row="Test accuracy"] [data-cell="none"]')).toHaveText(cells[5].none!);
      await expect(again.locator('[data-chart="accuracy"] g[aria-label="line"] path')).toHaveCount(4);
    },
  );
});

test.describe('model presets (1 epoch on 6,000 images, seed 1)', () => {
  // `npm run train -- --train-limit 6000 --epochs 1 --dropout 0 --hidden 128,128,128,128 …` gives validation
  // accuracy 10.00 % / 67.78 % (sigmoid, SGD 0.1) and 26.22 % / 83.92 % (ReLU, SGD 1.0) without / with BN.
  for (const [preset, noneBelow] of [
    ['Deep sigmoid, SGD 0.1', 20],
    ['Deep ReLU, SGD 1.0', 40],
  ] as const) {
    test(`"${preset}": no BN does not learn, BN learns`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.goto(`${lesson.compare}?bvn.images=6000&bvn.epochs=1`);
      const widget = page.locator('nn-bn-vs-none');
      await widget.getByRole('button', { name: preset }).click();
      await expect(widget.locator('[data-model-line]')).toContainText('4 × 128');
      // The Keras summary's totals follow its rows: 4 × 128 with BN, not the classic model's 102,282.
      await expect(widget.locator('table[data-model="batch"] [data-total="total"]')).toHaveText('153,354');
      // A preset sets everything its quoted numbers depend on: all 54,000 images, 1 epoch, seed 1.
      await expect(widget.locator('output[data-for="images"]')).toHaveText('54,000');
      await expect(widget.locator('output[data-for="epochs"]')).toHaveText('1 epoch');
      // Back to 6,000 images, so the test trains in seconds.
      await widget.locator('input[name="images"]').evaluate((input: HTMLInputElement) => {
        input.value = '6000';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await expect(widget.locator('output[data-for="images"]')).toHaveText('6,000');
      await expect(widget.locator('table[data-model="batch"] tbody tr')).toHaveCount(1 + 4 * 3 + 1);
      await widget.getByRole('button', { name: 'Start the comparison' }).click();
      await expect(widget.locator('[data-run="batch"] [data-run-text]')).toContainText('finished', { timeout: 150_000 });
      const accuracy = async (arm: string) =>
        parseFloat((await widget.locator(`tr[data-row="Validation accuracy"] [data-cell="${arm}"]`).textContent()) ?? 'NaN');
      expect(await accuracy('none')).toBeLessThan(noneBelow);
      expect(await accuracy('batch')).toBeGreaterThan(60);
    });
  }
});

test.describe('Sweep', () => {
  test('on a one-core device, runs its queue one entry after another, visibly, and plots accuracy and time per batch size', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await oneCore(page);
    await page.goto(`${lesson.sweep}?sweep.images=1000&sweep.epochs=1&sweep.sizes=128,256&sweep.norms=both`);
    const widget = page.locator('nn-batch-sweep');
    await expect(widget.getByRole('button', { name: 'Cancel the rest' })).toBeDisabled();
    const entries = widget.locator('[data-queue] li');
    await expect(entries).toHaveCount(4);
    await expect(widget.locator('[data-queue-counts]')).toHaveText('(4 pending)');
    // Record every queue picture the page shows, to check that it never runs two entries at once.
    await widget.evaluate((el) => {
      const w = window as unknown as { queueStates: string[] };
      w.queueStates = [];
      const list = el.querySelector('[data-queue]')!;
      new MutationObserver(() =>
        w.queueStates.push([...list.querySelectorAll('li')].map((li) => (li as HTMLElement).dataset.state).join(',')),
      ).observe(list, { childList: true });
    });
    await widget.getByRole('button', { name: 'Start the sweep' }).click();
    await expect(widget.locator('[data-queue-counts]')).toHaveText('(4 done)', { timeout: 90_000 });
    const states = await page.evaluate(() => (window as unknown as { queueStates: string[] }).queueStates);
    expect(states.some((s) => s.startsWith('running,pending'))).toBe(true);
    expect(states.every((s) => s.split(',').filter((x) => x === 'running').length <= 1)).toBe(true);
    await expect(entries.first()).toContainText(/done: [\d.]+ % validation, [\d.]+ s per epoch/);
    await expect(
      widget.locator('[data-chart="accuracy"] g[aria-label="dot"] path, [data-chart="accuracy"] g[aria-label="dot"] circle'),
    ).toHaveCount(4);
    await expect(widget.locator('[data-chart="time"] g[aria-label="line"] path')).toHaveCount(2);
    await expect(widget.locator('[data-chart-summary="accuracy"]')).toContainText('(4 of 4 runs done)');
    await expect(widget.locator('[data-chart-summary="time"]')).toContainText('Time per epoch from');

    await page.reload();
    await expect(page.locator('nn-batch-sweep [data-summary]')).toContainText('Showing the saved sweep');
    await expect(page.locator('nn-batch-sweep [data-queue-counts]')).toHaveText('(4 done)');
  });

  test('with two cores, two runs go side by side, and each gives the numbers it gives one at a time', async ({ page, browser }) => {
    test.setTimeout(240_000);
    const url = `${lesson.sweep}?sweep.images=1000&sweep.epochs=1&sweep.sizes=64,128,256&sweep.norms=both`;
    const run = async (p: Page) => {
      await p.goto(url);
      const widget = p.locator('nn-batch-sweep');
      await widget.evaluate((el) => {
        const w = window as unknown as { mostRunning: number };
        w.mostRunning = 0;
        const list = el.querySelector('[data-queue]')!;
        new MutationObserver(
          () => (w.mostRunning = Math.max(w.mostRunning, list.querySelectorAll('li[data-state="running"]').length)),
        ).observe(list, { childList: true });
      });
      await widget.getByRole('button', { name: 'Start the sweep' }).click();
      await expect(widget.locator('[data-queue-counts]')).toHaveText('(6 done)', { timeout: 150_000 });
      const mostRunning = await p.evaluate(() => (window as unknown as { mostRunning: number }).mostRunning);
      const results = (await widget.locator('[data-queue] li [data-entry-state]').allTextContents()).map(
        (t) => /^done: ([\d.]+ % validation)/.exec(t)?.[1] ?? t,
      );
      return { mostRunning, results };
    };
    await page.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 }));
    const parallel = await run(page);
    expect(parallel.mostRunning).toBe(2);
    const alone = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const single = await alone.newPage();
    await oneCore(single);
    const sequential = await run(single);
    await alone.close();
    expect(sequential.mostRunning).toBe(1);
    expect(parallel.results).toEqual(sequential.results);
  });

  test('a pending entry can be cancelled, "Cancel the rest" stops the running one, and saved sweeps stay reachable', async ({ page }) => {
    test.setTimeout(180_000);
    await oneCore(page);
    // First a short complete sweep, then a long one (all images, 10 epochs) that is cancelled.
    await page.goto(`${lesson.sweep}?sweep.images=500&sweep.epochs=1&sweep.sizes=256&sweep.norms=none`);
    let widget = page.locator('nn-batch-sweep');
    await widget.getByRole('button', { name: 'Start the sweep' }).click();
    await expect(widget.locator('[data-queue-counts]')).toHaveText('(1 done)', { timeout: 90_000 });

    await page.goto(`${lesson.sweep}?sweep.images=54000&sweep.epochs=10&sweep.sizes=16,32,64&sweep.norms=none`);
    widget = page.locator('nn-batch-sweep');
    await expect(widget.locator('[data-summary]')).toContainText('Showing the saved sweep');
    await widget.getByRole('button', { name: 'Start the sweep' }).click();
    const entry = (key: string) => widget.locator(`[data-queue] li[data-entry="${key}"]`);
    await expect(entry('batch 16 · no BN')).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
    await entry('batch 32 · no BN').getByRole('button', { name: 'Cancel batch 32 · no BN' }).click();
    await expect(entry('batch 32 · no BN')).toHaveAttribute('data-state', 'cancelled');
    await expect(entry('batch 16 · no BN')).toHaveAttribute('data-state', 'running');
    await widget.getByRole('button', { name: 'Cancel the rest' }).click();
    await expect(widget.locator('[data-queue-counts]')).toHaveText('(3 cancelled)', { timeout: 30_000 });
    await expect(widget.getByRole('button', { name: 'Start the sweep' })).toBeEnabled();
    await expect(widget.getByRole('button', { name: 'Cancel the rest' })).toBeDisabled();
    await expect(widget.locator('[data-summary]')).toHaveText(/^0 of 3 runs done \(cancelled\)\./);

    await page.reload();
    widget = page.locator('nn-batch-sweep');
    await expect(widget.locator('[data-summary]')).toContainText(/^0 of 3 runs done \(cancelled\)\. Showing the saved sweep/);
    const saved = widget.locator('nn-saved-runs [data-history] li');
    await expect(saved.locator('.run-label')).toHaveText([/— 0 of 3 done \(cancelled\)$/, /— 1 of 1 done$/]);
    await saved
      .nth(1)
      .getByRole('button', { name: /^Show:/ })
      .click();
    await expect(widget.locator('[data-queue-counts]')).toHaveText('(1 done)');
    await expect(widget.locator('[data-summary]')).toHaveText(/^1 of 1 runs done\./);
  });

  // CLI, same settings: no BN 74.08 % at lr 0.1 and 26.22 % at lr 1; BN 83.92 % at lr 1.
  test('a learning-rate sweep of the deep ReLU model shows where only BN trains', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(
      `${lesson.sweep}?sweep.axis=lr&sweep.lrs=0.1,1&sweep.layers=4&sweep.optimizer=sgd&sweep.dropout=0&sweep.images=6000&sweep.epochs=1`,
    );
    const widget = page.locator('nn-batch-sweep');
    await expect(widget.locator('[data-queue] li')).toHaveText([/^lr 0.1 · no BN/, /^lr 0.1 · BN/, /^lr 1 · no BN/, /^lr 1 · BN/]);
    await expect(widget.locator('select[name="lr"]')).toBeDisabled();
    await widget.getByRole('button', { name: 'Start the sweep' }).click();
    await expect(widget.locator('[data-queue-counts]')).toHaveText(/\(4 done\)|\(3 done, 1 failed\)/, { timeout: 220_000 });
    await expect(widget.locator('[data-chart-summary="accuracy"]')).toContainText(
      'Only BN trains (above 50 %, the other stays below) at lr 1.',
    );
  });
});

test.describe('Layer diagnostics', () => {
  test('a run shows activation and gradient heat strips, update ratios and BN running statistics', async ({ page }) => {
    // Limits, not waits: at a load average of 29 this test passed its checks but ran out of 120 s.
    test.setTimeout(240_000);
    // 20,000 images, 1 epoch: long enough on the wasm engine for several 100 ms frames even idle
    // (it was 30,000 × 2 epochs, three times the work for the same checks).
    await page.goto(`${lesson.compare}?diag.images=20000&diag.epochs=1`);
    const widget = page.locator('nn-layer-diagnostics');
    await widget.getByRole('button', { name: 'Start the run' }).click();
    await expect(widget.locator('[data-run-text]')).toContainText('finished', { timeout: 200_000 });
    const frames = await widget.evaluate((el) => (el as HTMLElement & { frames: unknown[] }).frames.length);
    expect(frames).toBeGreaterThan(2);
    await expect(widget.locator('[data-summary]')).toContainText(`${frames} diagnostics frames`);
    for (const what of ['activations', 'gradients']) {
      await expect(widget.locator(`[data-chart="${what}"] svg image`)).toHaveCount(1); // the heat strip is one raster
      const href = await widget
        .locator(`[data-chart="${what}"] svg image`)
        .evaluate((el) => el.getAttribute('xlink:href') ?? el.getAttribute('href'));
      expect(href).toMatch(/^data:image\/png/);
      await expect(widget.locator(`[data-chart-summary="${what}"]`)).toContainText(/^dense (outputs|output gradients) at step \d+: mean/);
    }
    await expect(widget.locator('[data-chart="ratio"] g[aria-label="line"] path')).toHaveCount(2); // dense, dense_1
    await expect(widget.locator('[data-chart-summary="ratio"]')).toContainText('dense kernel');
    await expect(widget.locator('[data-legend="ratio"] li')).toHaveText(['dense', 'dense_1']);
    await expect(widget.locator('[data-chart="layer-strips"] [data-strip]')).toHaveCount(1);
    await expect(widget.locator('[data-chart="grad-norm"] g[aria-label="rule"]')).toHaveCount(0);
    await expect(widget.locator('[data-chart-summary="grad-norm"]')).toContainText('Clipping is off');
    await expect(widget.locator('[data-legend="bn"] li')).toHaveCount(4);
    await expect(widget.locator('[data-chart="bn-mean"] g[aria-label="line"] path')).toHaveCount(4);
    await expect(widget.locator('[data-chart="bn-variance"] g[aria-label="line"] path')).toHaveCount(4);
    await expect(widget.locator('[data-chart-summary="bn"]')).toContainText(/^At step \d+, the moving mean differs/);

    // Another layer of the same run, without training again.
    await widget.locator('select[name="layer"]').selectOption('batch_normalization');
    await expect(widget.locator('[data-chart-summary="activations"]')).toContainText(/^batch_normalization outputs at step/);

    // The frames are saved with the run: after a reload the charts are drawn again from the record.
    await page.reload();
    const again = page.locator('nn-layer-diagnostics');
    await expect(again.locator('[data-run-text]')).toContainText('finished');
    await expect(again.locator('[data-summary]')).toContainText(/^\d+ diagnostics frames from the run .*saved with the run/);
    expect(await again.evaluate((el) => (el as HTMLElement & { frames: unknown[] }).frames.length)).toBeGreaterThan(2);
    await expect(again.locator('[data-chart="activations"] svg image')).toHaveCount(1);
    await expect(again.locator('[data-chart="ratio"] g[aria-label="line"] path')).toHaveCount(2);
    await expect(again.locator('[data-chart="bn-mean"] g[aria-label="line"] path')).toHaveCount(4);
    await expect(again.locator('[data-chart-summary="bn"]')).toContainText(/^At step \d+, the moving mean differs/);
  });
});

test.describe('Layer diagnostics of a deep model', () => {
  test('a 4-layer sigmoid run without BN shows every layer: strips with saturation, a fan of gradient norms, clipping', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto(
      `${lesson.compare}?diag.images=2000&diag.epochs=1&diag.norm=none&diag.layers=4&diag.activation=sigmoid&diag.optimizer=sgd&diag.lr=0.1&diag.dropout=0&diag.clip=1`,
    );
    const widget = page.locator('nn-layer-diagnostics');
    await expect(widget.locator('[data-model-line]')).toContainText('4 × 128 sigmoid');
    await widget.getByRole('button', { name: 'Start the run' }).click();
    await expect(widget.locator('[data-run-text]')).toContainText('finished', { timeout: 90_000 });
    await expect(widget.locator('[data-chart="layer-strips"] [data-strip]')).toHaveCount(4);
    await expect(widget.locator('[data-chart="layer-strips"] .strip-title').first()).toContainText(/activation · \d+ % saturated/);
    await expect(widget.locator('[data-chart="grad-norms"] g[aria-label="line"] path')).toHaveCount(5);
    await expect(widget.locator('[data-chart-summary="grad-norms"]')).toContainText(/the largest is [\d,.]+× the smallest/);
    await expect(widget.locator('[data-chart="grad-norm"] g[aria-label="rule"]')).toHaveCount(1);
    await expect(widget.locator('[data-chart-summary="grad-norm"]')).toContainText(
      /threshold 1; [\d.]+ % of the [\d,]+ steps so far were clipped/,
    );
    await expect(widget.locator('select[name="layer"] option')).toHaveCount(5 + 4);
  });
});

test.describe('experiment widget settings', () => {
  test(
    'settings of all three widgets round-trip through the URL; bad values fall back to defaults',
    { tag: '@base-path' },
    async ({ page }) => {
      await page.goto(lesson.compare);
      const compare = page.locator('nn-bn-vs-none');
      await compare.locator('select[name="batch"]').selectOption('128');
      await compare.locator('select[name="placement"]').selectOption('after');
      await compare.getByRole('button', { name: /^Full:/ }).click();
      await expect(compare.locator('table[data-model="batch"] tbody tr').nth(3)).toContainText('batch_normalization');
      const diag = page.locator('nn-layer-diagnostics');
      await diag.locator('select[name="norm"]').selectOption('none');
      await diag.locator('select[name="lr"]').selectOption('0.01');
      await expect(page).toHaveURL(/bvn\.batch=128/);
      await expect(page).toHaveURL(/diag\.lr=0\.01/);
      const states = { compare: await widgetState(compare), diag: await widgetState(diag) };
      expect(states.compare).toMatchObject({ images: 54000, epochs: 5, batch: '128', placement: 'after' });
      expect(states.diag).toMatchObject({ norm: 'none', lr: '0.01' });
      const shared = page.url();
      await page.goto('about:blank');
      await page.goto(shared);
      expect(await widgetState(page.locator('nn-bn-vs-none'))).toEqual(states.compare);
      expect(await widgetState(page.locator('nn-layer-diagnostics'))).toEqual(states.diag);
      await expect(page.locator('nn-bn-vs-none output[data-for="images"]')).toHaveText('54,000');

      await page.goto(lesson.sweep);
      const sweep = page.locator('nn-batch-sweep');
      await sweep.getByRole('checkbox', { name: '16' }).uncheck();
      await sweep.locator('select[name="norms"]').selectOption('batch');
      await expect(page).toHaveURL(/sweep\.sizes=32%2C64%2C128%2C256|sweep\.sizes=32,64,128,256/);
      await expect(page).toHaveURL(/sweep\.norms=batch/);
      await expect(sweep.locator('[data-queue] li')).toHaveCount(4);
      const sweepState = await widgetState(sweep);
      await page.reload();
      expect(await widgetState(page.locator('nn-batch-sweep'))).toEqual(sweepState);

      await page.goto(`${lesson.sweep}?sweep.sizes=16,48&sweep.images=123&sweep.norms=maybe&sweep.batch=33`);
      const bad = page.locator('nn-batch-sweep');
      expect(await widgetState(bad)).toMatchObject({ sizes: [16, 32, 64, 128, 256], images: 3000, norms: 'both', batch: '32' });
      for (const name of ['sizes', 'images', 'norms', 'batch']) {
        await expect(bad.locator(`[data-control="${name}"] [data-control-message]`)).toContainText(`sweep.${name}=`);
      }
      await expect(bad.locator('select[name="batch"] option')).toHaveText(['2', '4', '8', '16', '32', '64', '128', '256']);

      // batch=1 with BN: the controls cannot produce it, and the link says so at the batch control.
      await page.goto(`${lesson.compare}?bvn.batch=1&bvn.layers=9`);
      const compareBad = page.locator('nn-bn-vs-none');
      await expect(compareBad.locator('[data-control="batch"] [data-control-message]')).toContainText(
        'bvn.batch=1 is not a value this control offers',
      );
      await expect(compareBad.locator('[data-control="layers"] [data-control-message]')).toContainText('bvn.layers=9');
      expect(await widgetState(compareBad)).toMatchObject({ batch: '32', layers: 1 });
    },
  );

  test('the embed routes serve each widget alone, with hidden controls and URL settings', { tag: '@base-path' }, async ({ page }) => {
    for (const [name, element, key] of [
      ['bn-vs-none', 'nn-bn-vs-none', 'bvn'],
      ['batch-sweep', 'nn-batch-sweep', 'sweep'],
      ['layer-diagnostics', 'nn-layer-diagnostics', 'diag'],
    ] as const) {
      await page.goto(`embed/${name}/?hide=seed,presets&${key}.epochs=3`);
      await expect(page.locator('.site-header')).toHaveCount(0);
      const widget = page.locator(element);
      await expect(widget).toHaveCount(1);
      await expect(widget.locator('h1')).toBeVisible();
      await expect(widget.locator('[data-control="seed"]')).toBeHidden();
      await expect(widget.locator('[data-control="presets"]')).toBeHidden();
      await expect(widget.locator('output[data-for="epochs"]')).toHaveText('3 epochs');
      await expect(widget.locator('fieldset.widget-controls')).toBeEnabled();
    }
  });
});
