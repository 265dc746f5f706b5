import { describe, expect, it } from 'vitest';
import {
  choiceParam,
  listParam,
  sliderGrid,
  dataAttributes,
  defaultState,
  formatState,
  numberParam,
  parseState,
  stateFromProps,
} from './params';

const schema = {
  gamma: numberParam({ min: -2, max: 6, default: 1 }),
  n: numberParam({ min: 2, max: 256, default: 32, integer: true }),
  dist: choiceParam(['skewed', 'bimodal'] as const, 'skewed'),
};

describe('widget params', () => {
  it('defaultState(schema) has the expected defaults', () => {
    expect(defaultState(schema)).toEqual({ gamma: 1, n: 32, dist: 'skewed' });
  });

  it('parseState(schema, lookup) reads good values', () => {
    const raw: Record<string, string> = { gamma: '2.5', n: '64', dist: 'bimodal' };
    expect(parseState(schema, (k) => raw[k])).toEqual({ gamma: 2.5, n: 64, dist: 'bimodal' });
  });

  it.each([
    ['gamma', 'banana'],
    ['gamma', ''],
    ['gamma', '   '],
    ['gamma', 'NaN'],
    ['gamma', 'Infinity'],
    ['gamma', '0x1'],
    ['gamma', ' 1e0 '],
    ['n', '0x10'],
    ['n', '0b11'],
    ['gamma', '7'],
    ['gamma', '-2.01'],
    ['n', '3.5'],
    ['n', '1'],
    ['n', '1e9'],
    ['dist', 'SKEWED'],
    ['dist', 'constructor'],
  ])('parseState(schema, lookup) falls back to the default for %s=%j', (key, value) => {
    const state = parseState(schema, (k) => (k === key ? value : null));
    expect(state).toEqual(defaultState(schema));
  });

  it('parseState(schema, lookup, base) keeps the base for keys the lookup cannot supply', () => {
    const base = { gamma: 3, n: 8, dist: 'bimodal' as const };
    expect(parseState(schema, (k) => (k === 'n' ? '16' : undefined), base)).toEqual({ ...base, n: 16 });
  });

  it('formatState(schema, state) round-trips through parseState without float noise', () => {
    const state = { gamma: 0.1 + 0.2, n: 100, dist: 'bimodal' as const };
    const text = formatState(schema, state);
    expect(text.gamma).toBe('0.3');
    expect(parseState(schema, (k) => text[k])).toEqual({ ...state, gamma: 0.3 });
  });

  it('stateFromProps(schema, props) reads typed props as text and keeps defaults for missing or bad ones', () => {
    expect(stateFromProps(schema, { gamma: 2.5, n: 64, key: 'x' })).toEqual({ gamma: 2.5, n: 64, dist: 'skewed' });
    expect(stateFromProps(schema, { gamma: 99, dist: 'nope', n: undefined })).toEqual(defaultState(schema));
  });

  it('dataAttributes(schema, state) writes every key as a data-* attribute the element reads back', () => {
    const state = { gamma: 0.1 + 0.2, n: 100, dist: 'bimodal' as const };
    const attributes = dataAttributes(schema, state);
    expect(attributes).toEqual({ 'data-gamma': '0.3', 'data-n': '100', 'data-dist': 'bimodal' });
    expect(parseState(schema, (k) => attributes[`data-${k}`])).toEqual({ ...state, gamma: 0.3 });
  });

  it('numberParam(options) rejects a default outside its range', () => {
    expect(() => numberParam({ min: 0, max: 1, default: 2 })).toThrow('numberParam: default must be in [0, 1], received 2');
  });

  it('choiceParam(choices, fallback) rejects a fallback that is not a choice', () => {
    expect(() => choiceParam(['a', 'b'] as const, 'c' as 'a')).toThrow('choiceParam: default must be one of a, b, received c');
  });

  it('numberParam reads -0 as 0, the value its control shows', () => {
    const zero = numberParam({ min: -1, max: 1, default: 0.5 }).parse('-0');
    expect(Object.is(zero, 0)).toBe(true);
  });

  it('numberParam({ grid }) refuses a value off its slider, not rounding it', () => {
    const t = numberParam({ min: 0, max: 1, default: 0, grid: sliderGrid({ min: 0, max: 1, step: 0.05 }) });
    expect(t.parse('0.0166667')).toBeUndefined();
    expect(t.parse('0.35')).toBe(0.35);
    expect(t.parse('1')).toBe(1);
  });

  it('sliderGrid(slider, fromSlider) accepts what the widget itself wrote for every position of a log slider', () => {
    const fromSlider = (p: number) => 10 ** p;
    const eps = numberParam({ min: 1e-5, max: 10, default: 1e-3, grid: sliderGrid({ min: -5, max: 1, step: 0.1 }, fromSlider) });
    for (let k = 0; k <= 60; k++) {
      const value = fromSlider(Number((-5 + k * 0.1).toFixed(10)));
      const read = eps.parse(eps.format(value));
      expect(read, `position ${k}`).not.toBeUndefined();
      expect(Math.abs(read! - value) / value, `position ${k}`).toBeLessThan(5e-6);
    }
    expect(eps.parse('0.0015')).toBeUndefined();
  });

  it('listParam(values) refuses a number its select does not offer', () => {
    const steps = listParam([100, 300, 1000, 3000], 1000);
    expect(steps.parse('500.0')).toBeUndefined();
    expect(steps.parse('300.0')).toBe(300);
    expect(steps.parse('3e3')).toBe(3000);
    expect(() => listParam([1, 2], 3)).toThrow('listParam: default must be one of 1, 2, received 3');
  });
});
