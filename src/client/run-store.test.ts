import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '@engine/train/config.ts';
import { createRunRecord, type RunRecord } from './run-record';
import { openRunStore, type LockManagerLike } from './run-store';

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
const record = (id: string, createdAt: number, patch: Partial<RunRecord> = {}): RunRecord => ({ ...createRunRecord({ id, widget: 'training-run', config, now: createdAt }), ...patch });

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
    expect(listed.map((r) => [r.id, r.state])).toEqual([['alive', 'paused'], ['closed', 'interrupted']]);
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
