// Runs before first paint (a blocking classic script in <head>, a file so a strict
// Content-Security-Policy needs no 'unsafe-inline'): the stored choice wins, else the system
// preference; a `theme=light|dark` URL flag (for LMS embeds) overrides both for that page.
// While no choice is stored the page keeps following the system setting.
(() => {
  const root = document.documentElement;
  const system = window.matchMedia('(prefers-color-scheme: dark)');
  const flag = new URLSearchParams(window.location.search).get('theme');
  let stored = null;
  try {
    stored = window.localStorage.getItem('normlab-theme');
  } catch {
    // Storage can be blocked (sandboxed iframes, privacy modes): fall back to the system.
  }
  const chosen = flag === 'light' || flag === 'dark' ? flag : stored === 'light' || stored === 'dark' ? stored : null;
  root.dataset.theme = chosen ?? (system.matches ? 'dark' : 'light');
  if (!chosen) {
    system.addEventListener('change', (event) => {
      if (!root.dataset.themeChosen) root.dataset.theme = event.matches ? 'dark' : 'light';
    });
  }
})();
