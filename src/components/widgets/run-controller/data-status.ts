/**
 * Getting the MNIST data into the page's worker, as the experiment widgets show it: download or
 * cache progress in a status line, and on failure the reason and a retry button (the widget
 * never spins forever). Resolves true once the data is there.
 */
import { dataManifestUrl } from '@client/site-root';
import type { TrainingClient } from '@client/training-client';
import { formatSeconds } from './run-text';

export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export async function ensureData(client: TrainingClient, status: HTMLElement, retry: HTMLButtonElement): Promise<boolean> {
  retry.hidden = true;
  status.textContent = 'Loading the MNIST data…';
  const result = await client.loadData({
    manifestUrl: dataManifestUrl(),
    onProgress({ loaded, total, source }) {
      const share = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
      status.textContent =
        source === 'cache'
          ? `Reading the MNIST data from this browser’s cache… ${share} %`
          : `Downloading the MNIST data… ${share} % (${formatMegabytes(loaded)} of ${formatMegabytes(total)})`;
    },
  });
  if (!result.ok) {
    status.textContent = `Could not load the MNIST data: ${result.error.message}`;
    retry.hidden = false;
    return false;
  }
  const { train, validation, source, seconds } = result.value;
  const from = { network: 'downloaded', cache: 'from this browser’s cache', memory: 'already loaded' }[source];
  status.textContent = `Data ready (${from}${source === 'memory' ? '' : `, ${formatSeconds(seconds)}`}): ${train.toLocaleString('en-US')} training and ${validation.toLocaleString('en-US')} validation images.`;
  return true;
}

/**
 * The data in every worker of a parallel plan: the first loads with its progress shown (ensureData),
 * the others quietly (from the browser's cache by then); a worker that cannot load is left out.
 * Resolves to the workers ready to train, or null when the first could not load.
 */
export async function ensureWorkersData(
  clients: readonly TrainingClient[],
  status: HTMLElement,
  retry: HTMLButtonElement,
): Promise<TrainingClient[] | null> {
  const [first, ...rest] = clients;
  if (!(await ensureData(first, status, retry))) return null;
  if (rest.length === 0) return [first];
  const loaded = await Promise.all(rest.map((c) => c.loadData({ manifestUrl: dataManifestUrl() })));
  const ready = [first, ...rest.filter((_, i) => loaded[i].ok)];
  status.textContent += ` ${ready.length} runs train at once, each in a worker of its own.`;
  return ready;
}
