/**
 * <nn-code-cell>: enhances the HTML of CodeCell.astro. The starter code is already on the page as
 * text; this element restores the reader's saved code, enables the buttons, loads the editor
 * (editor.ts, CodeMirror) when the cell comes near the viewport or gets focus, and sends Run,
 * Check and Train to the cell's own worker (cell-worker-client.ts) — the reader's code never runs
 * on this thread.
 */
import type { TrainProgress, TrainSummary } from '../../exercises/train-own-layer';
import { dataManifestUrl } from '../../client/data-url';
import { cellStorageKey, cellStore, type CellStore } from './cell-store';
import { CellTimeout, CellWorkerClient, type WorkerLike } from './cell-worker-client';
import type { CellEditor } from './editor';
import { renderCheck, renderError, renderRun } from './render-output';
import { renderTraining, renderTrainingProgress } from './render-training';

/** Run and Check stop after this long; an endless loop is the usual cause. */
const cellTimeLimitMs = 5000;
/** Two one-epoch trainings on 10,000 images plus the data download. */
const trainTimeLimitMs = 600_000;
const trainImages = 10_000;

class CodeCellElement extends HTMLElement {
  #store!: CellStore;
  #starter = '';
  #code = '';
  #editor: CellEditor | null = null;
  #editorLoading: Promise<void> | null = null;
  #client = new CellWorkerClient(
    () => new Worker(new URL('../../exercises/code-cell.worker.ts', import.meta.url), { type: 'module', name: 'normlab-code-cell' }) as unknown as WorkerLike,
  );
  #busy = false;

  connectedCallback(): void {
    if (this.#store) return;
    this.#store = cellStore(this.dataset.storage ?? cellStorageKey(this.dataset.key ?? 'cell'));
    const pre = this.#part<HTMLPreElement>('[data-code]');
    this.#starter = pre.textContent ?? '';
    this.#code = this.#store.code() ?? this.#starter;
    if (this.#code !== this.#starter) pre.firstElementChild!.textContent = this.#code;

    for (const b of this.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
      b.disabled = b.dataset.action === 'solution' && !this.#store.tried();
      b.addEventListener('click', () => this.#act(b.dataset.action!));
    }
    const load = () => void this.#loadEditor();
    pre.addEventListener('focus', () => void this.#loadEditor().then(() => this.#editor?.focus()), { once: true });
    pre.addEventListener('click', () => void this.#loadEditor().then(() => this.#editor?.focus()), { once: true });
    if ('IntersectionObserver' in window) {
      const io = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          io.disconnect();
          load();
        }
      }, { rootMargin: '200px 0px' });
      io.observe(this);
    } else load();
    this.dataset.ready = '';
  }

  #part<T extends Element>(selector: string): T {
    const node = this.querySelector<T>(selector);
    if (!node) throw new Error(`nn-code-cell: missing ${selector}`);
    return node;
  }

  #loadEditor(): Promise<void> {
    // Creating the editor waits one task after the module has run, so the two never add up to
    // one long main-thread task.
    const nextTask = () => new Promise((done) => setTimeout(done, 0));
    this.#editorLoading ??= import('./editor').then(async ({ createEditor }) => {
      await nextTask();
      const holder = this.#part<HTMLElement>('[data-editor]');
      const pre = this.#part<HTMLPreElement>('[data-code]');
      const mount = document.createElement('div');
      mount.className = 'code-cell-cm';
      holder.prepend(mount);
      this.#editor = createEditor(mount, this.#code, {
        label: `Code editor: ${this.querySelector('.widget-title')?.textContent ?? 'code cell'}`,
        onChange: (code) => this.#changed(code),
        onRun: () => this.#act('run'),
        onCheck: () => this.#act('check'),
      });
      // The text copy stays for printing (the print stylesheet shows it instead of the editor).
      pre.classList.add('code-cell-print');
      pre.removeAttribute('tabindex');
      pre.setAttribute('aria-hidden', 'true');
      this.dataset.editor = 'ready';
    }, (e: unknown) => {
      this.#status(`The editor could not load (${e instanceof Error ? e.message : String(e)}); the code above still runs.`);
    });
    return this.#editorLoading;
  }

  #changed(code: string): void {
    this.#code = code;
    this.#part<HTMLPreElement>('[data-code]').firstElementChild!.textContent = code;
    if (code === this.#starter) this.#store.clearCode();
    else this.#store.saveCode(code);
  }

  #status(text: string): void {
    this.#part<HTMLElement>('[data-status]').textContent = text;
  }

  #toggle(action: 'hint' | 'solution'): void {
    const panel = this.#part<HTMLElement>(`[data-${action}]`);
    const button = this.#part<HTMLButtonElement>(`button[data-action="${action}"]`);
    if (action === 'solution' && panel.childElementCount === 0) {
      const pre = document.createElement('pre');
      pre.className = 'code-cell-code';
      pre.tabIndex = 0; // it may scroll sideways on a narrow screen
      pre.setAttribute('aria-label', 'Solution code');
      pre.textContent = this.#part<HTMLTemplateElement>('template[data-solution-text]').content.textContent ?? '';
      const p = document.createElement('p');
      p.innerHTML = '<strong>A solution.</strong> Compare it with yours; copy any part into the editor above.';
      panel.append(p, pre);
    }
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    button.textContent = `${panel.hidden ? 'Show' : 'Hide'} ${action === 'hint' ? 'a hint' : 'the solution'}`;
  }

  async #act(action: string): Promise<void> {
    if (action === 'hint' || action === 'solution') return this.#toggle(action);
    if (action === 'reset') {
      this.#editor?.setCode(this.#starter);
      this.#changed(this.#starter);
      this.#status('Reset to the starter code.');
      return;
    }
    if (action === 'stop-train') {
      this.#client.cancel('training stopped: you pressed Stop. The next run starts a fresh worker.');
      return;
    }
    if (this.#busy) return;
    const out = this.#part<HTMLElement>('[data-output]');
    this.#busy = true;
    this.toggleAttribute('data-busy', true);
    try {
      if (action === 'run') {
        this.#status('Running…');
        const r = await this.#client.request({ type: 'run', code: this.#code }, cellTimeLimitMs);
        if (r.type === 'ran') renderRun(out, r.logs, r.value);
        else if (r.type === 'failed') renderError(out, r.error, r.logs, r.code);
        this.#status(r.type === 'failed' ? 'Error.' : 'Ran.');
      } else if (action === 'check') {
        this.#status('Checking…');
        const r = await this.#client.request({ type: 'check', exercise: this.dataset.exercise!, code: this.#code }, cellTimeLimitMs);
        this.#store.markTried();
        this.#part<HTMLButtonElement>('button[data-action="solution"]').disabled = false;
        if (r.type === 'checked') renderCheck(out, r);
        else if (r.type === 'failed') renderError(out, r.error, r.logs, r.code);
        this.#status(r.type === 'checked' ? (r.pass ? 'All checks pass.' : 'Some checks fail.') : 'Error.');
      } else if (action === 'train') {
        await this.#train();
      }
    } catch (e) {
      const timeout = e instanceof CellTimeout;
      renderError(out, { message: e instanceof Error ? e.message : String(e), line: null }, [], timeout ? 'timeout' : 'error');
      this.#status(timeout ? 'Stopped.' : 'Error.');
    } finally {
      this.#busy = false;
      this.toggleAttribute('data-busy', false);
    }
  }

  async #train(): Promise<void> {
    const result = this.#part<HTMLElement>('[data-train-result]');
    const progress = this.#part<HTMLProgressElement>('[data-train-progress]');
    const forwardCode = cellStore(cellStorageKey('bn-forward')).code();
    if (!forwardCode) {
      result.textContent = 'Write batchNormForward in the lesson 2 code cell first (the cell keeps your code in this browser), then come back.';
      return;
    }
    this.#status('Training…');
    progress.hidden = false;
    const stop = this.#part<HTMLButtonElement>('button[data-action="stop-train"]');
    stop.hidden = false;
    try {
      const r = await this.#client.request(
        { type: 'train', forwardCode, backwardCode: this.#code, manifestUrl: dataManifestUrl(import.meta.env.BASE_URL, location.href), trainLimit: trainImages, seed: 1 },
        trainTimeLimitMs,
        (p: TrainProgress) => renderTrainingProgress(progress, result, p),
      );
      if (r.type === 'trained') {
        await renderTraining(this.#part<HTMLElement>('[data-train-chart]'), result, r.summary as TrainSummary);
        this.#status('Trained.');
      } else if (r.type === 'failed') {
        renderError(result, r.error, r.logs, r.code);
        this.#status('Training stopped.');
      }
    } catch (e) {
      renderError(result, { message: e instanceof Error ? e.message : String(e), line: null }, [], e instanceof CellTimeout ? 'timeout' : 'error');
      this.#status('Training stopped.');
    } finally {
      progress.hidden = true;
      stop.hidden = true;
    }
  }
}

if (!customElements.get('nn-code-cell')) customElements.define('nn-code-cell', CodeCellElement);
