/**
 * `<nn-bn-vs-none>`: runs the BN-vs-none comparison in the page's training worker. Both runs
 * start together and the worker advances them in turns, so their curves grow side by side;
 * each epoch's time is measured on its own steps only. Runs are recorded in the saved-runs
 * store as one group; after a reload the newest saved comparison is shown again.
 */
import { compareCurves } from '@charts/compare-curves';
import { readChartColors } from '@charts/colors';
import type { RunRecord } from '@client/run-record';
import { startRecordedRun, type RecordedRun } from '@client/run-recorder';
import { getRunStore } from '@client/shared-store';
import { getTrainingClient } from '@client/shared-client';
import { newRunId } from '@client/training-client';
import { ensureData } from '../experiments/data-status';
import { inTasks } from '../experiments/tasks';
import { formatSeconds, newestGroup, newGroupId, progressFraction, progressLine } from '../experiments/run-text';
import { bindPresets, bindSeed, setRunBusy } from '../experiments/settings';
import { shareLink } from '../share';
import { onThemeChange } from '../theme';
import { urlWithState } from '../url-state';
import { actionButton, connectSettings, enableControls, rangeControl, requireElement } from '../widget-dom';
import {
  armLabels,
  arms,
  bnMemory,
  curvePoints,
  curveSummary,
  formatBytes,
  formatValue,
  overheads,
  presets,
  resultsTable,
  runConfigs,
  schema,
  summaries,
  summarize,
  timeChange,
  type Arm,
  type RunOutcome,
  type State,
} from './model';

const widgetName = 'bn-vs-none';
const renderIntervalMs = 500;
const active = (r: RunRecord | null) => r !== null && ['starting', 'running', 'paused'].includes(r.state);

export class BnVsNoneElement extends HTMLElement {
  #state!: State;
  #key = 'bvn';
  #writeUrl!: (state: State) => void;
  #stopTheme: (() => void) | undefined;
  #runs: Partial<Record<Arm, RecordedRun>> = {};
  #records: Record<Arm, RunRecord | null> = { none: null, batch: null };
  #renderTimer: ReturnType<typeof setTimeout> | undefined;
  #lastRender = 0;
  /** Where the shown records came from: this page or the store. */
  #savedNote = '';
  #drawing = false;
  #dirty = false;
  /** Longest task of the last redraw (one chart, or the table), for the browser tests. */
  lastRenderMs = 0;

  connectedCallback(): void {
    if (this.#stopTheme) return;
    ({ key: this.#key, state: this.#state, writeUrl: this.#writeUrl } = connectSettings(this, schema, 'bvn'));
    this.#bind();
    enableControls(this);
    this.#showSettings();
    this.#renderModels();
    this.#render();
    this.#stopTheme = onThemeChange(() => this.#render());
    void this.#restore();
  }

  disconnectedCallback(): void {
    clearTimeout(this.#renderTimer);
    this.#stopTheme?.();
    this.#stopTheme = undefined;
    for (const run of Object.values(this.#runs)) run?.dispose();
  }

  get state(): State {
    return { ...this.#state };
  }

  /** The records shown now (for tests and the lesson's console explorers). */
  get records(): Record<Arm, RunRecord | null> {
    return { ...this.#records };
  }

  #el<T extends Element>(selector: string, type: { new (): T }): T {
    return requireElement(this, selector, type);
  }

  #update(next: Partial<State>): void {
    this.#state = { ...this.#state, ...next };
    this.#showSettings();
    this.#renderModels();
    this.#writeUrl(this.#state);
  }

  #bind(): void {
    for (const name of ['images', 'epochs'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => this.#update({ [name]: input.valueAsNumber }));
    }
    const batch = this.#el('select[name="batch"]', HTMLSelectElement);
    batch.addEventListener('change', () => this.#update({ batch: schema.batch.parse(batch.value) ?? schema.batch.default }));
    const placement = this.#el('select[name="placement"]', HTMLSelectElement);
    placement.addEventListener('change', () => this.#update({ placement: schema.placement.parse(placement.value) ?? schema.placement.default }));
    bindSeed(this, schema.seed, () => this.#state.seed, (seed) => this.#update({ seed }));
    bindPresets(this, presets, (settings) => this.#update(settings));
    actionButton(this, 'start').addEventListener('click', () => void this.#start());
    actionButton(this, 'retry').addEventListener('click', () => void this.#start());
    actionButton(this, 'stop').addEventListener('click', () => {
      for (const run of Object.values(this.#runs)) void run?.stop();
    });
    actionButton(this, 'share').addEventListener('click', () => {
      void shareLink(urlWithState(schema, this.#key, this.#state, window.location.href), this.#el('[data-share-status]', HTMLElement));
    });
  }

  #showSettings(): void {
    const s = this.#state;
    rangeControl(this, 'images').show(s.images, s.images.toLocaleString('en-US'));
    rangeControl(this, 'epochs').show(s.epochs, String(s.epochs));
    this.#el('select[name="batch"]', HTMLSelectElement).value = s.batch;
    this.#el('select[name="placement"]', HTMLSelectElement).value = s.placement;
    this.#el('input[name="seed"]', HTMLInputElement).value = String(s.seed);
  }

  get #running(): boolean {
    return arms.some((arm) => active(this.#records[arm]) && this.#runs[arm] !== undefined);
  }

  async #start(): Promise<void> {
    if (this.#running) return;
    setRunBusy(this, true, 'stop');
    const status = this.#el('[data-status]', HTMLElement);
    const client = getTrainingClient();
    if (!(await ensureData(client, status, actionButton(this, 'retry')))) {
      setRunBusy(this, false, 'stop');
      return;
    }
    const store = await getRunStore();
    const configs = runConfigs(this.#state);
    const group = newGroupId(widgetName);
    for (const run of Object.values(this.#runs)) run?.dispose();
    this.#runs = {};
    this.#records = { none: null, batch: null };
    this.#savedNote = store.persistent ? '' : ' (this browser does not allow saving runs: they are kept for this page only)';
    for (const arm of arms) {
      const started = await startRecordedRun({ client, store, runId: newRunId(), widget: widgetName, group, config: configs[arm] });
      if (!started.ok) {
        status.textContent = `Could not start the ${armLabels[arm]} run: ${started.error.message}`;
        for (const run of Object.values(this.#runs)) void run?.stop();
        setRunBusy(this, false, 'stop');
        return;
      }
      const run = started.value;
      this.#runs[arm] = run;
      this.#records[arm] = run.record;
      run.onChange((record) => {
        this.#records[arm] = record;
        if (!active(record) && !this.#running) this.#finish();
        else this.#scheduleRender();
      });
    }
    this.#scheduleRender();
  }

  #finish(): void {
    setRunBusy(this, false, 'stop');
    this.#render();
  }

  /** Shows the newest comparison saved by this widget (unless this page has started one). */
  async #restore(): Promise<void> {
    const store = await getRunStore();
    if (!store || this.#records.none || this.#records.batch) return;
    const group = newestGroup(await store.list({ widget: widgetName }));
    if (group.length === 0 || this.#records.none || this.#records.batch) return;
    for (const record of group) this.#records[record.config.norm === 'batch' ? 'batch' : 'none'] = record;
    const when = new Date(group[0].createdAt).toLocaleString();
    this.#savedNote = ` (saved comparison from ${when}; start a new one to replace it)`;
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

  #outcomes(): Record<Arm, RunOutcome | null> {
    const of = (r: RunRecord | null): RunOutcome | null => (r ? { epochs: r.epochs, test: r.summary?.test ?? null } : null);
    return { none: of(this.#records.none), batch: of(this.#records.batch) };
  }

  /** Progress at once; each chart and the table in a task of its own (see inTasks). */
  #render(): void {
    this.#lastRender = performance.now();
    if (this.#drawing) {
      this.#dirty = true;
      return;
    }
    for (const arm of arms) {
      const record = this.#records[arm];
      const row = this.#el(`[data-run="${arm}"]`, HTMLElement);
      requireElement(row, 'progress', HTMLProgressElement).value = record ? progressFraction(record) : 0;
      requireElement(row, '[data-run-text]', HTMLElement).textContent = record ? progressLine(record) : 'not started';
    }
    this.#drawing = true;
    void inTasks([...this.#chartJobs(), () => this.#renderTable()]).then((longest) => {
      this.lastRenderMs = longest;
      this.#drawing = false;
      if (this.#dirty) {
        this.#dirty = false;
        this.#render();
      }
    });
  }

  #chartJobs(): (() => void)[] {
    const colors = readChartColors(this);
    const histories = { none: this.#records.none, batch: this.#records.batch };
    const epochs = Math.max(1, this.#records.none?.config.epochs ?? this.#records.batch?.config.epochs ?? this.#state.epochs);
    return (['loss', 'accuracy'] as const).map((metric) => () => {
      const summary = curveSummary(histories, metric);
      this.#el(`[data-chart-summary="${metric}"]`, HTMLElement).textContent = summary;
      this.#el(`[data-chart="${metric}"]`, HTMLElement).replaceChildren(
        compareCurves(curvePoints(histories, metric), {
          colors,
          metric,
          runs: arms.map((a) => armLabels[a]),
          epochs,
          ariaLabel: `${metric === 'loss' ? 'Loss' : 'Accuracy'} per epoch with and without BN, training and validation`,
          ariaDescription: summary,
        }),
      );
    });
  }

  #renderTable(): void {
    const outcomes = this.#outcomes();
    const rows = resultsTable(outcomes);
    for (const row of rows) {
      const tr = this.#el(`tr[data-row="${row.metric}"]`, HTMLTableRowElement);
      requireElement(tr, '[data-cell="none"]', HTMLElement).textContent = formatValue(row.kind, row.none);
      requireElement(tr, '[data-cell="batch"]', HTMLElement).textContent = formatValue(row.kind, row.batch);
      requireElement(tr, '[data-cell="verdict"]', HTMLElement).textContent = { holds: 'holds', 'does not hold': 'does not hold', tie: 'tie (equal as printed)', pending: this.#running ? 'measuring…' : 'not run yet' }[row.verdict];
      tr.dataset.verdict = row.verdict;
    }
    // Overheads are about the runs shown, whose settings may differ from the controls.
    const shown = this.#records.batch ?? this.#records.none;
    const cost = overheads(shown ? stateOf(shown, this.#state) : this.#state, outcomes);
    const time = this.#el('[data-cost="time"]', HTMLElement);
    if (cost.time === null) {
      time.textContent = this.#running ? 'measuring: appears after both runs finish an epoch' : 'not measured yet: start the comparison';
    } else {
      time.textContent = `no BN ${formatSeconds(cost.seconds.none!)}, BN ${formatSeconds(cost.seconds.batch!)} per epoch on average: an epoch with BN took ${timeChange(cost.time)} here (training steps only; validation excluded).`;
    }
    const summaryText = summarize(rows, cost.time) + this.#savedNote;
    this.#el('[data-summary]', HTMLElement).textContent = summaryText;
  }

  /** Model summaries and the memory estimate follow the settings (placement changes the layer order). */
  #renderModels(): void {
    const models = summaries(this.#state);
    for (const arm of arms) {
      const table = this.#el(`table[data-model="${arm}"]`, HTMLTableElement);
      const body = requireElement(table, 'tbody', HTMLTableSectionElement);
      body.replaceChildren(
        ...models[arm].rows.map((row) => {
          const tr = document.createElement('tr');
          for (const [text, numeric] of [[`${row.name} (${row.type})`, false], [row.outputShape, false], [row.params.toLocaleString('en-US'), true]] as const) {
            const td = document.createElement('td');
            td.textContent = text;
            if (numeric) td.className = 'num';
            tr.append(td);
          }
          return tr;
        }),
      );
    }
    const memory = bnMemory(runConfigs(this.#state).batch);
    this.#el('[data-memory] tbody', HTMLTableSectionElement).replaceChildren(
      ...memory.map((m) => {
        const tr = document.createElement('tr');
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = m.what;
        const td = document.createElement('td');
        td.className = 'num';
        td.textContent = formatBytes(m.bytes);
        tr.append(th, td);
        return tr;
      }),
    );
    const cost = overheads(this.#state, { none: null, batch: null });
    this.#el('[data-cost="memory"]', HTMLElement).textContent =
      `${formatBytes(cost.memoryBytes)}, ${(cost.memoryShare * 100).toFixed(1)} % of the no-BN model's weights, gradients and Adam state (batch ${this.#state.batch})`;
  }
}

/** The widget settings a saved run was made with (for its overheads). */
function stateOf(record: RunRecord, fallback: State): State {
  const c = record.config;
  const batch = schema.batch.parse(String(c.batchSize)) ?? fallback.batch;
  return { images: c.trainLimit ?? 54_000, epochs: c.epochs, batch, placement: c.normPlacement === 'after-activation' ? 'after' : 'before', seed: c.seed };
}

if (!customElements.get('nn-bn-vs-none')) customElements.define('nn-bn-vs-none', BnVsNoneElement);
