import { describe, expect, it } from 'vitest';
import { joinBase } from './paths';

describe('joinBase(base, path)', () => {
  it.each([
    ['/', '', '/'],
    ['/', 'lessons/a/', '/lessons/a/'],
    ['/course/', 'lessons/a/', '/course/lessons/a/'],
    ['/course', 'lessons/a/', '/course/lessons/a/'],
    ['/course/', '/pagefind/pagefind.js', '/course/pagefind/pagefind.js'],
    ['/course/', '//favicon.svg', '/course/favicon.svg'],
  ])('joinBase(%j, %j) is %j', (base, path, expected) => {
    expect(joinBase(base, path)).toBe(expected);
  });
});
