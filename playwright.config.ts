/**
 * Browser tests in Debian's Chromium against the BUILT site: the build for any folder at the root
 * (project `root`), a BASE_PATH build under a sub-path (project `course`), and the packaged build
 * unpacked under two other sub-paths (projects `package-a`, `package-deep`). Specs get `baseURL` (ends with the base path) and the
 * `basePath` option from test/e2e/fixtures.ts; navigate with relative URLs (`page.goto('lessons/x/')`).
 */
import { defineConfig } from '@playwright/test';
import type { SiteOptions } from './test/e2e/fixtures.ts';
import { packaged, siteUrl, sites } from './test/sites.ts';

export default defineConfig<SiteOptions>({
  testDir: 'test/e2e',
  globalSetup: './test/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // Limits, not waits: a passing test takes what it takes. CI machines are shared; at a load average
  // of 30-50 (measured here, other work on both cores) single page loads took 30-45 s, so the caps
  // leave room for that while a test that hangs still fails.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
    screenshot: 'off',
  },
  projects: [
    { name: 'root', testIgnore: /\.perf\.spec\.ts$/, use: { baseURL: siteUrl(sites.root), basePath: sites.root.base } },
    // The sub-path build runs the tests tagged '@base-path': those where the base path can break something —
    // links and the crawl, search, the service worker's scope, the data download, the workers' and the code cells'
    // script URLs, the stores, embeds, the work download and the grading page (its answer key and sandbox URLs).
    // Tests of what a base path cannot change (checked answers, widget maths, presets, pausing a run, accessibility,
    // the code-cell attacks, the claims' verdict rules) run once, at the root: running whole spec files again cost
    // the suite about 15 minutes of test time for no extra coverage.
    { name: 'course', grep: /@base-path/, use: { baseURL: siteUrl(sites.course), basePath: sites.course.base } },
    // The archive of `npm run package`, unpacked with no rebuild under /a/ and /deep/b/c/: the crawl
    // (every page, link and asset, the 404 page at depth), search, and the offline copy with a short
    // training run online and offline (offline.spec.ts). The build inside is the `root` project's.
    ...Object.entries(packaged).map(([name, site]) => ({
      name: `package-${name}`,
      testMatch: /\/(site|search|offline)\.spec\.ts$/,
      grep: /@base-path/,
      use: { baseURL: siteUrl(site), basePath: site.base },
    })),
    // Timing measurements (*.perf.spec.ts) run last and one at a time (workers: 1), so no other
    // test shares the CPU with the one being timed.
    {
      name: 'perf',
      testMatch: /\.perf\.spec\.ts$/,
      dependencies: ['root', 'course'],
      workers: 1,
      use: { baseURL: siteUrl(sites.root), basePath: sites.root.base },
    },
  ],
});
