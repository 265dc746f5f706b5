import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseTrainConfig } from '@engine/train/config.ts';
import { createRunRecord } from './run-record';
import { openPageStore } from './shared-store';

const record = (id: string, createdAt: number) => ({
  ...createRunRecord({ id, widget: 'training-run', config: parseTrainConfig({}), now: createdAt }),
  state: 'finished' as const,
});

describe('openPageStore(indexedDB, timeoutMs)', () => {
  afterEach(() => void vi.useRealTimers());

  it('opens IndexedDB when it is there: persistent', async () => {
    expect((await openPageStore(new IDBFactory())).persistent).toBe(true);
  });

  it('keeps runs in memory where storage is refused: they still list, read back and delete', async () => {
    const store = await openPageStore(null);
    expect(store.persistent).toBe(false);
    const changed: string[] = [];
    store.onChange((id) => changed.push(id));
    await store.put(record('a', 1));
    await store.put(record('b', 2));
    expect((await store.list()).map((r) => r.id)).toEqual(['b', 'a']);
    expect((await store.get('a'))?.state).toBe('finished');
    await store.delete('a');
    expect((await store.list({ widget: 'training-run' })).map((r) => r.id)).toEqual(['b']);
    expect(changed).toEqual(['a', 'b', 'a']);
  });

  it('falls back to memory when opening IndexedDB never completes, instead of holding up training', async () => {
    vi.useFakeTimers();
    const stuck = { open: () => ({}) } as unknown as IDBFactory; // a request whose events never fire
    const opening = openPageStore(stuck, 3000);
    await vi.advanceTimersByTimeAsync(3001);
    expect((await opening).persistent).toBe(false);
  });
});
