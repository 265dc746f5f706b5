/**
 * `<nn-layer-diagnostics>`: one run with per-layer diagnostics, as a plan on the experiment kit.
 * It keeps a thinned history of the frames the worker sends (≤ 10/s) and redraws the charts at
 * most twice a second, one chart per task, so no redraw blocks the page for long: activation
 * strips with the saturated share for every hidden layer, per-layer gradient norms and update
 * ratios, the global gradient norm against the clipping threshold, one chosen layer's
 * histograms, and BN's running statistics.
 */
import { readChartColors } from '@charts/colors';
import { gradNormChart } from '@charts/grad-norm';
import { heatStrip } from '@charts/heat-strip';
import { layerColors, layerLinesChart } from '@charts/layer-lines';
import { runningStatsChart } from '@charts/running-stats';
import { diagnosticsOf, isActive, type RunRecord } from '@client/run-record';
import { getRunStore } from '@client/shared-store';
import { getTrainingClient } from '@client/shared-client';
import { newRunId } from '@client/training-client';
import { rejectedUrlValues } from '../run-controller/architecture';
import { bindArchitecture, bindArchitecturePresets, setControlMessage, showArchitecture } from '../run-controller/architecture-dom';
import { ensureData } from '../run-controller/data-status';
import { planProblem } from '@experiments/plan';
import { runPlan, type PlanRunner } from '@experiments/runner';
import { fillLegend } from '../run-controller/legend';
import { inTasks } from '../run-controller/tasks';
import { progressFraction, progressLine } from '../run-controller/run-text';
import { bindPresets, bindSeed, setRunBusy } from '../run-controller/settings';
import { shareLink } from '../share';
import { onThemeChange } from '../theme';
import { urlWithState } from '../url-state';
import { actionButton, connectSettings, enableControls, rangeControl, requireElement } from '../widget-dom';
import {
  activationLayers,
  appendFrame,
  clipSummary,
  denseLayers,
  diagnosticsPlan,
  gradientSpreadSummary,
  gradNormPoints,
  heatColumns,
  histogramSummary,
  kernelPoints,
  modelLayers,
  presets,
  ratioBand,
  ratioSummary,
  runConfig,
  saturationSummary,
  schema,
  shownLayer,
  statsFrames,
  statsSummary,
  widgetName,
  type Frame,
  type State,
} from './model';

const renderIntervalMs = 500;
const bnUnits = [0, 1, 2, 3];
const selects = ['norm', 'clip', 'layer'] as const;

export class LayerDiagnosticsElement extends HTMLElement {
  #state!: State;
  #key = 'diag';
  #writeUrl!: (state: State) => void;
  #stopTheme: (() => void) | undefined;
  #runner: PlanRunner | null = null;
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
    setRunBusy(this, false, 'stop', ['layer']);
    for (const { name, message } of rejectedUrlValues(schema, this.#key, window.location.search)) setControlMessage(this, name, message, this.#el('[data-status]', HTMLElement));
    this.#showSettings();
    this.#scheduleRender(0);
    this.#stopTheme = onThemeChange(() => this.#scheduleRender(0));
    void this.#showSaved();
  }

  /** After a reload: the newest saved run with diagnostics, re-plotted from its record. */
  async #showSaved(): Promise<void> {
    const store = await getRunStore();
    const saved = (await store.list({ widget: widgetName })).find((r) => !isActive(r) && diagnosticsOf(r).length > 0);
    if (!saved || this.#running || this.#record) return;
    this.#record = saved;
    this.#frames = diagnosticsOf(saved);
    this.#showSettings();
    this.#renderProgress();
    this.#scheduleRender(0);
  }

  disconnectedCallback(): void {
    clearTimeout(this.#renderTimer);
    this.#stopTheme?.();
    this.#stopTheme = undefined;
    this.#offEvents?.();
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
    return this.#runner !== null;
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
    bindArchitecture(this, (change) => this.#update(change));
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
    for (const name of selects) this.#el(`select[name="${name}"]`, HTMLSelectElement).value = s[name];
    showArchitecture(this, s);
    const problem = planProblem(diagnosticsPlan(s));
    setControlMessage(this, 'actions', problem);
    if (problem === null) this.dataset.trainConfig = JSON.stringify(runConfig(s)); // read by <nn-framework-code>
    if (!this.#running) actionButton(this, 'start').disabled = problem !== null;
    this.#el('input[name="seed"]', HTMLInputElement).value = String(s.seed);
    // The layer list follows the model of the run being shown, or of the next run.
    const select = this.#el('select[name="layer"]', HTMLSelectElement);
    const names = this.#frames.at(-1)?.layers.map((l) => l.name) ?? null;
    const model = names ? names.map((name) => ({ name, type: this.#frames.at(-1)!.layers.find((l) => l.name === name)!.kind })) : modelLayers(s);
    if (select.options.length !== model.length || [...select.options].some((o, i) => o.value !== model[i].name)) {
      select.replaceChildren(...model.map((l) => new Option(`${l.name} (${l.type})`, l.name)));
    }
    select.value = this.#layer();
  }

  /** The layer to draw: the chosen one if the shown run's model has it. */
  #layer(): string {
    const names = this.#frames.at(-1)?.layers.map((l) => l.name);
    if (names) return names.includes(this.#state.layer) ? this.#state.layer : names[0];
    return shownLayer(this.#state);
  }

  async #start(): Promise<void> {
    const plan = diagnosticsPlan(this.#state);
    if (this.#running || planProblem(plan) !== null) return;
    setRunBusy(this, true, 'stop', ['layer']);
    const client = getTrainingClient();
    if (!(await ensureData(client, this.#el('[data-status]', HTMLElement), actionButton(this, 'retry')))) {
      setRunBusy(this, false, 'stop', ['layer']);
      return;
    }
    const store = await getRunStore();
    this.#frames = [];
    this.#record = null;
    const runner = runPlan({
      client,
      store,
      plan,
      newRunId,
      onDiagnostics: (_key, event) => {
        this.#frames = appendFrame(this.#frames, event);
        this.#scheduleRender();
      },
    });
    this.#runner = runner;
    runner.onChange(() => {
      this.#record = [...runner.records.values()][0] ?? null;
      const failed = runner.queue.find((e) => e.state === 'failed' && e.result === null);
      if (failed) this.#el('[data-status]', HTMLElement).textContent = `Could not start the run: ${failed.error}`;
      this.#renderProgress();
    });
    await runner.finished;
    this.#runner = null;
    setRunBusy(this, false, 'stop', ['layer']);
    this.#showSettings();
    this.#renderProgress();
    this.#scheduleRender(0);
  }

  #renderProgress(): void {
    const r = this.#record;
    this.#el('progress', HTMLProgressElement).value = r ? progressFraction(r) : 0;
    this.#el('[data-run-text]', HTMLElement).textContent = r ? `${r.label}: ${progressLine(r)}` : 'not started';
    const frames = this.#frames.length;
    this.#el('[data-summary]', HTMLElement).textContent = !r
      ? 'Not run yet: start the run to see inside its layers.'
      : `${frames} diagnostics frame${frames === 1 ? '' : 's'} from the run (${r.label}), ${r.state === 'running' ? 'arriving up to 10 times a second' : r.state}; the frames are saved with the run and in its JSON export.`;
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
    const acts = activationLayers(frames);
    const dense = denseLayers(frames);
    const clipNorm = this.#record?.config.clipNorm ?? (this.#state.clip === 'off' ? null : Number(this.#state.clip));
    const strips = this.#el('[data-chart="layer-strips"]', HTMLElement);
    if (strips.children.length !== acts.length || [...strips.children].some((c, i) => (c as HTMLElement).dataset.strip !== acts[i])) {
      strips.replaceChildren(
        ...acts.map((name) => {
          const div = document.createElement('div');
          div.dataset.strip = name;
          const title = document.createElement('p');
          title.className = 'strip-title';
          title.textContent = name;
          div.append(title, document.createElement('div'));
          return div;
        }),
      );
    }
    const jobs: (() => void)[] = [
      ...acts.map((name) => () => {
        const last = frames.at(-1)?.layers.find((l) => l.name === name);
        const saturated = last?.saturated;
        requireElement(strips, `[data-strip="${name}"] .strip-title`, HTMLElement).textContent = `${name}${saturated != null ? ` · ${Math.round(saturated * 100)} % saturated` : last?.activations ? ` · ${Math.round(last.activations.zeros * 100)} % zero` : ''}`;
        requireElement(strips, `[data-strip="${name}"] > div`, HTMLElement).replaceChildren(
          heatStrip(heatColumns(frames, name, 'activations'), { colors, label: name, height: 110, ariaLabel: `Histograms of the outputs of ${name} over training steps`, ariaDescription: saturationSummary(frames) }),
        );
      }),
      () => (this.#el('[data-chart-summary="layer-strips"]', HTMLElement).textContent = acts.length === 0 ? 'No activations measured yet.' : saturationSummary(frames)),
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
      ...(
        [
          { chart: 'grad-norms', what: 'gradNorm', label: 'gradient norm', text: gradientSpreadSummary(frames), band: undefined, aria: 'Gradient norm of each Dense layer over training steps, log scale' },
          { chart: 'ratio', what: 'updateRatio', label: 'update / weight', text: ratioSummary(frames), band: { lo: ratioBand[0], hi: ratioBand[1], reference: 1e-3 }, aria: 'Update to weight ratio of each Dense layer over training steps, log scale, with the band around 1e-3' },
        ] as const
      ).map((c) => () => {
        this.#el(`[data-chart-summary="${c.chart}"]`, HTMLElement).textContent = c.text;
        const shown = dense.length > 0 ? dense : ['dense'];
        fillLegend(this.#el(`[data-legend="${c.chart}"]`, HTMLElement), dense.length === 0 ? [] : shown.map((label, i) => ({ label, color: layerColors(shown)[i] })));
        this.#el(`[data-chart="${c.chart}"]`, HTMLElement).replaceChildren(
          layerLinesChart(kernelPoints(frames, c.what), { colors, layers: shown, label: c.label, band: c.band, ariaLabel: c.aria, ariaDescription: c.text }),
        );
      }),
      () => {
        const text = clipSummary(frames, clipNorm);
        this.#el('[data-chart-summary="grad-norm"]', HTMLElement).textContent = text;
        this.#el('[data-chart="grad-norm"]', HTMLElement).replaceChildren(
          gradNormChart(gradNormPoints(frames), { colors, threshold: clipNorm, ariaLabel: 'Global gradient norm before clipping over training steps, with the clipping threshold', ariaDescription: text }),
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
