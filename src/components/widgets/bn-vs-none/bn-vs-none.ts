/**
 * `<nn-bn-vs-none>`: the BN-vs-none comparison as a plan on the experiment kit. The kit runs the
 * two arms one after another (so both are timed the same way, alone) and saves them as one
 * group; the results table's verdicts appear only once both runs finished. After a reload the
 * newest saved comparison is shown again.
 */
import { compareCurves } from '@charts/compare-curves';
import { statsScatter } from '@charts/stats-scatter';
import { readChartColors } from '@charts/colors';
import type { RunRecord } from '@client/run-record';
import { getRunStore } from '@client/shared-store';
import { getTrainingClient } from '@client/shared-client';
import { newRunId } from '@client/training-client';
import { rejectedUrlValues } from '../experiments/architecture';
import { bindArchitecture, bindArchitecturePresets, setControlMessage, showArchitecture } from '../experiments/architecture-dom';
import { ensureData } from '../experiments/data-status';
import { planProblem, verdictOf } from '../experiments/plan';
import { runPlan, type PlanRunner } from '../experiments/runner';
import { inTasks } from '../experiments/tasks';
import { formatSeconds, newestGroup, progressFraction, progressLine } from '../experiments/run-text';
import { bindPresets, bindSeed, setRunBusy } from '../experiments/settings';
import { shareLink } from '../share';
import { onThemeChange } from '../theme';
import { urlWithState } from '../url-state';
import { actionButton, connectSettings, enableControls, rangeControl, requireElement } from '../widget-dom';
import {
  armConfig,
  armKeys,
  armLabels,
  arms,
  comparisonPlan,
  bnMemory,
  curvePoints,
  curveSummary,
  formatBytes,
  formatValue,
  inferenceBatchSizes,
  inferenceRows,
  inferenceSummary,
  overheads,
  panelRun,
  presets,
  resultsTable,
  schema,
  summaries,
  summarize,
  timeChange,
  type Arm,
  type RunOutcome,
  type State,
  widgetName,
} from './model';

const renderIntervalMs = 500;
const active = (r: RunRecord | null) => r !== null && ['starting', 'running', 'paused'].includes(r.state);

export class BnVsNoneElement extends HTMLElement {
  #state!: State;
  #key = 'bvn';
  #writeUrl!: (state: State) => void;
  #stopTheme: (() => void) | undefined;
  #runner: PlanRunner | null = null;
  /** Runs started on this page: the worker still holds their trained weights. */
  #testable = new Set<string>();
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
    setRunBusy(this, false, 'stop');
    for (const { name, message } of rejectedUrlValues(schema, this.#key, window.location.search)) setControlMessage(this, name, message, this.#el('[data-status]', HTMLElement));
    this.#showSettings();
    this.#renderModels();
    this.#render();
    this.#stopTheme = onThemeChange(() => this.#render());
    this.#showInferenceState();
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

  /** The validator's reason the settings cannot run, shown at the start button; null when they can. */
  #checkPlan(): string | null {
    const problem = planProblem(comparisonPlan(this.#state));
    setControlMessage(this, 'actions', problem);
    if (problem === null) {
      const run = panelRun(this.#state); // read by <nn-framework-code>
      Object.assign(this.dataset, { trainConfig: JSON.stringify(run.config), trainNote: run.note });
    }
    if (!this.#running) actionButton(this, 'start').disabled = problem !== null;
    return problem;
  }

  #bind(): void {
    for (const name of ['images', 'epochs'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => this.#update({ [name]: input.valueAsNumber }));
    }
    bindArchitecture(this, (change) => this.#update(change));
    const momentum = this.#el('select[name="bnMomentum"]', HTMLSelectElement);
    momentum.addEventListener('change', () => this.#update({ bnMomentum: schema.bnMomentum.parse(momentum.value) ?? this.#state.bnMomentum }));
    actionButton(this, 'inference').addEventListener('click', () => void this.#inference());
    bindArchitecturePresets(this, (settings) => this.#update(settings));
    bindSeed(this, schema.seed, () => this.#state.seed, (seed) => this.#update({ seed }));
    bindPresets(this, presets, (settings) => this.#update(settings));
    actionButton(this, 'start').addEventListener('click', () => void this.#start());
    actionButton(this, 'retry').addEventListener('click', () => void this.#start());
    actionButton(this, 'stop').addEventListener('click', () => this.#runner?.cancelAll());
    actionButton(this, 'share').addEventListener('click', () => {
      void shareLink(urlWithState(schema, this.#key, this.#state, window.location.href), this.#el('[data-share-status]', HTMLElement));
    });
  }

  #showSettings(): void {
    const s = this.#state;
    rangeControl(this, 'images').show(s.images, s.images.toLocaleString('en-US'));
    rangeControl(this, 'epochs').show(s.epochs, `${s.epochs} epoch${s.epochs === 1 ? '' : 's'}`);
    showArchitecture(this, s);
    this.#el('select[name="bnMomentum"]', HTMLSelectElement).value = s.bnMomentum;
    this.#el('input[name="seed"]', HTMLInputElement).value = String(s.seed);
    this.#checkPlan();
  }

  get #running(): boolean {
    return this.#runner !== null;
  }

  async #start(): Promise<void> {
    if (this.#running || this.#checkPlan() !== null) return;
    setRunBusy(this, true, 'stop');
    const status = this.#el('[data-status]', HTMLElement);
    const client = getTrainingClient();
    if (!(await ensureData(client, status, actionButton(this, 'retry')))) {
      setRunBusy(this, false, 'stop');
      return;
    }
    const store = await getRunStore();
    this.#records = { none: null, batch: null };
    this.#savedNote = store.persistent ? '' : ' (this browser does not allow saving runs: they are kept for this page only)';
    const runner = runPlan({ client, store, plan: comparisonPlan(this.#state), newRunId });
    this.#runner = runner;
    actionButton(this, 'inference').disabled = true;
    runner.onChange(() => {
      for (const arm of arms) this.#records[arm] = runner.records.get(armKeys[arm]) ?? null;
      if (this.#records.batch) this.#testable.add(this.#records.batch.id);
      const failed = runner.queue.find((e) => e.state === 'failed' && e.result === null);
      if (failed) status.textContent = `Could not start the ${failed.armLabel} run: ${failed.error}`;
      this.#scheduleRender();
    });
    this.#scheduleRender();
    await runner.finished;
    this.#runner = null;
    this.#finish();
  }

  #finish(): void {
    setRunBusy(this, false, 'stop');
    this.#checkPlan();
    this.#render();
    this.#showInferenceState();
  }

  /** The BN run whose weights the worker still holds (finished or stopped on this page), or null. */
  #inferenceRun(): RunRecord | null {
    const r = this.#records.batch;
    return r && this.#testable.has(r.id) && (r.state === 'finished' || r.state === 'stopped') ? r : null;
  }

  #showInferenceState(): void {
    const run = this.#inferenceRun();
    actionButton(this, 'inference').disabled = run === null || this.#running;
    if (!run && !this.#running) {
      this.#el('[data-inference-status]', HTMLElement).textContent = this.#records.batch
        ? 'The trained weights of this comparison are not in this page any more (runs are saved without weights): run it again to test them.'
        : 'Run the comparison first: the BN model it trains is tested here.';
    }
  }

  /** Tests the BN run's weights three ways in the worker and shows the results beside each other. */
  async #inference(): Promise<void> {
    const run = this.#inferenceRun();
    if (!run) return;
    const status = this.#el('[data-inference-status]', HTMLElement);
    const button = actionButton(this, 'inference');
    button.disabled = true;
    const testing = 'Testing the trained BN model on the 10,000 test images, three ways…';
    status.textContent = testing;
    const onProgress = (p: { done: number; total: number }) => (status.textContent = `${testing} ${Math.floor((100 * p.done) / Math.max(1, p.total))} %`);
    const result = await getTrainingClient().probe(run.id, { kind: 'inference-stats', batchSizes: [...inferenceBatchSizes] }, { onProgress });
    button.disabled = false;
    if (!result.ok) {
      status.textContent = `Could not test the model: ${result.error.message}`;
      return;
    }
    const stats = result.value;
    for (const row of inferenceRows(stats)) {
      requireElement(this, `[data-inference="${row.key}"]`, HTMLElement).textContent = formatValue('accuracy', row.accuracy);
    }
    status.textContent = inferenceSummary(stats, run.config.bnMomentum);
    const colors = readChartColors(this);
    const first = stats.layers[0];
    for (const stat of ['Mean', 'Variance'] as const) {
      const name = stat.toLowerCase();
      this.#el(`[data-chart="inference-${name}"]`, HTMLElement).replaceChildren(
        statsScatter(first[`running${stat}`], first[`recalibrated${stat}`], { colors, stat: name, ariaLabel: `Running against recalibrated ${name} of each unit of ${first.name}`, ariaDescription: status.textContent ?? '' }),
      );
    }
  }

  /** Shows the newest comparison saved by this widget (unless this page has started one). */
  async #restore(): Promise<void> {
    const store = await getRunStore();
    if (this.#records.none || this.#records.batch) return;
    const group = newestGroup(await store.list({ widget: widgetName }));
    if (group.length === 0 || this.#records.none || this.#records.batch) return;
    for (const record of group) this.#records[record.config.norm === 'batch' ? 'batch' : 'none'] = record;
    const when = new Date(group[0].createdAt).toLocaleString();
    this.#savedNote = ` (saved comparison from ${when}; start a new one to replace it)`;
    this.#render();
    this.#showInferenceState();
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

  /** Both shown runs ended as planned (the kit's rule for a verdict: finished runs only). */
  #finished(): boolean {
    const entries = arms.map((arm) => {
      const r = this.#records[arm];
      const state = !r ? 'pending' : active(r) ? 'running' : r.state === 'finished' ? 'done' : r.state;
      return { key: armLabels[arm], state, result: r };
    });
    return verdictOf(entries, () => true).state === 'decided';
  }

  /** Progress at once; each chart and the table in a task of its own (see inTasks). */
  #render(): void {
    this.#lastRender = performance.now();
    if (this.#drawing) {
      this.#dirty = true;
      return;
    }
    this.#renderProgress();
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

  #renderProgress(): void {
    for (const arm of arms) {
      const record = this.#records[arm];
      const row = this.#el(`[data-run="${arm}"]`, HTMLElement);
      requireElement(row, 'progress', HTMLProgressElement).value = record ? progressFraction(record) : 0;
      requireElement(row, '[data-run-text]', HTMLElement).textContent = record ? progressLine(record) : 'not started';
    }
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
    // The records may have moved on since this render began: progress lines and verdicts show the same moment.
    this.#renderProgress();
    const outcomes = this.#outcomes();
    const finished = this.#finished();
    const rows = resultsTable(outcomes, finished);
    for (const row of rows) {
      const tr = this.#el(`tr[data-row="${row.metric}"]`, HTMLTableRowElement);
      requireElement(tr, '[data-cell="none"]', HTMLElement).textContent = formatValue(row.kind, row.none);
      requireElement(tr, '[data-cell="batch"]', HTMLElement).textContent = formatValue(row.kind, row.batch);
      const pending = this.#running ? 'after both runs finish' : this.#records.none || this.#records.batch ? 'no verdict: a run did not finish' : 'not run yet';
      requireElement(tr, '[data-cell="verdict"]', HTMLElement).textContent = { holds: 'holds', 'does not hold': 'does not hold', tie: 'tie (equal as printed)', pending }[row.verdict];
      tr.dataset.verdict = row.verdict;
    }
    // Overheads are about the runs shown, whose settings may differ from the controls.
    const shown = this.#records.batch ?? this.#records.none;
    const cost = overheads(shown ? stateOf(shown, this.#state) : this.#state, outcomes);
    const time = this.#el('[data-cost="time"]', HTMLElement);
    if (cost.time === null || !finished) {
      time.textContent = this.#running ? 'measuring: appears after both runs finish (they run one after another, each timed alone)' : 'not measured yet: start the comparison';
    } else {
      const noise = cost.withinNoise ? `, which is within the timing noise (±${Math.round(cost.noise! * 100)} %: epochs of one run differ by that much on a shared machine)` : ` (beyond the timing noise of ±${Math.round(cost.noise! * 100)} %)`;
      time.textContent = `no BN ${formatSeconds(cost.seconds.none!)}, BN ${formatSeconds(cost.seconds.batch!)} per epoch on average: an epoch with BN took ${timeChange(cost.time)}${noise}. Training steps only, validation excluded; the runs went one after another.`;
    }
    const summaryText = summarize(rows, finished ? cost.time : null, cost.withinNoise) + this.#savedNote;
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
    const memory = bnMemory(armConfig(this.#state, 'batch'));
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

/** The widget settings a saved run was made with (for its overheads); what the controls cannot show keeps `fallback`. */
function stateOf(record: RunRecord, fallback: State): State {
  const c = record.config;
  const pick = <K extends keyof State>(key: K, raw: string): State[K] => (schema[key].parse(raw) as State[K] | undefined) ?? fallback[key];
  return {
    ...fallback,
    images: c.trainLimit ?? 54_000,
    epochs: c.epochs,
    seed: c.seed,
    layers: pick('layers', String(c.hidden.length)),
    width: pick('width', String(c.hidden[0])),
    activation: c.activation,
    init: c.init,
    initScale: pick('initScale', String(c.initScale)),
    optimizer: c.optimizer,
    lr: pick('lr', String(c.lr)),
    batch: pick('batch', String(c.batchSize)),
    placement: c.normPlacement === 'after-activation' ? 'after' : 'before',
    bnMomentum: pick('bnMomentum', String(c.bnMomentum)),
    dropout: pick('dropout', String(c.dropout)),
    dropoutPlacement: c.dropoutPlacement === 'before-norm' ? 'before' : 'after',
  };
}

if (!customElements.get('nn-bn-vs-none')) customElements.define('nn-bn-vs-none', BnVsNoneElement);
