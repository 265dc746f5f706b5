/** The two builds the browser tests run against. Ports move together with E2E_PORT. */
const port = Number(process.env.E2E_PORT ?? 4410);

export const sites = {
  root: { dir: 'dist', base: '/', port },
  course: { dir: 'dist-course', base: '/course/', port: port + 1 },
} as const;

export function siteUrl(site: (typeof sites)[keyof typeof sites]): string {
  return `http://127.0.0.1:${site.port}${site.base}`;
}
