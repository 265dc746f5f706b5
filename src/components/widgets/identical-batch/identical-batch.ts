/**
 * `<nn-identical-batch>`: makes IdenticalBatch.astro live. On a change of activation, dropout or a new draw
 * it recomputes the four cases with the engine (a few milliseconds) and rewrites the table body
 * and the summary.
 */
import { requireElement } from '../widget-dom';
import { gradientTable, summarize, type Case } from './model';
import { tableRows } from './table';
import type { ActivationName } from '@engine/model/mlp.ts';

export class IdenticalBatchElement extends HTMLElement {
  #seed = 1;

  connectedCallback(): void {
    this.#seed = Number(this.dataset.seed ?? '1');
    const select = requireElement(this, 'select[name="activation"]', HTMLSelectElement);
    const dropout = requireElement(this, 'select[name="dropout"]', HTMLSelectElement);
    const button = requireElement(this, '[data-action="resample"]', HTMLButtonElement);
    const render = () => this.#render(select.value as ActivationName, Number(dropout.value));
    select.addEventListener('change', render);
    dropout.addEventListener('change', render);
    button.addEventListener('click', () => {
      this.#seed = (this.#seed + 2) % 0xfffffffe;
      this.dataset.seed = String(this.#seed);
      render();
    });
    requireElement(this, 'fieldset', HTMLFieldSetElement).disabled = false;
    button.disabled = false;
  }

  #render(activation: ActivationName, dropout: number): void {
    const cases: Case[] = gradientTable(activation, this.#seed, 32, dropout);
    const body = requireElement(this, '[data-table] tbody', HTMLTableSectionElement);
    body.replaceChildren(
      ...tableRows(cases).map((r) => {
        const tr = document.createElement('tr');
        tr.dataset.tensor = r.tensor;
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = r.tensor;
        tr.append(
          th,
          ...r.cells.map((c) => {
            const td = document.createElement('td');
            td.textContent = c;
            if (c === '0') td.dataset.zero = '';
            return td;
          }),
        );
        return tr;
      }),
    );
    requireElement(this, '[data-summary]', HTMLElement).textContent = summarize(cases);
  }
}

if (!customElements.get('nn-identical-batch')) customElements.define('nn-identical-batch', IdenticalBatchElement);
