/**
 * `<nn-bn-gradient>`: makes BnGradient.astro live. Recomputes the gradients (a forward and a
 * backward of the engine layer plus 2m reference forwards, microseconds) on every input and
 * redraws the two bar charts when what they show changed.
 */
import { sampleBars, type SampleBarsOptions } from '@charts/sample-bars';
import { readChartColors } from '@charts/colors';
import { chartShapes } from '@charts/size';
import { SettingsWidget } from '../settings-widget';
import { rangeControl, requireElement } from '../widget-dom';
import { gradientCharts } from './charts';
import { epsFromSlider, fmt, fmtEpsilon, fmtSmall, gradients, schema, summarize, type State } from './model';

export class BnGradientElement extends SettingsWidget<typeof schema> {
  #drawn = new Map<string, string>();

  constructor() {
    super(schema, 'grad');
  }

  protected bind(): void {
    const upstream = requireElement(this, 'select[name="upstream"]', HTMLSelectElement);
    upstream.addEventListener('change', () => {
      const value = schema.upstream.parse(upstream.value);
      if (value) this.update({ upstream: value });
    });
    this.bindSliders([
      ['n', (v) => v],
      ['gamma', (v) => v],
      ['eps', epsFromSlider],
    ]);
    this.onAction('resample', () => this.update({ seed: (this.state.seed + 1) % 0x100000000 }));
    this.onAction('reset', () => this.update(this.initial));
    this.onAction('share', () => this.share());
  }

  protected render(s: State): void {
    const g = gradients(s);
    const colors = readChartColors(this);

    requireElement(this, 'select[name="upstream"]', HTMLSelectElement).value = s.upstream;
    rangeControl(this, 'n').show(s.n, String(s.n));
    rangeControl(this, 'gamma').show(s.gamma, fmt(s.gamma, 2));
    rangeControl(this, 'eps').show(Math.log10(s.eps), fmtEpsilon(s.eps));
    const values: [string, string][] = [
      ['sum', fmt(g.sumDx)],
      ['dot', fmt(g.dotXhat)],
      ['dgamma', fmt(g.dgamma)],
      ['dbeta', fmt(g.dbeta)],
      ['check', fmtSmall(g.maxDifference)],
    ];
    for (const [name, text] of values) requireElement(this, `[data-value="${name}"]`, HTMLElement).textContent = text;
    requireElement(this, '[data-summary]', HTMLElement).textContent = summarize(s, g);

    for (const chart of gradientCharts(s, g, colors)) this.#draw(chart.name, chart.values, chart.options);
  }

  #draw(name: string, values: Float64Array, options: SampleBarsOptions): void {
    options = { ...options, ...this.fit(name, chartShapes.compact) };
    const { colors, ...shown } = options;
    const key = `${JSON.stringify([shown, colors.fg, colors.muted, colors.highlight])}|${values.join(',')}`;
    if (this.#drawn.get(name) === key) return;
    this.#drawn.set(name, key);
    requireElement(this, `[data-chart="${name}"]`, HTMLElement).replaceChildren(sampleBars(values, options));
  }
}

if (!customElements.get('nn-bn-gradient')) customElements.define('nn-bn-gradient', BnGradientElement);
