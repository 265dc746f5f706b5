/**
 * `<nn-experiment data-plan="name">`: runs one declared claim experiment (src/experiments/experiments.ts)
 * on the run controller — a visible, cancellable queue — draws the kit's chart as runs finish, and
 * shows the verdict the plan's function computes once every run has ended (never while runs go),
 * after probing each finished run's kept model where the plan asks for it.
 */
import { axisSweepChart } from '@charts/axis-sweep';
import { readChartColors } from '@charts/colors';
import { compareCurves } from '@charts/compare-curves';
import { traceCurves } from '@charts/trace-curves';
import type { RunRecord } from '@client/run-record';
import type { TrainingClient } from '@client/training-client';
import type { EnsembleResult } from '@engine/train/dropout-ensemble.ts';
import type { IntensityResult } from '@engine/train/intensity.ts';
import type { DiagnosticsEvent } from '@engine/worker/protocol.ts';
import { claimVerdict, type ClaimExperiment, type ClaimVerdict, type OutputFrame, type TracePoint } from '@experiments/claim';
import { experimentNamed } from '@experiments/experiments';
import { expandPlan, type ExperimentPlan, type Verdict } from '@experiments/plan';
import type { QueueEntry } from '@experiments/queue';
import { fillLegend } from '../run-controller/legend';
import { RunController, type VerdictLine } from '../run-controller/run-controller';
import { entryText, progressLine } from '../run-controller/run-text';
import { axisPoints, curvePointsOf, finalTracePoints, firstBatchLoss, measuredText, statusLine, verdictText } from './model';

/** What a plan's probe measured on one finished run's model. */
type ProbeResults = { intensity?: IntensityResult[]; ensemble?: EnsembleResult };

/** Running sums of each Dense kernel's gradient norm over a run's diagnostics frames. */
interface GradSums {
  sums: number[];
  frames: number;
}

export class ExperimentElement extends RunController {
  #experiment!: ClaimExperiment;
  #grads = new Map<string, GradSums>();
  #frames = new Map<string, OutputFrame[]>();
  /** Each finished run's intensity probe (plans with one): pending, its results, or why it failed. */
  #probes = new Map<string, { state: 'pending' } | { state: 'done'; results: ProbeResults } | { state: 'failed'; error: string }>();
  /** The experiment's trace per run (its `trace.read` of each diagnostics frame), by queue key. */
  #traces = new Map<string, { step: number; value: number }[]>();
  /** The verdict last shown, for the browser tests. */
  verdict: Verdict<ClaimVerdict> = { state: 'pending' };

  constructor() {
    // No restore: a verdict reads every diagnostics frame and probes the kept models, which saved records do not hold.
    super({ stop: 'cancel-all', noun: 'experiment', restore: false });
  }

  protected connect(): void {
    this.#experiment = experimentNamed(this.dataset.plan ?? '');
  }

  protected plan(): ExperimentPlan {
    return this.#experiment.plan;
  }

  protected onStart(): void {
    this.#grads = new Map();
    this.#frames = new Map();
    this.#probes = new Map();
    this.#traces = new Map();
  }

  protected onRunChange(): void {
    this.#probeFinished();
  }

  protected entryText(entry: QueueEntry, record: RunRecord | undefined): string {
    return entryText(entry, record ? progressLine(record) : null, measuredText(this.#experiment));
  }

  /** The plan's probe of a finished run's kept model (intensity-changed images or sampled dropout masks), or null without one. */
  #probeOf(
    client: TrainingClient,
  ): ((runId: string) => Promise<{ ok: true; value: ProbeResults } | { ok: false; error: { message: string } }>) | null {
    const { intensityProbe: intensity, ensembleProbe: ensemble } = this.#experiment;
    if (intensity) {
      const args = {
        kind: 'intensity-test' as const,
        changes: intensity.changes.map((c) => ({ ...c })),
        batchSize: intensity.batchSize,
        limit: intensity.limit,
      };
      return (runId) => client.probe(runId, args).then((r) => (r.ok ? { ok: true, value: { intensity: r.value.results } } : r));
    }
    if (ensemble) {
      const args = { kind: 'dropout-ensemble' as const, samples: [...ensemble.samples], limit: ensemble.limit, seed: ensemble.seed };
      return (runId) => client.probe(runId, args).then((r) => (r.ok ? { ok: true, value: { ensemble: r.value } } : r));
    }
    return null;
  }

  /** Probes each newly finished run's kept model in the worker that trained it, then lets the worker forget it. */
  #probeFinished(): void {
    if (!this.#experiment.intensityProbe && !this.#experiment.ensembleProbe) return;
    for (const entry of this.queue) {
      if (entry.state !== 'done' || !entry.runId || this.#probes.has(entry.key)) continue;
      const { key, runId } = entry;
      const client = this.clientOf(key);
      const probe = this.#probeOf(client)!;
      this.#probes.set(key, { state: 'pending' });
      void probe(runId).then((r) => {
        this.#probes.set(key, r.ok ? { state: 'done', results: r.value } : { state: 'failed', error: r.error.message });
        void client.release(runId);
        this.render(0);
      });
    }
  }

  protected onDiagnostics(key: string, event: DiagnosticsEvent): void {
    const frames = this.#frames.get(key) ?? [];
    frames.push({
      step: event.step,
      layers: event.layers.map((l) => ({
        kind: l.kind,
        mean: l.activations?.mean ?? NaN,
        std: l.activations?.std ?? NaN,
        saturated: l.saturated,
      })),
    });
    this.#frames.set(key, frames);
    const value = this.#experiment.trace?.read(event) ?? null;
    if (value !== null && Number.isFinite(value)) {
      const trace = this.#traces.get(key) ?? [];
      trace.push({ step: event.step, value });
      this.#traces.set(key, trace);
    }
    const norms = event.layers.flatMap((l) =>
      l.kind === 'Dense' ? l.params.filter((p) => p.name === 'kernel').map((p) => p.gradNorm) : [],
    );
    const sums = this.#grads.get(key) ?? { sums: norms.map(() => 0), frames: 0 };
    if (sums.sums.length !== norms.length || norms.some((g) => !Number.isFinite(g))) return;
    norms.forEach((g, i) => (sums.sums[i] += g));
    sums.frames++;
    this.#grads.set(key, sums);
  }

  #renderChart(): void {
    const e = this.#experiment;
    const colors = readChartColors(this);
    // One swatch per line: the models of a sweep, else every run (the trace chart uses the same colours).
    const lines = e.plan.chart === 'sweep' && e.plan.axis ? e.plan.arms.map((a) => a.label) : this.queue.map((q) => q.key);
    fillLegend(
      this.el('[data-legend]'),
      lines.length < 2 ? [] : lines.map((label, i) => ({ label, color: colors.series[i % colors.series.length] })),
    );
    const chart = this.el('[data-chart]');
    const axis = e.plan.axis;
    if (e.plan.chart === 'sweep' && axis) {
      chart.replaceChildren(
        axisSweepChart(axisPoints(this.queue, e), {
          colors,
          series: e.plan.arms.map((a) => a.label),
          axis: { label: axis.label, scale: axis.scale, ticks: axis.values.map(axis.position), format: axis.tick },
          label: e.measure.label,
          percent: e.measure.percent,
          ariaLabel: `${e.measure.label} against ${axis.label}, one line per model`,
          ariaDescription: this.el('[data-summary]').textContent ?? '',
        }),
      );
      return;
    }
    chart.replaceChildren(
      compareCurves(curvePointsOf(this.records), {
        colors,
        metric: 'accuracy',
        runs: this.queue.map((q) => q.key),
        epochs: Math.max(1, ...expandPlan(e.plan).map((p) => p.config.epochs)),
        ariaLabel: 'Training accuracy (solid) and validation accuracy (dashed) of every run',
        ariaDescription: this.el('[data-summary]').textContent ?? '',
      }),
    );
  }

  /** A run's trace with each step placed in epochs (steps per epoch come from the run's start reply). */
  #traceOf(key: string): TracePoint[] {
    const perEpoch = this.records.get(key)?.info?.stepsPerEpoch;
    return (this.#traces.get(key) ?? []).map((p) => ({ ...p, epoch: perEpoch ? p.step / perEpoch : NaN }));
  }

  #renderTrace(): void {
    const e = this.#experiment;
    if (!e.trace) return;
    const axis = e.plan.axis;
    if (e.plan.chart === 'sweep' && axis) {
      // A sweep reads its trace at each run's last step and draws it against the axis, like its measure.
      this.el('[data-trace-chart]').replaceChildren(
        axisSweepChart(
          finalTracePoints(this.queue, (key) => this.#traces.get(key)),
          {
            colors: readChartColors(this),
            series: e.plan.arms.map((a) => a.label),
            axis: { label: axis.label, scale: axis.scale, ticks: axis.values.map(axis.position) },
            label: `${e.trace.label} after the last step`,
            percent: e.trace.percent,
            ariaLabel: `${e.trace.label} after the last step against ${axis.label}, one line per model`,
            ariaDescription: this.el('[data-summary]').textContent ?? '',
          },
        ),
      );
      return;
    }
    const runs = this.queue.map((q) => q.key);
    this.el('[data-trace-chart]').replaceChildren(
      traceCurves(
        runs.flatMap((run) => this.#traceOf(run).map((p) => ({ run, epoch: p.epoch, value: p.value }))),
        {
          colors: readChartColors(this),
          runs,
          label: e.trace.label,
          percent: e.trace.percent,
          epochs: Math.max(1, ...expandPlan(e.plan).map((p) => p.config.epochs)),
          ariaLabel: `${e.trace.label} of every run over the epochs`,
          ariaDescription: this.el('[data-summary]').textContent ?? '',
        },
      ),
    );
  }

  protected showText(): void {
    this.el('[data-summary]').textContent = statusLine(this.queue, this.running);
  }

  protected verdictLine(): VerdictLine {
    const records = this.records;
    const probes = this.#probes;
    const decided = claimVerdict(this.#experiment, this.queue, (key) => {
      const g = this.#grads.get(key);
      const record = records.get(key);
      const probe = probes.get(key);
      return {
        seed: record?.config.seed ?? null,
        epochs: record?.epochs ?? [],
        kernelGradNorms: g && g.frames > 0 ? g.sums.map((s) => s / g.frames) : [],
        outputFrames: this.#frames.get(key) ?? [],
        ...(probe?.state === 'done' ? probe.results : {}),
        trace: this.#traceOf(key),
        initialLoss: firstBatchLoss(record),
      };
    });
    // A plan with a probe is decided only once every finished run has been probed.
    const failedProbe = [...probes].find(([, p]) => p.state === 'failed');
    const probing =
      (this.#experiment.intensityProbe || this.#experiment.ensembleProbe) &&
      decided.state === 'decided' &&
      (this.queue.some((e) => e.state === 'done' && probes.get(e.key)?.state !== 'done') || failedProbe);
    this.verdict = !probing
      ? decided
      : failedProbe
        ? {
            state: 'incomplete',
            reason: `testing ${failedProbe[0]} ${this.#experiment.intensityProbe ? 'on changed images' : 'with sampled dropout masks'} failed (${(failedProbe[1] as { error: string }).error})`,
          }
        : { state: 'pending' };
    return verdictText(this.verdict);
  }

  protected draw(): (() => void)[] {
    return [() => this.#renderChart(), () => this.#renderTrace()];
  }
}

if (!customElements.get('nn-experiment')) customElements.define('nn-experiment', ExperimentElement);
