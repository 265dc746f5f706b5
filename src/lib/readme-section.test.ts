import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markdownSection } from './readme-section';

describe('markdownSection(markdown, heading)', () => {
  it('returns the body of the section up to the next ## heading', () => {
    expect(markdownSection('# T\n\n## A\n\none\n### sub\ntwo\n\n## B\nthree\n', 'A')).toBe('one\n### sub\ntwo');
    expect(markdownSection('## B\nlast\n', 'B')).toBe('last');
  });

  it('names the sections it found when the heading is missing', () => {
    expect(() => markdownSection('## A\n## B\n', 'C')).toThrow(/no "## C" section, received sections: A, B/);
  });

  it('finds the hosting guide in the README', () => {
    expect(markdownSection(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'), 'Host the course')).toContain('BASE_PATH');
  });
});
