/**
 * Saved runs in IndexedDB (database `normlab`, store `runs`, keyed by run id), so nothing is
 * lost on reload: finished runs with their config, history and summary, and runs cut short.
 *
 * How an interrupted run is recognised: the tab running a run holds a Web Lock named after it
 * (`hold(id)`) until the run ends; the lock disappears with the tab. `list()` turns every record
 * still marked active whose lock nobody holds into 'interrupted' and saves that. Without the Web
 * Locks API, a record not updated for `staleMs` counts as orphaned instead.
 */
import { isActive, type RunRecord } from './run-record';

export interface LockManagerLike {
  request(name: string, callback: () => Promise<void>): Promise<void>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

export interface RunStoreOptions {
  indexedDB: IDBFactory;
  /** `navigator.locks` where available. */
  locks?: LockManagerLike | null;
  name?: string;
  now?: () => number;
  /** Fallback without locks: an active record untouched for this long is orphaned. */
  staleMs?: number;
}

export interface RunStore {
  /** False for the in-memory store used where IndexedDB is refused: runs last until the page closes. */
  readonly persistent: boolean;
  put(record: RunRecord): Promise<void>;
  get(id: string): Promise<RunRecord | null>;
  /** Newest first; optionally only one widget's runs. Orphaned active runs come back 'interrupted'. */
  list(filter?: { widget?: string }): Promise<RunRecord[]>;
  delete(id: string): Promise<void>;
  /** Marks a run as alive in this tab until the returned function is called. */
  hold(id: string): () => void;
  /** Called after every put/delete made through this store (this tab only). */
  onChange(listener: (id: string) => void): () => void;
  close(): void;
}

const storeName = 'runs';
const lockPrefix = 'normlab-run:';

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
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export async function openRunStore(options: RunStoreOptions): Promise<RunStore> {
  const { indexedDB, locks = null, name = 'normlab', now = () => Date.now(), staleMs = 60_000 } = options;
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore(storeName, { keyPath: 'id' });
    store.createIndex('createdAt', 'createdAt');
  };
  const db = await done(open);
  const heldHere = new Set<string>();
  const listeners = new Set<(id: string) => void>();

  async function write(record: RunRecord): Promise<void> {
    const tx = db.transaction(storeName, 'readwrite');
    tx.objectStore(storeName).put(record);
    await finished(tx);
    listeners.forEach((listener) => listener(record.id));
  }

  async function orphaned(records: RunRecord[]): Promise<Set<string>> {
    const active = records.filter((r) => isActive(r) && !heldHere.has(r.id));
    if (active.length === 0) return new Set();
    if (locks) {
      const state = await locks.query().catch(() => null);
      if (state) {
        const held = new Set((state.held ?? []).map((l) => l.name));
        return new Set(active.filter((r) => !held.has(lockPrefix + r.id)).map((r) => r.id));
      }
    }
    return new Set(active.filter((r) => now() - r.updatedAt > staleMs).map((r) => r.id));
  }

  return {
    persistent: true,
    put: write,
    async get(id) {
      const tx = db.transaction(storeName, 'readonly');
      return ((await done(tx.objectStore(storeName).get(id))) as RunRecord | undefined) ?? null;
    },
    async list(filter = {}) {
      const tx = db.transaction(storeName, 'readonly');
      const all = (await done(tx.objectStore(storeName).index('createdAt').getAll())) as RunRecord[];
      const records = filter.widget ? all.filter((r) => r.widget === filter.widget) : all;
      const lost = await orphaned(records);
      const result = records.map((r) => (lost.has(r.id) ? { ...r, state: 'interrupted' as const, etaSeconds: null } : r));
      await Promise.all(result.filter((r) => lost.has(r.id)).map(write));
      return result.reverse();
    },
    async delete(id) {
      const tx = db.transaction(storeName, 'readwrite');
      tx.objectStore(storeName).delete(id);
      await finished(tx);
      listeners.forEach((listener) => listener(id));
    },
    hold(id) {
      heldHere.add(id);
      let release: () => void = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      void locks?.request(lockPrefix + id, () => released).catch(() => undefined);
      return () => {
        heldHere.delete(id);
        release();
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () => db.close(),
  };
}

/**
 * The same store kept in this page's memory, for where IndexedDB is refused (storage blocked in a
 * cross-origin frame, some private modes) or never opens: runs still appear, re-plot and export
 * until the page closes. Records are stored as given (they are immutable snapshots).
 */
export function createMemoryRunStore(): RunStore {
  const records = new Map<string, RunRecord>();
  const listeners = new Set<(id: string) => void>();
  const changed = (id: string) => listeners.forEach((listener) => listener(id));
  return {
    persistent: false,
    async put(record) {
      records.set(record.id, record);
      changed(record.id);
    },
    get: async (id) => records.get(id) ?? null,
    async list(filter = {}) {
      const all = [...records.values()].filter((r) => !filter.widget || r.widget === filter.widget);
      return all.sort((a, b) => b.createdAt - a.createdAt);
    },
    async delete(id) {
      records.delete(id);
      changed(id);
    },
    hold: () => () => {},
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () => records.clear(),
  };
}
