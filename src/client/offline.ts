/**
 * Registers the service worker (public/sw.js) that keeps the course readable, searchable and
 * trainable offline after a first visit, with the site's root as its scope (wherever the build is hosted). The
 * worker checks for a redeploy by itself (when it installs and on every navigation), so this
 * script, which the worker serves from its cache, is never the one that has to ask. Where service
 * workers are unavailable (http other than localhost, some embeds, private modes) the site simply
 * stays online-only.
 */
export function registerOffline(root: URL): void {
  if (!('serviceWorker' in navigator)) return;
  // Refused (storage blocked, sandboxed frame): stay online-only.
  navigator.serviceWorker.register(new URL('sw.js', root).href, { scope: root.href }).catch(() => undefined);
}
