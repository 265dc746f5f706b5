/**
 * `<nn-batches-in-space>`: draws the scatter of BatchesInSpace.astro and redraws on input. The
 * "Normalize each batch" button animates the slider to 100 % (and back), unless the reader
 * prefers reduced motion, in which case it jumps.
 */
import { batchScatter } from '@charts/batch-scatter';
import { readChartColors } from '@charts/colors';
import { onThemeChange } from '../theme';
import { shareLink } from '../share';
import { createUrlWriter, urlWithState } from '../url-state';
import { applyHiddenControls, enableControls, rangeControl, readSettings, requireElement, widgetKey } from '../widget-dom';
import { schema, view, type State } from './model';

const animationMs = 700;

export class BatchesInSpaceElement extends HTMLElement {
  #state!: State;
  #key = 'space';
  #stop: (() => void) | undefined;
  #writeUrl!: (state: State) => void;
  #animation = 0;
  lastRenderMs = 0;

  connectedCallback(): void {
    if (this.#stop) return;
    this.#key = widgetKey(this, 'space');
    this.#state = readSettings(this, schema, this.#key);
    this.#writeUrl = createUrlWriter(schema, this.#key);
    applyHiddenControls(this, this.#key);
    this.#bind();
    enableControls(this);
    this.#render();
    this.#stop = onThemeChange(() => this.#render());
  }

  disconnectedCallback(): void {
    cancelAnimationFrame(this.#animation);
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
    for (const name of ['t', 'batches', 'size'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => {
        cancelAnimationFrame(this.#animation);
        this.#update({ [name]: input.valueAsNumber });
      });
    }
    this.#button('toggle').addEventListener('click', () => this.#animateTo(this.#state.t < 1 ? 1 : 0));
    this.#button('resample').addEventListener('click', () => this.#update({ seed: (this.#state.seed + 1) % 0x100000000 }));
    this.#button('share').addEventListener('click', () => {
      void shareLink(urlWithState(schema, this.#key, this.#state, window.location.href), requireElement(this, '[data-share-status]', HTMLElement));
    });
  }

  #button(action: string): HTMLButtonElement {
    return requireElement(this, `button[data-action="${action}"]`, HTMLButtonElement);
  }

  #animateTo(target: number): void {
    cancelAnimationFrame(this.#animation);
    const from = this.#state.t;
    if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.#update({ t: target });
      return;
    }
    const start = performance.now();
    const step = (now: number) => {
      const progress = Math.min(1, (now - start) / animationMs);
      const eased = progress < 0.5 ? 2 * progress * progress : 1 - (-2 * progress + 2) ** 2 / 2;
      const t = progress === 1 ? target : from + (target - from) * eased;
      this.#update({ t });
      if (progress < 1) this.#animation = requestAnimationFrame(step);
    };
    this.#animation = requestAnimationFrame(step);
  }

  #render(): void {
    const started = performance.now();
    const s = this.#state;
    const { points, means, summary } = view(s);
    rangeControl(this, 't').show(s.t, `${Math.round(s.t * 100)} %`);
    rangeControl(this, 'batches').show(s.batches, String(s.batches));
    rangeControl(this, 'size').show(s.size, String(s.size));
    const toggle = this.#button('toggle');
    toggle.textContent = s.t === 1 ? 'Show the raw batches' : 'Normalize each batch';
    requireElement(this, '[data-summary]', HTMLElement).textContent = summary;
    requireElement(this, '[data-chart="space"]', HTMLElement).replaceChildren(
      batchScatter(points, {
        colors: readChartColors(this),
        means,
        ariaLabel: `Scatter plot of ${s.batches} mini-batches in two features, ${Math.round(s.t * 100)} % normalized`,
        ariaDescription: summary,
      }),
    );
    this.lastRenderMs = performance.now() - started;
  }
}

if (!customElements.get('nn-batches-in-space')) customElements.define('nn-batches-in-space', BatchesInSpaceElement);
