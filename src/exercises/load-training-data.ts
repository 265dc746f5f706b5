/**
 * The MNIST files for "train with your own layer", loaded by the site's own code in the checker
 * worker (site origin, never runs reader code) with the real fetch and Cache Storage, then
 * transferred to the sandbox, which has neither. The same loader, cache and checks as the
 * training worker: the manifest's sizes and SHA-256 sums.
 */
import { loadDataFiles, toHex, type AssetBindings, type ByteCache, type DataFiles, type LoadProgress } from '@engine/worker/data-assets.ts';

async function bindings(): Promise<AssetBindings> {
  const opened = typeof caches === 'undefined' ? null : await caches.open('normlab-mnist-v1').catch(() => null);
  const cache: ByteCache | null = opened && {
    async get(key) {
      const hit = await opened.match(key);
      return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
    },
    async put(key, bytes) {
      await opened.put(key, new Response(bytes as Uint8Array<ArrayBuffer>));
    },
  };
  return {
    // The default cache mode, as in the training worker: the service worker decides freshness and
    // answers offline from its cache.
    fetch: (url) => fetch(url),
    timer(ms) {
      let id: ReturnType<typeof setTimeout> | undefined;
      return { expired: new Promise<void>((resolve) => (id = setTimeout(resolve, ms))), clear: () => clearTimeout(id) };
    },
    async gunzip(bytes) {
      const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    },
    async sha256(bytes) {
      if (!crypto?.subtle) return null;
      return toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    },
    cache,
  };
}

export async function loadTrainingData(manifestUrl: string, onProgress: (p: LoadProgress) => void): Promise<DataFiles> {
  return (await loadDataFiles(manifestUrl, await bindings(), onProgress)).files;
}
