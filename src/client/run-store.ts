/**
 * Saved runs in IndexedDB (database `normlab`, store `runs`, keyed by run id), so nothing is
 * lost on reload: finished runs with their config, history and summary, and runs cut short.
 *
 * Every record is parsed where it is read (`parseStoredRun`): one saved by an older build or
 * edited by hand comes back as an unreadable entry with the reason, never as a crash, and can be
 * deleted by its key whatever that key is. Widgets that restore runs use `list`, which gives the
 * readable records only; the saved-runs manager pages through `entries`, which lists both.
 *
 * Listing reads keys first (from the `createdAt` and `widget` indexes: small and cheap), then
 * only the records of the page asked for, one request each, so 300 saved runs never mean one long
 * main-thread task. A change made in this tab reaches `onChange` listeners with its entry, so a
 * list updates one row without reading anything back.
 *
 * A save that fails (QuotaExceededError when storage is full, an aborted transaction) rejects
 * with the reason, and the store keeps that record in the page instead: it stays listed (with
 * `saveError`), readable and exportable until the page closes. The reason is also noted in
 * `notes` (localStorage, which has its own quota), so after a reload the run that stopped being
 * saved is listed with why it ends early rather than as silently interrupted.
 *
 * How an interrupted run is recognised: the tab running a run holds a Web Lock named after it
 * (`hold(id)`) until the run ends; the lock disappears with the tab. Listing turns every record
 * still marked active whose lock nobody holds into 'interrupted' and saves that. Without the Web
 * Locks API, a record not updated for `staleMs` counts as orphaned instead.
 */
import { clip } from '@engine/validate.ts';
import { isActive, parseStoredRun, type RunRecord } from './run-record';
import { createIdbBackend, createMemoryBackend, keyId, type Backend } from './run-store-backend';

export interface LockManagerLike {
  request(name: string, callback: () => Promise<void>): Promise<void>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/** Where save failures are noted across reloads (`localStorage`); null to keep no notes. */
export type NoteStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface RunStoreOptions {
  indexedDB: IDBFactory;
  /** `navigator.locks` where available. */
  locks?: LockManagerLike | null;
  name?: string;
  now?: () => number;
  /** Fallback without locks: an active record untouched for this long is orphaned. */
  staleMs?: number;
  notes?: NoteStorage | null;
}

/** Why a run's latest state is not in storage: `inPage` while this page still holds it. */
export interface SaveError {
  reason: string;
  at: number;
  inPage: boolean;
}

/** One stored value: a run record, or what could not be read and why. */
export type StoredRun =
  | { readable: true; id: string; key: IDBValidKey; record: RunRecord; saveError: SaveError | null; live: boolean }
  | { readable: false; id: string; key: IDBValidKey; reason: string };

export interface RunPage {
  entries: StoredRun[];
  /** All entries of the filter, of which `entries` is the slice asked for. */
  total: number;
}

export interface RunStore {
  /** False for the in-memory store used where IndexedDB is refused: runs last until the page closes. */
  readonly persistent: boolean;
  /** Rejects with the reason when the save fails; the record is then kept in this page (see above). */
  put(record: RunRecord): Promise<void>;
  /** The readable record with this id, or null. */
  get(id: string): Promise<RunRecord | null>;
  /** Readable records, newest first; optionally one widget's. Orphaned active runs come back 'interrupted'. */
  list(filter?: { widget?: string }): Promise<RunRecord[]>;
  /** Newest first, readable or not, `limit` of them from `offset` (all by default). */
  entries(filter?: { widget?: string }, range?: { offset?: number; limit?: number }): Promise<RunPage>;
  delete(key: IDBValidKey): Promise<void>;
  /** Marks a run as alive in this tab until the returned function is called. */
  hold(id: string): () => void;
  /** Called after every put (saved or kept in the page) and delete made through this store (this tab only). */
  onChange(listener: (id: string, entry: StoredRun | null) => void): () => void;
  close(): void;
}

const lockPrefix = 'normlab-run:';
const notesKey = 'normlab:save-failures:v1';
/** Notes kept at most (oldest dropped): one per run whose saves failed. */
const maxNotes = 50;

/** "QuotaExceededError: The quota has been exceeded." */
export function failureReason(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return clip(`${error.name}: ${error.message}`, 200);
  return clip(String(error), 200);
}

function readNotes(notes: NoteStorage | null): Record<string, { reason: string; at: number }> {
  try {
    const parsed: unknown = JSON.parse(notes?.getItem(notesKey) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    const valid = Object.entries(parsed).filter(([, n]) => typeof n?.reason === 'string' && Number.isFinite(n?.at));
    return Object.fromEntries(valid);
  } catch {
    return {};
  }
}

function writeNote(notes: NoteStorage | null, id: string, note: { reason: string; at: number } | null): void {
  if (!notes) return;
  const all = readNotes(notes);
  if (note === null && !(id in all)) return;
  if (note) all[id] = note;
  else delete all[id];
  const kept = Object.entries(all)
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, maxNotes);
  try {
    notes.setItem(notesKey, JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // localStorage refused too: the failure is still shown in this page.
  }
}

interface StoreSetup {
  persistent: boolean;
  locks: LockManagerLike | null;
  now: () => number;
  staleMs: number;
  notes: NoteStorage | null;
}

function createStore(backend: Backend, setup: StoreSetup): RunStore {
  const { locks, now, staleMs, notes } = setup;
  const heldHere = new Set<string>();
  const listeners = new Set<(id: string, entry: StoredRun | null) => void>();
  /** Records whose last save failed, by id: this page's copy is the latest. */
  const inPage = new Map<string, { record: RunRecord; reason: string; at: number }>();
  const changed = (id: string, entry: StoredRun | null) => listeners.forEach((listener) => listener(id, entry));

  const entryOf = (record: RunRecord): StoredRun => {
    const kept = inPage.get(record.id);
    const note = kept ?? readNotes(notes)[record.id];
    const saveError = note ? { reason: note.reason, at: note.at, inPage: kept !== undefined } : null;
    return { readable: true, id: record.id, key: record.id, record, saveError, live: heldHere.has(record.id) };
  };

  async function put(record: RunRecord): Promise<void> {
    try {
      await backend.write(record);
    } catch (error) {
      const reason = failureReason(error);
      inPage.set(record.id, { record, reason, at: now() });
      writeNote(notes, record.id, { reason, at: now() });
      changed(record.id, entryOf(record));
      throw new Error(reason);
    }
    if (inPage.delete(record.id)) writeNote(notes, record.id, null);
    changed(record.id, entryOf(record));
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

  /** Parses what was read, puts this page's newer copies in, and marks orphaned runs interrupted (saved, if storage lets it). */
  async function resolve(read: { key: IDBValidKey; value: unknown }[]): Promise<StoredRun[]> {
    const entries = read.flatMap(({ key, value }): StoredRun[] => {
      const kept = typeof key === 'string' ? inPage.get(key) : undefined;
      if (kept) return [entryOf(kept.record)];
      if (value === undefined) return []; // deleted since its key was read
      const parsed = parseStoredRun(value, key);
      return [parsed.ok ? entryOf(parsed.record) : { readable: false, id: keyId(key), key, reason: parsed.reason }];
    });
    const records = entries.flatMap((e) => (e.readable ? [e.record] : []));
    const lost = await orphaned(records);
    if (lost.size === 0) return entries;
    return Promise.all(
      entries.map(async (e) => {
        if (!e.readable || !lost.has(e.id)) return e;
        const record: RunRecord = { ...e.record, state: 'interrupted', etaSeconds: null };
        await backend.write(record).catch(() => undefined); // listed as interrupted either way
        return entryOf(record);
      }),
    );
  }

  /** Every key of the filter, newest first: this page's unsaved runs, then the records without a usable date, then by date. */
  async function keys(widget: string | undefined): Promise<IDBValidKey[]> {
    const stored = await backend.keys(widget);
    const seen = new Set(stored.map(keyId));
    const pageOnly = [...inPage.values()]
      .filter((k) => !seen.has(k.record.id) && (!widget || k.record.widget === widget))
      .map((k) => k.record.id);
    return [...pageOnly, ...stored];
  }

  return {
    persistent: setup.persistent,
    put,
    async get(id) {
      const kept = inPage.get(id);
      if (kept) return kept.record;
      const [read] = await backend.read([id]);
      if (read?.value === undefined) return null;
      const parsed = parseStoredRun(read.value, id);
      return parsed.ok ? parsed.record : null;
    },
    async list(filter = {}) {
      const entries = await resolve(await backend.read(await keys(filter.widget)));
      return entries.flatMap((e) => (e.readable ? [e.record] : [])).sort((a, b) => b.createdAt - a.createdAt);
    },
    async entries(filter = {}, range = {}) {
      const all = await keys(filter.widget);
      const offset = range.offset ?? 0;
      const slice = all.slice(offset, range.limit === undefined ? undefined : offset + range.limit);
      return { entries: await resolve(await backend.read(slice)), total: all.length };
    },
    async delete(key) {
      await backend.remove(key);
      const id = keyId(key);
      if (typeof key === 'string' && inPage.delete(key)) writeNote(notes, key, null);
      changed(id, null);
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
    close: () => backend.close(),
  };
}

export async function openRunStore(options: RunStoreOptions): Promise<RunStore> {
  const { indexedDB, locks = null, name = 'normlab', now = () => Date.now(), staleMs = 60_000, notes = null } = options;
  return createStore(await createIdbBackend(indexedDB, name), { persistent: true, locks, now, staleMs, notes });
}

/**
 * The same store kept in this page's memory, for where IndexedDB is refused (storage blocked in a
 * cross-origin frame, some private modes) or never opens: runs still appear, re-plot and export
 * until the page closes. Records are parsed when read, as from IndexedDB.
 */
export function createMemoryRunStore(): RunStore {
  return createStore(createMemoryBackend(), { persistent: false, locks: null, now: () => Date.now(), staleMs: Infinity, notes: null });
}
