/**
 * Training in the browser, end to end, on the built site (root and /course/): the worker loads the
 * real MNIST assets (the static server sends the gzip bytes; a route below plays a host that sends
 * them already decoded), trains the Training-run widget's model, pauses, takes a new learning rate
 * mid-run, clips the gradient norm (before the start and live), diverges on purpose, saves runs to IndexedDB (found again after a reload, or marked
 * interrupted), and exports CSV and JSON. Timing measurements are in training.perf.spec.ts.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { expect, test } from './fixtures';
import { currentStep, open, record } from './training-page';

test.describe('Training run widget', () => {
  test('loads the data and trains a short run on a subset to well above chance', { tag: '@base-path' }, async ({ page }) => {
    const widget = await open(page, '?run.images=2000&run.epochs=2');
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });

    const r = (await record(widget))!;
    expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(r.summary!.validation!.accuracy).toBeGreaterThan(0.6); // chance is 0.1
    expect(r.summary!.test!.accuracy).toBeGreaterThan(0.6);
    await expect(widget.locator('[data-status]')).toContainText(/^Finished in .*validation accuracy \d+\.\d %, test accuracy \d+\.\d %\.$/);
    await expect(widget.locator('[data-epochs] tbody tr')).toHaveCount(2);
    await expect(widget.locator('[data-chart="loss"] svg')).toBeVisible();
    await expect(widget.locator('[data-chart="accuracy"] svg')).toBeVisible();
    await expect(widget.locator('[data-progress]')).toHaveJSProperty('value', 1);
  });

  test(
    'settings round-trip through the URL, presets included, and a bad URL value falls back to the default',
    { tag: '@base-path' },
    async ({ page }) => {
      let widget = await open(page, '?run.lr=banana&run.optimizer=sgd');
      await expect(widget.locator('select[name="optimizer"]')).toHaveValue('sgd');
      await expect(widget.locator('output[data-for="lr"]')).toHaveText('0.001');
      await widget.locator('select[name="batch"]').selectOption('128');
      await widget.locator('button[data-preset="full"]').click();
      await expect(page).toHaveURL(/run\.batch=128/);
      await expect(page).toHaveURL(/run\.images=54000/);
      await expect(page).toHaveURL(/run\.epochs=5/);
      await page.reload();
      widget = page.locator('nn-training-run');
      await expect(widget.locator('select[name="batch"]')).toHaveValue('128');
      await expect(widget.locator('select[name="images"]')).toHaveValue('54000');
      await expect(widget.locator('select[name="optimizer"]')).toHaveValue('sgd');
      await expect(widget.locator('[data-status]')).toHaveText('Press Start to train on 54,000 images for 5 epochs.');
    },
  );

  test('the model controls build a deep model (summary line, config of the run); URL values the controls cannot take are reported at the control', async ({
    page,
  }) => {
    let widget = await open(
      page,
      '?run.layers=4&run.width=64&run.activation=tanh&run.initScale=0.3&run.images=1000&run.epochs=1&run.batch=64',
    );
    await expect(widget.locator('[data-model-line]')).toContainText('Model: 4 × 64 tanh · Glorot ×0.3 — 63,370 parameters without BN');
    await expect(widget.locator('[data-status]')).toHaveText('Press Start to train on 1,000 images for 1 epoch.');
    await widget.locator('select[name="width"]').selectOption('32');
    await expect(widget.locator('[data-model-line]')).toContainText('4 × 32 tanh');
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    const config = await widget.evaluate((el) => (el as HTMLElement & { record: { config: Record<string, unknown> } }).record.config);
    expect(config).toMatchObject({ hidden: [32, 32, 32, 32], activation: 'tanh', initScale: 0.3 });

    widget = await open(page, '?run.batch=33&run.images=123&run.layers=9');
    for (const name of ['batch', 'images', 'layers'])
      await expect(widget.locator(`[data-control="${name}"] [data-control-message]`)).toContainText(`run.${name}=`);
    await expect(widget.locator('select[name="batch"] option')).toHaveText(['16', '32', '64', '128', '256']);
    await expect(widget.locator('select[name="batch"]')).toHaveValue('32');
    await expect(widget.locator('select[name="images"]')).toHaveValue('5000');
  });

  test('pauses, takes a new learning rate mid-run, resumes and stops', async ({ page }) => {
    // 20 epochs (33,760 steps): long enough that the wasm engine is still running when the test
    // resumes it and presses Stop (1 epoch ended first on a quiet machine).
    const widget = await open(page, '?run.images=54000&run.epochs=20');
    await widget.locator('button[data-action="start"]').click();
    await expect.poll(() => currentStep(widget), { timeout: 30_000 }).toBeGreaterThan(20);

    await widget.locator('button[data-action="pause"]').click();
    await expect(widget).toHaveAttribute('data-state', 'paused');
    await expect(widget.locator('button[data-action="pause"]')).toHaveText('Resume');
    await expect(widget.locator('[data-status]')).toContainText(/^Paused at step [\d,]+ of 33,760/);
    const pausedAt = await currentStep(widget);
    await page.waitForTimeout(600);
    expect(await currentStep(widget)).toBe(pausedAt);

    // The keyboard moves the learning-rate slider by one step (a tenth of a decade) per press.
    const lr = widget.locator('input[name="lr"]');
    await lr.focus();
    for (let i = 0; i < 10; i++) await lr.press('ArrowRight');
    await expect(widget.locator('output[data-for="lr"]')).toHaveText('0.01');
    await expect.poll(async () => (await record(widget))!.changes.at(-1)?.changes.lr).toBe(0.01);
    expect((await record(widget))!.changes.at(-1)!.step).toBe(pausedAt);

    await widget.locator('button[data-action="pause"]').click();
    await expect(widget).toHaveAttribute('data-state', 'running');
    await expect.poll(() => currentStep(widget)).toBeGreaterThan(pausedAt);

    await widget.locator('button[data-action="stop"]').click();
    await expect(widget).toHaveAttribute('data-state', 'stopped');
    await expect(widget.locator('[data-status]')).toContainText(/^Stopped at step [\d,]+ of 33,760\.$/);
    await expect(widget.locator('button[data-action="start"]')).toBeEnabled();
    await expect(widget.locator('[data-chart="loss"]')).toContainText('lr 0.01');
  });

  test('gradient clipping, set before the start or mid-run, rescues plain SGD at lr 2 without BN', async ({ page }) => {
    const widget = await open(page, '?run.optimizer=sgd&run.lr=2&run.norm=none&run.images=5000&run.epochs=1');
    await expect(widget.locator('input[name="bnMomentum"]')).toBeDisabled(); // no BN, nothing to average
    await expect(widget.locator('input[name="momentum"]')).toBeEnabled();
    await expect(widget.locator('[data-control="decay"] label')).toHaveText('L2 penalty (coupled)');
    await expect(widget.locator('output[data-for="clip"]')).toHaveText('off');

    // Without clipping the run ends near chance (the CLI: validation 19.9 % on wasm, 19.8 % on ts on these settings).
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 30_000 });
    expect((await record(widget))!.summary!.validation!.accuracy).toBeLessThan(0.35);

    // Live: a long run on all images (20 epochs, so the fast wasm engine is still early when the
    // test pauses it), paused, clipped at norm 1 through the live-change path, then stopped.
    await widget.locator('select[name="images"]').selectOption('54000');
    await widget.locator('input[name="epochs"]').fill('20');
    await widget.locator('button[data-action="start"]').click();
    await expect.poll(() => currentStep(widget), { timeout: 30_000 }).toBeGreaterThan(5);
    await widget.locator('button[data-action="pause"]').click();
    await expect(widget).toHaveAttribute('data-state', 'paused');
    const pausedAt = await currentStep(widget);
    const clip = widget.locator('input[name="clip"]');
    await clip.fill('0'); // 10⁰
    await expect(widget.locator('output[data-for="clip"]')).toHaveText('1');
    await expect.poll(async () => (await record(widget))!.changes.at(-1)?.changes).toEqual({ clipNorm: 1 });
    expect((await record(widget))!.changes.at(-1)!.step).toBe(pausedAt);
    await widget.locator('button[data-action="pause"]').click();
    await expect.poll(() => currentStep(widget)).toBeGreaterThan(pausedAt);
    await widget.locator('button[data-action="stop"]').click();
    await expect(widget).toHaveAttribute('data-state', 'stopped');
    await expect(widget.locator('[data-chart="loss"]')).toContainText('clip norm 1');

    // Before the start: the setting is in the URL and in the run's config, and the run trains (CLI: 73.8 % on wasm, 79.2 % on ts).
    await expect(page).toHaveURL(/run\.clip=1(&|$)/);
    await widget.locator('select[name="images"]').selectOption('5000');
    await widget.locator('input[name="epochs"]').fill('1');
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 30_000 });
    const clipped = (await record(widget))!;
    expect(clipped.config).toMatchObject({ optimizer: 'sgd', lr: 2, norm: 'none', clipNorm: 1 });
    expect(clipped.changes).toEqual([]);
    expect(clipped.summary!.validation!.accuracy).toBeGreaterThan(0.7);
  });

  test('a huge learning rate ends the run as "diverged at step N"', async ({ page }) => {
    const widget = await open(page, '?run.lr=10&run.images=2000');
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'diverged', { timeout: 30_000 });
    const r = (await record(widget))!;
    expect(r.summary!.diverged!.step).toBeGreaterThan(0);
    await expect(widget.locator('[data-status]')).toHaveText(
      new RegExp(`^Diverged at step ${r.summary!.diverged!.step}: the loss reached .+\\. Lower the learning rate and start again\\.$`),
    );
    await expect(widget.locator('[data-chart="loss"]')).toContainText(`diverged at step ${r.summary!.diverged!.step}`);
  });

  test(
    'finds the run in the history after a reload, re-plots it and exports it as CSV and JSON; the data comes from the cache',
    { tag: '@base-path' },
    async ({ page }) => {
      let widget = await open(page, '?run.images=1000&run.epochs=1&run.norm=none');
      await widget.locator('button[data-action="start"]').click();
      await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
      const finished = (await record(widget))!;
      // The history lists what the store holds: wait for the final save before reloading (a 1,000-image
      // run on the wasm backend ends within a second, and a reload during that write loses it).
      await expect(widget.locator('[data-history] li').first()).toHaveAttribute('data-state', 'finished');

      const downloads: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('.gz')) downloads.push(request.url());
      });
      await page.reload();
      widget = page.locator('nn-training-run');
      const item = widget.locator('[data-history] li').first();
      await expect(item).toHaveAttribute('data-state', 'finished');
      await expect(item).toContainText('no BN · Adam lr 0.001 · batch 32 · 1,000 images');
      await expect(item).toContainText(`validation ${(finished.summary!.validation!.accuracy * 100).toFixed(1)} %`);

      await item.locator('button[data-history-action="show"]').click();
      await expect(widget.locator('[data-status]')).toContainText('Finished in');
      await expect(widget.locator('[data-epochs] tbody tr')).toHaveCount(1);
      await expect(widget.locator('[data-chart="accuracy"] svg')).toBeVisible();
      await expect(widget.locator('select[name="norm"]')).toHaveValue('none');

      const csvDownload = page.waitForEvent('download');
      await item.locator('button[data-history-action="csv"]').click();
      const csvFile = await csvDownload;
      expect(csvFile.suggestedFilename()).toMatch(/^normlab-run-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = (await readFile((await csvFile.path())!, 'utf8')).trim().split('\n');
      expect(csv[0]).toBe(
        'run_id,label,state,norm,norm_placement,optimizer,lr,batch_size,dropout,seed,train_images,epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,epoch_seconds,samples_per_second,' +
          'hidden_layers,units,activation,init,init_scale,weight_decay,l2,clip_norm,clip_value,epochs',
      );
      expect(csv).toHaveLength(2);
      expect(csv[1]).toContain(',finished,none,before-activation,adam,0.001,32,0.2,1,1000,1,32,');

      const jsonDownload = page.waitForEvent('download');
      await widget.locator('button[data-action="export-json"]').click();
      const json = JSON.parse(await readFile((await (await jsonDownload).path())!, 'utf8'));
      expect(json.format).toBe('normlab-runs');
      expect(json.runs[0].epochs).toEqual(finished.epochs);

      // A second run after the reload reads the data from Cache Storage: no .gz download.
      await widget.locator('button[data-action="start"]').click();
      await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
      expect(downloads).toEqual([]);
    },
  );

  test('a run cut short by closing the page is listed as interrupted', async ({ page }) => {
    // 20 epochs: long enough (33,760 steps) that the wasm engine is still training at the reload.
    const widget = await open(page, '?run.images=54000&run.epochs=20');
    await widget.locator('button[data-action="start"]').click();
    await expect.poll(() => currentStep(widget), { timeout: 30_000 }).toBeGreaterThan(10);
    await page.waitForTimeout(1200); // let the recorder save some progress
    await page.reload();
    const item = page.locator('nn-training-run [data-history] li').first();
    await expect(item).toHaveAttribute('data-state', 'interrupted');
    await item.locator('button[data-history-action="show"]').click();
    await expect(page.locator('nn-training-run [data-status]')).toContainText(/^Interrupted at step [\d,]+ of 33,760: the page was closed/);
  });

  test('a failed download says what went wrong and offers a retry that works', { tag: '@base-path' }, async ({ page, problems }) => {
    problems.allow(/train-labels\.idx\.gz/);
    let failures = 1;
    await page.route('**/data/train-labels.idx.gz', (route) =>
      failures-- > 0 ? route.fulfill({ status: 503, body: 'busy' }) : route.continue(),
    );
    const widget = await open(page, '?run.images=1000&run.epochs=1');
    await widget.locator('button[data-action="start"]').click();
    const error = widget.locator('[data-error]');
    await expect(error).toBeVisible({ timeout: 30_000 });
    await expect(error).toContainText(/could not download http.*\/data\/train-labels\.idx\.gz: HTTP 503/);
    await expect(widget.locator('[data-status]')).toHaveText('The data could not be loaded.');
    await error.locator('button[data-action="retry"]').click();
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    await expect(error).toBeHidden();
  });

  test(
    'accepts data a host sends already decoded (Content-Encoding: gzip), and rejects corrupt data clearly',
    { tag: '@base-path' },
    async ({ page, problems }) => {
      problems.allow(/idx\.gz/);
      let corrupt = true;
      await page.route('**/data/*.idx.gz', async (route) => {
        const name = new URL(route.request().url()).pathname.split('/').pop()!;
        const raw = gunzipSync(await readFile(`public/data/${name}`));
        if (corrupt && name === 'test-labels.idx.gz') raw[raw.length - 1] ^= 1; // one flipped label
        await route.fulfill({ status: 200, body: raw, contentType: 'application/octet-stream' });
      });
      let widget = await open(page, '?run.images=1000&run.epochs=1');
      await widget.locator('button[data-action="start"]').click();
      await expect(widget.locator('[data-error]')).toContainText('test-labels.idx.gz: checksum mismatch', { timeout: 30_000 });

      corrupt = false;
      widget = await open(page, '?run.images=1000&run.epochs=1');
      await widget.locator('button[data-action="start"]').click();
      await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    },
  );
});
