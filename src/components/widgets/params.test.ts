import { describe, expect, it } from 'vitest';
import { choiceParam, dataAttributes, defaultState, formatState, numberParam, parseState, stateFromProps } from './params';

const schema = {
  gamma: numberParam({ min: -2, max: 6, default: 1 }),
  n: numberParam({ min: 2, max: 256, default: 32, integer: true }),
  dist: choiceParam(['skewed', 'bimodal'] as const, 'skewed'),
  live: choiceParam(['off', 'on'] as const, 'off'),
};

describe('widget params', () => {
  it('defaultState(schema) has the expected defaults', () => {
    expect(defaultState(schema)).toEqual({ gamma: 1, n: 32, dist: 'skewed', live: 'off' });
  });

  it('parseState(schema, lookup) reads good values', () => {
    const raw: Record<string, string> = { gamma: '2.5', n: '64', dist: 'bimodal', live: 'on' };
    expect(parseState(schema, (k) => raw[k])).toEqual({ gamma: 2.5, n: 64, dist: 'bimodal', live: 'on' });
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
    ['live', 'yes'],
  ])('parseState(schema, lookup) falls back to the default for %s=%j', (key, value) => {
    const state = parseState(schema, (k) => (k === key ? value : null));
    expect(state).toEqual(defaultState(schema));
  });

  it('parseState(schema, lookup, base) keeps the base for keys the lookup cannot supply', () => {
    const base = { gamma: 3, n: 8, dist: 'bimodal' as const, live: 'on' as const };
    expect(parseState(schema, (k) => (k === 'n' ? '16' : undefined), base)).toEqual({ ...base, n: 16 });
  });

  it('formatState(schema, state) round-trips through parseState without float noise', () => {
    const state = { gamma: 0.1 + 0.2, n: 100, dist: 'bimodal' as const, live: 'on' as const };
    const text = formatState(schema, state);
    expect(text.gamma).toBe('0.3');
    expect(parseState(schema, (k) => text[k])).toEqual({ ...state, gamma: 0.3 });
  });

  it('stateFromProps(schema, props) reads typed props as text and keeps defaults for missing or bad ones', () => {
    expect(stateFromProps(schema, { gamma: 2.5, n: 64, live: 'on', key: 'x' })).toEqual({ gamma: 2.5, n: 64, dist: 'skewed', live: 'on' });
    expect(stateFromProps(schema, { gamma: 99, dist: 'nope', live: undefined })).toEqual(defaultState(schema));
  });

  it('dataAttributes(schema, state) writes every key as a data-* attribute the element reads back', () => {
    const state = { gamma: 0.1 + 0.2, n: 100, dist: 'bimodal' as const, live: 'on' as const };
    const attributes = dataAttributes(schema, state);
    expect(attributes).toEqual({ 'data-gamma': '0.3', 'data-n': '100', 'data-dist': 'bimodal', 'data-live': 'on' });
    expect(parseState(schema, (k) => attributes[`data-${k}`])).toEqual({ ...state, gamma: 0.3 });
  });

  it('numberParam(options) rejects a default outside its range', () => {
    expect(() => numberParam({ min: 0, max: 1, default: 2 })).toThrow('numberParam: default must be in [0, 1], received 2');
  });

  it('choiceParam(choices, fallback) rejects a fallback that is not a choice', () => {
    expect(() => choiceParam(['a', 'b'] as const, 'c' as 'a')).toThrow('choiceParam: default must be one of a, b, received c');
  });
});
