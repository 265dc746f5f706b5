/**
 * `<nn-layer-diagnostics>`: one run with per-layer diagnostics, as a plan on the run controller.
 * It draws the run record's diagnostics history (frames arrive ≤ 10/s; the same frames re-plot
 * after a reload) at most twice a second, one chart per task (the controller's), so no redraw
 * blocks the page for long: activation
 * strips with the saturated share for every hidden layer, per-layer gradient norms and update
 * ratios, the global gradient norm against the clipping threshold, one chosen layer's
 * histograms, and BN's running statistics.
 */
import { readChartColors } from '@charts/colors';
import { gradNormChart } from '@charts/grad-norm';
import { heatStrip } from '@charts/heat-strip';
import { layerColors, layerLinesChart } from '@charts/layer-lines';
import { runningStatsChart } from '@charts/running-stats';
import { ExperimentWidget } from '../run-controller/experiment-widget';
import { fillLegend } from '../run-controller/legend';
import { requireElement } from '../widget-dom';
import {
  activationLayers,
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
  saturationSummary,
  schema,
  shownLayer,
  statsFrames,
  statsSummary,
  type State,
} from './model';

const bnUnits = [0, 1, 2, 3];
const selects = ['norm', 'clip', 'layer'] as const;

export class LayerDiagnosticsElement extends ExperimentWidget<typeof schema> {
  constructor() {
    super(schema, { key: 'diag', presets, stop: 'stop', noun: 'run', live: ['layer'], renderIntervalMs: 500 });
  }

  protected plan() {
    return diagnosticsPlan(this.state);
  }

  protected bind(): void {
    for (const name of selects) {
      const select = requireElement(this, `select[name="${name}"]`, HTMLSelectElement);
      select.addEventListener('change', () => this.update({ [name]: schema[name].parse(select.value) ?? schema[name].default }));
    }
  }

  protected show(s: State): void {
    for (const name of selects) requireElement(this, `select[name="${name}"]`, HTMLSelectElement).value = s[name];
    this.#showLayers();
  }

  /** The layer list follows the model of the run being shown, or of the next run. */
  #showLayers(): void {
    const select = requireElement(this, 'select[name="layer"]', HTMLSelectElement);
    const last = this.frames.at(-1);
    const model = last ? last.layers.map((l) => ({ name: l.name, type: l.kind })) : modelLayers(this.state);
    if (select.options.length !== model.length || [...select.options].some((o, i) => o.value !== model[i].name)) {
      select.replaceChildren(...model.map((l) => new Option(`${l.name} (${l.type})`, l.name)));
    }
    select.value = this.#layer();
  }

  protected onRunChange(): void {
    this.#showLayers();
  }

  /** The layer to draw: the chosen one if the shown run's model has it. */
  #layer(): string {
    const names = this.frames.at(-1)?.layers.map((l) => l.name);
    if (names) return names.includes(this.state.layer) ? this.state.layer : names[0];
    return shownLayer(this.state);
  }

  protected showText(): void {
    const r = this.record;
    const frames = this.frames.length;
    this.el('[data-summary]').textContent = !r
      ? 'Not run yet: start the run to see inside its layers.'
      : `${frames} diagnostics frame${frames === 1 ? '' : 's'} from the run (${r.label}), ${r.state === 'running' ? 'arriving up to 10 times a second' : r.state}; the frames are saved with the run and in its JSON export.${this.note}`;
  }

  protected draw(): (() => void)[] {
    const colors = readChartColors(this);
    const frames = this.frames;
    const layer = this.#layer();
    for (const name of this.querySelectorAll('[data-layer-name]')) name.textContent = layer;
    const acts = activationLayers(frames);
    const dense = denseLayers(frames);
    const clipNorm = this.record?.config.clipNorm ?? (this.state.clip === 'off' ? null : Number(this.state.clip));
    const strips = this.el('[data-chart="layer-strips"]');
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
    return [
      ...acts.map((name) => () => {
        const last = frames.at(-1)?.layers.find((l) => l.name === name);
        const saturated = last?.saturated;
        requireElement(strips, `[data-strip="${name}"] .strip-title`, HTMLElement).textContent =
          `${name}${saturated != null ? ` · ${Math.round(saturated * 100)} % saturated` : last?.activations ? ` · ${Math.round(last.activations.zeros * 100)} % zero` : ''}`;
        requireElement(strips, `[data-strip="${name}"] > div`, HTMLElement).replaceChildren(
          heatStrip(heatColumns(frames, name, 'activations'), {
            colors,
            label: name,
            height: 160,
            ariaLabel: `Histograms of the outputs of ${name} over training steps`,
            ariaDescription: saturationSummary(frames),
          }),
        );
      }),
      () =>
        (this.el('[data-chart-summary="layer-strips"]').textContent =
          acts.length === 0 ? 'No activations measured yet.' : saturationSummary(frames)),
      ...(['activations', 'gradients'] as const).map((what) => () => {
        const text = histogramSummary(frames, layer, what);
        this.el(`[data-chart-summary="${what}"]`).textContent = text;
        this.el(`[data-chart="${what}"]`).replaceChildren(
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
          {
            chart: 'grad-norms',
            what: 'gradNorm',
            label: 'gradient norm',
            text: gradientSpreadSummary(frames),
            band: undefined,
            aria: 'Gradient norm of each Dense layer over training steps, log scale',
          },
          {
            chart: 'ratio',
            what: 'updateRatio',
            label: 'update / weight',
            text: ratioSummary(frames),
            band: { lo: ratioBand[0], hi: ratioBand[1], reference: 1e-3 },
            aria: 'Update to weight ratio of each Dense layer over training steps, log scale, with the band around 1e-3',
          },
        ] as const
      ).map((c) => () => {
        this.el(`[data-chart-summary="${c.chart}"]`).textContent = c.text;
        const shown = dense.length > 0 ? dense : ['dense'];
        fillLegend(
          this.el(`[data-legend="${c.chart}"]`),
          dense.length === 0 ? [] : shown.map((label, i) => ({ label, color: layerColors(shown)[i] })),
        );
        this.el(`[data-chart="${c.chart}"]`).replaceChildren(
          layerLinesChart(kernelPoints(frames, c.what), {
            colors,
            layers: shown,
            label: c.label,
            band: c.band,
            ariaLabel: c.aria,
            ariaDescription: c.text,
          }),
        );
      }),
      () => {
        const text = clipSummary(frames, clipNorm);
        this.el('[data-chart-summary="grad-norm"]').textContent = text;
        this.el('[data-chart="grad-norm"]').replaceChildren(
          gradNormChart(gradNormPoints(frames), {
            colors,
            threshold: clipNorm,
            ariaLabel: 'Global gradient norm before clipping over training steps, with the clipping threshold',
            ariaDescription: text,
          }),
        );
      },
      ...(['mean', 'variance'] as const).map((stat) => () => {
        const text = statsSummary(frames);
        this.el('[data-chart-summary="bn"]').textContent = text;
        const stats = statsFrames(frames, stat);
        const target = this.el(`[data-chart="bn-${stat}"]`);
        const units = bnUnits.filter((u) => u < (stats[0]?.moving.length ?? bnUnits.length));
        fillLegend(
          this.el('[data-legend="bn"]'),
          stats.length === 0 ? [] : units.map((u, i) => ({ label: `unit ${u}`, color: colors.series[i] })),
        );
        target.replaceChildren(
          runningStatsChart(stats, {
            colors,
            units,
            label: `moving ${stat}`,
            ariaLabel: `BN moving ${stat} of units 0 to 3 and the batch ${stat}s over training steps`,
            ariaDescription: text,
          }),
        );
      }),
    ];
  }
}

if (!customElements.get('nn-layer-diagnostics')) customElements.define('nn-layer-diagnostics', LayerDiagnosticsElement);
