/**
 * `<nn-bn-explorer>`: makes BnExplorer.astro live. Reads its settings (data-* then URL), draws
 * the three histograms, and redraws synchronously on every input so a slider feels instant.
 */
import katex from 'katex';
import { histogram, type HistogramOptions } from '@charts/histogram';
import { readChartColors } from '@charts/colors';
import { distributions } from '../../../lib/bn-transform';
import { onThemeChange } from '../theme';
import { shareLink } from '../share';
import { createUrlWriter, urlWithState } from '../url-state';
import { applyHiddenControls, enableControls, rangeControl, readSettings, requireElement, widgetKey } from '../widget-dom';
import { explore, fmt, fmtEpsilon, moved, recoverInput, schema, worked, type State } from './model';

export class BnExplorerElement extends HTMLElement {
  #state!: State;
  #initial!: State;
  #key = 'bn';
  #stop: (() => void) | undefined;
  #writeUrl!: (state: State) => void;
  #drawn = new Map<string, string>();
  /** Milliseconds the last redraw took (computation, KaTeX and the three charts). */
  lastRenderMs = 0;

  connectedCallback(): void {
    if (this.#stop) return;
    this.#key = widgetKey(this, 'bn');
    this.#initial = readSettings(this, schema, this.#key, '');
    this.#state = readSettings(this, schema, this.#key);
    this.#writeUrl = createUrlWriter(schema, this.#key);
    applyHiddenControls(this, this.#key);
    this.#bind();
    enableControls(this);
    this.#render();
    this.#stop = onThemeChange(() => this.#render());
  }

  disconnectedCallback(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  get state(): State {
    return { ...this.#state };
  }

  #update(next: Partial<State>): void {
    this.#state = { ...this.#state, ...next };
    this.#render();
    this.#writeUrl(this.#state);
  }

  #bind(): void {
    const dist = requireElement(this, 'select[name="dist"]', HTMLSelectElement);
    dist.addEventListener('change', () => {
      const value = schema.dist.parse(dist.value);
      if (value) this.#update({ dist: value });
    });
    const sliders: [keyof State, (v: number) => number][] = [
      ['n', (v) => v],
      ['gamma', (v) => v],
      ['beta', (v) => v],
      ['eps', (v) => 10 ** v],
      ['shift', (v) => v],
    ];
    for (const [name, fromSlider] of sliders) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => this.#update({ [name]: fromSlider(input.valueAsNumber) }));
    }
    this.#onAction('recover', () => this.#update(recoverInput(this.#state)));
    this.#onAction('resample', () => this.#update({ seed: (this.#state.seed + 1) % 0x100000000, shift: 0 }));
    this.#onAction('reset', () => this.#update({ ...this.#initial }));
    this.#onAction('share', () => {
      const status = requireElement(this, '[data-share-status]', HTMLElement);
      void shareLink(urlWithState(schema, this.#key, this.#state, window.location.href), status);
    });
  }

  #onAction(action: string, handler: () => void): void {
    requireElement(this, `button[data-action="${action}"]`, HTMLButtonElement).addEventListener('click', handler);
  }

  #render(): void {
    const started = performance.now();
    const s = this.#state;
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
    this.lastRenderMs = performance.now() - started;
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
