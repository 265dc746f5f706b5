// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { excerptNodes, markedWords, normalizeWord, resembles, shownResult, type PagefindResultData } from './search-results';

const page = (over: Partial<PagefindResultData>): PagefindResultData => ({
  url: '/lessons/x/',
  excerpt: '',
  meta: { title: 'Lesson X' },
  ...over,
});

describe('search results', () => {
  it('normalizeWord strips accents, punctuation and case', () => {
    expect(normalizeWord('(x̂),')).toBe('x');
    expect(normalizeWord('Dropout.')).toBe('dropout');
  });

  it('resembles() accepts stems and short words but not a one-letter fallback', () => {
    expect(resembles('normalized', ['normalization'])).toBe(true);
    expect(resembles('bn', ['bn'])).toBe(true);
    expect(resembles('x', ['xyzzy'])).toBe(false);
    expect(resembles('x', ['x'])).toBe(true);
  });

  it('shownResult drops a page whose only highlights are prefix fallbacks ("xyzzy" → x̂)', () => {
    const data = page({
      excerpt: 'variance σ² <mark>(x̂),</mark> then <mark>x.</mark>',
      sub_results: [{ title: 'T', url: '/lessons/x/#t', excerpt: '<mark>x∗,</mark>' }],
    });
    expect(markedWords(data.excerpt)).toEqual(['x', 'x']);
    expect(shownResult(data, 'xyzzy')).toBeNull();
  });

  it('shownResult links to the section with the most real hits', () => {
    const data = page({
      excerpt: '<mark>dropout</mark> and more',
      sub_results: [
        { title: 'Lesson X', url: '/lessons/x/', excerpt: 'a <mark>dropout</mark>' },
        {
          title: 'Dropout',
          url: '/lessons/x/#dropout',
          excerpt: '<mark>Dropout.</mark> During training, <mark>dropout</mark> with rate p',
        },
      ],
    });
    expect(shownResult(data, 'dropout')).toEqual({
      title: 'Lesson X',
      url: '/lessons/x/#dropout',
      excerpt: data.sub_results![1].excerpt,
      section: 'Dropout',
    });
  });

  it('excerptNodes keeps the space after a highlighted word and decodes entities', () => {
    const nodes = excerptNodes('weight decay, <mark>dropout</mark> and a&gt;0', document);
    const p = document.createElement('p');
    p.append(...nodes);
    expect(p.innerHTML).toBe('weight decay, <mark>dropout</mark> and a&gt;0');
    expect(p.textContent).toBe('weight decay, dropout and a>0');
  });
});
