/**
 * The run controller every experiment widget shares: start (data download with its progress and
 * a retry button, then the kit's runner), cancel, render throttling with each chart in a task of
 * its own, restore of saved runs after a reload (and a list of saved groups where the widget has
 * one), the queue and progress view, and the verdict line. A widget extends it (or
 * `ExperimentWidget`, which adds the shared settings) and declares only what is its own: the plan,
 * its charts and tables, and perhaps a verdict. The element finds its parts by attribute, each
 * optional: `[data-queue]` (+ `[data-queue-counts]`), progress rows `[data-run="<arm id>"]` (or
 * `data-run=""` for the first run) holding a `<progress>` and `[data-run-text]`, `[data-verdict]`,
 * a `<nn-saved-runs>` list of saved groups (its Show), and the RunActions buttons.
 */
import { diagnosticsOf, type DiagnosticsFrame, type RunRecord } from '@client/run-record';
import { getTrainingClient, getTrainingClients } from '@client/shared-client';
import type { TrainingClient } from '@client/training-client';
import { getRunStore } from '@client/shared-store';
import { newRunId } from '@client/training-client';
import type { TrainConfig } from '@engine';
import type { DiagnosticsEvent, LandscapeEvent } from '@engine/worker/protocol.ts';
import { expandPlan, planProblem, type ExperimentPlan, type PlanEntry } from '@experiments/plan';
import { countStates, planQueue, type QueueEntry } from '@experiments/queue';
import { queueFromRecords, runPlan, type PlanRunner } from '@experiments/runner';
import { parallelRuns } from '@experiments/lanes';
import { savedGroups } from '@experiments/saved-groups';
import { savedRunsEvent, type SavedRunsAction } from '../saved-runs/saved-runs';
import { onThemeChange } from '../theme';
import { actionButton, requireElement } from '../widget-dom';
import { setControlMessage } from './architecture-dom';
import { ensureWorkersData } from './data-status';
import { entryText, progressFraction, progressLine } from './run-text';
import { setRunBusy } from './settings';
import { inTasks } from './tasks';

export interface RunControllerOptions {
  /** The stop button's action: 'stop' (one run or a pair) or 'cancel-all' (a queue). */
  stop: 'stop' | 'cancel-all';
  /** Controls that stay live while runs go (they change only what is shown). */
  live?: readonly string[];
  /** Least time between two redraws while runs go (default 300 ms). */
  renderIntervalMs?: number;
  /** What the shown runs are called in the saved note: 'comparison', 'sweep', 'run'. */
  noun: string;
  /** The queue previews the plan: a change of settings replaces the shown runs with the planned ones. */
  preview?: boolean;
  /** Show the newest saved group after a reload (default true). */
  restore?: boolean;
}

export type VerdictLine = { outcome: string; text: string };

export abstract class RunController extends HTMLElement {
  /** Longest task of any redraw so far (one chart, or a table), for the browser tests. */
  lastRenderMs = 0;
  #runner: PlanRunner | null = null;
  #queue: QueueEntry[] = [];
  #records: ReadonlyMap<string, RunRecord> = new Map();
  #planned = 0;
  #note = '';
  #clientOf: (key: string) => TrainingClient | null = () => null;
  /** This page started runs: a saved group is then shown only when picked. */
  #started = false;
  #stopTheme: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #drawing = false;
  #dirty = false;
  #lastRender = 0;

  constructor(protected readonly runOptions: RunControllerOptions) {
    super();
  }

  /** The plan the next start runs. */
  protected abstract plan(): ExperimentPlan;

  /** One job per chart or table, each drawn in a task of its own. */
  protected abstract draw(): (() => void)[];

  /** Reads the settings and binds the widget's own controls; called once, first. */
  protected connect(): void {}

  /** Cheap text shown at once on every render (summaries, status lines). */
  protected showText(): void {}

  /** The verdict for `[data-verdict]`, once the runs allow one. */
  protected verdictLine(): VerdictLine | null {
    return null;
  }

  /** Every diagnostics frame of each run as it arrives (the record keeps a thinned history). */
  protected onDiagnostics?(key: string, event: DiagnosticsEvent): void;
  /** Every landscape sample of each run as it arrives (plans that record the landscape). */
  protected onLandscape?(key: string, event: LandscapeEvent): void;

  /** A start begins: forget what was measured for the runs shown before. */
  protected onStart(): void {}

  /** After every change of the runs (a start, a step, an end). */
  protected onRunChange(): void {}

  /** The plan a saved group was made with (its settings may differ from today's controls). */
  protected savedPlan(_records: readonly RunRecord[]): ExperimentPlan {
    return this.plan();
  }

  /** The run the Keras / PyTorch panel (<nn-framework-code>) shows: by default the plan's first. */
  protected frameworkRun(entries: readonly PlanEntry[]): { config: TrainConfig; note?: string } {
    return { config: entries[0].config };
  }

  /** A queue entry's words. */
  protected entryText(entry: QueueEntry, record: RunRecord | undefined): string {
    return entryText(entry, record ? progressLine(record) : null);
  }

  connectedCallback(): void {
    if (this.#stopTheme) return;
    this.connect();
    this.#bind();
    this.#setBusy(false);
    this.replan();
    this.render(0);
    this.#stopTheme = onThemeChange(() => this.render(0));
    void this.#restore();
  }

  disconnectedCallback(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stopTheme?.();
    this.#stopTheme = undefined;
  }

  get queue(): readonly QueueEntry[] {
    return this.#queue;
  }

  /** The record of each started or restored run, by queue key. */
  protected get records(): ReadonlyMap<string, RunRecord> {
    return this.#records;
  }

  /** The record of the first run shown (what a one-run widget draws), or null. */
  protected get record(): RunRecord | null {
    return this.#records.get(this.#queue[0]?.key ?? '') ?? null;
  }

  /** The diagnostics frames of the first run shown: live, or saved with it (also for the browser tests). */
  get frames(): readonly DiagnosticsFrame[] {
    return this.record ? diagnosticsOf(this.record) : [];
  }

  /** The worker a run of the latest start trained in (its kept model lives there). */
  protected clientOf(key: string): TrainingClient {
    return this.#clientOf(key) ?? getTrainingClient();
  }

  protected get running(): boolean {
    return this.#runner !== null;
  }

  /** Runs the shown plan had (more than the queue holds when a saved one was cancelled early). */
  protected get planned(): number {
    return this.#planned;
  }

  /** Where the shown runs come from, as a sentence to append to a summary ('' for this page's runs). */
  protected get note(): string {
    return this.#note;
  }

  /**
   * The validator's reason the settings cannot run, at the start button (null when they can). The
   * planned queue is shown when nothing else is, or after a change of settings (`fromSettings`) in a
   * widget whose queue previews its plan.
   */
  protected replan(fromSettings = false): string | null {
    const plan = this.plan();
    const problem = planProblem(plan);
    setControlMessage(this, 'actions', problem);
    if (!this.running) actionButton(this, 'start').disabled = problem !== null;
    if (problem === null) {
      const run = this.frameworkRun(expandPlan(plan));
      this.dataset.trainConfig = JSON.stringify(run.config);
      if (run.note) this.dataset.trainNote = run.note;
    }
    if (
      problem === null &&
      !this.running &&
      ((fromSettings && this.runOptions.preview) || (this.#queue.length === 0 && this.#records.size === 0))
    ) {
      this.#queue = planQueue(expandPlan(plan));
      this.#planned = this.#queue.length;
      this.#records = new Map();
      this.#note = '';
    }
    return problem;
  }

  /** Redraws after `delay` ms; without one, no sooner than the render interval after the last redraw. */
  protected render(delay?: number): void {
    if (this.#drawing) {
      this.#dirty = true;
      return;
    }
    if (this.#timer !== undefined && delay !== 0) return;
    clearTimeout(this.#timer);
    const wait = delay ?? Math.max(0, (this.runOptions.renderIntervalMs ?? 300) - (performance.now() - this.#lastRender));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#redraw();
    }, wait);
  }

  /** The widget's element matching `selector` (an error names it when the markup lacks it). */
  protected el(selector: string): HTMLElement {
    return requireElement(this, selector, HTMLElement);
  }

  #bind(): void {
    actionButton(this, 'start').addEventListener('click', () => void this.#start());
    actionButton(this, 'retry').addEventListener('click', () => void this.#start());
    actionButton(this, this.runOptions.stop).addEventListener('click', () => this.#runner?.cancelAll());
    this.querySelector('[data-queue]')?.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-cancel]');
      if (button?.dataset.cancel) this.#runner?.cancel(button.dataset.cancel);
    });
    // A saved-runs list in groups mode (`<nn-saved-runs data-rows="groups">`) asks to show a group.
    this.addEventListener(savedRunsEvent, (event) => {
      const { action, records } = (event as CustomEvent<SavedRunsAction>).detail;
      if (action === 'show') this.#showSaved(records);
    });
  }

  #setBusy(busy: boolean): void {
    setRunBusy(this, busy, this.runOptions.stop, this.runOptions.live);
  }

  async #start(): Promise<void> {
    const plan = this.plan();
    if (this.running || planProblem(plan) !== null) return;
    this.#setBusy(true);
    const status = this.el('[data-status]');
    const lanes = parallelRuns(plan, {
      cores: navigator.hardwareConcurrency,
      memoryGb: (navigator as { deviceMemory?: number }).deviceMemory,
    });
    const clients = await ensureWorkersData(getTrainingClients(lanes), { status, retry: actionButton(this, 'retry') });
    if (!clients) {
      this.#setBusy(false);
      this.replan();
      return;
    }
    const store = await getRunStore();
    this.#started = true;
    this.#note = store.persistent ? '' : ' Runs are kept for this page only (this browser does not allow saving them).';
    this.onStart();
    const onDiagnostics = this.onDiagnostics?.bind(this);
    const onLandscape = this.onLandscape?.bind(this);
    const runner = runPlan({ clients, store, plan, newRunId, onDiagnostics, onLandscape });
    this.#clientOf = (key) => runner.clientOf(key);
    this.#runner = runner;
    this.#records = runner.records;
    this.#queue = [...runner.queue];
    this.#planned = runner.queue.length;
    runner.onChange(() => {
      this.#queue = [...runner.queue];
      const refused = runner.queue.find((e) => e.state === 'failed' && e.result === null);
      if (refused) status.textContent = `Could not start ${refused.key}: ${refused.error}`;
      this.onRunChange();
      this.render();
    });
    this.render(0);
    await runner.finished;
    this.#runner = null;
    this.#queue = [...runner.queue];
    this.#setBusy(false);
    this.replan();
    this.onRunChange();
    this.render(0);
  }

  /** On load, shows the newest saved group, unless this page started runs (the saved-runs list offers the others). */
  async #restore(): Promise<void> {
    if (this.runOptions.restore === false) return;
    const store = await getRunStore();
    const newest = savedGroups(await store.list({ widget: this.plan().widget }))[0];
    if (newest && !this.#started) this.#showSaved(newest.records);
  }

  #showSaved(records: readonly RunRecord[]): void {
    if (this.running || records.length === 0) return;
    const restored = queueFromRecords(this.savedPlan(records), records);
    this.#queue = restored.queue;
    this.#planned = restored.planned;
    this.#records = new Map(records.map((r) => [r.label, r]));
    this.#note = ` Showing the saved ${this.runOptions.noun} from ${new Date(records[0].createdAt).toLocaleString()}; start a new one to replace it.`;
    this.onRunChange();
    this.render(0);
  }

  async #redraw(): Promise<void> {
    this.#drawing = true;
    this.#dirty = false;
    this.#lastRender = performance.now();
    this.#showQueue();
    this.#showProgress();
    this.showText();
    const verdict = this.querySelector<HTMLElement>('[data-verdict]');
    const line = verdict && this.verdictLine();
    if (verdict && line) {
      verdict.dataset.outcome = line.outcome;
      verdict.textContent = line.text;
    }
    // Progress is shown again before each job, so a table's verdicts and the progress lines show one moment.
    const longest = await inTasks(this.draw().map((job) => () => (this.#showProgress(), job())));
    this.lastRenderMs = Math.max(this.lastRenderMs, longest);
    this.#drawing = false;
    if (this.#dirty) this.render();
  }

  #showProgress(): void {
    for (const row of this.querySelectorAll<HTMLElement>('[data-run]')) {
      const entry = row.dataset.run ? this.#queue.find((e) => e.arm === row.dataset.run) : this.#queue[0];
      const record = entry && this.#records.get(entry.key);
      requireElement(row, 'progress', HTMLProgressElement).value = record ? progressFraction(record) : 0;
      requireElement(row, '[data-run-text]', HTMLElement).textContent = record ? progressLine(record) : 'not started';
    }
  }

  #queueRow(existing: HTMLLIElement | undefined, entry: QueueEntry): HTMLLIElement {
    const li = existing ?? document.createElement('li');
    if (!existing) {
      li.dataset.entry = entry.key;
      const name = document.createElement('span');
      name.className = 'entry-name';
      name.textContent = entry.key;
      const state = document.createElement('span');
      state.className = 'entry-state';
      state.dataset.entryState = '';
      li.append(name, ' ', state);
    }
    li.dataset.state = entry.state;
    const text = this.entryText(entry, this.#records.get(entry.key));
    const state = requireElement(li, '[data-entry-state]', HTMLElement);
    if (state.textContent !== text) state.textContent = text;
    const cancellable = this.running && (entry.state === 'pending' || entry.state === 'running');
    const label = entry.state === 'running' ? 'Stop' : 'Cancel';
    let cancel = li.querySelector<HTMLButtonElement>('button[data-cancel]');
    if (!cancellable) cancel?.remove();
    else if (cancel?.textContent !== label) {
      cancel?.remove();
      cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.dataset.cancel = entry.key;
      cancel.textContent = label;
      cancel.setAttribute('aria-label', `${label} ${entry.key}`);
      li.append(cancel);
    }
    return li;
  }

  /** The queue's rows, updated in place (a row and its Stop / Cancel button stay the same element while the run goes). */
  #showQueue(): void {
    const list = this.querySelector<HTMLElement>('[data-queue]');
    if (!list) return;
    const rows = new Map([...list.querySelectorAll<HTMLLIElement>(':scope > li')].map((li) => [li.dataset.entry ?? '', li]));
    list.replaceChildren(...this.#queue.map((entry) => this.#queueRow(rows.get(entry.key), entry)));
    const counts = this.querySelector('[data-queue-counts]');
    if (!counts) return;
    const c = countStates(this.#queue);
    const parts = (['done', 'running', 'pending', 'failed', 'cancelled'] as const).filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
    counts.textContent = `(${parts.join(', ') || 'empty'})`;
  }
}
