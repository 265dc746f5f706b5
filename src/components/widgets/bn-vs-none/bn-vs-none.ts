/**
 * `<nn-bn-vs-none>`: the BN-vs-none comparison as a plan on the run controller, which runs the
 * two arms one after another (so both are timed the same way, alone), saves them as one group and
 * shows the newest saved comparison again after a reload. This element keeps the Keras summaries,
 * the memory table, the results table (verdicts only once both runs finished) and the test of the
 * BN model three ways.
 */
import { compareCurves } from '@charts/compare-curves';
import { statsScatter } from '@charts/stats-scatter';
import { readChartColors } from '@charts/colors';
import type { RunRecord } from '@client/run-record';
import { trainImages } from '@engine';
import { verdictOf } from '@experiments/plan';
import { ExperimentWidget } from '../run-controller/experiment-widget';
import { formatSeconds } from '../run-controller/run-text';
import { actionButton, requireElement } from '../widget-dom';
import {
  armConfig,
  armKeys,
  armLabels,
  arms,
  comparisonPlan,
  bnMemoryOf,
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
} from './model';

export class BnVsNoneElement extends ExperimentWidget<typeof schema> {
  /** Runs started on this page: the worker still holds their trained weights. */
  #testable = new Set<string>();

  constructor() {
    super(schema, { key: 'bvn', presets, stop: 'stop', noun: 'comparison', renderIntervalMs: 500 });
  }

  /** The records shown now, by arm. */
  get #shown(): Record<Arm, RunRecord | null> {
    return { none: this.records.get(armKeys.none) ?? null, batch: this.records.get(armKeys.batch) ?? null };
  }

  protected plan() {
    return comparisonPlan(this.state);
  }

  protected frameworkRun() {
    return panelRun(this.state);
  }

  protected bind(): void {
    const momentum = this.el('select[name="bnMomentum"]') as HTMLSelectElement;
    momentum.addEventListener('change', () =>
      this.update({ bnMomentum: schema.bnMomentum.parse(momentum.value) ?? this.state.bnMomentum }),
    );
    actionButton(this, 'inference').addEventListener('click', () => void this.#inference());
  }

  protected show(s: State): void {
    (this.el('select[name="bnMomentum"]') as HTMLSelectElement).value = s.bnMomentum;
    this.#renderModels(s);
    this.#showInferenceState();
  }

  protected onRunChange(): void {
    const batch = this.#shown.batch;
    if (this.running && batch) this.#testable.add(batch.id);
    this.#showInferenceState();
  }

  /** The BN run whose weights the worker still holds (finished or stopped on this page), or null. */
  #inferenceRun(): RunRecord | null {
    const r = this.#shown.batch;
    return r && this.#testable.has(r.id) && (r.state === 'finished' || r.state === 'stopped') ? r : null;
  }

  #showInferenceState(): void {
    const run = this.#inferenceRun();
    actionButton(this, 'inference').disabled = run === null || this.running;
    if (!run && !this.running) {
      this.el('[data-inference-status]').textContent = this.#shown.batch
        ? 'The trained weights of this comparison are not in this page any more (runs are saved without weights): run it again to test them.'
        : 'Run the comparison first: the BN model it trains is tested here.';
    }
  }

  /** Tests the BN run's weights three ways in the worker and shows the results beside each other. */
  async #inference(): Promise<void> {
    const run = this.#inferenceRun();
    if (!run) return;
    const status = this.el('[data-inference-status]');
    const button = actionButton(this, 'inference');
    button.disabled = true;
    const testing = 'Testing the trained BN model on the 10,000 test images, three ways…';
    status.textContent = testing;
    const onProgress = (p: { done: number; total: number }) =>
      (status.textContent = `${testing} ${Math.floor((100 * p.done) / Math.max(1, p.total))} %`);
    const result = await this.clientOf(armKeys.batch).probe(
      run.id,
      { kind: 'inference-stats', batchSizes: [...inferenceBatchSizes] },
      { onProgress },
    );
    button.disabled = false;
    if (!result.ok) {
      status.textContent = `Could not test the model: ${result.error.message}`;
      return;
    }
    const stats = result.value;
    for (const row of inferenceRows(stats)) this.el(`[data-inference="${row.key}"]`).textContent = formatValue('accuracy', row.accuracy);
    status.textContent = inferenceSummary(stats, run.config.bnMomentum);
    const colors = readChartColors(this);
    const first = stats.layers[0];
    for (const stat of ['Mean', 'Variance'] as const) {
      const name = stat.toLowerCase();
      this.el(`[data-chart="inference-${name}"]`).replaceChildren(
        statsScatter(first[`running${stat}`], first[`recalibrated${stat}`], {
          colors,
          stat: name,
          ariaLabel: `Running against recalibrated ${name} of each unit of ${first.name}`,
          ariaDescription: status.textContent ?? '',
        }),
      );
    }
  }

  #outcomes(): Record<Arm, RunOutcome | null> {
    const of = (r: RunRecord | null): RunOutcome | null => (r ? { epochs: r.epochs, test: r.summary?.test ?? null } : null);
    const { none, batch } = this.#shown;
    return { none: of(none), batch: of(batch) };
  }

  /** Both shown runs ended as planned (the kit's rule for a verdict: finished runs only). */
  #finished(): boolean {
    return verdictOf(this.queue, () => true).state === 'decided';
  }

  protected draw(): (() => void)[] {
    const colors = readChartColors(this);
    const histories = this.#shown;
    const epochs = Math.max(1, histories.none?.config.epochs ?? histories.batch?.config.epochs ?? this.state.epochs);
    const charts = (['loss', 'accuracy'] as const).map((metric) => () => {
      const summary = curveSummary(histories, metric);
      this.el(`[data-chart-summary="${metric}"]`).textContent = summary;
      this.el(`[data-chart="${metric}"]`).replaceChildren(
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
    return [...charts, () => this.#renderTable()];
  }

  #renderTable(): void {
    const outcomes = this.#outcomes();
    const finished = this.#finished();
    const rows = resultsTable(outcomes, finished);
    const shown = this.#shown;
    for (const row of rows) {
      const tr = this.el(`tr[data-row="${row.metric}"]`);
      requireElement(tr, '[data-cell="none"]', HTMLElement).textContent = formatValue(row.kind, row.none);
      requireElement(tr, '[data-cell="batch"]', HTMLElement).textContent = formatValue(row.kind, row.batch);
      const pending = this.running
        ? 'after both runs finish'
        : shown.none || shown.batch
          ? 'no verdict: a run did not finish'
          : 'not run yet';
      requireElement(tr, '[data-cell="verdict"]', HTMLElement).textContent = {
        holds: 'holds',
        'does not hold': 'does not hold',
        'within noise': 'within noise (±0.2 points)',
        tie: 'tie (equal as printed)',
        pending,
      }[row.verdict];
      tr.dataset.verdict = row.verdict;
    }
    // Overheads are about the runs shown, whose settings may differ from the controls.
    const record = shown.batch ?? shown.none;
    const cost = overheads(record ? stateOf(record, this.state) : this.state, outcomes);
    const time = this.el('[data-cost="time"]');
    if (cost.time === null || !finished) {
      time.textContent = this.running
        ? 'measuring: appears after both runs finish (they run one after another, each timed alone)'
        : 'not measured yet: start the comparison';
    } else {
      // One run a side: whether the difference is beyond the noise between runs is not known (lesson 12's claim 9 repeats both).
      const noise =
        '; with one run each the timing noise between runs is not measured (the overhead experiment of lesson 12 repeats both three times)';
      time.textContent = `no BN ${formatSeconds(cost.seconds.none!)}, BN ${formatSeconds(cost.seconds.batch!)} per epoch on average: an epoch with BN took ${timeChange(cost.time)}${noise}. Training steps only, validation excluded; the runs went one after another.`;
    }
    this.el('[data-summary]').textContent = summarize(rows, finished ? cost.time : null, cost.withinNoise) + this.note;
  }

  /** Model summaries and the memory estimate follow the settings (placement changes the layer order). */
  #renderModels(state: State): void {
    const models = summaries(state);
    for (const arm of arms) {
      const table = this.el(`table[data-model="${arm}"]`);
      const body = requireElement(table, 'tbody', HTMLTableSectionElement);
      body.replaceChildren(
        ...models[arm].rows.map((row) => {
          const tr = document.createElement('tr');
          for (const [text, numeric] of [
            [`${row.name} (${row.type})`, false],
            [row.outputShape, false],
            [row.params.toLocaleString('en-US'), true],
          ] as const) {
            const td = document.createElement('td');
            td.textContent = text;
            if (numeric) td.className = 'num';
            tr.append(td);
          }
          return tr;
        }),
      );
      // The totals follow the rows (a deep preset's model is not the classic one).
      for (const total of ['total', 'trainable', 'nonTrainable'] as const)
        requireElement(table, `[data-total="${total}"]`, HTMLElement).textContent = models[arm][total].toLocaleString('en-US');
    }
    const memory = bnMemoryOf(armConfig(state, 'batch'));
    this.el('[data-memory] tbody').replaceChildren(
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
    const cost = overheads(state, { none: null, batch: null });
    this.el('[data-cost="memory"]').textContent =
      `${formatBytes(cost.memoryBytes)}, ${(cost.memoryShare * 100).toFixed(1)} % of the no-BN model's weights, gradients and Adam state (batch ${state.batch})`;
  }
}

/** The widget settings a saved run was made with (for its overheads); what the controls cannot show keeps `fallback`. */
function stateOf(record: RunRecord, fallback: State): State {
  const c = record.config;
  const pick = <K extends keyof State>(key: K, raw: string): State[K] => (schema[key].parse(raw) as State[K] | undefined) ?? fallback[key];
  return {
    ...fallback,
    images: c.trainLimit ?? trainImages,
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
