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
