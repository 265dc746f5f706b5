/**
 * `<nn-layer-diagnostics>`: starts one run with per-layer diagnostics on, keeps a thinned
 * history of the frames the worker sends (≤ 10/s), and redraws the charts at most twice a
 * second, one chart per task, so no redraw blocks the page for long. The run itself is saved
 * like every other run; the diagnostics are live only (too big to keep).
 */
import { readChartColors } from '@charts/colors';
import { heatStrip } from '@charts/heat-strip';
import { runningStatsChart } from '@charts/running-stats';
import { updateRatioChart } from '@charts/update-ratio';
import type { RunRecord } from '@client/run-record';
import { startRecordedRun, type RecordedRun } from '@client/run-recorder';
import { getRunStore } from '@client/shared-store';
import { getTrainingClient } from '@client/shared-client';
import { newRunId } from '@client/training-client';
import { ensureData } from '../experiments/data-status';
import { fillLegend } from '../experiments/legend';
import { inTasks } from '../experiments/tasks';
import { progressFraction, progressLine } from '../experiments/run-text';
import { bindPresets, bindSeed, setRunBusy } from '../experiments/settings';
import { shareLink } from '../share';
import { onThemeChange } from '../theme';
import { urlWithState } from '../url-state';
import { actionButton, connectSettings, enableControls, rangeControl, requireElement } from '../widget-dom';
import {
  appendFrame,
  diagnosticsOptions,
  heatColumns,
  histogramSummary,
  presets,
  ratioBand,
  ratioParams,
  ratioPoints,
  ratioSummary,
  runConfig,
  schema,
  shownLayer,
  statsFrames,
  statsSummary,
  type Frame,
  type State,
} from './model';

const widgetName = 'layer-diagnostics';
const renderIntervalMs = 500;
const bnUnits = [0, 1, 2, 3];
const selects = ['norm', 'lr', 'batch', 'layer'] as const;

export class LayerDiagnosticsElement extends HTMLElement {
  #state!: State;
  #key = 'diag';
  #writeUrl!: (state: State) => void;
  #stopTheme: (() => void) | undefined;
  #run: RecordedRun | null = null;
  #record: RunRecord | null = null;
  #frames: Frame[] = [];
  #renderTimer: ReturnType<typeof setTimeout> | undefined;
  #drawing = false;
  #dirty = false;
  #lastRender = 0;
  #offEvents: (() => void) | undefined;
  /** Longest single chart redraw so far, for the browser tests. */
  lastRenderMs = 0;

  connectedCallback(): void {
    if (this.#stopTheme) return;
    ({ key: this.#key, state: this.#state, writeUrl: this.#writeUrl } = connectSettings(this, schema, 'diag'));
    this.#bind();
    enableControls(this);
    this.#showSettings();
    this.#scheduleRender(0);
    this.#stopTheme = onThemeChange(() => this.#scheduleRender(0));
  }

  disconnectedCallback(): void {
    clearTimeout(this.#renderTimer);
    this.#stopTheme?.();
    this.#stopTheme = undefined;
    this.#offEvents?.();
    this.#run?.dispose();
  }

  get state(): State {
    return { ...this.#state };
  }

  /** Diagnostics frames kept for the charts (for tests). */
  get frames(): readonly Frame[] {
    return this.#frames;
  }

  #el<T extends Element>(selector: string, type: { new (): T }): T {
    return requireElement(this, selector, type);
  }

  get #running(): boolean {
    return this.#record !== null && ['starting', 'running', 'paused'].includes(this.#record.state);
  }

  #update(next: Partial<State>): void {
    this.#state = { ...this.#state, ...next };
    this.#showSettings();
    this.#writeUrl(this.#state);
    this.#scheduleRender(0);
  }

  #bind(): void {
    for (const name of ['images', 'epochs'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => this.#update({ [name]: input.valueAsNumber }));
    }
    for (const name of selects) {
      const select = this.#el(`select[name="${name}"]`, HTMLSelectElement);
      select.addEventListener('change', () => this.#update({ [name]: schema[name].parse(select.value) ?? schema[name].default }));
    }
    bindSeed(this, schema.seed, () => this.#state.seed, (seed) => this.#update({ seed }));
    bindPresets(this, presets, (settings) => this.#update(settings));
    actionButton(this, 'start').addEventListener('click', () => void this.#start());
    actionButton(this, 'retry').addEventListener('click', () => void this.#start());
    actionButton(this, 'stop').addEventListener('click', () => void this.#run?.stop());
    actionButton(this, 'share').addEventListener('click', () => {
      void shareLink(urlWithState(schema, this.#key, this.#state, window.location.href), this.#el('[data-share-status]', HTMLElement));
    });
  }

  #showSettings(): void {
    const s = this.#state;
    rangeControl(this, 'images').show(s.images, s.images.toLocaleString('en-US'));
    rangeControl(this, 'epochs').show(s.epochs, String(s.epochs));
    for (const name of selects) this.#el(`select[name="${name}"]`, HTMLSelectElement).value = s[name];
    this.#el('input[name="seed"]', HTMLInputElement).value = String(s.seed);
    // The BN layer exists only in the BN model (of the run being shown, or of the next run).
    const norm = this.#record?.config.norm ?? s.norm;
    const bnOption = this.querySelector<HTMLOptionElement>('select[name="layer"] option[value="batch_normalization"]');
    if (bnOption) bnOption.disabled = norm !== 'batch';
    this.#el('select[name="layer"]', HTMLSelectElement).value = this.#layer();
  }

  /** The layer to draw: the chosen one if the shown run's model has it. */
  #layer(): string {
    const norm = this.#record?.config.norm ?? this.#state.norm;
    return shownLayer({ ...this.#state, norm });
  }

  async #start(): Promise<void> {
    if (this.#running) return;
    setRunBusy(this, true, 'stop', ['layer']);
    const client = getTrainingClient();
    if (!(await ensureData(client, this.#el('[data-status]', HTMLElement), actionButton(this, 'retry')))) {
      setRunBusy(this, false, 'stop', ['layer']);
      return;
    }
    const store = await getRunStore();
    this.#offEvents?.();
    this.#run?.dispose();
    this.#frames = [];
    const runId = newRunId();
    // Subscribed before the start request, so the first diagnostics frame is not missed.
    this.#offEvents = client.onRun(runId, (event) => {
      if (event.type !== 'diagnostics') return;
      this.#frames = appendFrame(this.#frames, event);
      this.#scheduleRender();
    });
    const started = await startRecordedRun({ client, store, runId, widget: widgetName, config: runConfig(this.#state), options: { diagnostics: { ...diagnosticsOptions } } });
    if (!started.ok) {
      this.#el('[data-status]', HTMLElement).textContent = `Could not start the run: ${started.error.message}`;
      this.#offEvents();
      setRunBusy(this, false, 'stop', ['layer']);
      return;
    }
    this.#run = started.value;
    this.#record = started.value.record;
    this.#showSettings();
    started.value.onChange((record) => {
      this.#record = record;
      this.#renderProgress();
      if (!this.#running) {
        this.#offEvents?.();
        setRunBusy(this, false, 'stop', ['layer']);
        this.#scheduleRender(0);
      }
    });
    this.#renderProgress();
  }

  #renderProgress(): void {
    const r = this.#record;
    this.#el('progress', HTMLProgressElement).value = r ? progressFraction(r) : 0;
    this.#el('[data-run-text]', HTMLElement).textContent = r ? `${r.label}: ${progressLine(r)}` : 'not started';
    const frames = this.#frames.length;
    this.#el('[data-summary]', HTMLElement).textContent = !r
      ? 'Not run yet: start the run to see inside its layers.'
      : `${frames} diagnostics frame${frames === 1 ? '' : 's'} from the run (${r.label}), ${r.state === 'running' ? 'arriving up to 10 times a second' : r.state}; diagnostics are shown live and not saved.`;
  }

  #scheduleRender(delay?: number): void {
    if (this.#drawing) {
      this.#dirty = true;
      return;
    }
    if (this.#renderTimer !== undefined) return;
    const wait = delay ?? Math.max(0, renderIntervalMs - (performance.now() - this.#lastRender));
    this.#renderTimer = setTimeout(() => {
      this.#renderTimer = undefined;
      void this.#renderCharts();
    }, wait);
  }

  /** Draws the charts one per task (inTasks), so a redraw never holds the main thread for all of them at once. */
  async #renderCharts(): Promise<void> {
    this.#drawing = true;
    this.#dirty = false;
    this.#lastRender = performance.now();
    const colors = readChartColors(this);
    const frames = this.#frames;
    const layer = this.#layer();
    for (const name of this.querySelectorAll('[data-layer-name]')) name.textContent = layer;
    const jobs: (() => void)[] = [
      ...(['activations', 'gradients'] as const).map((what) => () => {
        const text = histogramSummary(frames, layer, what);
        this.#el(`[data-chart-summary="${what}"]`, HTMLElement).textContent = text;
        this.#el(`[data-chart="${what}"]`, HTMLElement).replaceChildren(
          heatStrip(heatColumns(frames, layer, what), {
            colors,
            label: what === 'activations' ? `${layer} output` : `∂loss/∂${layer} output`,
            ariaLabel: `Histograms of the ${what === 'activations' ? 'outputs' : 'output gradients'} of layer ${layer} over training steps`,
            ariaDescription: text,
          }),
        );
      }),
      () => {
        const text = ratioSummary(frames);
        const params = ratioParams(frames).slice(0, colors.series.length);
        this.#el('[data-chart-summary="ratio"]', HTMLElement).textContent = text;
        fillLegend(this.#el('[data-legend="ratio"]', HTMLElement), params.map((label, i) => ({ label, color: colors.series[i] })));
        this.#el('[data-chart="ratio"]', HTMLElement).replaceChildren(
          updateRatioChart(ratioPoints(frames), { colors, params, band: ratioBand, ariaLabel: 'Update to weight ratio of each weight tensor over training steps, log scale', ariaDescription: text }),
        );
      },
      ...(['mean', 'variance'] as const).map((stat) => () => {
        const text = statsSummary(frames);
        this.#el('[data-chart-summary="bn"]', HTMLElement).textContent = text;
        const stats = statsFrames(frames, stat);
        const target = this.#el(`[data-chart="bn-${stat}"]`, HTMLElement);
        const units = bnUnits.filter((u) => u < (stats[0]?.moving.length ?? bnUnits.length));
        fillLegend(this.#el('[data-legend="bn"]', HTMLElement), stats.length === 0 ? [] : units.map((u, i) => ({ label: `unit ${u}`, color: colors.series[i] })));
        target.replaceChildren(
          runningStatsChart(stats, { colors, units, label: `moving ${stat}`, ariaLabel: `BN moving ${stat} of units 0 to 3 and the batch ${stat}s over training steps`, ariaDescription: text }),
        );
      }),
    ];
    this.lastRenderMs = Math.max(this.lastRenderMs, await inTasks(jobs));
    this.#renderProgress();
    this.#drawing = false;
    if (this.#dirty) this.#scheduleRender();
  }
}

if (!customElements.get('nn-layer-diagnostics')) customElements.define('nn-layer-diagnostics', LayerDiagnosticsElement);
