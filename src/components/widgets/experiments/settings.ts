/**
 * The settings every experiment widget shares beyond sliders and selects: a seed typed into a
 * number input (SeedInput.astro) and two preset buttons (PresetButtons.astro) that set the
 * training images and epochs at once.
 */
import type { Param } from '../params';
import { requireElement } from '../widget-dom';

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
    requireElement(root, `button[data-action="preset-${name}"]`, HTMLButtonElement).addEventListener('click', () => apply({ images, epochs }));
  }
}
