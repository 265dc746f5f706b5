/**
 * The header's theme button. Its text says what a press will do ("Switch to dark mode"), so a
 * reader in dark mode no longer sees a button reading "Dark mode". A button whose label changes
 * with its state must not also carry aria-pressed (WAI-ARIA APG, Button pattern: "the label on a
 * toggle does not change when its state changes"), so the state is in the label alone.
 */
import { currentTheme, onThemeChange, setTheme, type Theme } from './widgets/theme';

/** The theme a press switches to, as one word ("dark"). */
export function nextTheme(theme: Theme): Theme {
  return theme === 'dark' ? 'light' : 'dark';
}

/**
 * Binds a button holding `[data-theme-next]` (the word "dark"/"light" inside "Switch to … mode";
 * phones hide "Switch to" visually, the accessible name keeps it).
 */
export function bindThemeToggle(button: HTMLButtonElement): () => void {
  const word = button.querySelector<HTMLElement>('[data-theme-next]');
  if (!word) throw new Error('bindThemeToggle: the button needs a [data-theme-next] element, found none');
  const sync = () => {
    word.textContent = nextTheme(currentTheme());
  };
  sync();
  button.addEventListener('click', () => setTheme(nextTheme(currentTheme())));
  return onThemeChange(sync);
}
