/**
 * An experiment widget with settings: the run controller plus what every such widget's controls
 * share — settings read from data-* and the URL (a URL value a control cannot take is named at
 * that control), the training images and epochs sliders, the seed, the quick/full presets, the
 * architecture controls and model presets where the component renders them, and "copy link".
 * Every change merges into the state, shows it, writes the URL and re-plans. A subclass binds and
 * shows only its own controls.
 */
import type { Param, Schema, StateOf } from '../params';
import { shareLink } from '../share';
import { urlWithState } from '../url-state';
import { actionButton, connectSettings, enableControls, rangeControl, requireElement } from '../widget-dom';
import { rejectedUrlValues, type Architecture } from './architecture';
import { bindArchitecture, bindArchitecturePresets, setControlMessage, showArchitecture } from './architecture-dom';
import { RunController, type RunControllerOptions } from './run-controller';
import { bindPresets, bindSeed, type Presets } from './settings';

/** The settings every experiment widget has. */
export type RunSchema = Schema & { images: Param<number>; epochs: Param<number>; seed: Param<number> };
type RunSettings = { images: number; epochs: number; seed: number };

export interface ExperimentWidgetOptions extends RunControllerOptions {
  /** The URL key when the component sets no `data-key`. */
  key: string;
  presets: Presets;
}

export abstract class ExperimentWidget<S extends RunSchema> extends RunController {
  /** URL prefix of this instance. */
  protected key: string;
  #state!: StateOf<S>;
  #writeUrl!: (state: StateOf<S>) => void;

  constructor(
    protected readonly schema: S,
    protected readonly options: ExperimentWidgetOptions,
  ) {
    super(options);
    this.key = options.key;
  }

  get state(): StateOf<S> {
    return { ...this.#state };
  }

  /** Listens to the widget's own controls. */
  protected abstract bind(): void;

  /** Puts the state into the widget's own controls (and whatever follows the settings at once). */
  protected abstract show(state: Readonly<StateOf<S>>): void;

  protected update(next: Partial<StateOf<S>>): void {
    this.#state = { ...this.#state, ...next };
    this.#show();
    this.#writeUrl(this.#state);
    this.replan(true);
    this.render(0);
  }

  protected connect(): void {
    ({ key: this.key, state: this.#state, writeUrl: this.#writeUrl } = connectSettings(this, this.schema, this.options.key));
    const apply = (change: object) => this.update(change as Partial<StateOf<S>>);
    for (const name of ['images', 'epochs'] as const) {
      const { input } = rangeControl(this, name);
      input.addEventListener('input', () => apply({ [name]: input.valueAsNumber }));
    }
    if (this.#hasArchitecture) {
      bindArchitecture(this, apply);
      bindArchitecturePresets(this, apply);
    }
    bindSeed(
      this,
      this.schema.seed,
      () => this.#shared.seed,
      (seed) => apply({ seed }),
    );
    bindPresets(this, this.options.presets, apply);
    actionButton(this, 'share').addEventListener('click', () => {
      void shareLink(
        urlWithState(this.schema, this.key, this.#state, window.location.href),
        requireElement(this, '[data-share-status]', HTMLElement),
      );
    });
    this.bind();
    enableControls(this);
    const status = requireElement(this, '[data-status]', HTMLElement);
    for (const { name, message } of rejectedUrlValues(this.schema, this.key, window.location.search))
      setControlMessage(this, name, message, status);
    this.#show();
  }

  get #hasArchitecture(): boolean {
    return this.querySelector('[data-architecture]') !== null;
  }

  get #shared(): RunSettings {
    return this.#state as StateOf<S> & RunSettings;
  }

  #show(): void {
    const s = this.#shared;
    rangeControl(this, 'images').show(s.images, s.images.toLocaleString('en-US'));
    rangeControl(this, 'epochs').show(s.epochs, `${s.epochs} epoch${s.epochs === 1 ? '' : 's'}`);
    requireElement(this, 'input[name="seed"]', HTMLInputElement).value = String(s.seed);
    if (this.#hasArchitecture) showArchitecture(this, this.#state as unknown as Architecture);
    this.show(this.#state);
  }
}
