/**
 * The training Web Worker: glue between the page's messages and the engine. Everything with
 * logic lives in pure modules beside it (protocol, data-assets, run-driver, diagnostics, pace);
 * this file binds them to the browser: postMessage, fetch, DecompressionStream, crypto.subtle,
 * Cache Storage and a MessageChannel used to yield between training slices.
 *
 * Why a MessageChannel rather than setTimeout(0): nested timers are clamped to ≥ 4 ms, which
 * would cost ~15 % of throughput with 25 ms slices; a channel message is queued at once, and
 * page messages that arrived meanwhile (pause, stop, update) run before the next slice.
 */
import { buildDatasets, DataError, loadDataFiles, toHex, type AssetBindings, type ByteCache } from './data-assets.ts';
import { parseToWorker, transferables, type DataInfo, type FromWorker, type Reply, type ToWorker } from './protocol.ts';
import { createDriver } from './run-driver.ts';

declare const self: DedicatedWorkerGlobalScope;

/** Training time per slice before yielding to messages: long enough to keep overhead < 1 %. */
const sliceMs = 25;
const cacheName = 'normlab-mnist-v1';

function post(message: FromWorker): void {
  self.postMessage(message, transferables(message));
}

const driver = createDriver({ now: () => performance.now(), emit: post });

const channel = new MessageChannel();
let scheduled = false;
channel.port1.onmessage = () => {
  scheduled = false;
  if (driver.work(sliceMs)) schedule();
};
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  channel.port2.postMessage(null);
}

async function openCache(): Promise<ByteCache | null> {
  // Cache Storage exists only in secure contexts (https, localhost); elsewhere every visit downloads.
  if (typeof caches === 'undefined') return null;
  const cache = await caches.open(cacheName).catch(() => null);
  if (!cache) return null;
  return {
    async get(key) {
      const hit = await cache.match(key);
      return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
    },
    async put(key, bytes) {
      // Drop copies of the same file with another checksum (an older build of the data).
      const base = key.slice(0, key.indexOf('?'));
      for (const request of await cache.keys()) {
        if (request.url.startsWith(`${base}?`) && request.url !== key) await cache.delete(request);
      }
      await cache.put(key, new Response(bytes as Uint8Array<ArrayBuffer>));
    },
  };
}

/** Unpacks gzip bytes. Read through a reader, not `new Response(stream)`, whose error for damaged data is "Failed to fetch". */
async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    length += value.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function bindings(signal: AbortSignal): Promise<AssetBindings> {
  return {
    // The default cache mode: the service worker (public/sw.js) decides freshness, and offline it
    // answers from its cache; `no-cache` here would make a cached data set unusable offline.
    fetch: (url) => fetch(url, { signal }),
    timer(ms) {
      let id: ReturnType<typeof setTimeout> | undefined;
      return { expired: new Promise<void>((resolve) => (id = setTimeout(resolve, ms))), clear: () => clearTimeout(id) };
    },
    gunzip,
    async sha256(bytes) {
      if (!self.crypto?.subtle) return null;
      return toHex(await self.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    },
    cache: await openCache(),
  };
}

/** One load at a time; requests arriving meanwhile share it and all get its progress. */
let loading: Promise<DataInfo> | null = null;
let aborter: AbortController | null = null;
const waiting = new Set<number>();

async function loadData(request: Extract<ToWorker, { type: 'load-data' }>): Promise<void> {
  if (driver.data) {
    const { train, validation, test } = driver.data;
    reply({
      type: 'reply',
      id: request.id,
      request: 'load-data',
      ok: true,
      result: {
        train: train.count,
        validation: validation.count,
        test: test.count,
        features: train.features,
        source: 'memory',
        seconds: 0,
      },
    });
    return;
  }
  waiting.add(request.id);
  loading ??= (async () => {
    const started = performance.now();
    aborter = new AbortController();
    const { files, source } = await loadDataFiles(request.manifestUrl, await bindings(aborter.signal), (p) => {
      for (const id of waiting) post({ type: 'data-progress', id, ...p });
    });
    const data = buildDatasets(files);
    driver.data = data;
    return {
      train: data.train.count,
      validation: data.validation.count,
      test: data.test.count,
      features: data.train.features,
      source,
      seconds: (performance.now() - started) / 1000,
    };
  })();
  try {
    const result = await loading;
    reply({ type: 'reply', id: request.id, request: 'load-data', ok: true, result });
  } catch (e) {
    loading = null; // the next load-data retries from scratch
    const cancelled = aborter?.signal.aborted === true;
    const code = cancelled ? 'cancelled' : e instanceof DataError ? e.code : 'internal';
    const message = cancelled ? 'the download was cancelled' : e instanceof Error ? e.message : String(e);
    reply({ type: 'reply', id: request.id, request: 'load-data', ok: false, error: { code, message } });
  } finally {
    waiting.delete(request.id);
  }
}

function reply(message: Reply): void {
  post(message);
}

self.onmessage = (event: MessageEvent<unknown>) => {
  const parsed = parseToWorker(event.data);
  if (!parsed.ok) {
    reply({ type: 'reply', id: parsed.id, request: null, ok: false, error: { code: 'invalid-message', message: parsed.error } });
    return;
  }
  const request = parsed.message;
  if (request.type === 'load-data') {
    void loadData(request);
    return;
  }
  if (request.type === 'ping') {
    reply({ type: 'reply', id: request.id, request: 'ping', ok: true, result: { busy: driver.busy } });
    return;
  }
  if (request.type === 'cancel-load') {
    const cancelled = loading !== null && aborter !== null && !aborter.signal.aborted;
    if (cancelled) aborter!.abort();
    reply({ type: 'reply', id: request.id, request: 'cancel-load', ok: true, result: { cancelled } });
    return;
  }
  try {
    const answer = driver.handle(request);
    if (answer) reply(answer);
  } catch (e) {
    reply({
      type: 'reply',
      id: request.id,
      request: request.type,
      ok: false,
      error: { code: 'internal', message: e instanceof Error ? e.message : String(e) },
    });
  }
  if (driver.busy) schedule();
};
