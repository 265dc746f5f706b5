/**
 * <nn-code-cell>: enhances the HTML of CodeCell.astro. The starter code is already on the page as
 * text; this element restores the reader's saved code, enables the buttons, loads the editor
 * (editor.ts, CodeMirror) when the cell comes near the viewport or gets focus, and sends each Run,
 * Check and Train to a fresh sandbox (sandbox-client.ts) — the reader's code never runs on this
 * thread nor in the site's origin. A Check (check-code.ts) takes its verdict from the checker
 * worker, which only receives the outputs the sandbox recorded.
 */
import type { TrainProgress } from '../../exercises/train-own-layer';
import { dataManifestUrl } from '../../client/site-root';
import { cellStorageKey, cellStore, type CellStore } from './cell-store';
import { askChecker } from './checker-client';
import { cellTimeLimitMs, checkCode } from './check-code';
import type { CellEditor } from './editor';
import { renderCheck, renderError, renderRun, renderSiteUpdated } from './render-output';
import { renderTraining, renderTrainingProgress } from './render-training';
import { CellTimeout, SandboxBlocked, SandboxFrame, SiteUpdated } from './sandbox-client';

/** Two one-epoch trainings on 10,000 images plus the data download. */
const trainTimeLimitMs = 600_000;
const trainImages = 10_000;

class CodeCellElement extends HTMLElement {
  #store!: CellStore;
  #starter = '';
  #code = '';
  #editor: CellEditor | null = null;
  #editorLoading: Promise<void> | null = null;
  #sandbox = new SandboxFrame();
  /** Stops the request in flight (Stop training). */
  #abort: AbortController | null = null;
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
      const io = new IntersectionObserver(
        (entries) => {
          if (entries.some((e) => e.isIntersecting)) {
            io.disconnect();
            load();
          }
        },
        { rootMargin: '200px 0px' },
      );
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
    this.#editorLoading ??= import('./editor').then(
      async ({ createEditor }) => {
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
      },
      (e: unknown) => {
        this.#status(`The editor could not load (${e instanceof Error ? e.message : String(e)}); the code above still runs.`);
      },
    );
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
      this.#abort?.abort('training stopped: you pressed Stop. The next run starts a fresh sandbox.');
      return;
    }
    if (this.#busy) return;
    const out = this.#part<HTMLElement>('[data-output]');
    this.#busy = true;
    this.toggleAttribute('data-busy', true);
    try {
      if (action === 'run') {
        this.#status('Running…');
        const r = await this.#sandbox.run({ type: 'run', code: this.#code }, cellTimeLimitMs);
        if (r.type === 'ran') renderRun(out, r.logs, r.value, r.cut);
        else if (r.type === 'failed') renderError(out, r.error, r.logs, r.code === 'csp' ? 'csp' : 'error', r.cut);
        else throw new Error(`the sandbox answered a Run with ${r.type}`);
        this.#status(r.type === 'ran' ? 'Ran.' : r.code === 'cut' ? 'Stopped.' : 'Error.');
      } else if (action === 'check') {
        this.#status('Checking…');
        const r = await checkCode(this.#sandbox, this.dataset.exercise!, this.#code, this.#functions());
        this.#store.markTried();
        this.#part<HTMLButtonElement>('button[data-action="solution"]').disabled = false;
        if ('stages' in r) {
          renderCheck(out, r.report, r.cut);
          this.#status(r.report.pass ? 'All checks pass.' : 'Some checks fail.');
        } else {
          renderError(out, r.error, r.logs, r.code === 'csp' ? 'csp' : 'error', r.cut);
          this.#status(r.code === 'cut' ? 'Stopped.' : 'Error.');
        }
      } else if (action === 'train') {
        await this.#train();
      }
    } catch (e) {
      this.#showFailure(out, e);
      this.#status(e instanceof CellTimeout ? 'Stopped.' : e instanceof SiteUpdated ? 'Site updated.' : 'Error.');
    } finally {
      this.#busy = false;
      this.toggleAttribute('data-busy', false);
    }
  }

  #functions(): string[] {
    return (this.dataset.functions ?? '').split(' ').filter(Boolean);
  }

  #showFailure(out: HTMLElement, e: unknown): void {
    if (e instanceof SiteUpdated) return renderSiteUpdated(out, e.message);
    const kind = e instanceof CellTimeout ? 'timeout' : e instanceof SandboxBlocked ? 'csp' : 'error';
    renderError(out, { message: e instanceof Error ? e.message : String(e), line: null }, [], kind);
  }

  async #train(): Promise<void> {
    const result = this.#part<HTMLElement>('[data-train-result]');
    const progress = this.#part<HTMLProgressElement>('[data-train-progress]');
    const forwardCode = cellStore(cellStorageKey('bn-forward')).code();
    if (!forwardCode) {
      result.textContent =
        'Write batchNormForward in the code cell of “The BN transform” lesson first (the cell keeps your code in this browser), then come back.';
      return;
    }
    this.#status('Training…');
    progress.hidden = false;
    const stop = this.#part<HTMLButtonElement>('button[data-action="stop-train"]');
    stop.hidden = false;
    const abort = (this.#abort = new AbortController());
    const signal = abort.signal;
    try {
      // Both layers must pass their checks (judged outside the sandbox) before anything trains.
      result.textContent = 'Checking your batchNormForward and batchNormBackward first…';
      for (const [exercise, code, fn, cell] of [
        ['bn-forward', forwardCode, 'batchNormForward', '“The BN transform”'],
        ['bn-backward', this.#code, 'batchNormBackward', '“Backpropagation through BN”'],
      ] as const) {
        const r = await checkCode(this.#sandbox, exercise, code, [fn], signal);
        const failed = 'stages' in r ? r.report.stages.find((s) => !s.pass) : null;
        if (!('stages' in r) || failed || !r.report.pass) {
          const why = !('stages' in r)
            ? r.error.message
            : failed
              ? `${failed.stage} (${failed.case}) — ${failed.message}`
              : 'no stage was checked';
          renderError(
            result,
            { message: `your ${fn} (${cell}) does not pass its checks yet, so it is not trained: ${why}`, line: null },
            [],
            'error',
          );
          this.#status('Training stopped.');
          return;
        }
      }
      const data = await askChecker({ type: 'load-data', manifestUrl: dataManifestUrl() }, trainTimeLimitMs, {
        signal,
        onProgress: (p) => renderTrainingProgress(progress, result, { phase: 'data', done: p.total ? p.loaded / p.total : 0 }),
      });
      if (data.type !== 'data') throw new Error(`the MNIST data could not be loaded: ${data.type === 'failed' ? data.message : data.type}`);
      const r = await this.#sandbox.run(
        { type: 'train', forwardCode, backwardCode: this.#code, trainLimit: trainImages, seed: 1, files: data.files },
        trainTimeLimitMs,
        {
          signal,
          transfer: Object.values(data.files).map((b) => b.buffer as ArrayBuffer),
          onProgress: (p: TrainProgress) => renderTrainingProgress(progress, result, p),
        },
      );
      if (r.type === 'trained') {
        await renderTraining(this.#part<HTMLElement>('[data-train-chart]'), result, r.summary);
        this.#status('Trained.');
      } else if (r.type === 'failed') {
        renderError(result, r.error, r.logs, 'error', r.cut);
        this.#status('Training stopped.');
      } else throw new Error(`the sandbox answered Train with ${r.type}`);
    } catch (e) {
      this.#showFailure(result, e);
      this.#status('Training stopped.');
    } finally {
      this.#abort = null;
      progress.hidden = true;
      stop.hidden = true;
    }
  }
}

if (!customElements.get('nn-code-cell')) customElements.define('nn-code-cell', CodeCellElement);
