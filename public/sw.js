// NormLab's service worker: the course works offline after a first visit, and a redeploy is
// picked up. Registered by src/client/offline.ts with the site's base as scope, so it works under
// any BASE_PATH; every URL here is resolved against that scope.
//
// - Precache: precache.json (written by scripts/precache.ts after the build) lists every page,
//   script, stylesheet, WOFF2 font and the search index with the SHA-256 of its bytes, and the
//   build's version. The worker fills the cache `normlab-site-<version>` with files whose bytes
//   match their hash — taken from an older cache when unchanged, else downloaded — and never
//   stores anything else: an error page served with status 200, a truncated or corrupt download
//   fails the precache with a message naming the file and both hashes. A download that receives no
//   bytes for STALL_MS is aborted. precache.json itself is stored LAST: it marks the cache
//   complete, so a copy cut short (browser killed, network lost) is never counted complete; it is
//   resumed by the next check, and other caches are deleted only once a copy is complete.
// - Fetch: only a complete cache is ever read. Pages and the few files whose URL does not change
//   with their content (precache.json, mnist.json, theme.js, pagefind.js, pagefind-entry.json)
//   go to the network first and fall back to the cache offline; hashed files (_astro/, the search
//   index) come from the cache first. The MNIST files are left alone: the training worker keeps
//   its own verified copy in Cache Storage, and only data/mnist.json is listed.
// - Checks: the worker itself checks precache.json when it installs and on every navigation, so
//   no page script — itself a cached file — has to ask for updates.
const scope = new URL(self.registration.scope);
const prefix = 'normlab-site-';
const manifestUrl = new URL('precache.json', scope).href;
const mutable = [manifestUrl, ...['data/mnist.json', 'theme.js', 'pagefind/pagefind.js', 'pagefind/pagefind-entry.json', 'favicon.svg'].map((p) => new URL(p, scope).href)];
const STALL_MS = 15_000;
const PARALLEL = 6; // a browser's connections per host: more would wait in its queue, not on the server

/** Fetches `url` whole; aborts when no bytes arrive for STALL_MS. */
async function download(url, init = {}) {
  const controller = new AbortController();
  let timer;
  const wait = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), STALL_MS);
  };
  wait();
  const path = url.slice(scope.href.length) || './';
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    const chunks = [];
    const reader = response.body?.getReader();
    for (;;) {
      wait();
      const { done, value } = reader ? await reader.read() : { done: true };
      if (done) break;
      chunks.push(value);
    }
    return { response, bytes: await new Blob(chunks).arrayBuffer() };
  } catch (error) {
    if (controller.signal.aborted) throw new Error(`${path}: no data for ${STALL_MS / 1000} s, download aborted`);
    throw new Error(`${path}: ${error.message}`);
  } finally {
    clearTimeout(timer);
  }
}

async function sha256(bytes) {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function parseManifest(text) {
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new Error(`precache.json: expected JSON, received ${JSON.stringify(text.slice(0, 40))}`);
  }
  const valid =
    typeof manifest?.version === 'string' &&
    /^[\w-]+$/.test(manifest.version) &&
    Array.isArray(manifest.files) &&
    manifest.files.every((f) => typeof f?.url === 'string' && /^[0-9a-f]{64}$/.test(f?.sha256));
  if (!valid) throw new Error(`precache.json: expected { version, files: [{ url, sha256 }] }, received ${text.slice(0, 80)}`);
  return manifest;
}

/** The cached copy of `url` in cache `name` if its bytes hash to `expected`, as a fresh Response. */
async function verifiedEntry(name, url, expected) {
  const cached = await caches.match(url, { cacheName: name });
  if (!cached) return null;
  const bytes = await cached.arrayBuffer();
  return (await sha256(bytes)) === expected ? new Response(bytes, { headers: cached.headers }) : null;
}

/** Stores `file` in `cache` from an older cache or the network, verified against its hash. */
async function store(cache, name, sources, { url, sha256: expected }) {
  const href = new URL(url, scope).href;
  if (await verifiedEntry(name, href, expected)) return;
  await cache.delete(href);
  for (const source of sources) {
    const reused = await verifiedEntry(source, href, expected);
    if (reused) return cache.put(href, reused);
  }
  const { response, bytes } = await download(href, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${url || './'}: HTTP ${response.status}`);
  const received = await sha256(bytes);
  if (received !== expected) {
    const type = response.headers.get('Content-Type') ?? 'no type';
    throw new Error(`${url || './'} does not match the build: expected SHA-256 ${expected}, received ${received} (${bytes.byteLength} bytes, ${type}); not stored`);
  }
  await cache.put(href, new Response(bytes, { headers: response.headers }));
}

async function precache() {
  const { response, bytes } = await download(manifestUrl, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`precache.json: HTTP ${response.status}`);
  const text = new TextDecoder().decode(bytes);
  const { version, files } = parseManifest(text);
  const name = prefix + version;
  if (!(await caches.match(manifestUrl, { cacheName: name }))) {
    const sources = (await caches.keys()).filter((key) => key.startsWith(prefix) && key !== name).reverse();
    const cache = await caches.open(name);
    const failures = [];
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const file = files[next++];
        await store(cache, name, sources, file).catch((error) => failures.push(error.message));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    if (failures.length > 0) throw new Error(`${failures.length} of ${files.length} files not stored: ${failures.join('; ')}`);
    const listed = new Set(files.map((f) => new URL(f.url, scope).href));
    for (const request of await cache.keys()) if (!listed.has(request.url)) await cache.delete(request);
    await cache.put(manifestUrl, new Response(text, { headers: { 'Content-Type': 'application/json' } })); // last: complete
  }
  for (const key of await caches.keys()) if (key.startsWith(prefix) && key !== name) await caches.delete(key);
  return version;
}

let running = null;
/**
 * One check at a time. A failure is a warning, not an error: the site keeps working online and
 * offline from the last complete copy, and the next check (the next navigation) retries.
 */
function update() {
  running ??= precache()
    .catch((error) => console.warn(`NormLab offline copy: ${error.message}`))
    .finally(() => {
      running = null;
    });
  return running;
}

/** The newest cache that holds its completion marker, or undefined. */
async function completeCache() {
  const names = (await caches.keys()).filter((key) => key.startsWith(prefix)).reverse();
  for (const name of names) if (await caches.match(manifestUrl, { cacheName: name })) return name;
  return undefined;
}

async function fromComplete(request) {
  const cacheName = await completeCache();
  return cacheName === undefined ? undefined : caches.match(request, { cacheName, ignoreSearch: true });
}

self.addEventListener('install', (event) => {
  event.waitUntil(update().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await fromComplete(request);
    if (cached) return cached;
    if (request.mode === 'navigate') {
      const missing = await fromComplete(new URL('404.html', scope).href);
      if (missing) return missing;
    }
    throw error;
  }
}

// Queries never select content here (Pagefind adds `?ts=…` to defeat HTTP caches; pages take widget settings).
async function cacheFirst(request) {
  return (await fromComplete(request)) ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(scope.href)) return;
  const url = request.url.split('#')[0];
  if (url.startsWith(new URL('data/', scope).href) && !url.endsWith('/mnist.json')) return; // the data set: the worker caches it
  if (request.mode === 'navigate') event.waitUntil(update());
  const fresh = request.mode === 'navigate' || mutable.includes(url.split('?')[0]);
  event.respondWith(fresh ? networkFirst(request) : cacheFirst(request));
});
