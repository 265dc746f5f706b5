import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDuration, syllabus } from './syllabus';

const l = (id: string, minutes?: number) => ({ id, title: id, minutes, prerequisites: [] });

describe('syllabus(lessons)', () => {
  it('sums the stated minutes and packs lessons in order into sessions, never splitting one', () => {
    const s = syllabus([l('a', 40), l('b', 45), l('c', 30), l('d', 100), l('e')], 90);
    expect(s.totalMinutes).toBe(215);
    expect(s.unknown.map((x) => x.id)).toEqual(['e']);
    expect(s.sessions.map((x) => [x.lessons.map((y) => y.id), x.minutes])).toEqual([
      [['a', 'b'], 85],
      [['c'], 30],
      [['d', 'e'], 100],
    ]);
    expect(() => syllabus([], 0)).toThrow('syllabus: sessionMinutes must be > 0, received 0');
  });

  it('gives today’s course five to seven hours', () => {
    const minutes = readdirSync('content/lessons').map((f) =>
      Number(/^minutes:\s*(\d+)/m.exec(readFileSync(`content/lessons/${f}`, 'utf8'))?.[1] ?? 0),
    );
    const total = syllabus(minutes.map((m, i) => l(String(i), m))).totalMinutes;
    expect(total).toBeGreaterThanOrEqual(240);
    // Issue 19's two ConvNet lessons (BN in a ConvNet, small batches) took it from 5 h 45 min to 6 h 50 min.
    expect(total).toBeLessThanOrEqual(420);
  });

  it('formats durations in hours and minutes', () => {
    expect([formatDuration(300), formatDuration(270), formatDuration(45)]).toEqual(['5 h', '4 h 30 min', '45 min']);
  });
});
