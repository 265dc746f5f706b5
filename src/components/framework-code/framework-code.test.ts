// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { frameworkCode } from '../../lib/framework-code';
import './framework-code';

/** A widget publishing its settings, with the panel's markup as FrameworkCode.astro renders it. */
function widget(attributes: Record<string, string>, note = ''): { root: HTMLElement; keras: HTMLElement; note: HTMLElement } {
  const root = document.createElement('div');
  root.className = 'widget';
  for (const [name, value] of Object.entries(attributes)) root.setAttribute(name, value);
  root.innerHTML = `
    <nn-framework-code class="framework-code">
      <p class="framework-code-note" data-framework-note ${note ? '' : 'hidden'}>${note}</p>
      <section data-framework="keras"><button type="button" data-copy="keras" disabled>Copy</button><span data-copy-status="keras"></span><pre><code data-code="keras">static</code></pre></section>
      <section data-framework="pytorch"><button type="button" data-copy="pytorch" disabled>Copy</button><span data-copy-status="pytorch"></span><pre><code data-code="pytorch">static</code></pre></section>
    </nn-framework-code>`;
  document.body.append(root);
  return { root, keras: root.querySelector('[data-code="keras"]')!, note: root.querySelector('[data-framework-note]')! };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('<nn-framework-code>', () => {
  it("shows the widget's config and note, and follows both as the widget rewrites them", async () => {
    const first = { lr: 0.01, batchSize: 16, norm: 'none' as const };
    const w = widget({ 'data-train-config': JSON.stringify(first), 'data-train-note': 'The first of 10 runs.' });
    expect(w.keras.textContent).toBe(frameworkCode(first).keras);
    expect(w.note.textContent).toBe('The first of 10 runs.');
    expect(w.note.hidden).toBe(false);

    const next = { lr: 0.1, batchSize: 32, norm: 'batch' as const };
    w.root.dataset.trainConfig = JSON.stringify(next);
    w.root.dataset.trainNote = '';
    await settle();
    expect(w.keras.textContent).toBe(frameworkCode(next).keras);
    expect(w.keras.textContent).toContain('batch_size=32,');
    expect(w.note.hidden).toBe(true);
    w.root.remove();
  });

  it('leaves the build-time note alone when the widget publishes none, and keeps the last code for a config the engine refuses', async () => {
    const config = { lr: 0.001 };
    const w = widget({ 'data-train-config': JSON.stringify(config) }, 'Built in.');
    expect(w.note.textContent).toBe('Built in.');
    w.root.dataset.trainConfig = JSON.stringify({ batchSize: 1, norm: 'batch' });
    await settle();
    expect(w.keras.textContent).toBe(frameworkCode(config).keras);
    w.root.remove();
  });
});
