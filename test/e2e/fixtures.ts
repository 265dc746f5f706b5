/**
 * The `test` every spec imports. It adds:
 * - `basePath`: the site's base path for this project ('/' or '/course/');
 * - `problems`: every console error, uncaught page error, failed request (network failure or
 *   HTTP ≥ 400) and request to another origin seen during the test. Requests to other origins
 *   are blocked. The test fails at the end if any problem was not explicitly allowed with
 *   `problems.allow(/pattern/)`.
 */
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

export interface SiteOptions {
  basePath: string;
}

export interface Problems {
  readonly list: string[];
  /** Ignore problems matching `pattern` (e.g. the 404 a test asks for on purpose). */
  allow(pattern: RegExp): void;
  /** Watches another page of the test (a second tab) the same way as `page`. */
  watch(page: Page): Promise<void>;
}

export const test = base.extend<SiteOptions & { problems: Problems }>({
  basePath: ['/', { option: true }],
  problems: [
    async ({ page, baseURL }, use) => {
      const origin = new URL(baseURL ?? 'http://127.0.0.1/').origin;
      const list: string[] = [];
      const allowed: RegExp[] = [];
      const record = (problem: string) => list.push(problem);
      const watch = async (p: Page) => {
        await p.route('**/*', async (route) => {
          const url = route.request().url();
          if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) return route.continue();
          record(`off-origin request: ${url}`);
          return route.abort('blockedbyclient');
        });
        p.on('console', (message) => {
          if (message.type() === 'error') record(`console error: ${message.text()} (${message.location().url})`);
        });
        p.on('pageerror', (error) => record(`page error: ${error.message}`));
        p.on('requestfailed', (request) => {
          const failure = request.failure()?.errorText ?? 'unknown';
          // Blocked: already recorded as off-origin. Aborted: a navigation cancelled it (the test moved on).
          if (failure !== 'net::ERR_BLOCKED_BY_CLIENT' && failure !== 'net::ERR_ABORTED')
            record(`request failed: ${request.url()} (${failure})`);
        });
        p.on('response', (response) => {
          if (response.status() >= 400) record(`HTTP ${response.status()}: ${response.url()}`);
        });
      };
      await watch(page);
      await use({ list, allow: (pattern) => allowed.push(pattern), watch });
      const unexpected = list.filter((p) => !allowed.some((pattern) => pattern.test(p)));
      expect(unexpected, 'console errors, failed or off-origin requests').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * Paths (relative to the base, '' = home) of every HTML page reachable by links from the home
 * page, the widget index and the search page, found by fetching pages (no browser).
 */
export async function crawlSite(request: APIRequestContext, baseURL: string): Promise<string[]> {
  const root = new URL(baseURL);
  const seen = new Set<string>(['', 'embed/', 'search/']);
  const queue = [...seen];
  while (queue.length > 0) {
    const path = queue.shift() as string;
    const pageUrl = new URL(path, root);
    const response = await request.get(pageUrl.toString());
    if (!response.ok() || !(response.headers()['content-type'] ?? '').includes('text/html')) continue;
    for (const href of hrefs(await response.text())) {
      const target = new URL(href, pageUrl);
      if (target.origin !== root.origin || !target.pathname.startsWith(root.pathname)) continue;
      const relative = target.pathname.slice(root.pathname.length);
      if (/\.[a-z0-9]+$/i.test(relative) && !relative.endsWith('.html')) continue;
      if (!seen.has(relative)) {
        seen.add(relative);
        queue.push(relative);
      }
    }
  }
  return [...seen].sort();
}

/** Every `<a href>` in an HTML string (the raw attribute values). */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
}

/**
 * Visits every path in three tabs of the test's context that take paths from one queue: a page
 * visit is mostly waiting (network idle's quiet 500 ms, fonts, workers), which the tabs overlap.
 * The extra tabs are watched like `page` (problems.watch) and get its viewport.
 */
export async function visitInTabs(
  page: Page,
  problems: Problems,
  paths: readonly string[],
  visit: (tab: Page, path: string) => Promise<void>,
): Promise<void> {
  const viewport = page.viewportSize();
  const extra = await Promise.all([1, 2].map(() => page.context().newPage()));
  for (const tab of extra) {
    await problems.watch(tab);
    if (viewport) await tab.setViewportSize(viewport);
  }
  const queue = [...paths];
  try {
    await Promise.all(
      [page, ...extra].map(async (tab) => {
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) await visit(tab, path);
      }),
    );
  } finally {
    await Promise.all(extra.map((tab) => tab.close()));
  }
}
