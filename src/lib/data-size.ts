/**
 * The download size of the MNIST assets (the gzip files' bytes, as listed in the manifest that
 * `npm run data` writes to public/data/mnist.json), read at build time for pages that mention it.
 */
import { readFileSync } from 'node:fs';

/** Total gzip bytes of the data files, or null when the manifest has not been generated yet. */
export function dataDownloadBytes(manifestPath = 'public/data/mnist.json'): number | null {
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch {
    return null;
  }
  const manifest = JSON.parse(text) as { files?: { gzipBytes?: unknown }[] };
  if (!Array.isArray(manifest.files)) throw new Error(`dataDownloadBytes: ${manifestPath} has no "files" list`);
  return manifest.files.reduce((sum, f, i) => {
    if (typeof f.gzipBytes !== 'number')
      throw new Error(`dataDownloadBytes: files[${i}].gzipBytes in ${manifestPath} must be a number, received ${String(f.gzipBytes)}`);
    return sum + f.gzipBytes;
  }, 0);
}

/** "11.5 MB" */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
