import { describe, expect, it, vi } from 'vitest';
import {
  buildDatasets,
  DataError,
  isGzip,
  loadDataFiles,
  parseManifest,
  resolveBeside,
  stallMs,
  verifyFile,
  type AssetBindings,
  type DataManifest,
  type FetchedResponse,
} from './data-assets.ts';

// Node's zlib and crypto stand in for the browser's DecompressionStream and crypto.subtle; the
// engine's lib has no Node types, so they are reached through a typed dynamic import.
interface NodeBits {
  gzipSync(b: Uint8Array): Uint8Array;
  gunzipSync(b: Uint8Array): Uint8Array;
  sha256(b: Uint8Array): string;
}
const node: NodeBits = await (async () => {
  const zlib = (await import('node:' + 'zlib')) as { gzipSync(b: Uint8Array): Uint8Array; gunzipSync(b: Uint8Array): Uint8Array };
  const crypto = (await import('node:' + 'crypto')) as { createHash(a: string): { update(b: Uint8Array): { digest(e: string): string } } };
  return { gzipSync: zlib.gzipSync, gunzipSync: zlib.gunzipSync, sha256: (b) => crypto.createHash('sha256').update(b).digest('hex') };
})();

// The engine's lib has no timers either; vitest's fake timers replace these globals.
const timers = globalThis as unknown as { setTimeout(f: () => void, ms: number): unknown; clearTimeout(id: unknown): void };

function idx(dims: number[], fill: (i: number) => number): Uint8Array {
  const header = 4 + 4 * dims.length;
  const size = dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(header + size);
  bytes.set([0, 0, 0x08, dims.length]);
  dims.forEach((d, i) => new DataView(bytes.buffer).setUint32(4 + 4 * i, d));
  for (let i = 0; i < size; i++) bytes[header + i] = fill(i);
  return bytes;
}

// Ten tiny 2×2 "images" with labels 0–9, and five test ones.
const raw = {
  'train-images': idx([10, 2, 2], (i) => (i * 37) % 256),
  'train-labels': idx([10], (i) => i % 10),
  'test-images': idx([5, 2, 2], (i) => (i * 11) % 256),
  'test-labels': idx([5], (i) => (i * 3) % 10),
};
const gz = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, new Uint8Array(node.gzipSync(v))])) as typeof raw;
const manifest: DataManifest = {
  version: 1,
  files: (Object.keys(raw) as (keyof typeof raw)[]).map((name) => ({
    name,
    file: `${name}.idx.gz`,
    rawBytes: raw[name].length,
    gzipBytes: gz[name].length,
    sha256: node.sha256(raw[name]),
    dims: name.endsWith('images') ? [name.startsWith('train') ? 10 : 5, 2, 2] : [name.startsWith('train') ? 10 : 5],
  })),
};
const base = 'https://example.org/course/data/';

function response(body: Uint8Array | object | null, status = 200, chunk = 7): FetchedResponse {
  const bytes = body instanceof Uint8Array ? body : null;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 404 ? 'Not Found' : 'OK',
    body: bytes && {
      getReader() {
        let at = 0;
        return {
          read: async () => {
            if (at >= bytes.length) return { done: true };
            const value = bytes.slice(at, at + chunk);
            at += chunk;
            return { done: false, value };
          },
        };
      },
    },
    json: async () => body,
  };
}

/** A host: serves the manifest and the files, gzipped or already decoded (Content-Encoding). */
function bindings(
  options: { decoded?: boolean; files?: Partial<Record<string, Uint8Array>>; status?: number; cache?: Map<string, Uint8Array> | null } = {},
) {
  const fetched: string[] = [];
  const b: AssetBindings = {
    async fetch(url) {
      fetched.push(url);
      if (url === `${base}mnist.json`) return response(manifest);
      const name = url.slice(base.length).replace('.idx.gz', '') as keyof typeof raw;
      if (options.status) return response(null, options.status);
      return response(options.files?.[name] ?? (options.decoded ? raw[name] : gz[name]));
    },
    timer: (ms) => {
      let id: unknown;
      return { expired: new Promise<void>((resolve) => (id = timers.setTimeout(resolve, ms))), clear: () => timers.clearTimeout(id) };
    },
    gunzip: async (bytes) => new Uint8Array(node.gunzipSync(bytes)),
    sha256: async (bytes) => node.sha256(bytes),
    cache:
      options.cache === null
        ? null
        : {
            get: async (key) => options.cache?.get(key) ?? null,
            put: async (key, bytes) => void options.cache?.set(key, bytes),
          },
  };
  return { b, fetched };
}

describe('parseManifest(value, url)', () => {
  it('accepts what npm run data writes', () => {
    expect(parseManifest(JSON.parse(JSON.stringify(manifest)), 'm')).toEqual(manifest);
  });
  it('names the manifest and the bad field when it is malformed', () => {
    expect(() => parseManifest({ version: 2, files: [] }, 'https://x/m.json')).toThrow(
      'data manifest https://x/m.json is not valid: manifest.version: expected 1, received 2',
    );
    expect(() => parseManifest({ version: 1, files: manifest.files.slice(1) }, 'm')).toThrow(
      "manifest.files: expected an entry for 'train-images'",
    );
    const bad = { version: 1, files: [{ ...manifest.files[0], sha256: 'xyz' }, ...manifest.files.slice(1)] };
    expect(() => parseManifest(bad, 'm')).toThrow("manifest.files[0].sha256: expected 64 lowercase hex digits, received 'xyz'");
  });
});

describe('resolveBeside(manifestUrl, file) and isGzip(bytes)', () => {
  it('resolves a file in the manifest folder, ignoring a query', () => {
    expect(resolveBeside('https://h/course/data/mnist.json?v=2', 'a.gz')).toBe('https://h/course/data/a.gz');
  });
  it('recognises the gzip magic 1f 8b only', () => {
    expect(isGzip(gz['train-labels'])).toBe(true);
    expect(isGzip(raw['train-labels'])).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
  });
});

describe('verifyFile(entry, raw, sha256)', () => {
  const entry = manifest.files[1];
  it('passes the real bytes and rejects wrong sizes, dims and checksums with what was received', () => {
    expect(() => verifyFile(entry, raw['train-labels'], entry.sha256)).not.toThrow();
    expect(() => verifyFile(entry, raw['train-labels'].subarray(1), null)).toThrow(
      `train-labels.idx.gz: expected ${entry.rawBytes} bytes after decompression, received ${entry.rawBytes - 1}`,
    );
    expect(() =>
      verifyFile(
        entry,
        idx([2, 3], () => 1),
        null,
      ),
    ).toThrow('train-labels.idx.gz: expected dims [10], received [2, 3]');
    const flipped = raw['train-labels'].slice();
    flipped[0] = 9;
    expect(() => verifyFile(entry, flipped, null)).toThrow(/train-labels.idx.gz: parseIdx: bad magic number/);
    expect(() => verifyFile(entry, raw['train-labels'], '0'.repeat(64))).toThrow('checksum mismatch');
  });
});

describe('loadDataFiles(manifestUrl, bindings, onProgress)', () => {
  it('downloads gzip bytes from a plain host, decompresses and verifies them, and reports progress up to the total', async () => {
    const cache = new Map<string, Uint8Array>();
    const { b } = bindings({ cache });
    const progress: { loaded: number; total: number }[] = [];
    const { files, source } = await loadDataFiles(`${base}mnist.json`, b, (p) => progress.push(p));
    expect(source).toBe('network');
    expect(files['train-images']).toEqual(raw['train-images']);
    expect(files['test-labels']).toEqual(raw['test-labels']);
    const gzTotal = Object.values(gz).reduce((a, v) => a + v.length, 0);
    expect(progress.at(-1)).toEqual({ loaded: gzTotal, total: gzTotal, source: 'network' });
    expect(progress.length).toBeGreaterThan(4);
    expect([...cache.keys()]).toContain(`${base}train-images.idx.gz?sha256=${manifest.files[0].sha256}`);
  });

  it('accepts files the host already decoded (Content-Encoding: gzip) and counts their raw size', async () => {
    const { b } = bindings({ decoded: true, cache: null });
    const progress: { loaded: number; total: number }[] = [];
    const { files } = await loadDataFiles(`${base}mnist.json`, b, (p) => progress.push(p));
    expect(files['train-labels']).toEqual(raw['train-labels']);
    const rawTotal = Object.values(raw).reduce((a, v) => a + v.length, 0);
    expect(progress.at(-1)).toMatchObject({ loaded: rawTotal, total: rawTotal });
  });

  it('serves the next load from the cache without touching the network for the files', async () => {
    const cache = new Map<string, Uint8Array>();
    await loadDataFiles(`${base}mnist.json`, bindings({ cache }).b, () => {});
    const second = bindings({ cache });
    const { source, files } = await loadDataFiles(`${base}mnist.json`, second.b, () => {});
    expect(source).toBe('cache');
    expect(second.fetched).toEqual([`${base}mnist.json`]);
    expect(files['test-images']).toEqual(raw['test-images']);
  });

  it('replaces a damaged cache entry with a fresh download', async () => {
    const cache = new Map<string, Uint8Array>();
    await loadDataFiles(`${base}mnist.json`, bindings({ cache }).b, () => {});
    const key = [...cache.keys()].find((k) => k.includes('test-labels'))!;
    cache.set(key, raw['test-labels'].subarray(0, 10));
    const again = bindings({ cache });
    const { files } = await loadDataFiles(`${base}mnist.json`, again.b, () => {});
    expect(again.fetched).toEqual([`${base}mnist.json`, `${base}test-labels.idx.gz`]);
    expect(files['test-labels']).toEqual(raw['test-labels']);
  });

  it('verifies the checksum of cached bytes too: a tampered cache (labels all 3) is replaced by a download', async () => {
    const cache = new Map<string, Uint8Array>();
    await loadDataFiles(`${base}mnist.json`, bindings({ cache }).b, () => {});
    const key = [...cache.keys()].find((k) => k.includes('train-labels'))!;
    const tampered = raw['train-labels'].slice();
    tampered.fill(3, 8); // same size and IDX header, every label 3
    cache.set(key, tampered);
    const again = bindings({ cache });
    const { files } = await loadDataFiles(`${base}mnist.json`, again.b, () => {});
    expect(again.fetched).toEqual([`${base}mnist.json`, `${base}train-labels.idx.gz`]);
    expect(files['train-labels']).toEqual(raw['train-labels']);
  });

  it('fails with a message when the server stops sending, instead of waiting forever', async () => {
    vi.useFakeTimers();
    try {
      const { b } = bindings({ cache: null });
      const real = b.fetch;
      b.fetch = async (url) => {
        const r = await real(url);
        if (!url.includes('test-labels')) return r;
        let sent = false;
        // One chunk, then silence (a read that never settles).
        return {
          ...r,
          body: {
            getReader: () => ({
              read: () =>
                sent
                  ? new Promise<never>(() => {})
                  : ((sent = true), Promise.resolve({ done: false, value: gz['test-labels'].slice(0, 5) })),
            }),
          },
        };
      };
      const loading = loadDataFiles(`${base}mnist.json`, b, () => {}).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(stallMs + 1);
      expect(await loading).toMatchObject({
        code: 'data-download',
        message: `download of ${base}test-labels.idx.gz stalled: no data for 30 s after 5 bytes`,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('treats a cache that never answers as a miss and downloads', async () => {
    vi.useFakeTimers();
    try {
      const { b, fetched } = bindings({ cache: null });
      b.cache = { get: () => new Promise<never>(() => {}), put: () => new Promise<never>(() => {}) };
      const loading = loadDataFiles(`${base}mnist.json`, b, () => {});
      await vi.advanceTimersByTimeAsync(2 * stallMs + 1);
      const { source } = await loading;
      expect(source).toBe('network');
      expect(fetched).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails with a data-download error naming the URL and the HTTP status', async () => {
    const error = await loadDataFiles(`${base}mnist.json`, bindings({ status: 404 }).b, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ code: 'data-download', message: `could not download ${base}train-images.idx.gz: HTTP 404 Not Found` });
  });

  it('fails with a data-corrupt error on truncated, damaged or tampered files', async () => {
    const truncated = gz['train-labels'].subarray(0, gz['train-labels'].length - 3);
    const damaged = gz['test-images'].slice();
    damaged[damaged.length - 6] ^= 0xff; // breaks the CRC-32 trailer
    const tampered = raw['test-labels'].slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] + 1) % 10;
    const cases: [Partial<Record<string, Uint8Array>>, RegExp][] = [
      [{ 'train-labels': truncated }, /train-labels.idx.gz: expected \d+ bytes from .*, received \d+/],
      [{ 'test-images': damaged }, /test-images.idx.gz: the file arrived complete but its gzip data is damaged and cannot be unpacked/],
      [{ 'test-labels': new Uint8Array(node.gzipSync(tampered)) }, /test-labels.idx.gz: checksum mismatch/],
    ];
    for (const [files, message] of cases) {
      const error = await loadDataFiles(`${base}mnist.json`, bindings({ files, cache: null }).b, () => {}).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'data-corrupt' });
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('buildDatasets(files)', () => {
  it('holds out the last 10 % of the training images for validation, as Keras validation_split does', () => {
    const { train, validation, test } = buildDatasets(raw);
    expect([train.count, validation.count, test.count]).toEqual([9, 1, 5]);
    expect(validation.labels[0]).toBe(9);
    expect(train.features).toBe(4);
  });
});
