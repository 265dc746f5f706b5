/**
 * Site-internal URLs that keep working when the site is hosted under a sub-path (BASE_PATH).
 * Links written as "/lessons/…" would skip the base; every internal href goes through `withBase`.
 */
export function joinBase(base: string, path: string): string {
  const head = base.endsWith('/') ? base : `${base}/`;
  return head + path.replace(/^\/+/, '');
}

export function withBase(path: string): string {
  return joinBase(import.meta.env.BASE_URL, path);
}

export function lessonHref(id: string): string {
  return withBase(`lessons/${id}/`);
}
