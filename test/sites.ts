/**
 * The two builds the browser tests run against: the site at the root and under `/course/`. They
 * are built into their own folders (E2E_OUT, default dist-e2e/) so a test run never races a
 * developer's `npm run build` into dist/. Ports move together with E2E_PORT.
 */
const port = Number(process.env.E2E_PORT ?? 4410);
const out = process.env.E2E_OUT ?? 'dist-e2e';

export const sites = {
  root: { dir: `${out}/root`, base: '/', port },
  course: { dir: `${out}/course`, base: '/course/', port: port + 1 },
} as const;

export function siteUrl(site: (typeof sites)[keyof typeof sites]): string {
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
export const seminar = { dir: `${out}/seminar`, base: '/', port: port + 4, config: 'course/examples/seminar.json' } as const;
