// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://localhost/lessons/bn-vs-none/" }
import { beforeAll, describe, expect, test } from 'vitest';
import type { LoadProgress, Result, TrainingClient } from '@client/training-client';
import type { DataInfo } from '@engine/worker/protocol.ts';
import { downloadText, ensureData, formatMegabytes } from './data-status';

function fakeClient(result: Result<DataInfo>, progress: LoadProgress[] = []): { client: TrainingClient; urls: string[] } {
  const urls: string[] = [];
  const client = {
    async loadData({ manifestUrl, onProgress }: { manifestUrl: string; onProgress?: (p: LoadProgress) => void }) {
      urls.push(manifestUrl);
      for (const p of progress) onProgress?.(p);
      return result;
    },
  } as unknown as TrainingClient;
  return { client, urls };
}

function elements() {
  const status = document.createElement('p');
  const retry = document.createElement('button');
  retry.hidden = true;
  return { status, retry };
}

describe('ensureData(client, parts)', () => {
  // Every page carries the way up to the site's root (BaseLayout.astro); a lesson page two folders down.
  beforeAll(() => document.head.insertAdjacentHTML('beforeend', '<meta name="normlab-root" content="../../">'));

  test('asks for the manifest at an absolute URL and says where the data came from', async () => {
    const { status, retry } = elements();
    const { client, urls } = fakeClient({
      ok: true,
      value: { train: 54000, validation: 6000, test: 10000, features: 784, source: 'cache', seconds: 0.42 },
    });
    expect(await ensureData(client, { status, retry })).toBe(true);
    expect(urls).toEqual(['http://localhost/data/mnist.json']);
    expect(status.textContent).toBe('Data ready (from this browser’s cache, 0.42 s): 54,000 training and 6,000 validation images.');
    expect(retry.hidden).toBe(true);
  });

  test('shows download progress while loading', async () => {
    const { status, retry } = elements();
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(status.textContent ?? ''));
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    const { client } = fakeClient({ ok: true, value: { train: 1, validation: 1, test: 1, features: 784, source: 'network', seconds: 1 } }, [
      { loaded: 5_750_000, total: 11_500_000, source: 'network' },
    ]);
    await ensureData(client, { status, retry });
    await Promise.resolve();
    observer.disconnect();
    expect(seen).toContain('Downloading the MNIST data: 5.8 of 11.5 MB (50 %)…');
  });

  test('on failure says why and reveals the retry button', async () => {
    const { status, retry } = elements();
    const { client } = fakeClient({
      ok: false,
      error: { code: 'data-corrupt', message: 'train-images: bad magic number 0x00000000, expected 0x00000803' },
    });
    expect(await ensureData(client, { status, retry })).toBe(false);
    expect(status.textContent).toBe('Could not load the MNIST data: train-images: bad magic number 0x00000000, expected 0x00000803');
    expect(retry.hidden).toBe(false);
    expect(formatMegabytes(11_500_000)).toBe('11.5 MB');
  });

  test('moves a bar of its own while the bytes arrive, counts the compressed size it is given, and tells a failure its own way', async () => {
    const { status, retry } = elements();
    const box = document.createElement('p');
    box.hidden = true;
    const progress = document.createElement('progress');
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(`${box.hidden ? 'hidden' : 'shown'} ${progress.value}: ${status.textContent}`));
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    const failures: string[] = [];
    const { client } = fakeClient({ ok: false, error: { code: 'data-download', message: 'HTTP 503' } }, [
      { loaded: 20_000_000, total: 80_000_000, source: 'network' },
    ]);
    const loaded = await ensureData(client, {
      status,
      retry,
      bar: { box, progress },
      downloadBytes: 11_497_000,
      fail: (message) => failures.push(message),
    });
    await Promise.resolve();
    observer.disconnect();
    expect(loaded).toBe(false);
    expect(seen).toContain('shown 0.25: Downloading the MNIST data: 2.9 of 11.5 MB (25 %)…');
    expect(box.hidden).toBe(true);
    expect(failures).toEqual(['HTTP 503']);
    expect(status.textContent).not.toContain('HTTP 503');
    expect(retry.hidden).toBe(false);
  });
});

describe('downloadText(fraction, bytes)', () => {
  test('says how much of the data has downloaded in megabytes, or the share alone without a size', () => {
    expect(downloadText(0.5, 11_497_000)).toBe('Downloading the MNIST data: 5.7 of 11.5 MB (50 %)…');
    expect(downloadText(0.031, null)).toBe('Downloading the MNIST data: 3 %…');
  });
});
