/**
 * DOM helpers every widget's custom element uses: find its controls, read its settings
 * (data-* attributes, then the URL), hide controls an embed asked to hide, and enable the
 * controls once the script is running (they render disabled for readers without JavaScript).
 */
import type { Schema, StateOf } from './params';
import { parseState } from './params';
import { createUrlWriter, hiddenControls, readUrlState } from './url-state';

/** The widget's URL prefix: `data-key`, else the fallback (the widget's short name). */
export function widgetKey(root: HTMLElement, fallback: string): string {
  return root.dataset.key?.trim() || fallback;
}

/** Settings from `data-<key>` attributes (authored in the lesson), then overridden by the URL. */
export function readSettings<S extends Schema>(root: HTMLElement, schema: S, key: string, search = window.location.search): StateOf<S> {
  const authored = parseState(schema, (name) => root.getAttribute(`data-${name}`));
  return readUrlState(schema, key, search, authored);
}

/**
 * Hides the `[data-control]` wrappers named by `data-hide` and the URL's hide flags, and every
 * preset button that would change a hidden control (`data-sets="images,epochs"`): an embed that
 * fixes a setting must not offer a button that changes it. A row of presets whose buttons are all
 * hidden is hidden with them.
 */
export function applyHiddenControls(root: HTMLElement, key: string, search = window.location.search): Set<string> {
  const names = hiddenControls(key, search);
  for (const name of (root.dataset.hide ?? '').split(',')) if (name.trim()) names.add(name.trim());
  for (const wrapper of root.querySelectorAll<HTMLElement>('[data-control]')) {
    wrapper.hidden = names.has(wrapper.dataset.control ?? '');
  }
  for (const button of root.querySelectorAll<HTMLElement>('[data-sets]')) {
    button.hidden = (button.dataset.sets ?? '').split(',').some((name) => names.has(name.trim()));
  }
  for (const row of root.querySelectorAll<HTMLElement>('[data-control]')) {
    const presets = [...row.querySelectorAll<HTMLElement>('[data-sets]')];
    if (presets.length > 0 && presets.every((button) => button.hidden)) row.hidden = true;
  }
  return names;
}

/**
 * What every settings-driven element does first on connect: its key, its settings (data-* then
 * URL), the settings as authored (data-* only: what Reset restores), a URL writer, and the
 * controls the page asked to hide hidden.
 */
export function connectSettings<S extends Schema>(root: HTMLElement, schema: S, fallbackKey: string) {
  const key = widgetKey(root, fallbackKey);
  const initial = readSettings(root, schema, key, '');
  const state = readSettings(root, schema, key);
  const writeUrl = createUrlWriter(schema, key);
  applyHiddenControls(root, key);
  return { key, initial, state, writeUrl };
}

/** The `<button data-action=…>` of a widget. */
export function actionButton(root: ParentNode, action: string): HTMLButtonElement {
  return requireElement(root, `button[data-action="${action}"]`, HTMLButtonElement);
}

/** Controls render disabled (useless without the script); the element enables them on upgrade. */
export function enableControls(root: HTMLElement): void {
  for (const fieldset of root.querySelectorAll<HTMLFieldSetElement>('fieldset[disabled]')) fieldset.disabled = false;
  for (const button of root.querySelectorAll<HTMLButtonElement>('button[data-action][disabled]')) button.disabled = false;
}

export function requireElement<T extends Element>(root: ParentNode, selector: string, type: { new (): T }): T {
  const found = root.querySelector(selector);
  if (!(found instanceof type)) {
    throw new Error(`widget: expected ${type.name} for "${selector}", received ${found ? found.constructor.name : 'nothing'}`);
  }
  return found;
}

/** The range input named `name` and its `<output>`; writes a value to both. */
export function rangeControl(root: ParentNode, name: string) {
  const input = requireElement(root, `input[type="range"][name="${name}"]`, HTMLInputElement);
  const output = requireElement(root, `output[data-for="${name}"]`, HTMLOutputElement);
  return {
    input,
    output,
    /** Shows `value` (formatted) and moves the thumb to the nearest step. */
    show(value: number, text: string): void {
      input.value = String(value);
      output.value = text;
    },
  };
}
