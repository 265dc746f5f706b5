/**
 * The settings every experiment widget shares beyond sliders and selects: a seed typed into a
 * number input (SeedInput.astro), two preset buttons (PresetButtons.astro) that set the
 * training images and epochs at once, and the run actions (RunActions.astro) switched while a
 * run goes.
 */
import type { Param } from '../params';
import { actionButton, requireElement } from '../widget-dom';

export interface Preset {
  images: number;
  epochs: number;
  label: string;
}

export interface Presets {
  quick: Preset;
  full: Preset;
}

/** A valid seed applies on `change`; anything else puts the current seed back in the field. */
export function bindSeed(root: ParentNode, param: Param<number>, current: () => number, apply: (seed: number) => void): void {
  const input = requireElement(root, 'input[name="seed"]', HTMLInputElement);
  input.addEventListener('change', () => {
    const value = param.parse(input.value);
    if (value === undefined) input.value = String(current());
    else apply(value);
  });
}

/** Each preset button applies its images and epochs. */
export function bindPresets(root: ParentNode, presets: Presets, apply: (settings: { images: number; epochs: number }) => void): void {
  for (const name of ['quick', 'full'] as const) {
    const { images, epochs } = presets[name];
    requireElement(root, `button[data-action="preset-${name}"]`, HTMLButtonElement).addEventListener('click', () =>
      apply({ images, epochs }),
    );
  }
}

/**
 * While runs go: start and the preset buttons are off, the stop (or cancel) button is on, and the
 * runs' settings are locked: the whole settings fieldset, or every control but the `live` ones
 * (which only change what is shown). A widget without presets or settings has none to switch.
 */
export function setRunBusy(root: HTMLElement, busy: boolean, stopAction: 'stop' | 'cancel-all', live: readonly string[] = []): void {
  actionButton(root, 'start').disabled = busy;
  actionButton(root, stopAction).disabled = !busy;
  for (const button of root.querySelectorAll<HTMLButtonElement>(
    'button[data-action^="preset-"], button[data-arch-preset], button[data-preset]',
  ))
    button.disabled = busy;
  const fieldset = root.querySelector<HTMLFieldSetElement>('fieldset.widget-controls');
  if (!fieldset) return;
  if (live.length === 0) {
    fieldset.disabled = busy;
    return;
  }
  for (const control of fieldset.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
    if (!live.includes(control.name)) control.disabled = busy;
  }
}
