import { describe, expect, it } from 'vitest';
import { loadProgress, parseProgress, saveProgress, storageKey } from './progress';

function storage(initial: Record<string, unknown> = {}) {
  const items = new Map<string, string>([[storageKey, JSON.stringify(initial)]]);
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe('exercise progress', () => {
  it('parseProgress(value) counts only progress that reads as such: solved "no" is not solved', () => {
    expect(
      parseProgress({
        good: { tries: 2, solved: true, reply: '44' },
        text: { tries: 1, solved: 'no' },
        one: { tries: 1, solved: 1 },
        count: { tries: '3', solved: false },
        junk: 'solved',
        empty: null,
      }),
    ).toEqual({ good: { tries: 2, solved: true, reply: '44' } });
    for (const value of [null, 'x', 42, [], undefined]) expect(parseProgress(value)).toEqual({});
  });

  it('loadProgress(page) reads one page of what was saved, and a damaged store as nothing', () => {
    const s = storage({ '/a/': { x: { tries: 1, solved: 'no' }, y: { tries: 3, solved: true } } });
    expect(loadProgress('/a/', s)).toEqual({ y: { tries: 3, solved: true } });
    expect(loadProgress('/b/', s)).toEqual({});
    s.items.set(storageKey, '{not json');
    expect(loadProgress('/a/', s)).toEqual({});
  });

  it('saveProgress(page, id, progress) keeps other pages and replaces damaged entries', () => {
    const s = storage({ '/a/': { x: { tries: 1, solved: 'no' } }, '/b/': { z: { tries: 1, solved: true } } });
    saveProgress('/a/', 'x', { tries: 2, solved: true }, s);
    expect(JSON.parse(s.items.get(storageKey)!)).toEqual({
      '/a/': { x: { tries: 2, solved: true } },
      '/b/': { z: { tries: 1, solved: true } },
    });
  });

  it('keeps progress in memory for the page view where storage is refused', () => {
    const refused = {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
    };
    saveProgress('/c/', 'x', { tries: 1, solved: true }, refused);
    expect(loadProgress('/c/', refused)).toEqual({ x: { tries: 1, solved: true } });
  });
});
