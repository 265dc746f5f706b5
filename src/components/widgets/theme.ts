/**
 * The page theme as widgets see it: `<html data-theme="light|dark">`. Charts redraw when it
 * changes, whoever changed it (the toggle, the system setting, a test).
 */
export type Theme = 'light' | 'dark';

const storageKey = 'normlab-theme';

export function currentTheme(root: HTMLElement = document.documentElement): Theme {
  return root.dataset.theme === 'dark' ? 'dark' : 'light';
}

/** Sets the theme and remembers the reader's choice (when storage is allowed). */
export function setTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  root.dataset.theme = theme;
  root.dataset.themeChosen = 'true';
  try {
    window.localStorage.setItem(storageKey, theme);
  } catch {
    // Storage blocked (sandboxed iframe): the choice lasts for this page only.
  }
}

/** Calls `listener` after every theme change; returns a function that stops listening. */
export function onThemeChange(listener: (theme: Theme) => void, root: HTMLElement = document.documentElement): () => void {
  const observer = new MutationObserver(() => listener(currentTheme(root)));
  observer.observe(root, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
