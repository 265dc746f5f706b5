/**
 * Registers the service worker (public/sw.js) that keeps the course readable, searchable and
 * trainable offline after a first visit, with the site's base as its scope (any BASE_PATH), and
 * asks it on every page load whether the site was redeployed (it then stores the new build). Where
 * service workers are unavailable (http other than localhost, some embeds, private modes) the
 * site simply stays online-only.
 */
export function registerOffline(base: string): void {
  if (!('serviceWorker' in navigator)) return;
  const scope = base.endsWith('/') ? base : `${base}/`;
  navigator.serviceWorker
    .register(`${scope}sw.js`, { scope })
    .then(async (registration) => {
      await navigator.serviceWorker.ready;
      // The first install precaches by itself; later loads check for a newer build.
      registration.active?.postMessage({ type: 'update' });
    })
    .catch(() => undefined); // refused (storage blocked, sandboxed frame): stay online-only
}
