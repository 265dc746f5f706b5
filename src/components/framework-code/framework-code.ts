/**
 * <nn-framework-code>: keeps the Keras and PyTorch code in step with the widget around it (any
 * ancestor with `data-train-config`, a JSON TrainConfig the widget rewrites on every settings
 * change), and copies it. A widget that starts several runs also sets `data-train-note`: which run
 * the code is and how the others differ, shown above the code. Watching the attribute rather than waiting for an event means the order
 * in which the two elements start does not matter.
 */
import { frameworkCode } from '../../lib/framework-code';

class FrameworkCodeElement extends HTMLElement {
  #observer: MutationObserver | null = null;

  connectedCallback(): void {
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
      button.disabled = false;
      button.addEventListener('click', () => void this.#copy(button.dataset.copy!));
    }
    const source = this.closest<HTMLElement>('[data-train-config]') ?? this.parentElement?.closest<HTMLElement>('.widget');
    if (!source) return;
    this.#observer = new MutationObserver(() => this.#render(source));
    this.#observer.observe(source, { attributes: true, attributeFilter: ['data-train-config', 'data-train-note'] });
    this.#render(source);
  }

  disconnectedCallback(): void {
    this.#observer?.disconnect();
    this.#observer = null;
  }

  #render(source: HTMLElement): void {
    const note = this.querySelector<HTMLElement>('[data-framework-note]');
    const text = source.dataset.trainNote;
    if (note && text !== undefined) {
      note.textContent = text;
      note.hidden = text === '';
    }
    const json = source.dataset.trainConfig;
    if (!json) return;
    let code;
    try {
      code = frameworkCode(JSON.parse(json));
    } catch {
      return; // a settings combination the engine refuses: the widget itself says why
    }
    for (const [name, text] of Object.entries(code)) {
      const target = this.querySelector(`[data-code="${name}"]`);
      if (target && target.textContent !== text) target.textContent = text;
    }
  }

  async #copy(name: string): Promise<void> {
    const code = this.querySelector<HTMLElement>(`[data-code="${name}"]`);
    const status = this.querySelector<HTMLElement>(`[data-copy-status="${name}"]`);
    if (!code || !status) return;
    try {
      await navigator.clipboard.writeText(code.textContent ?? '');
      status.textContent = 'Copied.';
    } catch {
      // No clipboard permission (an embed, an http page): select the code for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  }
}

if (!customElements.get('nn-framework-code')) customElements.define('nn-framework-code', FrameworkCodeElement);
