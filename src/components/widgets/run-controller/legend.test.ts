// @vitest-environment happy-dom
import { expect, test } from 'vitest';
import { fillLegend } from './legend';

test('fillLegend(list, items) replaces the list with one swatch and label per series, in order', () => {
  const list = document.createElement('ul');
  list.append(document.createElement('li'));
  fillLegend(list, [
    { label: 'dense kernel', color: '#0072b2' },
    { label: 'dense_1 kernel', color: '#d55e00' },
  ]);
  const items = [...list.querySelectorAll('li')];
  expect(items.map((li) => li.textContent?.trim())).toEqual(['dense kernel', 'dense_1 kernel']);
  expect(items.map((li) => (li.querySelector('.swatch') as HTMLElement).style.background)).toEqual(['#0072b2', '#d55e00']);
  expect(items[0].querySelector('.swatch')?.getAttribute('aria-hidden')).toBe('true');
});
