/**
 * The page side of the shared architecture controls: read and write them, show the live model
 * line, and put a message at the control a problem belongs to (a URL value the control cannot
 * take, a combination the config validator refuses).
 */
import { requireElement } from '../widget-dom';
import { architectureLine, architecturePresets, architectureSchema, presetRun, type Architecture } from './architecture';

const names = Object.keys(architectureSchema) as (keyof Architecture)[];

/** Wires every architecture control present in `root`: `apply` gets each change. */
export function bindArchitecture(root: HTMLElement, apply: (change: Partial<Architecture>) => void): void {
  for (const name of names) {
    const control = root.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-architecture] [name="${name}"]`);
    if (!control) continue;
    control.addEventListener(control instanceof HTMLInputElement ? 'input' : 'change', () => {
      const value = (architectureSchema[name] as { parse(raw: string): unknown }).parse(control.value);
      if (value !== undefined) apply({ [name]: value } as Partial<Architecture>);
    });
  }
}

/** Each model preset button (ArchitecturePresets.astro) applies its model and the data, epochs and seed its numbers were measured with. */
export function bindArchitecturePresets(root: HTMLElement, apply: (settings: Partial<Architecture> & typeof presetRun) => void): void {
  for (const [name, preset] of Object.entries(architecturePresets)) {
    root.querySelector(`button[data-arch-preset="${name}"]`)?.addEventListener('click', () => apply({ ...preset.settings, ...presetRun }));
  }
}

/** Puts the settings into the architecture controls present (a widget may omit some). */
export function showArchitectureControls(root: HTMLElement, values: Partial<Record<keyof Architecture, string | number>>): void {
  for (const name of names) {
    const control = root.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-architecture] [name="${name}"]`);
    if (!control || values[name] === undefined) continue;
    control.value = String(values[name]);
    const output = root.querySelector<HTMLOutputElement>(`[data-architecture] output[data-for="${name}"]`);
    if (output) output.value = String(values[name]);
  }
}

/** Puts the settings into the controls and refreshes the model line. */
export function showArchitecture(root: HTMLElement, a: Architecture): void {
  showArchitectureControls(root, a);
  requireElement(root, '[data-model-line]', HTMLElement).textContent = architectureLine(a);
}

/**
 * Shows `message` under the control named `name` (its `[data-control]` wrapper), or removes it
 * when `message` is null. Without such a control, the message goes to `fallback`.
 */
export function setControlMessage(root: HTMLElement, name: string, message: string | null, fallback?: HTMLElement): void {
  const wrapper = root.querySelector<HTMLElement>(`[data-control="${name}"]`) ?? fallback;
  if (!wrapper) return;
  let note = wrapper.querySelector<HTMLElement>(':scope > [data-control-message]');
  if (message === null) {
    note?.remove();
    return;
  }
  if (!note) {
    note = document.createElement('p');
    note.className = 'control-message';
    note.dataset.controlMessage = name;
    note.setAttribute('role', 'alert');
    wrapper.append(note);
  }
  note.textContent = message;
}
