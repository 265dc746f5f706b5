/**
 * Getting the MNIST data into the page's worker, as every training widget shows it: download or
 * cache progress in a status line (and on a bar of its own where the widget has one), and on
 * failure the reason and a retry button (the widget never spins forever). Resolves true once the
 * data is there.
 */
import { dataManifestUrl } from '@client/site-root';
import type { TrainingClient } from '@client/training-client';
import { formatSeconds } from './run-text';

export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * The status line while the data downloads: the share done and, when the size is known, the
 * megabytes transferred. Where the page knows the files' compressed size it passes that: a host
 * that decompresses on the fly reports the unpacked bytes, so the share is what stays right.
 */
export function downloadText(fraction: number, bytes: number | null): string {
  const share = Math.min(1, Math.max(0, fraction));
  const percent = `${(share * 100).toFixed(0)} %`;
  if (bytes === null) return `Downloading the MNIST data: ${percent}…`;
  return `Downloading the MNIST data: ${((share * bytes) / 1e6).toFixed(1)} of ${formatMegabytes(bytes)} (${percent})…`;
}

/** Where a widget shows the data's arrival. */
export interface DataStatusParts {
  status: HTMLElement;
  /** Hidden while loading, revealed when the data could not load. */
  retry: HTMLButtonElement;
  /** A bar of its own for the download (the training run's): shown while bytes arrive, hidden once they stop. */
  bar?: { box: HTMLElement; progress: HTMLProgressElement };
  /** The files' compressed size, when the page knows it (else the size the worker reports). */
  downloadBytes?: number | null;
  /** Tells a failure its own way (default: the reason in the status line). */
  fail?: (message: string) => void;
}

export async function ensureData(client: TrainingClient, parts: DataStatusParts): Promise<boolean> {
  const { status, retry, bar } = parts;
  retry.hidden = true;
  status.textContent = 'Loading the MNIST data…';
  const result = await client.loadData({
    manifestUrl: dataManifestUrl(),
    onProgress({ loaded, total, source }) {
      const fraction = total > 0 ? loaded / total : 0;
      if (bar) {
        bar.box.hidden = false;
        bar.progress.value = fraction;
      }
      status.textContent =
        source === 'cache'
          ? `Reading the MNIST data from this browser’s cache… ${Math.min(100, Math.round(fraction * 100))} %`
          : downloadText(fraction, parts.downloadBytes ?? (total > 0 ? total : null));
    },
  });
  if (bar) bar.box.hidden = true;
  if (!result.ok) {
    if (parts.fail) parts.fail(result.error.message);
    else status.textContent = `Could not load the MNIST data: ${result.error.message}`;
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
export async function ensureWorkersData(clients: readonly TrainingClient[], parts: DataStatusParts): Promise<TrainingClient[] | null> {
  const [first, ...rest] = clients;
  if (!(await ensureData(first, parts))) return null;
  if (rest.length === 0) return [first];
  const loaded = await Promise.all(rest.map((c) => c.loadData({ manifestUrl: dataManifestUrl() })));
  const ready = [first, ...rest.filter((_, i) => loaded[i].ok)];
  parts.status.textContent += ` ${ready.length} runs train at once, each in a worker of its own.`;
  return ready;
}
