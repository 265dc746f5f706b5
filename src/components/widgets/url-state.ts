/**
 * Widget settings in the page URL, so a student can share exactly what they see. Each widget
 * instance owns a prefix (`bn.gamma=1.5`), so several widgets can share one page.
 *
 * Hiding controls (for an instructor's embed): `hide=gamma,beta` hides those controls in every
 * widget on the page, `bn.hide=gamma` only in the widget with prefix `bn`.
 */
import { formatState, parseState, type Schema, type StateOf } from './params';

export function readUrlState<S extends Schema>(schema: S, prefix: string, search: string, base: StateOf<S>): StateOf<S> {
  const params = new URLSearchParams(search);
  return parseState(schema, (key) => params.get(`${prefix}.${key}`), base);
}

/** The URL with this widget's keys replaced by `state` (other parameters and the hash are kept). */
export function urlWithState<S extends Schema>(schema: S, prefix: string, state: StateOf<S>, href: string): string {
  const url = new URL(href);
  for (const [key, text] of Object.entries(formatState(schema, state))) url.searchParams.set(`${prefix}.${key}`, text);
  return url.toString();
}

/** Control names listed in `hide` and `<prefix>.hide` (comma-separated), trimmed, empty ones dropped. */
export function hiddenControls(prefix: string, search: string): Set<string> {
  const params = new URLSearchParams(search);
  const lists = [params.get('hide'), params.get(`${prefix}.hide`)];
  return new Set(
    lists
      .flatMap((list) => (list ?? '').split(','))
      .map((name) => name.trim())
      .filter(Boolean),
  );
}

/**
 * Returns `write(state)`, which updates the address bar after input settles (`delay` ms), using
 * replaceState so moving a slider does not flood the history.
 */
export function createUrlWriter<S extends Schema>(schema: S, prefix: string, delay = 150): (state: StateOf<S>) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (state) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      history.replaceState(history.state, '', urlWithState(schema, prefix, state, window.location.href));
    }, delay);
  };
}
