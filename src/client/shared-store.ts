/**
 * The page's saved-runs store, opened once. Resolves to null where IndexedDB is unavailable
 * (some private modes, sandboxed iframes): widgets then keep runs in memory and say so.
 */
import { openRunStore, type RunStore } from './run-store';

let opening: Promise<RunStore | null> | null = null;

export function getRunStore(): Promise<RunStore | null> {
  opening ??=
    typeof indexedDB === 'undefined'
      ? Promise.resolve(null)
      : openRunStore({ indexedDB, locks: typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null }).catch(() => null);
  return opening;
}
