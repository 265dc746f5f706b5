/**
 * Getting the MNIST assets from the site into datasets: read the manifest written by
 * `npm run data`, take each file from the cache or download it, decompress it when it arrives
 * still gzipped, verify it (size, IDX magic and dims, SHA-256), cache it, and build the
 * train/validation/test sets.
 *
 * Why sniff instead of trusting the file name: `astro dev`/`astro preview` and some static hosts
 * send `*.gz` with `Content-Encoding: gzip`, so the browser hands over decoded bytes; a plain host
 * sends the gzip bytes. The first two bytes (1f 8b) tell which case we are in.
 *
 * The web bindings (fetch, DecompressionStream, crypto.subtle, Cache Storage, a timer) are injected
 * with the narrow shapes below, so this file stays free of DOM types and runs under Node in the tests.
 *
 * Nothing waits forever: the manifest request, each read of a file and each cache lookup race a
 * `stallMs` timer. A host that stops sending fails the load with a message the page shows beside
 * Retry (it never sits on "Downloading… 100 %"); a cache that never answers counts as a miss.
 */
import { parseIdx } from '../data/idx.ts';
import { mnistDataset, splitValidation, type Dataset } from '../data/mnist.ts';
import { array, literal, number, object, oneOf, refine, string, type Infer } from '../schema.ts';

export type DataFileName = 'train-images' | 'train-labels' | 'test-images' | 'test-labels';
export const dataFileNames: readonly DataFileName[] = ['train-images', 'train-labels', 'test-images', 'test-labels'];

export const DataManifestEntry = object({
  name: oneOf(dataFileNames),
  /** File name of the gzip copy, relative to the manifest. */
  file: string({ minLength: 1 }),
  /** Size of the decompressed IDX file in bytes. */
  rawBytes: number({ integer: true, min: 1 }),
  /** Size of the gzip copy in bytes (what a host without Content-Encoding sends). */
  gzipBytes: number({ integer: true, min: 1 }),
  /** Hex SHA-256 of the decompressed IDX bytes. */
  sha256: refine(string(), (h) => (/^[0-9a-f]{64}$/.test(h) ? null : '64 lowercase hex digits')),
  /** IDX dimensions, e.g. [60000, 28, 28]. */
  dims: array(number({ integer: true, min: 1 })),
});
export type DataManifestEntry = Infer<typeof DataManifestEntry>;

const files = refine(array(DataManifestEntry), (entries) => {
  const missing = dataFileNames.find((name) => !entries.some((f) => f.name === name));
  return missing === undefined ? null : `an entry for '${missing}'`;
});
export const DataManifest = object({ version: literal(1), files });
export type DataManifest = Infer<typeof DataManifest>;

/** A failure the page can act on: 'data-download' (retry later) or 'data-corrupt' (bad bytes). */
export class DataError extends Error {
  override name = 'DataError';
  constructor(
    readonly code: 'data-download' | 'data-corrupt',
    message: string,
  ) {
    super(message);
  }
}

export function parseManifest(value: unknown, url: string): DataManifest {
  try {
    return DataManifest.parse(value, 'manifest');
  } catch (e) {
    throw new DataError('data-corrupt', `data manifest ${url} is not valid: ${(e as Error).message}`);
  }
}

/** The URL of `file` in the manifest's folder (the engine's lib has no URL class). */
export function resolveBeside(manifestUrl: string, file: string): string {
  const path = manifestUrl.replace(/[?#].*$/, '');
  return path.slice(0, path.lastIndexOf('/') + 1) + file;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function toHex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Checks decoded IDX bytes against their manifest entry; `sha256` is null where hashing is unavailable. */
export function verifyFile(entry: DataManifestEntry, raw: Uint8Array, sha256: string | null): void {
  if (raw.length !== entry.rawBytes) {
    throw new DataError('data-corrupt', `${entry.file}: expected ${entry.rawBytes} bytes after decompression, received ${raw.length}`);
  }
  let dims: number[];
  try {
    dims = parseIdx(raw).dims;
  } catch (e) {
    throw new DataError('data-corrupt', `${entry.file}: ${(e as Error).message}`);
  }
  if (dims.join(',') !== entry.dims.join(',')) {
    throw new DataError('data-corrupt', `${entry.file}: expected dims [${entry.dims.join(', ')}], received [${dims.join(', ')}]`);
  }
  if (sha256 !== null && sha256 !== entry.sha256) {
    throw new DataError(
      'data-corrupt',
      `${entry.file}: checksum mismatch, expected SHA-256 ${entry.sha256.slice(0, 12)}…, received ${sha256.slice(0, 12)}…`,
    );
  }
}

/** The subset of fetch's Response this module reads. */
export interface FetchedResponse {
  ok: boolean;
  status: number;
  statusText: string;
  body: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }> } } | null;
  json(): Promise<unknown>;
}

/** A cache of verified raw IDX bytes, keyed by URL + checksum (Cache Storage in the browser). */
export interface ByteCache {
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

/** A started timer: `expired` resolves after its time unless `clear` was called first. */
export interface Timer {
  expired: Promise<void>;
  clear(): void;
}

/** How long the network or the cache may stay silent before a load fails (or a cache lookup counts as a miss). */
export const stallMs = 30_000;

export interface AssetBindings {
  fetch(url: string): Promise<FetchedResponse>;
  /** setTimeout in the browser. */
  timer(ms: number): Timer;
  gunzip(bytes: Uint8Array): Promise<Uint8Array>;
  /** Hex SHA-256, or null when unavailable (crypto.subtle needs a secure context). */
  sha256(bytes: Uint8Array): Promise<string | null>;
  cache: ByteCache | null;
}

export interface LoadProgress {
  loaded: number;
  total: number;
  source: 'network' | 'cache';
}

export type DataFiles = Record<DataFileName, Uint8Array>;

const stalled = Symbol('stalled');

/** `work`, or `stalled` when it has not settled after `stallMs`. */
async function withinStall<T>(b: AssetBindings, work: Promise<T>): Promise<T | typeof stalled> {
  const timer = b.timer(stallMs);
  try {
    return await Promise.race([work, timer.expired.then((): typeof stalled => stalled)]);
  } finally {
    timer.clear();
  }
}

const silentFor = `${stallMs / 1000} s`;

async function fetchOk(b: AssetBindings, url: string): Promise<FetchedResponse> {
  let response: FetchedResponse | typeof stalled;
  try {
    response = await withinStall(b, b.fetch(url));
  } catch (e) {
    throw new DataError('data-download', `could not download ${url}: ${(e as Error).message}`);
  }
  if (response === stalled)
    throw new DataError('data-download', `could not download ${url}: the server did not answer within ${silentFor}`);
  if (!response.ok)
    throw new DataError('data-download', `could not download ${url}: HTTP ${response.status} ${response.statusText}`.trim());
  return response;
}

/**
 * Downloads one file, counting bytes as they arrive. `expect(gzipped)` is called once the first
 * bytes show whether the host already decoded the file, so progress totals stay honest.
 */
async function download(
  b: AssetBindings,
  url: string,
  entry: DataManifestEntry,
  expect: (total: number) => void,
  onBytes: (n: number) => void,
): Promise<Uint8Array> {
  const response = await fetchOk(b, url);
  if (!response.body) throw new DataError('data-download', `could not download ${url}: the response has no body`);
  const reader = response.body.getReader();
  let buffer: Uint8Array | null = null;
  let length = 0;
  for (;;) {
    let chunk: { done: boolean; value?: Uint8Array } | typeof stalled;
    try {
      chunk = await withinStall(b, reader.read());
    } catch (e) {
      throw new DataError('data-download', `download of ${url} broke off after ${length} bytes: ${(e as Error).message}`);
    }
    if (chunk === stalled)
      throw new DataError('data-download', `download of ${url} stalled: no data for ${silentFor} after ${length} bytes`);
    if (chunk.done || !chunk.value) break;
    const value = chunk.value;
    if (buffer === null) {
      const size = isGzip(value) ? entry.gzipBytes : entry.rawBytes;
      expect(size);
      buffer = new Uint8Array(size);
    }
    if (length + value.length > buffer.length) {
      throw new DataError('data-corrupt', `${entry.file}: expected ${buffer.length} bytes from ${url}, received more`);
    }
    buffer.set(value, length);
    length += value.length;
    onBytes(value.length);
  }
  if (buffer === null || length !== buffer.length) {
    throw new DataError(
      'data-corrupt',
      `${entry.file}: expected ${buffer?.length ?? entry.gzipBytes} bytes from ${url}, received ${length}`,
    );
  }
  if (!isGzip(buffer)) return buffer;
  try {
    return await b.gunzip(buffer);
  } catch (e) {
    throw new DataError(
      'data-corrupt',
      `${entry.file}: the file arrived complete but its gzip data is damaged and cannot be unpacked (${(e as Error).message})`,
    );
  }
}

/** Fetches, verifies and caches the four files; progress totals cover all files together. */
export async function loadDataFiles(
  manifestUrl: string,
  b: AssetBindings,
  onProgress: (p: LoadProgress) => void,
): Promise<{ files: DataFiles; source: 'network' | 'cache' }> {
  const manifestResponse = await fetchOk(b, manifestUrl);
  let json: unknown;
  try {
    json = await withinStall(b, manifestResponse.json());
  } catch (e) {
    throw new DataError('data-corrupt', `data manifest ${manifestUrl} is not JSON: ${(e as Error).message}`);
  }
  if (json === stalled) throw new DataError('data-download', `could not download ${manifestUrl}: no data for ${silentFor}`);
  const manifest = parseManifest(json, manifestUrl);

  const totals = new Map(manifest.files.map((f) => [f.name, f.gzipBytes]));
  let loaded = 0;
  let fromNetwork = false;
  const report = () =>
    onProgress({ loaded, total: [...totals.values()].reduce((a, c) => a + c, 0), source: fromNetwork ? 'network' : 'cache' });

  const entries = dataFileNames.map((name) => manifest.files.find((f) => f.name === name)!);
  const loadedFiles = await Promise.all(
    entries.map(async (entry) => {
      const url = resolveBeside(manifestUrl, entry.file);
      const key = `${url}?sha256=${entry.sha256}`;
      const lookup = b.cache
        ? await withinStall(
            b,
            b.cache.get(key).catch(() => null),
          )
        : null;
      const cached = lookup === stalled ? null : lookup;
      if (cached) {
        try {
          // Hashed again: a cache can be edited (or damaged) after it was stored.
          verifyFile(entry, cached, await b.sha256(cached));
          totals.set(entry.name, cached.length);
          loaded += cached.length;
          report();
          return cached;
        } catch {
          // A damaged or tampered cache entry is replaced by a fresh download below.
        }
      }
      fromNetwork = true;
      const raw = await download(
        b,
        url,
        entry,
        (total) => totals.set(entry.name, total),
        (n) => {
          loaded += n;
          report();
        },
      );
      verifyFile(entry, raw, await b.sha256(raw));
      if (b.cache)
        await withinStall(
          b,
          b.cache.put(key, raw).catch(() => undefined),
        ); // a full or missing cache only costs a download next time
      return raw;
    }),
  );
  const files = Object.fromEntries(dataFileNames.map((name, i) => [name, loadedFiles[i]])) as DataFiles;
  return { files, source: fromNetwork ? 'network' : 'cache' };
}

export interface Datasets {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
}

/** Keras' validation_split=0.1 on the 60,000 training images: 54,000 train, the last 6,000 held out. */
export function buildDatasets(files: DataFiles): Datasets {
  try {
    const { train, validation } = splitValidation(mnistDataset(files['train-images'], files['train-labels']), 0.1);
    return { train, validation, test: mnistDataset(files['test-images'], files['test-labels']) };
  } catch (e) {
    throw new DataError('data-corrupt', (e as Error).message);
  }
}
