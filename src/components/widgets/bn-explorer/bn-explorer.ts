/**
 * `<nn-bn-explorer>`: makes BnExplorer.astro live. Reads its settings (data-* then URL), draws
 * the three histograms, and redraws synchronously on every input so a slider feels instant.
 */
import katex from 'katex';
import { histogram, type HistogramOptions } from '@charts/histogram';
import { readChartColors } from '@charts/colors';
import { distributions } from '../../../lib/bn-transform';
import { SettingsWidget } from '../settings-widget';
import { rangeControl, requireElement } from '../widget-dom';
import { explore, fmt, fmtEpsilon, moved, recoverInput, schema, worked, type State } from './model';

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
      ['eps', (v) => 10 ** v],
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

    requireElement(this, '[data-formula]', HTMLElement).innerHTML = katex.renderToString(view.tex, { displayMode: true, throwOnError: false });
    requireElement(this, '[data-summary]', HTMLElement).textContent = view.summary;

    const { x, result, valueDomain, xhatDomain } = view;
    const label = distributionLabel(s.dist);
    this.#draw('x', x, {
      colors,
      fill: colors.x,
      label: 'x',
      domain: valueDomain,
      markers: [
        { value: x[moved], label: 'x₁' },
        { value: x[worked], label: 'x₂' },
      ],
      ariaLabel: `Histogram of the input batch x (${s.n} values, ${label})`,
      ariaDescription: `Values from ${fmt(Math.min(...x))} to ${fmt(Math.max(...x))}; batch mean μ = ${fmt(result.mean)}, variance σ² = ${fmt(result.variance)}.`,
    });
    this.#draw('xhat', result.xhat, {
      colors,
      fill: colors.xhat,
      label: 'x̂',
      domain: xhatDomain,
      markers: [
        { value: result.xhat[moved], label: 'x̂₁' },
        { value: result.xhat[worked], label: 'x̂₂' },
      ],
      ariaLabel: 'Histogram of the normalized batch x̂',
      ariaDescription: `Centred on 0 with variance ${fmt(result.variance / (result.variance + s.eps), 3)}; same shape as x.`,
    });
    this.#draw('y', result.y, {
      colors,
      fill: colors.y,
      label: 'y',
      domain: valueDomain,
      markers: [
        { value: result.y[moved], label: 'y₁' },
        { value: result.y[worked], label: 'y₂' },
      ],
      ariaLabel: `Histogram of the output y with γ = ${fmt(s.gamma)} and β = ${fmt(s.beta)}`,
      ariaDescription: view.recovered ? 'Identical to the input x.' : `Centred on β = ${fmt(s.beta)}, spread scaled by |γ| = ${fmt(Math.abs(s.gamma))}.`,
    });
    this.toggleAttribute('data-recovered', view.recovered);
  }

  /** Redraws one chart unless nothing it shows has changed since the last draw. */
  #draw(name: string, values: Float64Array, options: HistogramOptions): void {
    const { colors, ...shown } = options;
    const key = `${JSON.stringify([shown, colors.fg, colors.muted, colors.highlight])}|${values.join(',')}`;
    if (this.#drawn.get(name) === key) return;
    this.#drawn.set(name, key);
    requireElement(this, `[data-chart="${name}"]`, HTMLElement).replaceChildren(histogram(values, options));
  }
}

function distributionLabel(dist: (typeof distributions)[number]): string {
  return dist === 'shifted' ? 'shifted and scaled normal' : dist;
}

if (!customElements.get('nn-bn-explorer')) customElements.define('nn-bn-explorer', BnExplorerElement);
