// Run after `pagefind` (the last step of `npm run build`): lists what the service worker
// (public/sw.js) stores for offline reading — every page, script, stylesheet, WOFF2 font and the
// whole search index — in `<site>/precache.json`, each file with the SHA-256 of its bytes (the
// worker stores a download only when its hash matches, so an error page or a truncated file never
// enters the cache), and a version that changes whenever any listed file changes, so a redeploy
// is noticed and fetched (see sw.js). The data manifest is listed;
// left out are the MNIST files (the training worker keeps its own verified copy in Cache
// Storage), the TTF/WOFF fallbacks of the KaTeX fonts (every browser that runs the site reads
// WOFF2), Pagefind's unused UI bundles, and build leftovers (.mjs, collections/).
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PrecacheFile {
  /** Relative to the site's base: pages as their folder ('' and 'lessons/x/'), other files by path. */
  url: string;
  /** SHA-256 of the file's bytes as served, lowercase hex. */
  sha256: string;
}

export interface Precache {
  /** The first 16 hex digits of a SHA-256 over every listed URL and hash. */
  version: string;
  files: PrecacheFile[];
}

const skipped = [
  /^data\/(?!mnist\.json$)/,
  /\.(ttf|woff|mjs)$/,
  /^collections\//,
  /^pagefind\/pagefind-(component-ui|modular-ui|ui|highlight)\./,
  /^precache\.json$/,
  /^sw\.js$/,
];

/** The precache URL of a built file, or null when the service worker leaves it to the network. */
export function precacheUrl(path: string): string | null {
  if (skipped.some((pattern) => pattern.test(path))) return null;
  if (path === 'index.html') return '';
  if (path.endsWith('/index.html')) return path.slice(0, -'index.html'.length);
  return path;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

export async function writePrecache(site: string): Promise<Precache> {
  const paths = (await walk(site)).sort();
  const version = createHash('sha256');
  const files: PrecacheFile[] = [];
  for (const path of paths) {
    const url = precacheUrl(path);
    if (url === null) continue;
    const sha256 = createHash('sha256')
      .update(await readFile(join(site, path)))
      .digest('hex');
    files.push({ url, sha256 });
    version.update(`${url}\0${sha256}\n`);
  }
  const precache: Precache = { version: version.digest('hex').slice(0, 16), files };
  await writeFile(join(site, 'precache.json'), `${JSON.stringify(precache)}\n`);
  return precache;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const site = process.argv[2] ?? 'dist';
  const { version, files } = await writePrecache(site);
  console.log(`precache: ${files.length} files, version ${version} → ${site}/precache.json`);
}
