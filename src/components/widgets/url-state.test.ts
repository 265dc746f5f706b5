// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { numberParam, choiceParam, defaultState } from './params';
import { createUrlWriter, hiddenControls, readUrlState, urlWithState } from './url-state';

const schema = {
  gamma: numberParam({ min: -2, max: 6, default: 1 }),
  dist: choiceParam(['skewed', 'bimodal'] as const, 'skewed'),
};

describe('URL state', () => {
  afterEach(() => vi.useRealTimers());

  it('readUrlState reads only keys under its own prefix', () => {
    const state = readUrlState(schema, 'bn', '?bn.gamma=2&other.gamma=5&gamma=4&bn.dist=bimodal', defaultState(schema));
    expect(state).toEqual({ gamma: 2, dist: 'bimodal' });
  });

  it('readUrlState falls back to the base for bad or missing values, never throws', () => {
    const base = { gamma: 3, dist: 'bimodal' as const };
    expect(readUrlState(schema, 'bn', '?bn.gamma=%E0%A4%A&bn.dist=<script>', base)).toEqual(base);
    expect(readUrlState(schema, 'bn', '', base)).toEqual(base);
  });

  it('urlWithState writes every key with its prefix and keeps other parameters and the hash', () => {
    const href = urlWithState(schema, 'bn', { gamma: 1.5, dist: 'bimodal' }, 'https://x.test/course/lessons/a/?space.t=1#explore');
    const url = new URL(href);
    expect(url.pathname).toBe('/course/lessons/a/');
    expect(url.hash).toBe('#explore');
    expect(Object.fromEntries(url.searchParams)).toEqual({ 'space.t': '1', 'bn.gamma': '1.5', 'bn.dist': 'bimodal' });
    expect(readUrlState(schema, 'bn', url.search, defaultState(schema))).toEqual({ gamma: 1.5, dist: 'bimodal' });
  });

  it('hiddenControls merges the page-wide and the per-widget lists', () => {
    expect([...hiddenControls('bn', '?hide=gamma,%20beta,,&bn.hide=eps&space.hide=t')].sort()).toEqual(['beta', 'eps', 'gamma']);
    expect(hiddenControls('bn', '').size).toBe(0);
  });

  it('createUrlWriter updates the address bar once input settles, with replaceState', () => {
    vi.useFakeTimers();
    const replace = vi.spyOn(history, 'replaceState');
    const write = createUrlWriter(schema, 'bn', 100);
    write({ gamma: 2, dist: 'skewed' });
    write({ gamma: 2.5, dist: 'skewed' });
    expect(replace).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(replace).toHaveBeenCalledTimes(1);
    expect(new URL(window.location.href).searchParams.get('bn.gamma')).toBe('2.5');
  });
});
