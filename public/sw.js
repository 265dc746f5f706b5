// NormLab's service worker: the course works offline after a first visit, and a redeploy is
// picked up. Registered by src/client/offline.ts with the site's base as scope, so it works under
// any BASE_PATH; every URL here is resolved against that scope.
//
// - Install: fetch precache.json (written by scripts/precache.ts after the build: every page,
//   script, stylesheet, WOFF2 font and the search index) and store all of it in a cache named
//   after the build's version. The MNIST files are not listed: the training worker keeps its own
//   verified copy in Cache Storage, and only needs data/mnist.json, which is listed.
// - Fetch: pages and the few files whose URL does not change with their content (precache.json,
//   mnist.json, theme.js, pagefind.js, pagefind-entry.json) go to the network first and fall back
//   to the cache offline; hashed files (_astro/, the search index) come from the cache first.
// - Update: each page load asks the worker to compare precache.json's version with its cache; on
//   a new version it stores the new build completely, then deletes the old caches (a reader
//   offline mid-update keeps the last complete copy).
const scope = new URL(self.registration.scope);
const prefix = 'normlab-site-';
const mutable = ['precache.json', 'data/mnist.json', 'theme.js', 'pagefind/pagefind.js', 'pagefind/pagefind-entry.json', 'favicon.svg'].map((p) => new URL(p, scope).href);

async function precache() {
  const response = await fetch(new URL('precache.json', scope), { cache: 'no-store' });
  if (!response.ok) throw new Error(`precache.json: HTTP ${response.status}`);
  const { version, files } = await response.json();
  const name = prefix + version;
  if (!(await caches.has(name))) {
    const staging = await caches.open(`${name}-partial`);
    await staging.addAll(files.map((f) => new Request(new URL(f, scope), { cache: 'no-cache' })));
    const cache = await caches.open(name);
    for (const request of await staging.keys()) await cache.put(request, await staging.match(request));
    await caches.delete(`${name}-partial`);
  }
  for (const key of await caches.keys()) {
    if (key.startsWith(prefix) && key !== name && !key.endsWith('-partial')) await caches.delete(key);
  }
  return version;
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'update') return;
  event.waitUntil(
    precache().then(
      (version) => event.source?.postMessage({ type: 'precached', version }),
      (error) => event.source?.postMessage({ type: 'precache-failed', message: String(error) }),
    ),
  );
});

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(request, { ignoreSearch: true });
    if (cached) return cached;
    if (request.mode === 'navigate') {
      const missing = await caches.match(new URL('404.html', scope));
      if (missing) return missing;
    }
    throw error;
  }
}

// Queries never select content here (Pagefind adds `?ts=…` to defeat HTTP caches; pages take widget settings).
async function cacheFirst(request) {
  return (await caches.match(request, { ignoreSearch: true })) ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(scope.href)) return;
  const url = request.url.split('#')[0];
  if (url.startsWith(new URL('data/', scope).href) && !url.endsWith('/mnist.json')) return; // the data set: the worker caches it
  const fresh = request.mode === 'navigate' || mutable.includes(url.split('?')[0]);
  event.respondWith(fresh ? networkFirst(request) : cacheFirst(request));
});
