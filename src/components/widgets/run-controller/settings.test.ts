// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { numberParam } from '../params';
import { bindPresets, bindSeed, setRunBusy } from './settings';

const seedParam = numberParam({ min: 0, max: 4294967295, default: 1, integer: true });
const presets = {
  quick: { images: 3000, epochs: 2, label: 'Quick' },
  full: { images: 54000, epochs: 5, label: 'Full' },
};

function controls(): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = `
    <input name="seed" type="number" value="7">
    <button data-action="preset-quick">Quick</button>
    <button data-action="preset-full">Full</button>`;
  return root;
}

function change(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('change'));
}

describe('experiment settings', () => {
  it('bindSeed(root, param, current, apply) applies a valid seed', () => {
    const root = controls();
    const applied: number[] = [];
    bindSeed(
      root,
      seedParam,
      () => 7,
      (seed) => applied.push(seed),
    );
    change(root.querySelector('input')!, '42');
    expect(applied).toEqual([42]);
  });

  it('bindSeed(root, param, current, apply) puts the current seed back instead of a bad value', () => {
    const root = controls();
    const applied: number[] = [];
    bindSeed(
      root,
      seedParam,
      () => 7,
      (seed) => applied.push(seed),
    );
    const input = root.querySelector('input')!;
    change(input, '2.5');
    expect(applied).toEqual([]);
    expect(input.value).toBe('7');
  });

  it("bindPresets(root, presets, apply) applies the clicked preset's images and epochs", () => {
    const root = controls();
    const applied: { images: number; epochs: number }[] = [];
    bindPresets(root, presets, (settings) => applied.push(settings));
    root.querySelector<HTMLButtonElement>('[data-action="preset-full"]')!.click();
    root.querySelector<HTMLButtonElement>('[data-action="preset-quick"]')!.click();
    expect(applied).toEqual([
      { images: 54000, epochs: 5 },
      { images: 3000, epochs: 2 },
    ]);
  });

  it('bindSeed and bindPresets name the control they cannot find', () => {
    const empty = document.createElement('div');
    expect(() =>
      bindSeed(
        empty,
        seedParam,
        () => 7,
        () => {},
      ),
    ).toThrow('input[name="seed"]');
    expect(() => bindPresets(empty, presets, () => {})).toThrow('button[data-action="preset-quick"]');
  });
});

describe('setRunBusy', () => {
  function experiment(stop: string): HTMLElement {
    const root = document.createElement('div');
    root.innerHTML = `
      <fieldset class="widget-controls"><input name="images" type="range"><select name="layer"></select></fieldset>
      <button data-action="preset-quick">Quick</button><button data-action="preset-full">Full</button>
      <button data-action="start">Start</button><button data-action="${stop}" disabled>Stop</button>`;
    return root;
  }
  const disabled = (root: HTMLElement, selector: string) =>
    (root.querySelector(selector) as HTMLButtonElement | HTMLFieldSetElement | HTMLInputElement).disabled;

  it('while busy: start and presets off, stop on, the settings fieldset locked; and back', () => {
    const root = experiment('cancel-all');
    setRunBusy(root, true, 'cancel-all');
    expect(
      ['[data-action="start"]', '[data-action="preset-quick"]', '[data-action="preset-full"]', 'fieldset'].map((s) => disabled(root, s)),
    ).toEqual([true, true, true, true]);
    expect(disabled(root, '[data-action="cancel-all"]')).toBe(false);
    setRunBusy(root, false, 'cancel-all');
    expect(['[data-action="start"]', 'fieldset', '[data-action="cancel-all"]'].map((s) => disabled(root, s))).toEqual([false, false, true]);
  });

  it('keeps the live controls usable and locks the others one by one', () => {
    const root = experiment('stop');
    setRunBusy(root, true, 'stop', ['layer']);
    expect(disabled(root, 'fieldset')).toBe(false);
    expect(disabled(root, 'input[name="images"]')).toBe(true);
    expect(disabled(root, 'select[name="layer"]')).toBe(false);
    setRunBusy(root, false, 'stop', ['layer']);
    expect(disabled(root, 'input[name="images"]')).toBe(false);
  });

  it('locks the training run’s presets and its first (setup) fieldset, leaving its live fieldset alone', () => {
    const root = document.createElement('div');
    root.innerHTML = `
      <button data-preset="quick">Quick</button>
      <fieldset class="widget-controls" data-settings="setup"></fieldset><fieldset class="widget-controls" data-settings="live"></fieldset>
      <button data-action="start">Start</button><button data-action="stop" disabled>Stop</button>`;
    setRunBusy(root, true, 'stop');
    expect(['[data-preset="quick"]', '[data-settings="setup"]', '[data-settings="live"]'].map((s) => disabled(root, s))).toEqual([
      true,
      true,
      false,
    ]);
  });
});
