/**
 * Where the run store keeps its values: IndexedDB, or a Map in this page's memory. Both hand back
 * raw values (`unknown`), which the store parses; both list keys newest first without reading a
 * record: the values whose `createdAt` is not a finite number (so not in order, and unreadable
 * anyway) first, then the others by `createdAt`, newest first. IndexedDB leaves a value whose
 * `createdAt` is no key at all (missing, NaN, an object) out of the index.
 *
 * Database versions: 1 made the `runs` store (keyPath `id`) and its `createdAt` index; 2 added a
 * `widget` index, so one widget's runs are listed without reading the others'.
 */
import { describe } from '@engine/validate.ts';

export interface Backend {
  keys(widget?: string): Promise<IDBValidKey[]>;
  /** The values of these keys, in the same order (undefined for a key not there any more). */
  read(keys: readonly IDBValidKey[]): Promise<{ key: IDBValidKey; value: unknown }[]>;
  write(record: { id: string }): Promise<void>;
  remove(key: IDBValidKey): Promise<void>;
  close(): void;
}

const storeName = 'runs';
const version = 2;

/** A string naming any key, used as a row id: a string key is its own id; 42 becomes "#42". */
export function keyId(key: IDBValidKey): string {
  return typeof key === 'string' ? key : `#${describe(key)}`;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new DOMException('IndexedDB transaction aborted', 'AbortError'));
  });
}

/** `all` with the keys of `dated` (oldest first) moved to the end, newest first. */
function newestFirst(all: readonly IDBValidKey[], dated: readonly IDBValidKey[]): IDBValidKey[] {
  const datedIds = new Set(dated.map(keyId));
  return [...all.filter((k) => !datedIds.has(keyId(k))), ...[...dated].reverse()];
}

export async function createIdbBackend(indexedDB: IDBFactory, name: string): Promise<Backend> {
  const open = indexedDB.open(name, version);
  open.onupgradeneeded = (event) => {
    const db = open.result;
    const store = event.oldVersion < 1 ? db.createObjectStore(storeName, { keyPath: 'id' }) : open.transaction!.objectStore(storeName);
    if (event.oldVersion < 1) store.createIndex('createdAt', 'createdAt');
    if (event.oldVersion < 2) store.createIndex('widget', 'widget');
  };
  const db = await done(open);
  // A newer build opened in another tab needs this connection closed to upgrade the database;
  // kept open, its open would wait (and that tab fall back to memory) until this tab closes.
  db.onversionchange = () => db.close();
  return {
    async keys(widget) {
      const store = db.transaction(storeName, 'readonly').objectStore(storeName);
      const [all, dated] = await Promise.all([
        widget === undefined ? done(store.getAllKeys()) : done(store.index('widget').getAllKeys(widget)),
        // Index order puts number dates before strings, arrays and other key types: reversed, those come first.
        done(store.index('createdAt').getAllKeys()),
      ]);
      if (widget === undefined) return newestFirst(all, dated);
      const mine = new Set(all.map(keyId));
      return newestFirst(
        all,
        dated.filter((k) => mine.has(keyId(k))),
      );
    },
    async read(keys) {
      // One request per record: each result is its own task, so many records never make one long one.
      const store = db.transaction(storeName, 'readonly').objectStore(storeName);
      return Promise.all(keys.map(async (key) => ({ key, value: (await done(store.get(key))) as unknown })));
    },
    async write(record) {
      const tx = db.transaction(storeName, 'readwrite');
      // put() itself throws (QuotaExceededError, DataCloneError) as well as failing later.
      const written = finished(tx);
      try {
        tx.objectStore(storeName).put(record);
      } catch (error) {
        written.catch(() => undefined);
        tx.abort();
        throw error;
      }
      await written;
    },
    async remove(key) {
      const tx = db.transaction(storeName, 'readwrite');
      tx.objectStore(storeName).delete(key);
      await finished(tx);
    },
    close: () => db.close(),
  };
}

export function createMemoryBackend(): Backend {
  const values = new Map<string, { id: string; widget?: unknown; createdAt?: unknown }>();
  return {
    async keys(widget) {
      const all = [...values.values()].filter((v) => widget === undefined || v.widget === widget);
      const dated = all.filter((v) => Number.isFinite(v.createdAt)).sort((a, b) => (a.createdAt as number) - (b.createdAt as number));
      return newestFirst(
        all.map((v) => v.id),
        dated.map((v) => v.id),
      );
    },
    read: async (keys) => keys.map((key) => ({ key, value: typeof key === 'string' ? values.get(key) : undefined })),
    async write(record) {
      values.set(record.id, record);
    },
    async remove(key) {
      if (typeof key === 'string') values.delete(key);
    },
    close: () => values.clear(),
  };
}
