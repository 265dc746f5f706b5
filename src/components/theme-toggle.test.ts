// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { bindThemeToggle, nextTheme } from './theme-toggle';

describe('the theme toggle', () => {
  afterEach(() => {
    delete document.documentElement.dataset.theme;
    document.body.replaceChildren();
  });

  it('nextTheme(theme) names the theme a press switches to', () => {
    expect(nextTheme('light')).toBe('dark');
    expect(nextTheme('dark')).toBe('light');
  });

  it('bindThemeToggle(button) flips the theme and its label follows', async () => {
    document.documentElement.dataset.theme = 'dark';
    document.body.innerHTML = '<button><span aria-hidden="true">◐</span> Switch to <span data-theme-next>?</span> mode</button>';
    const button = document.querySelector('button')!;
    bindThemeToggle(button);
    expect(button.textContent).toBe('◐ Switch to light mode');
    button.click();
    expect(document.documentElement.dataset.theme).toBe('light');
    await new Promise((done) => setTimeout(done));
    expect(button.textContent).toBe('◐ Switch to dark mode');
  });

  it('bindThemeToggle(button) rejects a button without the word to update', () => {
    document.body.innerHTML = '<button>Theme</button>';
    expect(() => bindThemeToggle(document.querySelector('button')!)).toThrow(/data-theme-next/);
  });
});
