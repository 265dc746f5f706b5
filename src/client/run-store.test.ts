import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '@engine/train/config.ts';
import { createRunRecord, type RunRecord } from './run-record';
import { createMemoryRunStore, openRunStore, type LockManagerLike, type NoteStorage } from './run-store';
import { damagedRecords, storedRecord } from './testing/stored-records';

/** Web Locks as one browser sees them: locks held by any tab, released when the holder ends. */
function fakeLocks() {
  const held = new Set<string>();
  const locks: LockManagerLike = {
    async request(name, callback) {
      held.add(name);
      try {
        await callback();
      } finally {
        held.delete(name);
      }
    },
    query: async () => ({ held: [...held].map((name) => ({ name })) }),
  };
  return { locks, held };
}

const config = parseTrainConfig({});
const record = (id: string, createdAt: number, patch: Partial<RunRecord> = {}): RunRecord => ({
  ...createRunRecord({ id, widget: 'training-run', config, now: createdAt }),
  ...patch,
});

describe('openRunStore({ indexedDB, locks })', () => {
  it('saves, reads back, lists newest first, filters by widget and deletes', async () => {
    const store = await openRunStore({ indexedDB: new IDBFactory() });
    await store.put(record('a', 1, { state: 'finished' }));
    await store.put(record('b', 2, { state: 'finished', widget: 'bn-vs-none' }));
    await store.put(record('c', 3, { state: 'diverged' }));
    expect((await store.get('b'))?.widget).toBe('bn-vs-none');
    expect(await store.get('zzz')).toBeNull();
    expect((await store.list()).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect((await store.list({ widget: 'training-run' })).map((r) => r.id)).toEqual(['c', 'a']);
    await store.delete('a');
    expect((await store.list()).map((r) => r.id)).toEqual(['c', 'b']);
  });

  it('keeps records across a reopen of the same database (a page reload)', async () => {
    const indexedDB = new IDBFactory();
    const first = await openRunStore({ indexedDB });
    await first.put(record('kept', 1, { state: 'finished', progress: [{ step: 1, epoch: 0.1, loss: 2, accuracy: 0.2, batchLoss: 2 }] }));
    first.close();
    const second = await openRunStore({ indexedDB });
    expect((await second.get('kept'))?.progress).toHaveLength(1);
  });

  it('marks an active run whose tab went away as interrupted, and leaves held ones alone', async () => {
    const indexedDB = new IDBFactory();
    const { locks, held } = fakeLocks();
    // Tab 1 starts two runs and holds both; then it is closed while one is still running.
    const tab1 = await openRunStore({ indexedDB, locks });
    await tab1.put(record('closed', 1, { state: 'running' }));
    await tab1.put(record('alive', 2, { state: 'paused' }));
    const releaseClosed = tab1.hold('closed');
    tab1.hold('alive');
    await Promise.resolve();
    expect([...held].sort()).toEqual(['normlab-run:alive', 'normlab-run:closed']);
    releaseClosed(); // what closing the tab does to its locks
    await new Promise((r) => setTimeout(r));

    const tab2 = await openRunStore({ indexedDB, locks });
    const listed = await tab2.list();
    expect(listed.map((r) => [r.id, r.state])).toEqual([
      ['alive', 'paused'],
      ['closed', 'interrupted'],
    ]);
    expect((await tab2.get('closed'))?.state).toBe('interrupted');
  });

  it('falls back to staleness without Web Locks, never flagging runs held in this tab', async () => {
    let now = 100_000;
    const store = await openRunStore({ indexedDB: new IDBFactory(), locks: null, now: () => now, staleMs: 60_000 });
    await store.put(record('old', 1, { state: 'running', updatedAt: 1000 }));
    await store.put(record('fresh', 2, { state: 'running', updatedAt: 90_000 }));
    await store.put(record('mine', 3, { state: 'running', updatedAt: 1000 }));
    store.hold('mine');
    const states = Object.fromEntries((await store.list()).map((r) => [r.id, r.state]));
    expect(states).toEqual({ old: 'interrupted', fresh: 'running', mine: 'running' });
    now += 60_000;
    expect((await store.list()).find((r) => r.id === 'fresh')?.state).toBe('interrupted');
  });

  it('tells listeners in this tab about puts and deletes', async () => {
    const store = await openRunStore({ indexedDB: new IDBFactory() });
    const seen: string[] = [];
    const off = store.onChange((id) => seen.push(id));
    await store.put(record('x', 1));
    await store.delete('x');
    off();
    await store.put(record('y', 1));
    expect(seen).toEqual(['x', 'x']);
  });
});

/** Writes values as they are (a hand edit, another build) into the store's database. */
async function writeRaw(indexedDB: IDBFactory, values: unknown[]): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('normlab');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const tx = db.transaction('runs', 'readwrite');
  for (const value of values) tx.objectStore('runs').put(value);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
}

/** A quota that refuses every save after the first `allowed`, as IDBObjectStore.put does when storage is full. */
function fullAfter(allowed: number): () => void {
  const put = IDBObjectStore.prototype.put;
  let puts = 0;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (++puts > allowed) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return put.apply(this, args);
  };
  return () => void (IDBObjectStore.prototype.put = put);
}

function memoryNotes(): NoteStorage {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe('damaged records', () => {
  const now = 1_764_000_000_000;

  it('are listed as unreadable with the reason by entries(), skipped by list() and get(), and deleted by their key', async () => {
    const indexedDB = new IDBFactory();
    const store = await openRunStore({ indexedDB });
    const damaged = damagedRecords(now - 1000);
    await writeRaw(indexedDB, [storedRecord('good', now), ...damaged.map(([, r]) => r)]);
    const { entries, total } = await store.entries();
    expect(total).toBe(1 + damaged.length);
    const unreadable = entries.filter((e) => !e.readable);
    expect(unreadable).toHaveLength(damaged.length);
    for (const e of unreadable) expect(e.readable ? '' : e.reason).toMatch(/^record\.[\w.[\]]+: .*(received|another build)/);
    expect((await store.list()).map((r) => r.id)).toEqual(['good']);
    expect(await store.get('bad-config-missing')).toBeNull();

    const numeric = unreadable.find((e) => e.key === 42)!;
    expect(numeric.id).toBe('#42');
    await store.delete(numeric.key);
    expect((await store.entries()).total).toBe(damaged.length);
  });

  it('never hide the rest: records without a usable date come first, the others newest first', async () => {
    const indexedDB = new IDBFactory();
    const store = await openRunStore({ indexedDB });
    await writeRaw(indexedDB, [storedRecord('old', 1), storedRecord('new', 2), { ...storedRecord('no-date', 3), createdAt: 'yesterday' }]);
    expect((await store.entries()).entries.map((e) => e.id)).toEqual(['no-date', 'new', 'old']);
  });

  it('the in-memory store parses what it gives back too', async () => {
    const store = createMemoryRunStore();
    await store.put({ ...record('m', 1), createdAt: 'now' } as unknown as RunRecord);
    const [entry] = (await store.entries()).entries;
    expect(entry.readable ? '' : entry.reason).toBe("record.createdAt: expected a number, received 'now'");
    expect(await store.list()).toEqual([]);
  });
});

describe('many saved runs', () => {
  it('entries() reads one page of records, newest first, with the total; one widget’s through its index', async () => {
    const indexedDB = new IDBFactory();
    const store = await openRunStore({ indexedDB });
    await writeRaw(
      indexedDB,
      Array.from({ length: 30 }, (_, i) => storedRecord(`r${i}`, i, 1, i % 3 === 0 ? 'sweep' : 'training-run')),
    );
    const first = await store.entries({}, { limit: 10 });
    expect(first.total).toBe(30);
    expect(first.entries.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => `r${29 - i}`));
    const next = await store.entries({}, { offset: 10, limit: 10 });
    expect(next.entries[0].id).toBe('r19');
    const sweep = await store.entries({ widget: 'sweep' }, { limit: 3 });
    expect([sweep.total, sweep.entries.map((e) => e.id)]).toEqual([10, ['r27', 'r24', 'r21']]);
  });

  it('adds the widget index to a database made by the first version, keeping its records', async () => {
    const indexedDB = new IDBFactory();
    const v1 = await new Promise<IDBDatabase>((resolve) => {
      const open = indexedDB.open('normlab', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('runs', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
      open.onsuccess = () => resolve(open.result);
    });
    v1.close();
    await writeRaw(indexedDB, [storedRecord('kept', 1, 1, 'bn-vs-none')]);
    const store = await openRunStore({ indexedDB });
    expect((await store.list({ widget: 'bn-vs-none' })).map((r) => r.id)).toEqual(['kept']);
  });

  it('tells listeners the entry that changed, so a list updates one row without reading anything', async () => {
    const store = await openRunStore({ indexedDB: new IDBFactory() });
    const seen: [string, string | null][] = [];
    store.onChange((id, entry) => seen.push([id, entry?.readable ? entry.record.state : null]));
    await store.put(record('x', 1, { state: 'running' }));
    await store.delete('x');
    expect(seen).toEqual([
      ['x', 'running'],
      ['x', null],
    ]);
  });
});

describe('a save that fails', () => {
  it('rejects with the reason, keeps the record listed in this page, and explains the interrupted run after a reload', async () => {
    const indexedDB = new IDBFactory();
    const notes = memoryNotes();
    const { locks } = fakeLocks();
    const tab1 = await openRunStore({ indexedDB, locks, notes, now: () => 5000 });
    await tab1.put(record('full', 1, { state: 'running' }));
    const restore = fullAfter(0);
    try {
      const seen: (string | null)[] = [];
      tab1.onChange((_, entry) => seen.push(entry?.readable ? (entry.saveError?.reason ?? null) : null));
      await expect(tab1.put(record('full', 1, { state: 'finished' }))).rejects.toThrow('QuotaExceededError: The quota has been exceeded.');
      expect(seen).toEqual(['QuotaExceededError: The quota has been exceeded.']);
      const [entry] = (await tab1.entries()).entries;
      expect(entry.readable && [entry.record.state, entry.saveError]).toEqual([
        'finished',
        { reason: 'QuotaExceededError: The quota has been exceeded.', at: 5000, inPage: true },
      ]);
      expect((await tab1.get('full'))?.state).toBe('finished');
      expect((await tab1.list()).map((r) => r.state)).toEqual(['finished']);
      // A run whose very first save failed is listed too.
      await expect(tab1.put(record('never', 2, { state: 'running' }))).rejects.toThrow('QuotaExceededError');
      expect((await tab1.entries()).entries.map((e) => e.id)).toEqual(['never', 'full']);
    } finally {
      restore();
    }
    const tab2 = await openRunStore({ indexedDB, locks, notes });
    const [entry] = (await tab2.entries()).entries;
    expect(entry.readable && [entry.record.state, entry.saveError]).toEqual([
      'interrupted',
      { reason: 'QuotaExceededError: The quota has been exceeded.', at: 5000, inPage: false },
    ]);
  });

  it('is forgotten once a later save of the run goes through', async () => {
    const notes = memoryNotes();
    const indexedDB = new IDBFactory();
    const store = await openRunStore({ indexedDB, notes });
    const restore = fullAfter(0);
    await expect(store.put(record('a', 1))).rejects.toThrow();
    restore();
    await store.put(record('a', 1, { state: 'finished' }));
    const [entry] = (await store.entries()).entries;
    expect(entry.readable && entry.saveError).toBeNull();
    expect(notes.getItem('normlab:save-failures:v1')).toBe('{}');
  });
});
