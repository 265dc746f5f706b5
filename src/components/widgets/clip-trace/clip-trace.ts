/**
 * `<nn-clip-trace>`: one run without BN as a plan on the run controller, with diagnostics on. It
 * draws the global gradient norm before and after clipping against the threshold, with the share
 * of steps clipped, from the run record's diagnostics history (live, and after a reload from the
 * saved run).
 */
import { readChartColors } from '@charts/colors';
import { clipTraceChart } from '@charts/clip-trace';
import { ExperimentWidget } from '../run-controller/experiment-widget';
import { rangeControl, requireElement } from '../widget-dom';
import { clippingOf, fromSlider, outcomeLine, presets, schema, toSlider, tracePlan, tracePoints, traceSummary, type State } from './model';

export class ClipTraceElement extends ExperimentWidget<typeof schema> {
  constructor() {
    super(schema, { key: 'clip', presets, stop: 'stop', noun: 'run', renderIntervalMs: 250 });
  }

  protected plan() {
    return tracePlan(this.state);
  }

  protected bind(): void {
    for (const name of ['mode', 'optimizer'] as const) {
      const select = requireElement(this, `select[name="${name}"]`, HTMLSelectElement);
      select.addEventListener('change', () => this.update({ [name]: schema[name].parse(select.value) ?? schema[name].default }));
    }
    for (const name of ['threshold', 'lr'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => this.update({ [name]: fromSlider(input.valueAsNumber) }));
    }
  }

  protected show(s: State): void {
    for (const name of ['mode', 'optimizer'] as const) requireElement(this, `select[name="${name}"]`, HTMLSelectElement).value = s[name];
    rangeControl(this, 'threshold').show(toSlider(s.threshold), String(s.threshold));
    rangeControl(this, 'lr').show(toSlider(s.lr), String(s.lr));
    if (!this.running) rangeControl(this, 'threshold').input.disabled = s.mode === 'off';
  }

  protected showText(): void {
    this.el('[data-summary]').textContent = outcomeLine(this.record) + this.note;
  }

  protected draw(): (() => void)[] {
    return [
      () => {
        const clipping = clippingOf(this.record, this.state);
        const text = traceSummary(this.frames, clipping);
        this.el('[data-chart-summary="trace"]').textContent = text;
        this.el('[data-chart="trace"]').replaceChildren(
          clipTraceChart(tracePoints(this.frames), {
            colors: readChartColors(this),
            threshold: clipping.mode === 'norm' ? clipping.threshold : null,
            ariaLabel: 'Global gradient norm before and after clipping over training steps',
            ariaDescription: text,
          }),
        );
      },
    ];
  }
}

if (!customElements.get('nn-clip-trace')) customElements.define('nn-clip-trace', ClipTraceElement);
