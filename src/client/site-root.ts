/**
 * The site's root at run time, wherever the build is hosted. Every page carries
 * `<meta name="normlab-root">` (BaseLayout.astro): the way up from the page to the root ('../../')
 * in a build without BASE_PATH, the base itself ('/course/') in one with it. Resolved against the
 * page's address it gives the root in both, so scripts never read `import.meta.env.BASE_URL` (a
 * build for any folder has no fixed base) and workers get absolute URLs built from it (a relative
 * URL inside a worker would resolve against the worker's script in `_astro/`).
 */
export function siteRoot(doc: Document = document): URL {
  const content = doc.querySelector<HTMLMetaElement>('meta[name="normlab-root"]')?.content;
  if (content === undefined) {
    throw new Error(
      `siteRoot: ${doc.location?.href ?? 'the page'} has no <meta name="normlab-root">; expected every page to carry one (BaseLayout.astro)`,
    );
  }
  return new URL(content, doc.baseURI);
}

/** The absolute URL of a file of this site, `path` relative to the root ('data/mnist.json'). */
export function siteUrl(path: string, doc: Document = document): string {
  return new URL(path.replace(/^\/+/, ''), siteRoot(doc)).href;
}

/** Where the training data's manifest lives, as an absolute URL for the workers. */
export function dataManifestUrl(doc: Document = document): string {
  return siteUrl('data/mnist.json', doc);
}
