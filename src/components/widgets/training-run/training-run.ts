/**
 * `<nn-training-run>`: makes TrainingRun.astro live. Loads the data through the page's shared
 * training worker, starts runs through the recorder (so each run is saved as it goes), draws the
 * curves at most ~5 times a second (the worker sends ≤ 10 updates/s; Plot redraws are the main
 * thread's biggest cost), and shows a saved run or overlays it when its row in the saved-runs
 * manager (`<nn-saved-runs>`) asks.
 */
import { trainingCurves, type TrainingCurvesData } from '@charts/training-curves';
import { chartShapes } from '@charts/size';
import { fallbackColors, readChartColors, type ChartColors } from '@charts/colors';
import { startRecordedRun, type RecordedRun } from '@client/run-recorder';
import { isActive, type RunRecord } from '@client/run-record';
import { getTrainingClient } from '@client/shared-client';
import { dataManifestUrl } from '@client/site-root';
import { getRunStore } from '@client/shared-store';
import { newRunId } from '@client/training-client';
import { downloadRuns } from '../saved-runs/download';
import { savedRunsEvent, type SavedRunsAction } from '../saved-runs/saved-runs';
import type { LiveSettings } from '@engine/train/config.ts';
import { rejectedUrlValues } from '../run-controller/architecture';
import { bindArchitecture, setControlMessage, showArchitectureControls } from '../run-controller/architecture-dom';
import { onThemeChange } from '../theme';
import { chartSize, onWidthChange } from '../chart-size';
import { shareLink } from '../share';
import { urlWithState } from '../url-state';
import { connectSettings, enableControls, rangeControl, requireElement } from '../widget-dom';
import {
  bnMomentumFromSlider,
  clipFromSlider,
  clipValueFromSlider,
  configFromState,
  curveSummary,
  decayChange,
  decayFromSlider,
  decayLabel,
  controlNote,
  formatClip,
  formatDecay,
  curvesFromRecord,
  downloadText,
  epochRows,
  formatEpochs,
  formatCount,
  formatLr,
  lrFromSlider,
  presets,
  progressFraction,
  schema,
  sliderFromBnMomentum,
  sliderFromClip,
  sliderFromClipValue,
  sliderFromDecay,
  sliderFromLr,
  stateFromRecord,
  modelChange,
  statusText,
  trainingModelLine,
  type PresetName,
  type State,
} from './model';

const widgetName = 'training-run';
/** Minimum time between two chart redraws while a run streams progress. */
const chartIntervalMs = 400;
/** A chart a few hundred pixels wide shows no more detail than this many points per line. */
const maxChartPoints = 400;

export class TrainingRunElement extends HTMLElement {
  #state!: State;
  #initial!: State;
  #key = 'run';
  #writeUrl!: (state: State) => void;
  #run: RecordedRun | null = null;
  /** The record on screen: the live run's, or a saved one picked with "Show". */
  #shown: RunRecord | null = null;
  #stops: (() => void)[] = [];
  #chartTimer: ReturnType<typeof setTimeout> | undefined;
  #lastChart = 0;
  #busy = false;
  #colors: ChartColors = fallbackColors;
  /** Saved runs drawn next to the one on screen ("Overlay" in the saved-runs list). */
  #overlays = new Map<string, RunRecord>();
  /** The run state last announced to screen readers. */
  #announced = '';
  /** Milliseconds the last chart took to draw (read by the browser tests). */
  lastChartMs = 0;

  connectedCallback(): void {
    if (this.#stops.length > 0) return;
    ({ key: this.#key, initial: this.#initial, state: this.#state, writeUrl: this.#writeUrl } = connectSettings(this, schema, 'run'));
    this.#bind();
    enableControls(this);
    for (const { name, message } of rejectedUrlValues(schema, this.#key, window.location.search))
      setControlMessage(this, name, message, this.#el('[data-status]'));
    this.#showSettings();
    this.#colors = readChartColors(this);
    this.#renderRun();
    this.#stops.push(
      onThemeChange(() => {
        this.#colors = readChartColors(this);
        this.#drawCharts();
      }),
      onWidthChange(this, () => this.#drawCharts()),
    );
  }

  disconnectedCallback(): void {
    this.#stops.forEach((stop) => stop());
    this.#stops = [];
    this.#run?.dispose();
  }

  get state(): State {
    return { ...this.#state };
  }

  /** The record on screen (live or saved), for tests and other scripts. */
  get record(): RunRecord | null {
    return this.#shown;
  }

  #el<T extends HTMLElement = HTMLElement>(selector: string): T {
    return requireElement(this, selector, HTMLElement) as T;
  }

  #update(next: Partial<State>): void {
    this.#state = { ...this.#state, ...next };
    this.#showSettings();
    this.#writeUrl(this.#state);
    if (!this.#shown) this.#renderRun(); // the idle status line and empty axes follow the settings
  }

  #bind(): void {
    for (const name of ['norm', 'placement', 'optimizer', 'batch', 'images'] as const) {
      const select = requireElement(this, `select[name="${name}"]`, HTMLSelectElement);
      select.addEventListener('change', () => {
        const value = schema[name].parse(select.value);
        if (value !== undefined) this.#update({ [name]: value });
      });
    }
    bindArchitecture(this, (change) => this.#update(modelChange(change)));
    const epochs = rangeControl(this, 'epochs').input;
    epochs.addEventListener('input', () => this.#update({ epochs: epochs.valueAsNumber }));
    const lr = rangeControl(this, 'lr').input;
    lr.addEventListener('input', () => this.#update({ lr: lrFromSlider(lr.valueAsNumber) }));
    lr.addEventListener('change', () => void this.#liveChange({ lr: this.#state.lr }));
    const dropout = rangeControl(this, 'dropout').input;
    dropout.addEventListener('input', () => this.#update({ dropout: dropout.valueAsNumber }));
    dropout.addEventListener('change', () => void this.#liveChange({ dropout: this.#state.dropout }));
    const bnMomentum = rangeControl(this, 'bnMomentum').input;
    bnMomentum.addEventListener('input', () => this.#update({ bnMomentum: bnMomentumFromSlider(bnMomentum.valueAsNumber) }));
    bnMomentum.addEventListener('change', () => void this.#liveChange({ bnMomentum: this.#state.bnMomentum }));
    const decay = rangeControl(this, 'decay').input;
    decay.addEventListener('input', () => this.#update({ decay: decayFromSlider(decay.valueAsNumber) }));
    // The run's own optimizer decides which engine setting the one control means.
    decay.addEventListener(
      'change',
      () => void this.#liveChange(decayChange(this.#run?.record.config.optimizer ?? this.#state.optimizer, this.#state.decay)),
    );
    const clip = rangeControl(this, 'clip').input;
    clip.addEventListener('input', () => this.#update({ clip: clipFromSlider(clip.valueAsNumber) }));
    clip.addEventListener('change', () => void this.#liveChange({ clipNorm: this.#state.clip }));
    const clipValue = rangeControl(this, 'clipValue').input;
    clipValue.addEventListener('input', () => this.#update({ clipValue: clipValueFromSlider(clipValue.valueAsNumber) }));
    clipValue.addEventListener('change', () => void this.#liveChange({ clipValue: this.#state.clipValue }));
    const momentum = rangeControl(this, 'momentum').input;
    momentum.addEventListener('input', () => this.#update({ momentum: momentum.valueAsNumber }));

    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-preset]')) {
      button.addEventListener('click', () => {
        const preset = presets[button.dataset.preset as PresetName];
        this.#update({ images: preset.images, epochs: preset.epochs });
      });
    }
    this.#onAction('start', () => void this.#start());
    this.#onAction('retry', () => void this.#start());
    this.#onAction('pause', () => void this.#pauseOrResume());
    // While the data downloads (busy, no run yet) Stop cancels the download.
    this.#onAction('stop', () => void (this.#run && isActive(this.#run.record) ? this.#run.stop() : getTrainingClient().cancelLoad()));
    this.#onAction('reset', () => void this.#reset());
    this.#onAction(
      'share',
      () => void shareLink(urlWithState(schema, this.#key, this.#state, window.location.href), this.#el('[data-share-status]')),
    );
    this.#onAction('export-unsaved', () => void (this.#run && downloadRuns([this.#run.record], 'json')));
    this.addEventListener(savedRunsEvent, (event) => this.#savedRunAction((event as CustomEvent<SavedRunsAction>).detail));
  }

  #onAction(action: string, handler: () => void): void {
    requireElement(this, `button[data-action="${action}"]`, HTMLButtonElement).addEventListener('click', handler);
  }

  #showSettings(): void {
    const s = this.#state;
    this.dataset.trainConfig = JSON.stringify(configFromState(s)); // read by <nn-framework-code>
    for (const name of ['norm', 'placement', 'optimizer', 'batch', 'images'] as const) {
      const select = requireElement(this, `select[name="${name}"]`, HTMLSelectElement);
      select.value = String(s[name]);
    }
    rangeControl(this, 'epochs').show(s.epochs, String(s.epochs));
    showArchitectureControls(this, s);
    this.#el('[data-model-line]').textContent = trainingModelLine(s);
    rangeControl(this, 'lr').show(sliderFromLr(s.lr), formatLr(s.lr));
    rangeControl(this, 'dropout').show(s.dropout, s.dropout.toFixed(2));
    rangeControl(this, 'bnMomentum').show(sliderFromBnMomentum(s.bnMomentum), String(s.bnMomentum));
    rangeControl(this, 'decay').show(sliderFromDecay(s.decay), formatDecay(s.decay));
    rangeControl(this, 'clip').show(sliderFromClip(s.clip), formatClip(s.clip));
    rangeControl(this, 'clipValue').show(sliderFromClipValue(s.clipValue), formatClip(s.clipValue));
    rangeControl(this, 'momentum').show(s.momentum, String(s.momentum));
    requireElement(this, 'select[name="placement"]', HTMLSelectElement).disabled = s.norm !== 'batch';
    this.#explain('bnMomentum');
    this.#explain('momentum');
    const decay = decayLabel(s.optimizer);
    this.#el('[data-control="decay"] label').textContent = decay.label;
    this.#el('[data-control="decay"] .range-hint').textContent = decay.hint;
  }

  /** Disables a slider that these settings ignore, and says why in its hint. */
  #explain(name: 'bnMomentum' | 'momentum'): void {
    const note = controlNote(name, this.#state);
    rangeControl(this, name).input.disabled = note.disabled;
    this.#el(`[data-control="${name}"] .range-hint`).textContent = note.hint;
  }

  #showError(message: string | null, retry = false): void {
    const box = this.#el('[data-error]');
    box.hidden = message === null;
    this.#el('[data-error-text]').textContent = message ?? '';
    requireElement(this, 'button[data-action="retry"]', HTMLButtonElement).hidden = !retry;
  }

  /** A failed save is said at once, with the way to keep the run anyway. */
  #showSaveError(reason: string | null): void {
    this.#el('[data-save-error]').hidden = reason === null;
    this.#el('[data-save-error-text]').textContent =
      reason === null
        ? ''
        : `This run could not be saved: ${reason.replace(/\.$/, '')}; it is kept in this page until it closes — export it to keep it.`;
  }

  async #start(): Promise<void> {
    if (this.#busy || (this.#run && isActive(this.#run.record))) return;
    this.#busy = true;
    this.#showError(null);
    this.#renderButtons();
    const status = this.#el('[data-status]');
    // The download has its own bar: the training bar never runs twice (or backwards).
    const download = this.#el('[data-download]');
    const downloadBar = requireElement(this, '[data-download-progress]', HTMLProgressElement);
    const downloadBytes = Number(this.dataset.downloadBytes) || null;
    try {
      const client = getTrainingClient();
      status.textContent = 'Loading the MNIST data…';
      this.#el('[data-announce]').textContent = status.textContent;
      const data = await client.loadData({
        manifestUrl: dataManifestUrl(),
        onProgress: (p) => {
          const fraction = p.total > 0 ? p.loaded / p.total : 0;
          download.hidden = false;
          downloadBar.value = fraction;
          status.textContent =
            p.source === 'cache' ? 'Reading the MNIST data from this browser’s cache…' : downloadText(fraction, downloadBytes);
        },
      });
      download.hidden = true;
      if (!data.ok) {
        status.textContent = 'The data could not be loaded.';
        this.#showError(`${data.error.message}`, true);
        return;
      }
      this.#run?.dispose();
      const started = await startRecordedRun({
        client,
        store: await getRunStore(),
        runId: newRunId(),
        widget: widgetName,
        config: configFromState(this.#state),
      });
      if (!started.ok) {
        status.textContent = 'The run could not start.';
        this.#showError(started.error.message, started.error.code === 'worker-crashed');
        return;
      }
      this.#run = started.value;
      this.#shown = this.#run.record;
      const run = this.#run;
      run.onChange((record) => {
        this.#showSaveError(run.saveError);
        this.#shown = record;
        this.#renderRun();
      });
      this.#showSaveError(null);
      this.#renderRun();
    } finally {
      this.#busy = false;
      this.#renderButtons();
    }
  }

  async #pauseOrResume(): Promise<void> {
    const run = this.#run;
    if (!run || !isActive(run.record)) return;
    const result = run.record.state === 'paused' ? await run.resume() : await run.pause();
    if (!result.ok) this.#showError(result.error.message);
  }

  async #liveChange(changes: Partial<LiveSettings>): Promise<void> {
    const run = this.#run;
    if (!run || !isActive(run.record)) return;
    const result = await run.update(changes);
    this.#showError(result.ok ? null : result.error.message);
  }

  async #reset(): Promise<void> {
    if (this.#run && isActive(this.#run.record)) await this.#run.stop();
    this.#run?.dispose();
    this.#run = null;
    this.#shown = null;
    this.#showError(null);
    this.#update({ ...this.#initial });
    this.#renderRun();
  }

  #renderButtons(): void {
    const active = this.#run !== null && isActive(this.#run.record);
    const paused = this.#run?.record.state === 'paused';
    const button = (action: string) => requireElement(this, `button[data-action="${action}"]`, HTMLButtonElement);
    button('start').disabled = active || this.#busy;
    button('pause').disabled = !active;
    button('pause').textContent = paused ? 'Resume' : 'Pause';
    button('stop').disabled = !active && !this.#busy;
    requireElement(this, 'fieldset[data-settings="setup"]', HTMLFieldSetElement).disabled = active || this.#busy;
    for (const b of this.querySelectorAll<HTMLButtonElement>('button[data-preset]')) b.disabled = active || this.#busy;
    this.toggleAttribute('data-running', active);
    this.dataset.state = this.#shown?.state ?? 'idle';
  }

  #renderRun(): void {
    const r = this.#shown;
    this.#renderButtons();
    const status = this.#el('[data-status]');
    const progress = requireElement(this, '[data-progress]', HTMLProgressElement);
    if (!r) {
      status.textContent = `Press Start to train on ${formatCount(this.#state.images)} images for ${formatEpochs(this.#state.epochs)}.`;
      progress.value = 0;
    } else {
      const text = statusText(r);
      if (status.textContent !== text) status.textContent = text;
      progress.value = progressFraction(r);
      if (r.state !== this.#announced) {
        this.#announced = r.state;
        this.#el('[data-announce]').textContent = r.state === 'running' ? 'Training started.' : text;
      }
    }
    this.#renderTable();
    this.#scheduleCharts();
  }

  #renderTable(): void {
    const table = this.#el('[data-epochs]');
    const rows = this.#shown ? epochRows(this.#shown) : [];
    table.hidden = rows.length === 0;
    const body = table.querySelector('tbody')!;
    if (
      body.children.length === rows.length &&
      rows.length > 0 &&
      body.lastElementChild?.firstElementChild?.textContent === rows.at(-1)!.epoch
    )
      return;
    body.replaceChildren(
      ...rows.map((row) => {
        const tr = document.createElement('tr');
        for (const value of [row.epoch, row.trainLoss, row.trainAccuracy, row.validationLoss, row.validationAccuracy, row.time]) {
          const td = document.createElement('td');
          td.textContent = value;
          tr.append(td);
        }
        return tr;
      }),
    );
  }

  #scheduleCharts(): void {
    if (this.#chartTimer !== undefined) return;
    const wait = Math.max(0, this.#lastChart + chartIntervalMs - performance.now());
    this.#chartTimer = setTimeout(() => {
      this.#chartTimer = undefined;
      this.#drawCharts();
    }, wait);
  }

  /** Draws the two charts in separate frames, so each main-thread task holds one Plot render. */
  #drawCharts(): void {
    this.#lastChart = performance.now();
    requestAnimationFrame(() => {
      this.#drawChart('loss');
      setTimeout(() => requestAnimationFrame(() => this.#drawChart('accuracy')));
    });
  }

  #drawChart(metric: 'loss' | 'accuracy'): void {
    const started = performance.now();
    const r = this.#shown;
    // Colours are read once per theme: getComputedStyle forces a style recalculation each time.
    const colors = this.#colors;
    const overlaid = [...this.#overlays.values()].filter((o) => o.id !== r?.id);
    const epochs = Math.max(r ? r.config.epochs : this.#state.epochs, ...overlaid.map((o) => o.config.epochs));
    const data: TrainingCurvesData = {
      ...(r ? curvesFromRecord(r, metric, maxChartPoints) : { train: [], validation: [] }),
      overlays: overlaid.map((o) => {
        const curves = curvesFromRecord(o, metric, maxChartPoints / 2);
        return { label: `${o.label}, ${new Date(o.createdAt).toLocaleTimeString()}`, train: curves.train, validation: curves.validation };
      }),
    };
    const compared = overlaid.length > 0 ? ` Compared with: ${overlaid.map((o) => o.label).join('; ')}.` : '';
    const summary = (r ? curveSummary(r, metric) : 'No run yet.') + compared;
    const container = this.#el(`[data-chart="${metric}"]`);
    const chart = trainingCurves(data, {
      colors,
      metric,
      epochs,
      ...chartSize(container, chartShapes.wide),
      emptyNote: r ? 'Waiting for the first steps…' : 'No run yet: press Start',
      ariaLabel: `${metric === 'loss' ? 'Loss' : 'Accuracy'} per epoch${r ? ` for ${r.label}` : ''}`,
      ariaDescription: summary,
    });
    container.replaceChildren(chart);
    this.#el(`[data-chart-summary="${metric}"]`).textContent = summary;
    this.lastChartMs = performance.now() - started;
  }

  /** Show, Overlay and Delete in the saved-runs manager. */
  #savedRunAction({ action, id, records, pressed }: SavedRunsAction): void {
    const record = records[0];
    switch (action) {
      case 'show':
        if (!record) return;
        if (this.#run && isActive(this.#run.record)) return this.#showError('A run is going: stop it before showing a saved one.');
        this.#shown = record;
        this.#update(stateFromRecord(record, this.#state));
        this.#renderRun();
        return;
      case 'overlay':
        if (pressed && record) this.#overlays.set(id, record);
        else this.#overlays.delete(id);
        this.#drawCharts();
        return;
      case 'delete':
        if (this.#overlays.delete(id)) this.#drawCharts();
        if (this.#shown?.id === id && !isActive(this.#shown)) {
          this.#shown = null;
          this.#renderRun();
        }
        return;
    }
  }
}

if (!customElements.get('nn-training-run')) customElements.define('nn-training-run', TrainingRunElement);
