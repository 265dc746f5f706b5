/**
 * `<nn-batch-sweep>`: a sweep over one axis (learning rate, batch size, depth, init scale), each
 * point without and with BN, as a plan on the run controller (which runs the queue, saves every
 * run in one group and lists earlier saved sweeps to show again); this element binds the axis
 * controls and draws the two charts and their summaries.
 */
import { axisSweepChart } from '@charts/axis-sweep';
import { readChartColors } from '@charts/colors';
import type { RunRecord } from '@client/run-record';
import { axisGrids, axisLabels, axisOf } from '@experiments/axes';
import { sweepPoints, type SweepResult } from '@experiments/queue';
import { ExperimentWidget } from '../run-controller/experiment-widget';
import { requireElement } from '../widget-dom';
import {
  accuracySummary,
  axisValues,
  panelRun,
  presets,
  savedAxis,
  schema,
  storeName,
  sweepPlan,
  sweepStatus,
  timeSummary,
  valueKeys,
  type State,
} from './model';

export class BatchSweepElement extends ExperimentWidget<typeof schema> {
  /** The axis of the sweep shown (a saved sweep may have varied another setting than the controls now do). */
  #shownAxis: State['axis'] = 'batch';

  constructor() {
    super(schema, { key: 'sweep', presets, stop: 'cancel-all', noun: 'sweep', preview: true });
  }

  protected plan() {
    return sweepPlan(this.state, storeName(this.key));
  }

  protected savedPlan(records: readonly RunRecord[]) {
    this.#shownAxis = savedAxis(
      records.map((r) => r.config),
      this.state.axis,
    );
    return sweepPlan({ ...this.state, axis: this.#shownAxis }, storeName(this.key));
  }

  protected replan(fromSettings = false): string | null {
    const problem = super.replan(fromSettings);
    if (problem === null && (fromSettings || !this.records.size)) this.#shownAxis = this.state.axis;
    return problem;
  }

  protected frameworkRun() {
    return panelRun(this.state);
  }

  protected bind(): void {
    for (const name of ['norms', 'axis'] as const) {
      const select = requireElement(this, `select[name="${name}"]`, HTMLSelectElement);
      select.addEventListener('change', () => this.update({ [name]: schema[name].parse(select.value) ?? this.state[name] }));
    }
    for (const box of this.#valueBoxes()) {
      box.addEventListener('change', () => {
        const axis = this.state.axis;
        const values = this.#valueBoxes()
          .filter((b) => b.checked && b.dataset.axis === axis)
          .map((b) => Number(b.value));
        // A sweep needs at least one point: unticking the last one is undone.
        if (values.length === 0) box.checked = true;
        else this.update({ [valueKeys[axis]]: values });
      });
    }
  }

  #valueBoxes(): HTMLInputElement[] {
    return [...this.querySelectorAll<HTMLInputElement>('input[type="checkbox"][data-axis]')];
  }

  protected show(s: State): void {
    for (const name of ['norms', 'axis'] as const) requireElement(this, `select[name="${name}"]`, HTMLSelectElement).value = s[name];
    for (const box of this.#valueBoxes()) box.checked = s[valueKeys[box.dataset.axis as State['axis']]].includes(Number(box.value));
    for (const group of this.querySelectorAll<HTMLElement>('[data-axis-values]')) group.hidden = group.dataset.axisValues !== s.axis;
    // The swept setting's own control would be overridden by the axis: it is switched off, not hidden.
    const swept = { lr: 'lr', batch: 'batch', depth: 'layers', init: 'initScale' }[s.axis];
    for (const name of ['lr', 'batch', 'layers', 'initScale']) {
      const control = this.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-architecture] [name="${name}"]`);
      if (control && !this.running) control.disabled = name === swept;
    }
  }

  protected showText(): void {
    for (const title of this.querySelectorAll('[data-axis-title]')) title.textContent = axisLabels[this.#shownAxis];
    this.el('[data-summary]').textContent = sweepStatus(this.queue, this.planned, this.running) + this.note;
  }

  protected draw(): (() => void)[] {
    const colors = readChartColors(this);
    const queue = this.queue;
    const series = [...new Set(queue.map((e) => e.armLabel))];
    const axisName = this.#shownAxis;
    const axis = axisOf(axisName, axisGrids[axisName]);
    const known = [
      ...new Set([
        ...(axisName === this.state.axis ? axisValues(this.state) : []),
        ...queue.flatMap((e) => (e.position === null ? [] : [e.position])),
      ]),
    ].sort((a, b) => a - b);
    const label = axisLabels[axisName];
    const charts = [
      {
        name: 'accuracy',
        text: accuracySummary(queue),
        read: (r: SweepResult) => r.validationAccuracy,
        label: 'validation accuracy (%)',
        percent: true,
        failedAsCross: true,
      },
      {
        name: 'time',
        text: timeSummary(queue),
        read: (r: SweepResult) => r.secondsPerEpoch,
        label: 'seconds per epoch',
        percent: false,
        failedAsCross: false,
      },
    ];
    return charts.map((c) => () => {
      this.el(`[data-chart-summary="${c.name}"]`).textContent = c.text;
      const crosses = c.failedAsCross
        ? queue
            .filter((e) => e.state === 'failed' && e.result && e.position !== null)
            .map((e) => ({ x: e.position!, series: e.armLabel, value: null }))
        : [];
      this.el(`[data-chart="${c.name}"]`).replaceChildren(
        axisSweepChart([...sweepPoints(queue, c.read), ...crosses], {
          colors,
          series: series.length > 0 ? series : ['no BN', 'BN'],
          axis: { label, scale: axis.scale, ticks: known.length > 0 ? known : [...axisGrids[axisName]] },
          label: c.label,
          percent: c.percent,
          ariaLabel: `${c.name === 'accuracy' ? 'Final validation accuracy' : 'Training time per epoch'} against ${label}, with and without BN`,
          ariaDescription: c.text,
        }),
      );
    });
  }
}

if (!customElements.get('nn-batch-sweep')) customElements.define('nn-batch-sweep', BatchSweepElement);
