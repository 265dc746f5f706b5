/**
 * Where the data manifest lives, as an absolute URL. The worker must get absolute URLs: a
 * relative `fetch('data/…')` inside it would resolve against the worker script (`/_astro/…`),
 * and the site may be hosted under a sub-path (`/course/`).
 */
export function dataManifestUrl(base: string, pageUrl: string): string {
  const folder = base.endsWith('/') ? base : `${base}/`;
  return new URL(`${folder}data/mnist.json`, pageUrl).href;
}
