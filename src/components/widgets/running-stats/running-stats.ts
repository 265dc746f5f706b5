/**
 * `<nn-running-stats>`: makes RunningStats.astro live. The batch stream is simulated again only
 * when something it depends on changes (not when the compared step moves), and each chart is
 * redrawn only when what it shows changed.
 */
import { movingEstimateChart, type MovingEstimateOptions } from '@charts/moving-estimate';
import { readChartColors } from '@charts/colors';
import { chartShapes } from '@charts/size';
import { SettingsWidget } from '../settings-widget';
import { rangeControl, requireElement } from '../widget-dom';
import { statsCharts } from './charts';
import {
  fmt,
  fmtRho,
  rhoFromSlider,
  sampleStream,
  schema,
  series,
  simulate,
  simulationKey,
  streamKey,
  sliderFromRho,
  view,
  type Simulation,
  type State,
  type StatSeries,
} from './model';

interface Cached {
  key: string;
  sim: Simulation;
  mean: StatSeries;
  variance: StatSeries;
}

export class RunningStatsElement extends SettingsWidget<typeof schema> {
  #sim: Cached | undefined;
  #stream: { key: string; stream: Float32Array } | undefined;
  #drawn = new Map<string, string>();

  constructor() {
    super(schema, 'stats');
  }

  protected bind(): void {
    for (const name of ['population', 'variance', 'steps'] as const) {
      const select = requireElement(this, `select[name="${name}"]`, HTMLSelectElement);
      select.addEventListener('change', () => {
        const value = schema[name].parse(select.value);
        if (value === undefined) return;
        // A shorter horizon keeps the compared step inside it.
        if (name === 'steps') this.update({ steps: value as number, at: Math.min(this.state.at, value as number) });
        else this.update({ [name]: value });
      });
    }
    this.bindSliders([
      ['rho', rhoFromSlider],
      ['n', (v) => v],
      ['at', (v) => v],
    ]);
    this.onAction('resample', () => this.update({ seed: (this.state.seed + 1) % 0x100000000 }));
    this.onAction('reset', () => this.update(this.initial));
    this.onAction('share', () => this.share());
  }

  /**
   * The simulation and its chart series, recomputed only when something but the compared step
   * changed; the random batch stream itself only when population, batch size, steps or seed did.
   */
  #simulation(s: State): Cached {
    const key = simulationKey(s);
    if (this.#sim?.key !== key) {
      const streamId = streamKey(s);
      if (this.#stream?.key !== streamId) this.#stream = { key: streamId, stream: sampleStream(s) };
      const sim = simulate(s, this.#stream.stream);
      this.#sim = { key, sim, mean: series(s, sim, 'mean'), variance: series(s, sim, 'variance') };
    }
    return this.#sim;
  }

  /** Simulation if needed, table, two charts (timed in `lastRenderMs`). */
  protected render(s: State): void {
    const { sim, mean, variance } = this.#simulation(s);
    const { comparison: c, summary, conventions } = view(s, sim);
    const colors = readChartColors(this);

    for (const name of ['population', 'variance', 'steps'] as const) {
      requireElement(this, `select[name="${name}"]`, HTMLSelectElement).value = String(s[name]);
    }
    rangeControl(this, 'rho').show(sliderFromRho(s.rho), fmtRho(s.rho));
    rangeControl(this, 'n').show(s.n, String(s.n));
    const at = rangeControl(this, 'at');
    at.input.max = String(s.steps);
    at.show(c.step, String(c.step));

    requireElement(this, '[data-conventions]', HTMLElement).textContent = conventions;
    requireElement(this, '[data-cell="step"]', HTMLElement).textContent = String(c.step);
    requireElement(this, '[data-cell="sample"]', HTMLElement).textContent = fmt(c.sample);
    for (const row of ['train', 'eval', 'truth'] as const) {
      const tr = requireElement(this, `tr[data-row="${row}"]`, HTMLTableRowElement);
      for (const cell of ['mean', 'variance', 'output'] as const) {
        requireElement(tr, `[data-cell="${cell}"]`, HTMLTableCellElement).textContent = fmt(c[row][cell]);
      }
    }
    requireElement(this, '[data-summary]', HTMLElement).textContent = summary;

    for (const chart of statsCharts(s, sim, c, mean, variance, colors)) this.#draw(chart.name, chart.data, chart.options);
  }

  /** Redraws one chart unless nothing it shows has changed since the last draw. */
  #draw(name: string, data: StatSeries, options: MovingEstimateOptions): void {
    options = { ...options, ...this.fit(name, chartShapes.wide) };
    const { colors, ...shown } = options;
    const key = `${this.#sim?.key}|${JSON.stringify([shown, colors.fg, colors.muted, colors.eval, colors.highlight])}`;
    if (this.#drawn.get(name) === key) return;
    this.#drawn.set(name, key);
    requireElement(this, `[data-chart="${name}"]`, HTMLElement).replaceChildren(movingEstimateChart(data, options));
  }
}

if (!customElements.get('nn-running-stats')) customElements.define('nn-running-stats', RunningStatsElement);
