/**
 * `<nn-norm-axes>`: makes NormAxes.astro live. On a change of method, groups, layer, batch or the
 * chosen cell (its selects, or a click on a cell) it redraws the table and the summary from the
 * geometry alone (model.ts); with real activations set (`showActivations`) each cell shows its
 * mean over H·W and a second line gives the chosen statistic's mean and variance.
 */
import { requireElement } from '../widget-dom';
import { gridRows, type GridState } from './grid';
import { cellMeans, describe, groupChoices, layers, statistics, statisticOf, type Activations, type Geometry, type Method } from './model';

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

export class NormAxesElement extends HTMLElement {
  #activations: Activations | null = null;

  connectedCallback(): void {
    for (const name of ['method', 'groups', 'layer', 'batch', 'n', 'c'])
      this.#select(name).addEventListener('change', () => this.#render());
    requireElement(this, '[data-grid]', HTMLTableElement).addEventListener('click', (event) => {
      const cell = (event.target as HTMLElement).closest('td');
      if (!cell) return;
      this.#select('n').value = cell.dataset.n ?? '0';
      this.#select('c').value = cell.dataset.c ?? '0';
      this.#render();
    });
    requireElement(this, 'fieldset', HTMLFieldSetElement).disabled = false;
    this.dataset.ready = '';
  }

  /** Real activations (a conv output before normalization): the geometry follows them; null goes back to the layer choices. */
  showActivations(a: Activations | null): void {
    this.#activations = a;
    for (const name of ['layer', 'batch']) requireElement(this, `[data-control="${name}"]`, HTMLElement).hidden = a !== null;
    this.#render();
  }

  #select(name: string): HTMLSelectElement {
    return requireElement(this, `select[name="${name}"]`, HTMLSelectElement);
  }

  #geometry(): Geometry {
    if (this.#activations) return this.#activations;
    const layer = layers.find((l) => l.id === this.#select('layer').value) ?? layers[0];
    return { batch: Number(this.#select('batch').value), height: layer.height, width: layer.width, channels: layer.channels };
  }

  /** Rewrites a select's options, keeping its value when it is still offered. */
  #options(name: string, values: number[], label: (v: number) => string, fallback: number): number {
    const select = this.#select(name);
    const keep = values.includes(Number(select.value)) ? Number(select.value) : fallback;
    select.replaceChildren(...values.map((v) => new Option(label(v), String(v), false, v === keep)));
    select.value = String(keep);
    return keep;
  }

  #render(): void {
    const g = this.#geometry();
    const divisors = groupChoices(g.channels);
    const state: GridState = {
      method: this.#select('method').value as Method,
      groups: this.#options('groups', divisors, String, divisors[Math.min(1, divisors.length - 1)]),
      n: this.#options('n', [...Array(g.batch).keys()], (v) => String(v + 1), 0),
      c: this.#options('c', [...Array(g.channels).keys()], (v) => String(v + 1), 0),
    };
    requireElement(this, '[data-control="groups"]', HTMLElement).hidden = state.method !== 'group';
    const table = requireElement(this, '[data-grid]', HTMLTableElement);
    const head = document.createElement('tr');
    head.append(th('col', 'example'), ...Array.from({ length: g.channels }, (_, c) => th('col', `c${c + 1}`)));
    table.tHead!.replaceChildren(head);
    const a = this.#activations;
    table.tBodies[0].replaceChildren(
      ...gridRows(g, state, a ? cellMeans(a) : null).map((row, n) => {
        const tr = document.createElement('tr');
        tr.append(
          th('row', `n${n + 1}`),
          ...row.map((cell) => {
            const td = document.createElement('td');
            Object.assign(td.dataset, { n: String(cell.n), c: String(cell.c), stat: String(cell.stat) });
            if (cell.selected) td.dataset.selected = '';
            td.textContent = cell.text;
            return td;
          }),
        );
        return tr;
      }),
    );
    requireElement(this, '[data-summary]', HTMLElement).textContent = describe(state.method, state.groups, g);
    const line = requireElement(this, '[data-activations]', HTMLElement);
    if (!a) {
      line.textContent = '';
      return;
    }
    const s = statistics(a, state.method, state.groups)[statisticOf(state.method, state.groups, g, state.n, state.c)];
    const others = state.method === 'batch' ? `all ${g.batch} examples` : `example ${state.n + 1} alone — no other example enters`;
    line.textContent = `The marked cells (example ${state.n + 1}, channel ${state.c + 1}): μ = ${fmt(s.mean)}, σ² = ${fmt(s.variance)} over ${s.count.toLocaleString('en')} values from ${others}.`;
  }
}

function th(scope: 'row' | 'col', text: string): HTMLTableCellElement {
  const cell = document.createElement('th');
  cell.scope = scope;
  cell.textContent = text;
  return cell;
}

if (!customElements.get('nn-norm-axes')) customElements.define('nn-norm-axes', NormAxesElement);
