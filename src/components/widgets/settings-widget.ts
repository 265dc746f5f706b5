/**
 * The lifecycle every settings-driven custom element shares (the concept widgets): read the
 * settings (data-* then URL) on connect, hide the controls asked for, bind, enable the controls,
 * draw, and redraw when the theme flips; every change merges into the state, redraws and writes
 * the URL; a change of the element's width redraws too (charts fill their containers, `fit`). A
 * subclass says how to bind its controls and how to draw a state.
 */
import type { ChartShape, ChartSize } from '@charts/size';
import type { Schema, StateOf } from './params';
import { chartSize, onWidthChange } from './chart-size';
import { onThemeChange } from './theme';
import { shareLink } from './share';
import { urlWithState } from './url-state';
import { actionButton, connectSettings, enableControls, rangeControl, requireElement } from './widget-dom';

/** A range input's name and how a slider position becomes the setting's value. */
export type Slider<State> = readonly [name: keyof State & string, fromSlider: (position: number) => number];

export abstract class SettingsWidget<S extends Schema> extends HTMLElement {
  /** Milliseconds the last redraw took. */
  lastRenderMs = 0;
  /** URL prefix of this instance: `data-key`, else the widget's default key. */
  protected key: string;
  #state!: StateOf<S>;
  #initial!: StateOf<S>;
  #stop: (() => void) | undefined;
  #stopResize: (() => void) | undefined;
  #writeUrl!: (state: StateOf<S>) => void;
  readonly #defaultKey: string;

  constructor(
    protected readonly schema: S,
    defaultKey: string,
  ) {
    super();
    this.key = defaultKey;
    this.#defaultKey = defaultKey;
  }

  connectedCallback(): void {
    if (this.#stop) return;
    ({
      key: this.key,
      initial: this.#initial,
      state: this.#state,
      writeUrl: this.#writeUrl,
    } = connectSettings(this, this.schema, this.#defaultKey));
    this.bind();
    enableControls(this);
    this.#redraw();
    this.#stop = onThemeChange(() => this.#redraw());
    this.#stopResize = onWidthChange(this, () => this.#redraw());
  }

  disconnectedCallback(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#stopResize?.();
    this.#stopResize = undefined;
  }

  get state(): StateOf<S> {
    return { ...this.#state };
  }

  /** The settings as authored in the lesson (data-* attributes, without the URL): what Reset restores. */
  protected get initial(): StateOf<S> {
    return { ...this.#initial };
  }

  /** Listens to the controls; called once, before the first draw. */
  protected abstract bind(): void;

  /** Shows `state`: control values, text and charts. */
  protected abstract render(state: Readonly<StateOf<S>>): void;

  protected update(next: Partial<StateOf<S>>): void {
    this.#state = { ...this.#state, ...next };
    this.#redraw();
    this.#writeUrl(this.#state);
  }

  /** Each slider's input event sets its setting from the slider position. */
  protected bindSliders(sliders: readonly Slider<StateOf<S>>[]): void {
    for (const [name, fromSlider] of sliders) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => this.update({ [name]: fromSlider(input.valueAsNumber) } as Partial<StateOf<S>>));
    }
  }

  /** The size chart `name` should be drawn at: its container's width (empty while it is hidden). */
  protected fit(name: string, shape: ChartShape): Partial<ChartSize> {
    return chartSize(requireElement(this, `[data-chart="${name}"]`, HTMLElement), shape) ?? {};
  }

  protected button(action: string): HTMLButtonElement {
    return actionButton(this, action);
  }

  protected onAction(action: string, handler: () => void): void {
    this.button(action).addEventListener('click', handler);
  }

  /** Copies (or shows) a link that reproduces the current state. */
  protected share(): void {
    const status = requireElement(this, '[data-share-status]', HTMLElement);
    void shareLink(urlWithState(this.schema, this.key, this.#state, window.location.href), status);
  }

  #redraw(): void {
    const started = performance.now();
    this.render(this.#state);
    this.lastRenderMs = performance.now() - started;
  }
}
