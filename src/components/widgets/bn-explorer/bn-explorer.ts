/**
 * `<nn-bn-explorer>`: makes BnExplorer.astro live. Reads its settings (data-* then URL), draws
 * the three histograms (over the ones drawn at build time), and redraws synchronously on every
 * input so a slider feels instant.
 */
import katex from 'katex';
import { histogram, type HistogramOptions } from '@charts/histogram';
import { readChartColors } from '@charts/colors';
import { chartShapes } from '@charts/size';
import { SettingsWidget } from '../settings-widget';
import { rangeControl, requireElement } from '../widget-dom';
import { explorerCharts } from './charts';
import { epsFromSlider, explore, fmt, fmtEpsilon, recoverInput, schema, type State } from './model';

export class BnExplorerElement extends SettingsWidget<typeof schema> {
  #drawn = new Map<string, string>();

  constructor() {
    super(schema, 'bn');
  }

  protected bind(): void {
    const dist = requireElement(this, 'select[name="dist"]', HTMLSelectElement);
    dist.addEventListener('change', () => {
      const value = schema.dist.parse(dist.value);
      if (value) this.update({ dist: value });
    });
    this.bindSliders([
      ['n', (v) => v],
      ['gamma', (v) => v],
      ['beta', (v) => v],
      ['eps', epsFromSlider],
      ['shift', (v) => v],
    ]);
    this.onAction('recover', () => this.update(recoverInput(this.state)));
    this.onAction('resample', () => this.update({ seed: (this.state.seed + 1) % 0x100000000, shift: 0 }));
    this.onAction('reset', () => this.update(this.initial));
    this.onAction('share', () => this.share());
  }

  /** Computation, KaTeX and the three charts (timed in `lastRenderMs`). */
  protected render(s: State): void {
    const view = explore(s);
    const colors = readChartColors(this);

    requireElement(this, 'select[name="dist"]', HTMLSelectElement).value = s.dist;
    rangeControl(this, 'n').show(s.n, String(s.n));
    rangeControl(this, 'gamma').show(s.gamma, fmt(s.gamma));
    rangeControl(this, 'beta').show(s.beta, fmt(s.beta));
    rangeControl(this, 'eps').show(Math.log10(s.eps), fmtEpsilon(s.eps));
    rangeControl(this, 'shift').show(s.shift, fmt(s.shift, 1));

    requireElement(this, '[data-formula]', HTMLElement).innerHTML = katex.renderToString(view.tex, {
      displayMode: true,
      throwOnError: false,
    });
    requireElement(this, '[data-summary]', HTMLElement).textContent = view.summary;

    for (const chart of explorerCharts(s, view, colors)) this.#draw(chart.name, chart.values, chart.options);
    this.toggleAttribute('data-recovered', view.recovered);
  }

  /** Redraws one chart unless nothing it shows has changed since the last draw. */
  #draw(name: string, values: Float64Array, options: HistogramOptions): void {
    options = { ...options, ...this.fit(name, chartShapes.compact) };
    const { colors, ...shown } = options;
    const key = `${JSON.stringify([shown, colors.fg, colors.muted, colors.highlight])}|${values.join(',')}`;
    if (this.#drawn.get(name) === key) return;
    this.#drawn.set(name, key);
    requireElement(this, `[data-chart="${name}"]`, HTMLElement).replaceChildren(histogram(values, options));
  }
}

if (!customElements.get('nn-bn-explorer')) customElements.define('nn-bn-explorer', BnExplorerElement);
