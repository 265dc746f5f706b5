/**
 * `<nn-site-search>`: runs the query from `?q=` (and each new submit) against the Pagefind index
 * of this build, found from the site's root at run time (site-root.ts), wherever the build is hosted.
 * Which results count and where they link: search-results.ts.
 */
import { siteRoot, siteUrl } from '../../client/site-root';
import { excerptNodes, shownResult, type PagefindResultData, type ShownResult } from './search-results';

interface Pagefind {
  options(options: { baseUrl?: string }): Promise<void>;
  search(query: string): Promise<{ results: { data(): Promise<PagefindResultData> }[] }>;
}

class SiteSearch extends HTMLElement {
  #pagefind: Promise<Pagefind> | undefined;

  connectedCallback(): void {
    const form = this.querySelector('form');
    const input = this.querySelector<HTMLInputElement>('input[name="q"]');
    if (!form || !input) return;
    const query = new URLSearchParams(window.location.search).get('q') ?? '';
    input.value = query;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const url = new URL(window.location.href);
      url.searchParams.set('q', input.value);
      history.replaceState(history.state, '', url);
      void this.run(input.value);
    });
    if (query.trim()) void this.run(query);
  }

  #load(): Promise<Pagefind> {
    this.#pagefind ??= (async () => {
      const pagefind = (await import(/* @vite-ignore */ siteUrl('pagefind/pagefind.js'))) as Pagefind;
      // Result URLs are root-relative in the index ('/lessons/x/'); the root's path puts them under it.
      await pagefind.options({ baseUrl: siteRoot().pathname });
      return pagefind;
    })();
    return this.#pagefind;
  }

  async run(query: string): Promise<void> {
    const status = this.querySelector<HTMLElement>('[data-status]');
    const list = this.querySelector<HTMLOListElement>('[data-results]');
    if (!status || !list) return;
    list.replaceChildren();
    if (!query.trim()) {
      status.textContent = 'Type a word to search the lessons.';
      return;
    }
    status.textContent = 'Searching…';
    try {
      const pagefind = await this.#load();
      const found = await pagefind.search(query);
      // Every match is shown: the course has a few dozen pages, and a cap hid lessons that mention the
      // word ("dropout" is in 13 of them) with no sign that more existed.
      const data = await Promise.all(found.results.map((r) => r.data()));
      const shown = data.map((d) => shownResult(d, query)).filter((r): r is ShownResult => r !== null);
      list.replaceChildren(...shown.map(renderResult));
      status.textContent =
        shown.length === 0
          ? `No lesson mentions “${query}”.`
          : `${shown.length} lesson${shown.length === 1 ? '' : 's'} found for “${query}”.`;
    } catch (error) {
      status.textContent = `Search is unavailable: the index could not be loaded (${String(error)}). Was the site built with \`npm run build\`?`;
    }
  }
}

function renderResult(result: ShownResult): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = result.url;
  link.textContent = result.title;
  item.append(link);
  if (result.section) {
    const section = document.createElement('span');
    section.className = 'section';
    section.textContent = ` › ${result.section}`;
    item.append(section);
  }
  const excerpt = document.createElement('p');
  excerpt.className = 'excerpt';
  excerpt.append(...excerptNodes(result.excerpt, document));
  item.append(excerpt);
  return item;
}

customElements.define('nn-site-search', SiteSearch);
