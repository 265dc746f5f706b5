import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataManifest } from '../engine/worker/data-assets.ts';
import { buildData, checkIdxHeader, manifestFileName, mnistFiles } from './build-data.ts';

/** A valid IDX file of unsigned bytes with the given dims, filled with a repeating pattern. */
function idx(dims: readonly number[], fill = 7): Uint8Array {
  const header = 4 + 4 * dims.length;
  const size = dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(header + size);
  bytes.set([0, 0, 0x08, dims.length]);
  const view = new DataView(bytes.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < size; i++) bytes[header + i] = (i * fill) % 256;
  return bytes;
}

describe('checkIdxHeader(bytes, dims, label)', () => {
  it('accepts a well-formed IDX file with the expected dims', () => {
    expect(() => checkIdxHeader(idx([3, 2, 2]), [3, 2, 2], 'x')).not.toThrow();
  });
  it('rejects a bad magic number, saying what it received', () => {
    const bytes = idx([3]);
    bytes[2] = 0x0d;
    expect(() => checkIdxHeader(bytes, [3], 'labels')).toThrow(/labels: parseIdx: unsupported element type float \(0x0d\)/);
  });
  it('rejects other dims and truncated files', () => {
    expect(() => checkIdxHeader(idx([4]), [3], 'l')).toThrow('l: expected dims [3], received [4]');
    expect(() => checkIdxHeader(idx([3]).subarray(0, 9), [3], 'l')).toThrow(
      'l: parseIdx: truncated data: dims [3] need 3 bytes after the header, received 1',
    );
  });
});

describe('buildData({ sourceDir, outDir })', () => {
  let dir: string;
  const small: Record<string, number[]> = {
    'train-images-idx3-ubyte': [6, 28, 28],
    'train-labels-idx1-ubyte': [6],
    't10k-images-idx3-ubyte': [2, 28, 28],
    't10k-labels-idx1-ubyte': [2],
  };
  // The real files have fixed dims; small stand-ins keep the test from needing 55 MB.
  const files = mnistFiles.map((f) => ({ ...f, dims: small[f.source] }));
  const options = () => ({ sourceDir: join(dir, 'src'), outDir: join(dir, 'out'), files });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'build-data-'));
    await mkdir(join(dir, 'src'));
    for (const spec of mnistFiles) await writeFile(join(dir, 'src', spec.source), idx(small[spec.source]));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('writes gzip copies that decompress to the source bytes and a manifest describing them', async () => {
    const { built, manifest } = await buildData(options());
    expect(built).toEqual(['train-images', 'train-labels', 'test-images', 'test-labels']);
    const onDisk = JSON.parse(await readFile(join(dir, 'out', manifestFileName), 'utf8')) as DataManifest;
    expect(onDisk).toEqual(manifest);
    for (const entry of manifest.files) {
      const source = mnistFiles.find((f) => f.name === entry.name)!.source;
      const raw = await readFile(join(dir, 'src', source));
      const gz = await readFile(join(dir, 'out', entry.file));
      expect(gz[0]).toBe(0x1f);
      expect(gz[1]).toBe(0x8b);
      expect(new Uint8Array(gunzipSync(gz))).toEqual(new Uint8Array(raw));
      expect(entry.rawBytes).toBe(raw.length);
      expect(entry.gzipBytes).toBe(gz.length);
      expect(entry.sha256).toBe(createHash('sha256').update(raw).digest('hex'));
      expect(entry.dims).toEqual(small[source]);
    }
  });

  it('skips outputs that are up to date and rebuilds the ones whose source or output changed', async () => {
    await buildData(options());
    const again = await buildData(options());
    expect(again.built).toEqual([]);
    expect(again.skipped).toHaveLength(4);

    await writeFile(join(dir, 'src', 't10k-labels-idx1-ubyte'), idx([2], 3));
    await writeFile(join(dir, 'out', 'train-labels.idx.gz'), 'truncated');
    const third = await buildData(options());
    expect(third.built.sort()).toEqual(['test-labels', 'train-labels']);
    expect((await stat(join(dir, 'out', 'train-labels.idx.gz'))).size).toBe(
      third.manifest.files.find((f) => f.name === 'train-labels')!.gzipBytes,
    );
  });

  it('refuses a corrupt source file instead of publishing it', async () => {
    await writeFile(join(dir, 'src', 'train-labels-idx1-ubyte'), idx([5]));
    await expect(buildData(options())).rejects.toThrow('train-labels-idx1-ubyte: expected dims [6], received [5]');
  });
});
