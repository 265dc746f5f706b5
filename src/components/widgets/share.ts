/**
 * "Copy link to this view": puts the URL (with the widget's state) on the clipboard, or, where
 * the clipboard is unavailable (insecure context, iframe without permission), selects it in a
 * read-only field so the reader can copy it by hand.
 */
export async function shareLink(url: string, status: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(url);
    status.textContent = 'Link copied.';
  } catch {
    const field = document.createElement('input');
    field.type = 'text';
    field.readOnly = true;
    field.value = url;
    field.setAttribute('aria-label', 'Link to this view');
    field.size = Math.min(60, url.length);
    status.replaceChildren('Copy this link: ', field);
    field.select();
  }
}
