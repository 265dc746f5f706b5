/**
 * The test server behaves like a plain static host — the browser tests are only as honest as it
 * is: compressed data files go out as bytes, missing paths get the site's 404 page, nothing
 * outside the build folder or the base path is reachable.
 */
import { expect, test } from './fixtures';

test('serves .gz files as they are: application/gzip, no Content-Encoding, gzip magic bytes', async ({ request, baseURL }) => {
  const manifest = await request.get(new URL('data/mnist.json', baseURL).toString());
  test.skip(!manifest.ok(), 'MNIST assets not built (npm run data)');
  const response = await request.get(new URL('data/train-labels.idx.gz', baseURL).toString());
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/gzip');
  expect(response.headers()['content-encoding']).toBeUndefined();
  const body = await response.body();
  expect([body[0], body[1]]).toEqual([0x1f, 0x8b]);
});

test('answers 404 with the site’s 404 page for missing files, and never leaves the build folder', async ({ request, baseURL }) => {
  for (const path of ['no-such-file.js', 'lessons/nope/', '%2e%2e/%2e%2e/package.json', '..%2f..%2fpackage.json']) {
    const response = await request.get(`${baseURL}${path}`);
    expect(response.status(), path).toBe(404);
    expect(await response.text(), path).toContain('Page not found');
  }
});

test('redirects a directory asked without its trailing slash, like common static hosts', async ({ request, baseURL }) => {
  const response = await request.get(`${baseURL}lessons/why-normalize`, { maxRedirects: 0 });
  expect(response.status()).toBe(301);
  expect(response.headers().location).toBe(`${new URL(baseURL!).pathname}lessons/why-normalize/`);
});

test('serves nothing outside the base path', async ({ request, baseURL, basePath }) => {
  test.skip(basePath === '/', 'the root build has no outside');
  const origin = new URL(baseURL!).origin;
  expect((await request.get(`${origin}/index.html`)).status()).toBe(404);
  expect((await request.get(`${origin}/lessons/why-normalize/`)).status()).toBe(404);
});
