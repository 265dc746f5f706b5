/**
 * The page's saved-runs store, opened once. Where IndexedDB is unavailable (some private modes,
 * storage blocked in a cross-origin or sandboxed frame) or does not open within `openTimeoutMs`
 * (an open that never completes must not hold up training), it is an in-memory store with the
 * same interface and `persistent: false`: runs still appear and export until the page closes.
 */
import { createMemoryRunStore, openRunStore, type NoteStorage, type RunStore } from './run-store';

export const openTimeoutMs = 3000;

let opening: Promise<RunStore> | null = null;

/** `indexedDB` itself throws a SecurityError where storage is blocked, so it is read inside a try. */
function factory(): IDBFactory | null {
  try {
    return typeof indexedDB === 'undefined' ? null : indexedDB;
  } catch {
    return null;
  }
}

/** `localStorage`, where failed saves are noted across reloads; it throws where storage is blocked. */
function noteStorage(): NoteStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function openPageStore(idb: IDBFactory | null, timeoutMs = openTimeoutMs): Promise<RunStore> {
  if (!idb) return Promise.resolve(createMemoryRunStore());
  const locks = typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
  const notes = noteStorage();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const opened = openRunStore({ indexedDB: idb, locks, notes }).catch(() => null);
  return Promise.race([opened, late]).then((store) => {
    clearTimeout(timer);
    // An open that completes after the timeout is closed again: this page already keeps runs in memory.
    if (!store) void opened.then((s) => s?.close());
    return store ?? createMemoryRunStore();
  });
}

export function getRunStore(): Promise<RunStore> {
  opening ??= openPageStore(factory());
  return opening;
}
