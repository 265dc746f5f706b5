/**
 * The embed index (/embed/) in the browser: writes this site's real address (its origin and root,
 * from the page's own location) into every snippet, binds the Copy buttons, loads a preview iframe when
 * its <details> opens, and sizes previews the same way an LMS page does (from the height message).
 */
import type { EmbedHeightMessage } from './embed-catalog';
import { siteRoot } from '../../client/site-root';

export function bindEmbedIndex(root: Document): void {
  const origin = root.defaultView?.location.origin ?? '';
  const site = siteRoot(root).href;
  for (const code of root.querySelectorAll<HTMLElement>('code[data-template]')) {
    code.textContent = (code.dataset.template ?? '').replaceAll('{origin}', origin).replaceAll('{root}', site);
  }
  for (const button of root.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    const name = button.dataset.copy ?? '';
    const code = root.querySelector<HTMLElement>(`code[data-snippet="${name}"]`);
    const status = root.querySelector<HTMLElement>(`[data-copy-status="${name}"]`);
    if (!code || !status) continue;
    button.disabled = false;
    button.addEventListener('click', () => void copy(code, status));
  }
  for (const details of root.querySelectorAll<HTMLDetailsElement>('details[data-preview]')) {
    details.addEventListener('toggle', () => {
      if (!details.open || details.querySelector('iframe')) return;
      const frame = root.createElement('iframe');
      frame.src = details.dataset.preview ?? '';
      frame.title = `Preview: ${details.closest('section')?.querySelector('h2, h3')?.textContent?.trim() ?? 'widget'}`;
      frame.style.height = `${details.dataset.height ?? 800}px`;
      details.append(frame);
    });
  }
  root.defaultView?.addEventListener('message', (event: MessageEvent<Partial<EmbedHeightMessage>>) => {
    if (event.origin !== origin || event.data?.type !== 'normlab:height' || typeof event.data.height !== 'number') return;
    for (const frame of root.querySelectorAll('iframe')) {
      if (frame.contentWindow === event.source) frame.style.height = `${event.data.height}px`;
    }
  });
}

/** Copies the snippet; where the clipboard is blocked, selects it so Ctrl+C works. */
async function copy(code: HTMLElement, status: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(code.textContent ?? '');
    status.textContent = 'Copied.';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
  }
}
