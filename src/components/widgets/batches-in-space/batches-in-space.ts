/**
 * `<nn-batches-in-space>`: draws the scatter of BatchesInSpace.astro and redraws on input. The
 * "Normalize each batch" button animates the slider to 100 % (and back), unless the reader
 * prefers reduced motion, in which case it jumps.
 */
import { batchScatter } from '@charts/batch-scatter';
import { readChartColors } from '@charts/colors';
import { chartShapes } from '@charts/size';
import { SettingsWidget } from '../settings-widget';
import { rangeControl, requireElement } from '../widget-dom';
import { spaceChart } from './charts';
import { schema, view, type State } from './model';

const animationMs = 700;

/** Largest side of the square scatter plot, in CSS pixels. */
const maxScatterSize = 560;

export class BatchesInSpaceElement extends SettingsWidget<typeof schema> {
  #animation = 0;

  constructor() {
    super(schema, 'space');
  }

  override disconnectedCallback(): void {
    cancelAnimationFrame(this.#animation);
    super.disconnectedCallback();
  }

  protected bind(): void {
    for (const name of ['t', 'batches', 'size'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => {
        cancelAnimationFrame(this.#animation);
        this.update({ [name]: input.valueAsNumber });
      });
    }
    this.onAction('toggle', () => this.#animateTo(this.state.t < 1 ? 1 : 0));
    this.onAction('resample', () => this.update({ seed: (this.state.seed + 1) % 0x100000000 }));
    this.onAction('share', () => this.share());
  }

  #animateTo(target: number): void {
    cancelAnimationFrame(this.#animation);
    const from = this.state.t;
    if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.update({ t: target });
      return;
    }
    const start = performance.now();
    const step = (now: number) => {
      const progress = Math.min(1, (now - start) / animationMs);
      const eased = progress < 0.5 ? 2 * progress * progress : 1 - (-2 * progress + 2) ** 2 / 2;
      const t = progress === 1 ? target : from + (target - from) * eased;
      this.update({ t });
      if (progress < 1) this.#animation = requestAnimationFrame(step);
    };
    this.#animation = requestAnimationFrame(step);
  }

  protected render(s: State): void {
    const v = view(s);
    rangeControl(this, 't').show(s.t, `${Math.round(s.t * 100)} %`);
    rangeControl(this, 'batches').show(s.batches, String(s.batches));
    rangeControl(this, 'size').show(s.size, String(s.size));
    const toggle = this.button('toggle');
    toggle.textContent = s.t === 1 ? 'Show the raw batches' : 'Normalize each batch';
    requireElement(this, '[data-summary]', HTMLElement).textContent = v.summary;
    const { points, options } = spaceChart(s, v, readChartColors(this));
    // A square plot: as wide as its box, but never taller than a screenful.
    const fitted = this.fit('space', chartShapes.compact).width;
    const size = fitted === undefined ? options.size : Math.min(fitted, maxScatterSize);
    requireElement(this, '[data-chart="space"]', HTMLElement).replaceChildren(batchScatter(points, { ...options, size }));
  }
}

if (!customElements.get('nn-batches-in-space')) customElements.define('nn-batches-in-space', BatchesInSpaceElement);
