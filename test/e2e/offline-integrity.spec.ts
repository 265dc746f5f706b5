/**
 * The service worker's cache cannot be poisoned (public/sw.js, hashes from scripts/precache.ts):
 * a download whose bytes do not match the build's SHA-256 is never stored or served and fails the
 * precache with a message naming the file and both hashes; a stalled download is aborted; a copy
 * cut short is never counted complete and is finished by the next check; a redeploy replaces a
 * poisoned copy even of the script that registers the worker. The worker's messages are read from
 * its console. A cache counts as complete when it holds precache.json, which the worker writes last.
 */
import { createHash } from 'node:crypto';
import type { BrowserContext, Page, Route } from '@playwright/test';
import { expect, test } from './fixtures';

interface Manifest {
  version: string;
  files: { url: string; sha256: string }[];
}

const errorPage = '<!doctype html><title>Error</title><p>Server error, try again later</p>';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function manifest(page: Page): Promise<Manifest> {
  return (await page.request.get('precache.json')).json();
}

/** Every console message of the site's service worker, as it arrives. */
function workerConsole(context: BrowserContext): string[] {
  const messages: string[] = [];
  context.on('console', (message) => {
    if (message.worker()?.url().endsWith('/sw.js')) messages.push(message.text());
  });
  return messages;
}

/** The script of the home page that registers the service worker: the file a poisoned copy would hurt most. */
async function registeringScript(
  page: Page,
  files: Manifest['files'],
  baseURL: string,
): Promise<Manifest['files'][number] & { href: string }> {
  const html = await (await page.request.get(baseURL)).text();
  for (const [, src] of html.matchAll(/<script type="module" src="([^"]+)"/g)) {
    const href = new URL(src, baseURL).href;
    const file = files.find((f) => new URL(f.url, baseURL).href === href);
    if (file && (await (await page.request.get(href)).text()).includes('sw.js')) return { ...file, href };
  }
  throw new Error(`no listed module script of ${baseURL} registers sw.js`);
}

/** For each site cache: how many listed files it holds, whether it is complete, and the text it holds for `probe`. */
async function cacheState(page: Page, base: string, files: Manifest['files'], probe = '') {
  const urls = files.map((f) => new URL(f.url, base).href);
  return page.evaluate(
    async ({ urls, marker, probe }) => {
      const state: Record<string, { files: number; complete: boolean; probe: string | null }> = {};
      for (const name of await caches.keys()) {
        if (!name.startsWith('normlab-site-')) continue;
        // Read with caches.match only: caches.open would create the cache again if the worker deleted it since
        // keys() listed it, and that empty copy (made by this check, not the site) would stay for good.
        const match = (url: string) => caches.match(url, { cacheName: name });
        const held = await Promise.all(urls.map(async (u) => (await match(u)) !== undefined));
        const cached = probe === '' ? undefined : await match(probe);
        state[name] = {
          files: held.filter(Boolean).length,
          complete: (await match(marker)) !== undefined,
          probe: cached ? await cached.text() : null,
        };
      }
      return state;
    },
    { urls, marker: new URL('precache.json', base).href, probe },
  );
}

/** Waits for the first copy: the worker controls the page and one cache holds every listed file. */
async function firstCopy(page: Page, base: string, files: Manifest['files']): Promise<void> {
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true);
  await expect
    .poll(async () => Object.values(await cacheState(page, base, files)).some((c) => c.files === files.length), { timeout: 30_000 })
    .toBe(true);
}

test('a script served as an HTML error page (status 200) is never stored or served; once the server heals, the next check stores the right file', async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const messages = workerConsole(context);
  const { files } = await manifest(page);
  const target = await registeringScript(page, files, baseURL as string);
  const url = target.href;
  const right = await (await page.request.get(url)).text();
  // Only the worker's downloads get the error page: the page itself loads normally.
  const poison = (route: Route) =>
    route.request().serviceWorker() ? route.fulfill({ status: 200, contentType: 'text/html', body: errorPage }) : route.fallback();
  await context.route(url, poison);
  await page.goto('');
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true);
  await context.unroute(url, poison);

  expect(await page.evaluate((u) => fetch(u).then((r) => r.text()), url), 'the script as the page receives it').toBe(right);
  const held = Object.entries(await cacheState(page, baseURL as string, files, url)).filter(([, c]) => c.probe === errorPage);
  expect(held, 'caches holding the error page').toEqual([]);
  expect(messages.join('\n')).toContain(
    `${target.url} does not match the build: expected SHA-256 ${target.sha256}, received ${sha256(errorPage)}`,
  );
  expect(
    Object.values(await cacheState(page, baseURL as string, files)).filter((c) => c.complete),
    'caches counted complete',
  ).toEqual([]);

  await page.reload();
  await expect
    .poll(async () => Object.values(await cacheState(page, baseURL as string, files, url)).filter((c) => c.complete), { timeout: 30_000 })
    .toEqual([{ files: files.length, complete: true, probe: right }]);
});

test('a precache download that stalls is aborted with a message naming the file; the copy is not counted complete until the next check finishes it', async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const base = baseURL as string;
  const messages = workerConsole(context);
  const { files } = await manifest(page);
  const target = files.find((f) => f.url.endsWith('.woff2')) ?? files[0];
  const url = new URL(target.url, base).href;
  // The server never answers the worker's request for this file (the page's own requests pass).
  const stall = (route: Route) => (route.request().serviceWorker() ? undefined : route.fallback());
  await context.route(url, stall);
  await page.goto('');
  await expect.poll(() => messages.join('\n'), { timeout: 60_000 }).toContain(`${target.url}: no data for 15 s, download aborted`);
  await expect
    .poll(async () => Object.values(await cacheState(page, base, files)), { timeout: 10_000 })
    .toEqual([{ files: files.length - 1, complete: false, probe: null }]);
  await context.unroute(url, stall);

  await page.reload();
  await expect
    .poll(async () => Object.values(await cacheState(page, base, files)), { timeout: 30_000 })
    .toEqual([{ files: files.length, complete: true, probe: null }]);
});

test('a copy cut short (the browser killed mid-copy) is not counted complete: the next check finishes it, deletes the leftover -partial cache, and offline reading works', async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const base = baseURL as string;
  const { version, files } = await manifest(page);
  await page.goto('');
  await firstCopy(page, base, files);
  // What a kill mid-copy left behind: the final cache with 6 of the files, and the staging copy.
  await page.evaluate(
    async ({ version, urls }) => {
      for (const name of await caches.keys()) await caches.delete(name);
      const partial = await caches.open(`normlab-site-${version}-partial`);
      const final = await caches.open(`normlab-site-${version}`);
      for (const [i, url] of urls.entries()) {
        const response = await fetch(url, { cache: 'no-store' });
        if (i < 6) await final.put(url, response.clone());
        await partial.put(url, response);
      }
    },
    { version, urls: files.map((f) => new URL(f.url, base).href) },
  );
  await page.reload();
  await expect
    .poll(async () => await cacheState(page, base, files), { timeout: 30_000 })
    .toEqual({ [`normlab-site-${version}`]: { files: files.length, complete: true, probe: null } });

  await context.setOffline(true);
  await page.goto('lessons/why-normalize/');
  await expect(page.locator('h1')).toHaveText('Why normalize?');
  await context.setOffline(false);
});

test('a redeploy replaces a cache in which the script that registers the worker was poisoned', async ({
  page,
  context,
  baseURL,
  problems,
}) => {
  test.setTimeout(120_000);
  const base = baseURL as string;
  const original = await manifest(page);
  const { files } = original;
  const target = await registeringScript(page, files, base);
  const right = await (await page.request.get(target.href)).text();
  await page.goto('');
  await firstCopy(page, base, files);
  // A poisoned copy from before the fix: the page's only script that talks to the worker is an error page.
  await page.evaluate(
    async ({ url, body }) => {
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        if (await cache.match(url)) await cache.put(url, new Response(body, { headers: { 'Content-Type': 'text/html' } }));
      }
    },
    { url: target.href, body: errorPage },
  );
  problems.allow(/MIME type|Failed to load module script/);
  await page.reload();

  await context.route('**/precache.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...original, version: 'redeployed0000001' }) }),
  );
  await page.reload();
  await expect
    .poll(async () => await cacheState(page, base, files, target.href), { timeout: 30_000 })
    .toEqual({ 'normlab-site-redeployed0000001': { files: files.length, complete: true, probe: right } });
  expect(await page.evaluate((u) => fetch(u).then((r) => r.text()), target.href), 'the script as the page receives it').toBe(right);
});

test('a browser closed in the middle of the copy leaves no cache counted complete, and a later visit finishes the copy', async ({
  playwright,
  launchOptions,
  baseURL,
}, testInfo) => {
  test.setTimeout(150_000);
  const base = baseURL as string;
  const profile = testInfo.outputPath('profile');
  // The worker's downloads after its first 20 get no answer, so the copy is still running when the browser closes.
  const open = async () => {
    const context = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, baseURL: base });
    let answered = 0;
    const hold = (route: Route) =>
      route.request().serviceWorker() && !route.request().url().endsWith('/precache.json') && ++answered > 20
        ? undefined
        : route.fallback();
    await context.route('**/*', hold);
    return { context, page: context.pages()[0] ?? (await context.newPage()), release: () => context.unroute('**/*', hold) };
  };
  const first = await open();
  const { files } = await manifest(first.page);
  /** For each site cache: how many listed files it holds, and whether it counts as complete. */
  const copies = async (page: Page) =>
    Object.values(await cacheState(page, base, files)).map(({ files: held, complete }) => ({ held, complete }));
  await first.page.goto('');
  await expect.poll(async () => (await copies(first.page))[0]?.held ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(15);
  const [cut] = await copies(first.page);
  await first.context.close();

  const { context, page, release } = await open();
  await page.goto('');
  const resumed = await copies(page);
  expect(resumed, 'the copy after the browser restarted').toEqual([{ held: expect.any(Number), complete: false }]);
  expect(resumed[0].held).toBeGreaterThanOrEqual(cut.held);
  await release();
  // The held downloads time out, the worker activates, and the next navigation finishes the copy.
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true);
  await page.reload();
  await expect.poll(() => copies(page), { timeout: 30_000 }).toEqual([{ held: files.length, complete: true }]);
  await context.close();
});
