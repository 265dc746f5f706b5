/**
 * `<nn-experiment data-plan="name">`: runs one declared claim experiment (src/experiments/experiments.ts)
 * through the page's training worker with the kit's runner — one run at a time from a visible
 * queue, cancellable — draws the kit's chart as runs finish, and shows the verdict the plan's
 * function computes once every run has ended (never while runs go).
 */
import { axisSweepChart } from '@charts/axis-sweep';
import { readChartColors } from '@charts/colors';
import { compareCurves } from '@charts/compare-curves';
import { traceCurves } from '@charts/trace-curves';
import type { RunRecord } from '@client/run-record';
import { getRunStore } from '@client/shared-store';
import { getTrainingClient } from '@client/shared-client';
import { newRunId } from '@client/training-client';
import type { EnsembleResult } from '@engine/train/dropout-ensemble.ts';
import type { IntensityResult } from '@engine/train/intensity.ts';
import type { DiagnosticsEvent } from '@engine/worker/protocol.ts';
import { claimVerdict, type ClaimExperiment, type ClaimVerdict, type OutputFrame, type TracePoint } from '../../../experiments/claim';
import { experimentNamed } from '../../../experiments/experiments';
import { ensureData } from '../experiments/data-status';
import { expandPlan, type Verdict } from '../experiments/plan';
import { planQueue, type QueueEntry } from '../experiments/queue';
import { runPlan, type PlanRunner } from '../experiments/runner';
import { progressLine } from '../experiments/run-text';
import { onThemeChange } from '../theme';
import { actionButton, requireElement } from '../widget-dom';
import { axisPoints, curvePointsOf, entryText, statusLine, verdictText } from './model';

/** What a plan's probe measured on one finished run's model. */
type ProbeResults = { intensity?: IntensityResult[]; ensemble?: EnsembleResult };

const renderIntervalMs = 300;

/** Running sums of each Dense kernel's gradient norm over a run's diagnostics frames. */
interface GradSums {
  sums: number[];
  frames: number;
}

export class ExperimentElement extends HTMLElement {
  #experiment!: ClaimExperiment;
  #runner: PlanRunner | null = null;
  #queue: QueueEntry[] = [];
  #grads = new Map<string, GradSums>();
  #frames = new Map<string, OutputFrame[]>();
  /** Each finished run's intensity probe (plans with one): pending, its results, or why it failed. */
  #probes = new Map<string, { state: 'pending' } | { state: 'done'; results: ProbeResults } | { state: 'failed'; error: string }>();
  /** The experiment's trace per run (its `trace.read` of each diagnostics frame), by queue key. */
  #traces = new Map<string, { step: number; value: number }[]>();
  /** The records of the latest start, kept after it ends (curves and verdict read them). */
  #records: ReadonlyMap<string, RunRecord> = new Map();
  #stopTheme: (() => void) | undefined;
  #renderTimer: ReturnType<typeof setTimeout> | undefined;
  /** The verdict last shown, for the browser tests. */
  verdict: Verdict<ClaimVerdict> = { state: 'pending' };

  connectedCallback(): void {
    if (this.#stopTheme) return;
    this.#experiment = experimentNamed(this.dataset.plan ?? '');
    this.#queue = planQueue(expandPlan(this.#experiment.plan));
    actionButton(this, 'start').addEventListener('click', () => void this.#start());
    actionButton(this, 'retry').addEventListener('click', () => void this.#start());
    actionButton(this, 'cancel-all').addEventListener('click', () => this.#runner?.cancelAll());
    this.#el('[data-queue]').addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-cancel]');
      if (button?.dataset.cancel) this.#runner?.cancel(button.dataset.cancel);
    });
    this.#setBusy(false);
    this.#stopTheme = onThemeChange(() => this.#render());
  }

  disconnectedCallback(): void {
    clearTimeout(this.#renderTimer);
    this.#stopTheme?.();
    this.#stopTheme = undefined;
  }

  #el(selector: string): HTMLElement {
    return requireElement(this, selector, HTMLElement);
  }

  #setBusy(busy: boolean): void {
    actionButton(this, 'start').disabled = busy;
    actionButton(this, 'cancel-all').disabled = !busy;
  }

  async #start(): Promise<void> {
    if (this.#runner) return;
    this.#setBusy(true);
    const client = getTrainingClient();
    if (!(await ensureData(client, this.#el('[data-status]'), actionButton(this, 'retry')))) {
      this.#setBusy(false);
      return;
    }
    const store = await getRunStore();
    this.#grads = new Map();
    this.#frames = new Map();
    this.#probes = new Map();
    this.#traces = new Map();
    const runner = runPlan({ client, store, plan: this.#experiment.plan, newRunId, onDiagnostics: (key, event) => this.#addFrame(key, event) });
    this.#runner = runner;
    this.#records = runner.records;
    this.#queue = [...runner.queue];
    runner.onChange(() => {
      this.#queue = [...runner.queue];
      this.#probeFinished(client);
      this.#scheduleRender();
    });
    this.#render();
    await runner.finished;
    this.#runner = null;
    this.#queue = [...runner.queue];
    this.#setBusy(false);
    this.#render();
  }

  /** The plan's probe of a finished run's kept model (intensity-changed images or sampled dropout masks), or null without one. */
  #probeOf(client: ReturnType<typeof getTrainingClient>): ((runId: string) => Promise<{ ok: true; value: ProbeResults } | { ok: false; error: { message: string } }>) | null {
    const { intensityProbe: intensity, ensembleProbe: ensemble } = this.#experiment;
    if (intensity) {
      const args = { kind: 'intensity-test' as const, changes: intensity.changes.map((c) => ({ ...c })), batchSize: intensity.batchSize, limit: intensity.limit };
      return (runId) => client.probe(runId, args).then((r) => (r.ok ? { ok: true, value: { intensity: r.value.results } } : r));
    }
    if (ensemble) {
      const args = { kind: 'dropout-ensemble' as const, samples: [...ensemble.samples], limit: ensemble.limit, seed: ensemble.seed };
      return (runId) => client.probe(runId, args).then((r) => (r.ok ? { ok: true, value: { ensemble: r.value } } : r));
    }
    return null;
  }

  /** Probes each newly finished run's kept model, then lets the worker forget it. */
  #probeFinished(client: ReturnType<typeof getTrainingClient>): void {
    const probe = this.#probeOf(client);
    if (!probe) return;
    for (const entry of this.#queue) {
      if (entry.state !== 'done' || !entry.runId || this.#probes.has(entry.key)) continue;
      const { key, runId } = entry;
      this.#probes.set(key, { state: 'pending' });
      void probe(runId).then((r) => {
        this.#probes.set(key, r.ok ? { state: 'done', results: r.value } : { state: 'failed', error: r.error.message });
        void client.release(runId);
        this.#render();
      });
    }
  }

  #addFrame(key: string, event: DiagnosticsEvent): void {
    const frames = this.#frames.get(key) ?? [];
    frames.push({ step: event.step, layers: event.layers.map((l) => ({ kind: l.kind, mean: l.activations?.mean ?? NaN, std: l.activations?.std ?? NaN })) });
    this.#frames.set(key, frames);
    const value = this.#experiment.trace?.read(event) ?? null;
    if (value !== null && Number.isFinite(value)) {
      const trace = this.#traces.get(key) ?? [];
      trace.push({ step: event.step, value });
      this.#traces.set(key, trace);
    }
    const norms = event.layers.flatMap((l) => (l.kind === 'Dense' ? l.params.filter((p) => p.name === 'kernel').map((p) => p.gradNorm) : []));
    const sums = this.#grads.get(key) ?? { sums: norms.map(() => 0), frames: 0 };
    if (sums.sums.length !== norms.length || norms.some((g) => !Number.isFinite(g))) return;
    norms.forEach((g, i) => (sums.sums[i] += g));
    sums.frames++;
    this.#grads.set(key, sums);
  }

  #scheduleRender(): void {
    if (this.#renderTimer !== undefined) return;
    this.#renderTimer = setTimeout(() => {
      this.#renderTimer = undefined;
      this.#render();
    }, renderIntervalMs);
  }

  #renderQueue(): void {
    const records = this.#records;
    this.#el('[data-queue]').replaceChildren(
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
        const record = records?.get(entry.key);
        state.textContent = entryText(entry, this.#experiment, record ? progressLine(record) : null);
        li.append(name, state);
        if (this.#runner && (entry.state === 'pending' || entry.state === 'running')) {
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
  }

  #renderChart(): void {
    const e = this.#experiment;
    const colors = readChartColors(this);
    const chart = this.#el('[data-chart]');
    const axis = e.plan.axis;
    if (e.plan.chart === 'sweep' && axis) {
      chart.replaceChildren(
        axisSweepChart(axisPoints(this.#queue, e), {
          colors,
          series: e.plan.arms.map((a) => a.label),
          axis: { label: axis.label, scale: axis.scale, ticks: axis.values.map(axis.position) },
          label: e.measure.label,
          percent: e.measure.percent,
          ariaLabel: `${e.measure.label} against ${axis.label}, one line per model`,
          ariaDescription: this.#el('[data-summary]').textContent ?? '',
        }),
      );
      return;
    }
    const records = this.#records;
    chart.replaceChildren(
      compareCurves(curvePointsOf(records), {
        colors,
        metric: 'accuracy',
        runs: this.#queue.map((q) => q.key),
        epochs: Math.max(1, ...expandPlan(e.plan).map((p) => p.config.epochs)),
        ariaLabel: 'Training accuracy (solid) and validation accuracy (dashed) of every run',
        ariaDescription: this.#el('[data-summary]').textContent ?? '',
      }),
    );
  }

  /** A run's trace with each step placed in epochs (steps per epoch come from the run's start reply). */
  #traceOf(key: string): TracePoint[] {
    const perEpoch = this.#records.get(key)?.info?.stepsPerEpoch;
    return (this.#traces.get(key) ?? []).map((p) => ({ ...p, epoch: perEpoch ? p.step / perEpoch : NaN }));
  }

  #renderTrace(): void {
    const e = this.#experiment;
    if (!e.trace) return;
    const runs = this.#queue.map((q) => q.key);
    this.#el('[data-trace-chart]').replaceChildren(
      traceCurves(
        runs.flatMap((run) => this.#traceOf(run).map((p) => ({ run, epoch: p.epoch, value: p.value }))),
        {
          colors: readChartColors(this),
          runs,
          label: e.trace.label,
          percent: e.trace.percent,
          epochs: Math.max(1, ...expandPlan(e.plan).map((p) => p.config.epochs)),
          ariaLabel: `${e.trace.label} of every run over the epochs`,
          ariaDescription: this.#el('[data-summary]').textContent ?? '',
        },
      ),
    );
  }

  #render(): void {
    this.#renderQueue();
    this.#el('[data-summary]').textContent = statusLine(this.#queue, this.#runner !== null && this.#queue.some((q) => q.state === 'pending' || q.state === 'running'));
    const records = this.#records;
    const probes = this.#probes;
    const decided = claimVerdict(this.#experiment, this.#queue, (key) => {
      const g = this.#grads.get(key);
      const record = records?.get(key);
      const probe = probes.get(key);
      return {
        seed: record?.config.seed ?? null,
        epochs: record?.epochs ?? [],
        kernelGradNorms: g && g.frames > 0 ? g.sums.map((s) => s / g.frames) : [],
        outputFrames: this.#frames.get(key) ?? [],
        ...(probe?.state === 'done' ? probe.results : {}),
        trace: this.#traceOf(key),
      };
    });
    // A plan with a probe is decided only once every finished run has been probed.
    const failedProbe = [...probes].find(([, p]) => p.state === 'failed');
    const probing = (this.#experiment.intensityProbe || this.#experiment.ensembleProbe) && decided.state === 'decided' && (this.#queue.some((e) => e.state === 'done' && probes.get(e.key)?.state !== 'done') || failedProbe);
    this.verdict = !probing ? decided : failedProbe ? { state: 'incomplete', reason: `testing ${failedProbe[0]} ${this.#experiment.intensityProbe ? 'on changed images' : 'with sampled dropout masks'} failed (${(failedProbe[1] as { error: string }).error})` } : { state: 'pending' };
    const { outcome, text } = verdictText(this.verdict);
    const verdict = this.#el('[data-verdict]');
    verdict.dataset.outcome = outcome;
    verdict.textContent = text;
    this.#renderChart();
    this.#renderTrace();
  }
}

if (!customElements.get('nn-experiment')) customElements.define('nn-experiment', ExperimentElement);
