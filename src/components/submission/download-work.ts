/**
 * `nn-download-work`: gathers the student's work in this browser and downloads it as one JSON file
 * (collect-work.ts). Exercise progress comes from nn-exercise's store (or this page's memory where
 * storage is refused), code from each cell's stored code (or, on this page, the editor's text),
 * runs from the saved-runs store (in memory where IndexedDB is refused).
 */
import { cellStorageKey, cellStore } from '../code-cell/cell-store';
import { loadAll } from '../exercise/progress';
import { getRunStore } from '../../client/shared-store';
import { submissionFileName } from '../../lib/submission';
import { collectWork, type CourseManifest } from './collect-work';

/** The code shown in a cell of this page: the editor's lines once it has loaded, else the rendered code. */
function codeOnPage(key: string): string | null {
  const cell = document.querySelector<HTMLElement>(`nn-code-cell[data-key="${CSS.escape(key)}"]`);
  if (!cell) return null;
  const lines = cell.querySelectorAll('.cm-content .cm-line');
  if (lines.length > 0) return Array.from(lines, (l) => l.textContent ?? '').join('\n');
  return cell.querySelector('[data-code]')?.textContent ?? null;
}

class DownloadWorkElement extends HTMLElement {
  connectedCallback(): void {
    const form = this.querySelector<HTMLFormElement>('form');
    if (!form || form.dataset.bound) return;
    form.dataset.bound = '';
    form.hidden = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#download(form);
    });
  }

  async #download(form: HTMLFormElement): Promise<void> {
    const status = form.querySelector<HTMLElement>('[role="status"]');
    const manifest = JSON.parse(this.dataset.course ?? '{}') as CourseManifest;
    // Lesson paths are written relative to this page (a build for any folder); progress is kept by absolute path.
    const course = { ...manifest, lessons: manifest.lessons.map((l) => ({ ...l, path: new URL(l.path, document.baseURI).pathname })) };
    const starters = JSON.parse(this.dataset.starters ?? '{}') as Record<string, string>;
    const code = (key: string): string | null => {
      const stored = cellStore(cellStorageKey(key)).code();
      if (stored !== null) return stored;
      const shown = codeOnPage(key);
      return shown === null || shown === starters[key] ? null : shown;
    };
    const store = await getRunStore();
    const runs = await store.list();
    const student = new FormData(form).get('student');
    const submission = collectWork({
      course,
      progress: loadAll(),
      code,
      runs,
      student: typeof student === 'string' ? student : '',
      now: new Date(),
    });
    const url = URL.createObjectURL(new Blob([JSON.stringify(submission, null, 2)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = submissionFileName(submission);
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    const answered = submission.lessons.reduce((n, l) => n + l.exercises.filter((e) => e.reply !== null).length, 0);
    const written = submission.lessons.reduce((n, l) => n + l.cells.filter((c) => c.code !== null).length, 0);
    if (status) status.textContent = `Saved ${link.download}: ${answered} exercise answers, ${written} code cells, ${runs.length} runs.`;
  }
}

if (!customElements.get('nn-download-work')) customElements.define('nn-download-work', DownloadWorkElement);
