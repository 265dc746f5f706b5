/**
 * Turning Pagefind's raw results into what the search page shows, as pure functions (tested in
 * search-results.test.ts):
 * - a result counts only if a highlighted word really resembles a query word: Pagefind falls back
 *   to very short prefixes, so "xyzzy" would otherwise "find" every lesson that mentions x̂;
 * - each result links to the section (a sub-result, from the page's headings) whose text matched,
 *   not to the top of the page;
 * - excerpts keep the spaces around highlighted words.
 */
export interface PagefindSubResult {
  title: string;
  url: string;
  excerpt: string;
}

export interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
  sub_results?: PagefindSubResult[];
}

export interface ShownResult {
  title: string;
  url: string;
  excerpt: string;
  /** The matched section's heading, when the link goes to a section. */
  section: string | null;
}

/** Leading letters a highlighted word must share with a query word (fewer for shorter words). */
const minimumShared = 4;

/** Lower-case letters and digits only, accents removed: "x̂," → "x", "Dropout." → "dropout". */
export function normalizeWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The highlighted words of a Pagefind excerpt. */
export function markedWords(excerpt: string): string[] {
  return [...excerpt.matchAll(/<mark>([\s\S]*?)<\/mark>/g)]
    .flatMap((m) => m[1].split(/\s+/))
    .map(normalizeWord)
    .filter(Boolean);
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Whether a highlighted word is a real hit for one of the query's words (not a 1-letter fallback). */
export function resembles(marked: string, queryWords: readonly string[]): boolean {
  return queryWords.some((q) => sharedPrefix(marked, q) >= Math.min(minimumShared, q.length));
}

export function queryWords(query: string): string[] {
  return query.split(/\s+/).map(normalizeWord).filter(Boolean);
}

/** The result as shown, or null when none of its highlighted words resembles the query. */
export function shownResult(data: PagefindResultData, query: string): ShownResult | null {
  const words = queryWords(query);
  const hits = (excerpt: string) => markedWords(excerpt).filter((w) => resembles(w, words)).length;
  const sections = (data.sub_results ?? []).map((s) => ({ s, hits: hits(s.excerpt) })).filter((x) => x.hits > 0);
  if (hits(data.excerpt) === 0 && sections.length === 0) return null;
  const best = sections.sort((a, b) => b.hits - a.hits)[0]?.s;
  const title = data.meta.title ?? data.url;
  const isSection = best !== undefined && best.url.includes('#');
  return {
    title,
    url: best?.url ?? data.url,
    excerpt: best?.excerpt ?? data.excerpt,
    section: isSection && best.title !== title ? best.title : null,
  };
}

/**
 * Pagefind's excerpt is the page's own text with matches wrapped in <mark> and the rest
 * HTML-escaped; this keeps the marks as elements and everything else as text, spaces included.
 */
export function excerptNodes(html: string, doc: Document): Node[] {
  return html.split(/<mark>|<\/mark>/).map((part, i) => {
    const text = doc.createTextNode(decodeEntities(part, doc));
    if (i % 2 === 0) return text;
    const mark = doc.createElement('mark');
    mark.append(text);
    return mark;
  });
}

/**
 * Entities decoded without losing edge whitespace (parsing a fragment as a whole document drops
 * the leading space of " and", which glued "dropout" to "and").
 */
function decodeEntities(text: string, doc: Document): string {
  const area = doc.createElement('textarea');
  area.innerHTML = text;
  return area.value;
}
