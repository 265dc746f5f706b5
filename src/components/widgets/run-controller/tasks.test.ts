import { describe, expect, test } from 'vitest';
import { inTasks } from './tasks';

describe('inTasks(jobs)', () => {
  test('runs the jobs in order, each in its own task, and returns the longest duration', async () => {
    const log: string[] = [];
    const busy = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    // A timer queued before the first job fires between two jobs only if they run in separate tasks.
    setTimeout(() => log.push('other task'), 0);
    const longest = await inTasks([
      () => log.push('a'),
      () => {
        busy(15);
        log.push('b');
      },
    ]);
    expect(log).toEqual(['a', 'other task', 'b']);
    expect(longest).toBeGreaterThanOrEqual(14);
    expect(await inTasks([])).toBe(0);
  });
});
