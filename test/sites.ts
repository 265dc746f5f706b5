/**
 * The two builds the browser tests run against: the build for any folder (`npm run build`, no
 * BASE_PATH: every URL relative) served at the root, and one built with BASE_PATH=/course/ (absolute
 * URLs) served under `/course/`. `buildBase` is the BASE_PATH each is built with ('' = none). They
 * are built into their own folders (E2E_OUT, default dist-e2e/) so a test run never races a
 * developer's `npm run build` into dist/. Ports move together with E2E_PORT.
 */
const port = Number(process.env.E2E_PORT ?? 4410);
const out = process.env.E2E_OUT ?? 'dist-e2e';

export const sites = {
  root: { dir: `${out}/root`, base: '/', port, buildBase: '' },
  course: { dir: `${out}/course`, base: '/course/', port: port + 1, buildBase: '/course/' },
} as const;

export function siteUrl(site: { base: string; port: number }): string {
  return `http://127.0.0.1:${site.port}${site.base}`;
}

/** The policy the README promises the site works under (csp.spec.ts serves every page with it). */
export const strictCsp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; worker-src 'self'";

/**
 * The root build served again with extra response headers: under the strict policy above, and
 * cross-origin isolated (COOP + COEP), which `performance.measureUserAgentSpecificMemory()` needs.
 */
export const variants = {
  csp: { dir: sites.root.dir, base: '/', port: port + 2, headers: { 'Content-Security-Policy': strictCsp } },
  isolated: {
    dir: sites.root.dir,
    base: '/',
    port: port + 3,
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
} as const;

/**
 * A second course, built from the worked example configuration (course/examples/seminar.json:
 * three lessons in another order plus the starter lesson, another title) at the root, so a test
 * can check that the site shows exactly that course.
 */
export const seminar = { dir: `${out}/seminar`, base: '/', port: port + 4, buildBase: '', config: 'course/examples/seminar.json' } as const;

/**
 * The root build as an instructor downloads it: zipped by `scripts/package.ts` (what `npm run
 * package` does after the build), unpacked with `unzip` into two folders and served, with no
 * rebuild, under two different sub-paths (the `package-a` and `package-deep` projects).
 */
export const archive = `${out}/normlab-site.zip`;
export const packaged = {
  a: { folder: `${out}/packaged-a`, dir: `${out}/packaged-a/normlab-site`, base: '/a/', port: port + 5 },
  deep: { folder: `${out}/packaged-deep`, dir: `${out}/packaged-deep/normlab-site`, base: '/deep/b/c/', port: port + 6 },
} as const;
