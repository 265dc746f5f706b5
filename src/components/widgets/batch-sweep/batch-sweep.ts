/**
 * `<nn-batch-sweep>`: plans the queue from the settings, runs it through the page's training
 * worker one entry at a time (runner.ts), and draws the queue, the two charts and their
 * summaries as runs end. Every run is saved as part of one group; after a reload the newest
 * saved sweep is shown again.
 */
import { readChartColors } from '@charts/colors';
import { sweepChart } from '@charts/sweep-chart';
import { getRunStore } from '@client/shared-store';
import { getTrainingClient } from '@client/shared-client';
import { newRunId } from '@client/training-client';
import { ensureData } from '../experiments/data-status';
import { inTasks } from '../experiments/tasks';
import { formatSeconds, newestGroup, newGroupId, progressLine } from '../experiments/run-text';
import { bindPresets, bindSeed, setRunBusy } from '../experiments/settings';
import { shareLink } from '../share';
import { onThemeChange } from '../theme';
import { urlWithState } from '../url-state';
import { actionButton, connectSettings, enableControls, rangeControl, requireElement } from '../widget-dom';
import { accuracySummary, allBatchSizes, entryConfig, normsOf, presets, schema, timeSummary, type State } from './model';
import { countStates, normLabels, planQueue, sweepPoints, type QueueEntry, type SweepResult } from './queue';
import { queueFromRecords, runSweep, widgetName, type SweepRunner } from './runner';

const renderIntervalMs = 300;

export class BatchSweepElement extends HTMLElement {
  #state!: State;
  #key = 'sweep';
  #writeUrl!: (state: State) => void;
  #stopTheme: (() => void) | undefined;
  #runner: SweepRunner | null = null;
  /** The queue shown: planned from the settings, running, or restored from the store. */
  #queue: QueueEntry[] = [];
  #note = '';
  #renderTimer: ReturnType<typeof setTimeout> | undefined;
  #lastRender = 0;
  /** Longest chart redraw of the last render, for the browser tests. */
  lastRenderMs = 0;

  connectedCallback(): void {
    if (this.#stopTheme) return;
    ({ key: this.#key, state: this.#state, writeUrl: this.#writeUrl } = connectSettings(this, schema, 'sweep'));
    this.#bind();
    enableControls(this);
    this.#showSettings();
    this.#queue = planQueue(this.#state.sizes, normsOf(this.#state));
    this.#render();
    this.#stopTheme = onThemeChange(() => this.#render());
    void this.#restore();
  }

  disconnectedCallback(): void {
    clearTimeout(this.#renderTimer);
    this.#stopTheme?.();
    this.#stopTheme = undefined;
  }

  get state(): State {
    return { ...this.#state };
  }

  get queue(): readonly QueueEntry[] {
    return this.#queue;
  }

  #el<T extends Element>(selector: string, type: { new (): T }): T {
    return requireElement(this, selector, type);
  }

  get #running(): boolean {
    return this.#runner !== null;
  }

  #update(next: Partial<State>): void {
    this.#state = { ...this.#state, ...next };
    this.#showSettings();
    this.#writeUrl(this.#state);
    if (!this.#running) {
      this.#queue = planQueue(this.#state.sizes, normsOf(this.#state));
      this.#note = '';
      this.#render();
    }
  }

  #bind(): void {
    for (const name of ['images', 'epochs'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => this.#update({ [name]: input.valueAsNumber }));
    }
    const norms = this.#el('select[name="norms"]', HTMLSelectElement);
    norms.addEventListener('change', () => this.#update({ norms: schema.norms.parse(norms.value) ?? schema.norms.default }));
    for (const box of this.#sizeBoxes()) {
      box.addEventListener('change', () => {
        const sizes = this.#sizeBoxes().filter((b) => b.checked).map((b) => Number(b.value));
        // A sweep needs at least one batch size: unticking the last one is undone.
        if (sizes.length === 0) box.checked = true;
        else this.#update({ sizes });
      });
    }
    bindSeed(this, schema.seed, () => this.#state.seed, (seed) => this.#update({ seed }));
    bindPresets(this, presets, (settings) => this.#update(settings));
    actionButton(this, 'start').addEventListener('click', () => void this.#start());
    actionButton(this, 'retry').addEventListener('click', () => void this.#start());
    actionButton(this, 'cancel-all').addEventListener('click', () => this.#runner?.cancelAll());
    actionButton(this, 'share').addEventListener('click', () => {
      void shareLink(urlWithState(schema, this.#key, this.#state, window.location.href), this.#el('[data-share-status]', HTMLElement));
    });
    this.#el('[data-queue]', HTMLElement).addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-cancel]');
      if (button?.dataset.cancel) this.#runner?.cancel(button.dataset.cancel);
    });
  }

  #sizeBoxes(): HTMLInputElement[] {
    return [...this.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="sizes"]')];
  }

  #showSettings(): void {
    const s = this.#state;
    rangeControl(this, 'images').show(s.images, s.images.toLocaleString('en-US'));
    rangeControl(this, 'epochs').show(s.epochs, String(s.epochs));
    this.#el('select[name="norms"]', HTMLSelectElement).value = s.norms;
    for (const box of this.#sizeBoxes()) box.checked = s.sizes.includes(Number(box.value));
    this.#el('input[name="seed"]', HTMLInputElement).value = String(s.seed);
  }

  async #start(): Promise<void> {
    if (this.#running) return;
    setRunBusy(this, true, 'cancel-all');
    const client = getTrainingClient();
    if (!(await ensureData(client, this.#el('[data-status]', HTMLElement), actionButton(this, 'retry')))) {
      setRunBusy(this, false, 'cancel-all');
      return;
    }
    const store = await getRunStore();
    const state = this.#state;
    this.#note = store.persistent ? '' : ' Runs are kept for this page only (this browser does not allow saving them).';
    const runner = runSweep({
      client,
      store,
      queue: planQueue(state.sizes, normsOf(state)),
      configOf: (entry) => entryConfig(state, entry),
      group: newGroupId(widgetName),
      newRunId,
    });
    this.#runner = runner;
    this.#queue = [...runner.queue];
    runner.onChange(() => {
      this.#queue = [...runner.queue];
      this.#scheduleRender();
    });
    await runner.finished;
    this.#runner = null;
    this.#queue = [...runner.queue];
    setRunBusy(this, false, 'cancel-all');
    this.#render();
  }

  async #restore(): Promise<void> {
    const store = await getRunStore();
    if (!store || this.#running) return;
    const group = newestGroup(await store.list({ widget: widgetName }));
    if (group.length === 0 || this.#running) return;
    this.#queue = queueFromRecords(group);
    this.#note = ` Showing the saved sweep from ${new Date(group[0].createdAt).toLocaleString()}; start a new one to replace it.`;
    this.#render();
  }

  #scheduleRender(): void {
    if (this.#renderTimer !== undefined) return;
    const wait = Math.max(0, renderIntervalMs - (performance.now() - this.#lastRender));
    this.#renderTimer = setTimeout(() => {
      this.#renderTimer = undefined;
      this.#render();
    }, wait);
  }

  #entryText(entry: QueueEntry): string {
    switch (entry.state) {
      case 'pending':
        return 'pending';
      case 'running': {
        const record = this.#runner?.records.get(entry.key);
        return `running: ${record ? progressLine(record) : 'starting…'}`;
      }
      case 'done': {
        const r = entry.result;
        const accuracy = r?.validationAccuracy != null ? `${(r.validationAccuracy * 100).toFixed(2)} % validation` : 'no validation';
        const time = r?.secondsPerEpoch != null ? `, ${formatSeconds(r.secondsPerEpoch)} per epoch` : '';
        return `done: ${accuracy}${time}`;
      }
      case 'failed':
        return `failed: ${entry.error ?? 'unknown reason'}`;
      case 'cancelled':
        return entry.error ? `cancelled (${entry.error})` : 'cancelled';
    }
  }

  #renderQueue(): void {
    const list = this.#el('[data-queue]', HTMLOListElement);
    list.replaceChildren(
      ...this.#queue.map((entry) => {
        const li = document.createElement('li');
        li.dataset.entry = entry.key;
        li.dataset.state = entry.state;
        const name = document.createElement('span');
        name.className = 'entry-name';
        name.textContent = `batch ${entry.batchSize} · ${normLabels[entry.norm]}`;
        const state = document.createElement('span');
        state.className = 'entry-state';
        state.dataset.entryState = '';
        state.textContent = this.#entryText(entry);
        li.append(name, state);
        if (this.#running && (entry.state === 'pending' || entry.state === 'running')) {
          const cancel = document.createElement('button');
          cancel.type = 'button';
          cancel.dataset.cancel = entry.key;
          cancel.textContent = entry.state === 'running' ? 'Stop' : 'Cancel';
          cancel.setAttribute('aria-label', `${cancel.textContent} batch ${entry.batchSize} ${normLabels[entry.norm]}`);
          li.append(cancel);
        }
        return li;
      }),
    );
    const counts = countStates(this.#queue);
    const parts = (['done', 'running', 'pending', 'failed', 'cancelled'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
    this.#el('[data-queue-counts]', HTMLElement).textContent = `(${parts.join(', ') || 'empty'})`;
  }

  #chartJobs(): (() => void)[] {
    const colors = readChartColors(this);
    const series = ['no BN', 'BN'];
    const queue = this.#queue;
    const sizes = [...new Set([...allBatchSizes.filter((b) => this.#state.sizes.includes(b)), ...queue.map((e) => e.batchSize)])].sort((a, b) => a - b);
    const charts = [
      { name: 'accuracy', text: accuracySummary(queue), read: (r: SweepResult) => r.validationAccuracy, label: 'validation accuracy (%)', percent: true, aria: 'Final validation accuracy against batch size, with and without BN' },
      { name: 'time', text: timeSummary(queue), read: (r: SweepResult) => r.secondsPerEpoch, label: 'seconds per epoch', percent: false, aria: 'Training time per epoch against batch size, with and without BN' },
    ];
    return charts.map((c) => () => {
      this.#el(`[data-chart-summary="${c.name}"]`, HTMLElement).textContent = c.text;
      this.#el(`[data-chart="${c.name}"]`, HTMLElement).replaceChildren(
        sweepChart(sweepPoints(queue, c.read), { colors, series, label: c.label, percent: c.percent, batchSizes: sizes, ariaLabel: c.aria, ariaDescription: c.text }),
      );
    });
  }

  /** Queue and summary at once; each chart in a task of its own (see inTasks). */
  #render(): void {
    this.#lastRender = performance.now();
    this.#renderQueue();
    const counts = countStates(this.#queue);
    const total = this.#queue.length;
    const summary =
      counts.done + counts.failed + counts.cancelled === 0 && !this.#running
        ? `Not run yet: ${total} runs are planned; start the sweep to measure them.`
        : `${counts.done} of ${total} runs done${counts.failed ? `, ${counts.failed} failed` : ''}${counts.cancelled ? `, ${counts.cancelled} cancelled` : ''}${this.#running ? '; the sweep is running' : ''}.`;
    this.#el('[data-summary]', HTMLElement).textContent = summary + this.#note;
    void inTasks(this.#chartJobs()).then((longest) => (this.lastRenderMs = longest));
  }
}

if (!customElements.get('nn-batch-sweep')) customElements.define('nn-batch-sweep', BatchSweepElement);
