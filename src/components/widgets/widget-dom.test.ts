// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { numberParam } from './params';
import {
  actionButton,
  applyHiddenControls,
  connectSettings,
  enableControls,
  rangeControl,
  readSettings,
  requireElement,
  widgetKey,
} from './widget-dom';

function widget(html: string, attributes: Record<string, string> = {}): HTMLElement {
  const root = document.createElement('div');
  for (const [name, value] of Object.entries(attributes)) root.setAttribute(name, value);
  root.innerHTML = html;
  return root;
}

const controls = `
  <fieldset disabled>
    <div data-control="gamma"><input type="range" name="gamma" min="0" max="5" step="0.5" value="1"><output data-for="gamma">1</output></div>
    <div data-control="beta"><input type="range" name="beta"><output data-for="beta"></output></div>
  </fieldset>
  <button type="button" data-action="reset" disabled>Reset</button>`;

const schema = { gamma: numberParam({ min: 0, max: 5, default: 1 }), beta: numberParam({ min: -5, max: 5, default: 0 }) };

describe('widget DOM helpers', () => {
  it('widgetKey uses data-key, else the fallback', () => {
    expect(widgetKey(widget('', { 'data-key': 'bn2' }), 'bn')).toBe('bn2');
    expect(widgetKey(widget('', { 'data-key': '  ' }), 'bn')).toBe('bn');
  });

  it('readSettings layers the URL over data-* attributes over defaults', () => {
    const root = widget('', { 'data-gamma': '2', 'data-beta': 'oops' });
    expect(readSettings(root, schema, 'bn', '')).toEqual({ gamma: 2, beta: 0 });
    expect(readSettings(root, schema, 'bn', '?bn.beta=-1&bn.gamma=9')).toEqual({ gamma: 2, beta: -1 });
  });

  it('connectSettings gives the key, the settings (URL over data-*), the authored settings and a URL writer, and hides controls', () => {
    window.history.replaceState(null, '', '/lesson/?bn2.gamma=4&bn2.hide=beta');
    const root = widget(controls, { 'data-key': 'bn2', 'data-gamma': '2' });
    const { key, state, initial, writeUrl } = connectSettings(root, schema, 'bn');
    expect(key).toBe('bn2');
    expect(state).toEqual({ gamma: 4, beta: 0 });
    expect(initial).toEqual({ gamma: 2, beta: 0 });
    expect(root.querySelector<HTMLElement>('[data-control="beta"]')!.hidden).toBe(true);
    expect(typeof writeUrl).toBe('function');
    window.history.replaceState(null, '', '/');
  });

  it('actionButton finds a widget action button, and says what it found instead', () => {
    const root = widget(controls);
    expect(actionButton(root, 'reset').textContent).toBe('Reset');
    expect(() => actionButton(root, 'share')).toThrow(
      'widget: expected HTMLButtonElement for "button[data-action="share"]", received nothing',
    );
  });

  it('applyHiddenControls hides the controls named in data-hide and in the URL', () => {
    const root = widget(controls, { 'data-hide': 'beta' });
    applyHiddenControls(root, 'bn', '?bn.hide=gamma');
    expect(root.querySelector<HTMLElement>('[data-control="gamma"]')!.hidden).toBe(true);
    expect(root.querySelector<HTMLElement>('[data-control="beta"]')!.hidden).toBe(true);
    const other = widget(controls);
    applyHiddenControls(other, 'bn', '?other.hide=gamma');
    expect(other.querySelector<HTMLElement>('[data-control="gamma"]')!.hidden).toBe(false);
  });

  it('applyHiddenControls hides every preset that would change a hidden control, and a row left empty', () => {
    const presets = `
      <div data-control="presets"><button data-sets="images,epochs">Quick</button><button data-sets="images,epochs">Full</button></div>
      <div data-control="models"><button data-sets="layers,lr,images">Classic</button><button data-sets="layers,images">Deep</button></div>`;
    const fixedLr = widget(controls + presets);
    applyHiddenControls(fixedLr, 'bn', '?bn.hide=lr');
    const buttons = (root: HTMLElement) =>
      [...root.querySelectorAll<HTMLElement>('[data-sets]')].map((b) => `${b.textContent}:${b.hidden}`);
    expect(buttons(fixedLr)).toEqual(['Quick:false', 'Full:false', 'Classic:true', 'Deep:false']);
    expect(fixedLr.querySelector<HTMLElement>('[data-control="models"]')!.hidden).toBe(false);
    const fixedImages = widget(controls + presets);
    applyHiddenControls(fixedImages, 'bn', '?hide=images');
    expect(buttons(fixedImages)).toEqual(['Quick:true', 'Full:true', 'Classic:true', 'Deep:true']);
    expect(fixedImages.querySelector<HTMLElement>('[data-control="presets"]')!.hidden).toBe(true);
    expect(fixedImages.querySelector<HTMLElement>('[data-control="models"]')!.hidden).toBe(true);
  });

  it('enableControls enables the fieldsets and action buttons rendered disabled', () => {
    const root = widget(controls);
    enableControls(root);
    expect(root.querySelector('fieldset')!.disabled).toBe(false);
    expect(root.querySelector('button')!.disabled).toBe(false);
  });

  it('rangeControl(root, name).show writes the slider and its output', () => {
    const root = widget(controls);
    const gamma = rangeControl(root, 'gamma');
    gamma.show(2.5, '2.50');
    expect(gamma.input.value).toBe('2.5');
    expect(root.querySelector('output')!.textContent).toBe('2.50');
  });

  it('requireElement names what it expected and what it found', () => {
    expect(() => requireElement(widget(controls), 'button', HTMLInputElement)).toThrow(
      'widget: expected HTMLInputElement for "button", received HTMLButtonElement',
    );
    expect(() => requireElement(widget(''), 'select', HTMLSelectElement)).toThrow('received nothing');
  });
});
