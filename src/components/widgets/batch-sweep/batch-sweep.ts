/**
 * `<nn-batch-sweep>`: a sweep over one axis (learning rate, batch size, depth, init scale), each
 * point without and with BN, as a plan on the experiment kit: the kit's runner runs the queue one
 * entry at a time and saves every run in one group; this element binds the controls, shows the
 * queue, the two charts and their summaries, and lists earlier saved sweeps to show again.
 */
import { axisSweepChart } from '@charts/axis-sweep';
import { readChartColors } from '@charts/colors';
import type { RunRecord } from '@client/run-record';
import { getRunStore } from '@client/shared-store';
import { getTrainingClient } from '@client/shared-client';
import { newRunId } from '@client/training-client';
import { rejectedUrlValues } from '../run-controller/architecture';
import { bindArchitecture, bindArchitecturePresets, setControlMessage, showArchitecture } from '../run-controller/architecture-dom';
import { axisGrids, axisLabels, axisOf } from '@experiments/axes';
import { ensureData } from '../run-controller/data-status';
import { expandPlan, planProblem } from '@experiments/plan';
import { countStates, planQueue, sweepPoints, type QueueEntry, type SweepResult } from '@experiments/queue';
import { queueFromRecords, runPlan, type PlanRunner } from '@experiments/runner';
import { savedGroups, groupSummary } from '@experiments/saved-groups';
import { inTasks } from '../run-controller/tasks';
import { formatSeconds, progressLine } from '../run-controller/run-text';
import { bindPresets, bindSeed, setRunBusy } from '../run-controller/settings';
import { shareLink } from '../share';
import { onThemeChange } from '../theme';
import { urlWithState } from '../url-state';
import { actionButton, connectSettings, enableControls, rangeControl, requireElement } from '../widget-dom';
import { accuracySummary, axisValues, panelRun, presets, savedAxis, schema, storeName, sweepPlan, sweepStatus, timeSummary, valueKeys, type State } from './model';

const renderIntervalMs = 300;

export class BatchSweepElement extends HTMLElement {
  #state!: State;
  #key = 'sweep';
  #writeUrl!: (state: State) => void;
  #stopTheme: (() => void) | undefined;
  #runner: PlanRunner | null = null;
  /** The queue shown: planned from the settings, running, or restored from the store. */
  #queue: QueueEntry[] = [];
  /** Runs the shown sweep planned (more than the queue holds when a saved sweep was cancelled early). */
  #planned = 0;
  #note = '';
  /** The axis of the sweep shown (a saved sweep may have varied another setting than the controls now do). */
  #shownAxis: State['axis'] = 'batch';
  #saved: RunRecord[] = [];
  #renderTimer: ReturnType<typeof setTimeout> | undefined;
  #lastRender = 0;
  /** Longest chart redraw of the last render, for the browser tests. */
  lastRenderMs = 0;

  connectedCallback(): void {
    if (this.#stopTheme) return;
    ({ key: this.#key, state: this.#state, writeUrl: this.#writeUrl } = connectSettings(this, schema, 'sweep'));
    this.#bind();
    enableControls(this);
    setRunBusy(this, false, 'cancel-all');
    for (const { name, message } of rejectedUrlValues(schema, this.#key, window.location.search)) setControlMessage(this, name, message, this.#el('[data-status]', HTMLElement));
    this.#showSettings();
    this.#replan();
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
    if (!this.#running) this.#replan();
  }

  /** The queue the settings plan, or the validator's reason at the start button when they cannot run. */
  #replan(): void {
    const plan = sweepPlan(this.#state, storeName(this.#key));
    const problem = planProblem(plan);
    setControlMessage(this, 'actions', problem);
    actionButton(this, 'start').disabled = problem !== null || this.#running;
    if (problem === null) {
      this.#shownAxis = this.#state.axis;
      this.#queue = planQueue(expandPlan(plan));
      this.#planned = this.#queue.length;
      const run = panelRun(this.#state); // read by <nn-framework-code>
      Object.assign(this.dataset, { trainConfig: JSON.stringify(run.config), trainNote: run.note });
    }
    this.#note = '';
    this.#render();
  }

  #bind(): void {
    for (const name of ['images', 'epochs'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => this.#update({ [name]: input.valueAsNumber }));
    }
    for (const name of ['norms', 'axis'] as const) {
      const select = this.#el(`select[name="${name}"]`, HTMLSelectElement);
      select.addEventListener('change', () => this.#update({ [name]: schema[name].parse(select.value) ?? this.#state[name] }));
    }
    bindArchitecture(this, (change) => this.#update(change));
    for (const box of this.#valueBoxes()) {
      box.addEventListener('change', () => {
        const axis = this.#state.axis;
        const values = this.#valueBoxes().filter((b) => b.checked && b.dataset.axis === axis).map((b) => Number(b.value));
        // A sweep needs at least one point: unticking the last one is undone.
        if (values.length === 0) box.checked = true;
        else this.#update({ [valueKeys[axis]]: values });
      });
    }
    bindArchitecturePresets(this, (settings) => this.#update(settings));
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
    const saved = this.#el('select[name="saved"]', HTMLSelectElement);
    saved.addEventListener('change', () => this.#showSaved(saved.value));
  }

  #valueBoxes(): HTMLInputElement[] {
    return [...this.querySelectorAll<HTMLInputElement>('input[type="checkbox"][data-axis]')];
  }

  #showSettings(): void {
    const s = this.#state;
    rangeControl(this, 'images').show(s.images, s.images.toLocaleString('en-US'));
    rangeControl(this, 'epochs').show(s.epochs, `${s.epochs} epoch${s.epochs === 1 ? '' : 's'}`);
    this.#el('select[name="norms"]', HTMLSelectElement).value = s.norms;
    this.#el('select[name="axis"]', HTMLSelectElement).value = s.axis;
    showArchitecture(this, s);
    for (const box of this.#valueBoxes()) box.checked = s[valueKeys[box.dataset.axis as State['axis']]].includes(Number(box.value));
    for (const group of this.querySelectorAll<HTMLElement>('[data-axis-values]')) group.hidden = group.dataset.axisValues !== s.axis;
    // The swept setting's own control would be overridden by the axis: it is switched off, not hidden.
    const swept = { lr: 'lr', batch: 'batch', depth: 'layers', init: 'initScale' }[s.axis];
    for (const name of ['lr', 'batch', 'layers', 'initScale']) {
      const control = this.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-architecture] [name="${name}"]`);
      if (control && !this.#running) control.disabled = name === swept;
    }
    this.#el('input[name="seed"]', HTMLInputElement).value = String(s.seed);
  }

  async #start(): Promise<void> {
    if (this.#running) return;
    const plan = sweepPlan(this.#state, storeName(this.#key));
    if (planProblem(plan) !== null) return;
    setRunBusy(this, true, 'cancel-all');
    const client = getTrainingClient();
    if (!(await ensureData(client, this.#el('[data-status]', HTMLElement), actionButton(this, 'retry')))) {
      setRunBusy(this, false, 'cancel-all');
      return;
    }
    const store = await getRunStore();
    this.#note = store.persistent ? '' : ' Runs are kept for this page only (this browser does not allow saving them).';
    const runner = runPlan({ client, store, plan, newRunId });
    this.#runner = runner;
    this.#shownAxis = this.#state.axis;
    this.#queue = [...runner.queue];
    this.#planned = runner.queue.length;
    runner.onChange(() => {
      this.#queue = [...runner.queue];
      this.#scheduleRender();
    });
    await runner.finished;
    this.#runner = null;
    this.#queue = [...runner.queue];
    setRunBusy(this, false, 'cancel-all');
    this.#showSettings();
    this.#render();
    void this.#restore(runner.group);
  }

  /** Lists the saved sweeps; shows `show` (or, on load, the newest) unless this page is running one. */
  async #restore(show?: string): Promise<void> {
    const store = await getRunStore();
    this.#saved = await store.list({ widget: storeName(this.#key) });
    const groups = savedGroups(this.#saved);
    const select = this.#el('select[name="saved"]', HTMLSelectElement);
    select.replaceChildren(
      ...groups.map((g) => {
        const option = document.createElement('option');
        option.value = g.group;
        option.textContent = groupSummary(g);
        return option;
      }),
    );
    this.#el('[data-control="saved"]', HTMLElement).hidden = groups.length === 0;
    const chosen = show ?? groups[0]?.group;
    if (!chosen) return;
    select.value = chosen;
    if (show === undefined && !this.#running) this.#showSaved(chosen);
  }

  #showSaved(group: string): void {
    if (this.#running) return;
    const records = this.#saved.filter((r) => r.group === group);
    if (records.length === 0) return;
    this.#shownAxis = savedAxis(records.map((r) => r.config), this.#state.axis);
    const restored = queueFromRecords(sweepPlan({ ...this.#state, axis: this.#shownAxis }, storeName(this.#key)), records);
    this.#queue = restored.queue;
    this.#planned = restored.planned;
    this.#note = ` Showing the saved sweep from ${new Date(records[0].createdAt).toLocaleString()}; start a new one to replace it.`;
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
        name.textContent = entry.key;
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
          cancel.setAttribute('aria-label', `${cancel.textContent} ${entry.key}`);
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
    const queue = this.#queue;
    const series = [...new Set(queue.map((e) => e.armLabel))];
    const axisName = this.#shownAxis;
    const axis = axisOf(axisName, axisGrids[axisName]);
    const known = [...new Set([...(axisName === this.#state.axis ? axisValues(this.#state) : []), ...queue.flatMap((e) => (e.position === null ? [] : [e.position]))])].sort((a, b) => a - b);
    const ticks = known.length > 0 ? known : [...axisGrids[axisName]];
    const label = axisLabels[axisName];
    const charts = [
      { name: 'accuracy', text: accuracySummary(queue), read: (r: SweepResult) => r.validationAccuracy, label: 'validation accuracy (%)', percent: true, failedAsCross: true },
      { name: 'time', text: timeSummary(queue), read: (r: SweepResult) => r.secondsPerEpoch, label: 'seconds per epoch', percent: false, failedAsCross: false },
    ];
    return charts.map((c) => () => {
      this.#el(`[data-chart-summary="${c.name}"]`, HTMLElement).textContent = c.text;
      const points = [
        ...sweepPoints(queue, c.read),
        ...(c.failedAsCross ? queue.filter((e) => e.state === 'failed' && e.result && e.position !== null).map((e) => ({ x: e.position!, series: e.armLabel, value: null })) : []),
      ];
      this.#el(`[data-chart="${c.name}"]`, HTMLElement).replaceChildren(
        axisSweepChart(points, {
          colors,
          series: series.length > 0 ? series : ['no BN', 'BN'],
          axis: { label, scale: axis.scale, ticks },
          label: c.label,
          percent: c.percent,
          ariaLabel: `${c.name === 'accuracy' ? 'Final validation accuracy' : 'Training time per epoch'} against ${label}, with and without BN`,
          ariaDescription: c.text,
        }),
      );
    });
  }

  /** Queue and summary at once; each chart in a task of its own (see inTasks). */
  #render(): void {
    this.#lastRender = performance.now();
    this.#renderQueue();
    for (const title of this.querySelectorAll('[data-axis-title]')) title.textContent = axisLabels[this.#shownAxis];
    this.#el('[data-summary]', HTMLElement).textContent = sweepStatus(this.#queue, this.#planned, this.#running) + this.#note;
    void inTasks(this.#chartJobs()).then((longest) => (this.lastRenderMs = longest));
  }
}

if (!customElements.get('nn-batch-sweep')) customElements.define('nn-batch-sweep', BatchSweepElement);
