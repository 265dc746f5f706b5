/**
 * `<nn-clip-trace>`: one run without BN as a plan on the experiment kit, with diagnostics on. It
 * keeps a thinned history of the frames the worker sends (≤ 10/s) and draws the global gradient
 * norm before and after clipping against the threshold, with the share of steps clipped. After a
 * reload it shows the newest saved run again.
 */
import { readChartColors } from '@charts/colors';
import { clipTraceChart } from '@charts/clip-trace';
import { diagnosticsOf, isActive, type RunRecord } from '@client/run-record';
import { getRunStore } from '@client/shared-store';
import { getTrainingClient } from '@client/shared-client';
import { newRunId } from '@client/training-client';
import { ensureData } from '../run-controller/data-status';
import { planProblem } from '@experiments/plan';
import { progressFraction, progressLine } from '../run-controller/run-text';
import { runPlan, type PlanRunner } from '@experiments/runner';
import { bindPresets, bindSeed, setRunBusy } from '../run-controller/settings';
import { shareLink } from '../share';
import { onThemeChange } from '../theme';
import { urlWithState } from '../url-state';
import { actionButton, connectSettings, enableControls, rangeControl, requireElement } from '../widget-dom';
import { appendFrame, clippingOf, fromSlider, outcomeLine, presets, runConfig, schema, toSlider, tracePlan, tracePoints, traceSummary, widgetName, type Frame, type State } from './model';

const renderIntervalMs = 250;

export class ClipTraceElement extends HTMLElement {
  #state!: State;
  #key = 'clip';
  #writeUrl!: (state: State) => void;
  #stopTheme: (() => void) | undefined;
  #runner: PlanRunner | null = null;
  #record: RunRecord | null = null;
  #frames: Frame[] = [];
  #renderTimer: ReturnType<typeof setTimeout> | undefined;

  connectedCallback(): void {
    if (this.#stopTheme) return;
    ({ key: this.#key, state: this.#state, writeUrl: this.#writeUrl } = connectSettings(this, schema, 'clip'));
    this.#bind();
    enableControls(this);
    setRunBusy(this, false, 'stop');
    this.#showSettings();
    this.#render();
    this.#stopTheme = onThemeChange(() => this.#render());
    void this.#showSaved();
  }

  disconnectedCallback(): void {
    clearTimeout(this.#renderTimer);
    this.#stopTheme?.();
    this.#stopTheme = undefined;
  }

  /** Diagnostics frames kept for the chart (for tests). */
  get frames(): readonly Frame[] {
    return this.#frames;
  }

  /** After a reload: the newest saved run, re-plotted from its record. */
  async #showSaved(): Promise<void> {
    const store = await getRunStore();
    const saved = (await store.list({ widget: widgetName })).find((r) => !isActive(r) && diagnosticsOf(r).length > 0);
    if (!saved || this.#runner || this.#record) return;
    this.#record = saved;
    this.#frames = diagnosticsOf(saved);
    this.#render();
  }

  #el<T extends Element>(selector: string, type: { new (): T }): T {
    return requireElement(this, selector, type);
  }

  #update(next: Partial<State>): void {
    this.#state = { ...this.#state, ...next };
    this.#showSettings();
    this.#writeUrl(this.#state);
  }

  #bind(): void {
    for (const name of ['mode', 'optimizer'] as const) {
      const select = this.#el(`select[name="${name}"]`, HTMLSelectElement);
      select.addEventListener('change', () => this.#update({ [name]: schema[name].parse(select.value) ?? schema[name].default }));
    }
    for (const name of ['threshold', 'lr'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => this.#update({ [name]: fromSlider(input.valueAsNumber) }));
    }
    for (const name of ['images', 'epochs'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => this.#update({ [name]: input.valueAsNumber }));
    }
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
    for (const name of ['mode', 'optimizer'] as const) this.#el(`select[name="${name}"]`, HTMLSelectElement).value = s[name];
    rangeControl(this, 'threshold').show(toSlider(s.threshold), String(s.threshold));
    rangeControl(this, 'lr').show(toSlider(s.lr), String(s.lr));
    rangeControl(this, 'images').show(s.images, s.images.toLocaleString('en-US'));
    rangeControl(this, 'epochs').show(s.epochs, String(s.epochs));
    this.#el('input[name="seed"]', HTMLInputElement).value = String(s.seed);
    if (!this.#runner) rangeControl(this, 'threshold').input.disabled = s.mode === 'off';
    const problem = planProblem(tracePlan(s));
    if (problem === null) this.dataset.trainConfig = JSON.stringify(runConfig(s)); // read by <nn-framework-code>
    if (!this.#runner) actionButton(this, 'start').disabled = problem !== null;
  }

  async #start(): Promise<void> {
    const plan = tracePlan(this.#state);
    if (this.#runner || planProblem(plan) !== null) return;
    setRunBusy(this, true, 'stop');
    const client = getTrainingClient();
    if (!(await ensureData(client, this.#el('[data-status]', HTMLElement), actionButton(this, 'retry')))) {
      setRunBusy(this, false, 'stop');
      this.#showSettings();
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
      this.#scheduleRender();
    });
    await runner.finished;
    this.#runner = null;
    setRunBusy(this, false, 'stop');
    this.#showSettings();
    this.#render();
  }

  #scheduleRender(): void {
    if (this.#renderTimer !== undefined) return;
    this.#renderTimer = setTimeout(() => {
      this.#renderTimer = undefined;
      this.#render();
    }, renderIntervalMs);
  }

  #render(): void {
    const r = this.#record;
    this.#el('progress', HTMLProgressElement).value = r ? progressFraction(r) : 0;
    this.#el('[data-run-text]', HTMLElement).textContent = r ? `${r.label}: ${progressLine(r)}` : 'not started';
    const clipping = clippingOf(r, this.#state);
    const text = traceSummary(this.#frames, clipping);
    this.#el('[data-chart-summary="trace"]', HTMLElement).textContent = text;
    this.#el('[data-summary]', HTMLElement).textContent = outcomeLine(r);
    this.#el('[data-chart="trace"]', HTMLElement).replaceChildren(
      clipTraceChart(tracePoints(this.#frames), {
        colors: readChartColors(this),
        threshold: clipping.mode === 'norm' ? clipping.threshold : null,
        ariaLabel: 'Global gradient norm before and after clipping over training steps',
        ariaDescription: text,
      }),
    );
  }
}

if (!customElements.get('nn-clip-trace')) customElements.define('nn-clip-trace', ClipTraceElement);
