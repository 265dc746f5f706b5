/**
 * `<nn-norm-axes>`: makes NormAxes.astro live. On a change of method, groups, layer, batch or the
 * chosen cell (its selects, or a click on a cell) it redraws the table and the summary from the
 * geometry alone (model.ts). Its one run (plan.ts, on the shared run controller) trains the small
 * ConvNet and keeps it; the `feature-maps` probe then returns the first two conv layers' outputs
 * before normalization on a few test images, and for those layers each cell shows its mean over
 * H·W and a second line gives the chosen statistic's mean and variance, computed in the page.
 */
import type { FeatureMaps } from '@engine/worker/protocol.ts';
import type { ExperimentPlan } from '@experiments/plan';
import { RunController } from '../run-controller/run-controller';
import { requireElement } from '../widget-dom';
import { gridRows, type GridState } from './grid';
import { cellMeans, describe, groupChoices, layers, statistics, statisticOf, type Activations, type Geometry, type Method } from './model';
import { normAxesPlan, probeImages } from './plan';

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
const controls = ['method', 'groups', 'layer', 'batch', 'n', 'c'] as const;

export class NormAxesElement extends RunController {
  /** The probe's answers by conv block (0, 1), for the layers the trained ConvNet has. */
  maps = new Map<number, FeatureMaps>();
  #probing = false;
  #error = '';

  constructor() {
    super({ stop: 'cancel-all', noun: 'run', restore: false, live: controls });
  }

  protected plan(): ExperimentPlan {
    return normAxesPlan;
  }

  protected connect(): void {
    for (const name of controls) this.#select(name).addEventListener('change', () => this.render(0));
    requireElement(this, '[data-grid]', HTMLTableElement).addEventListener('click', (event) => {
      const cell = (event.target as HTMLElement).closest('td');
      if (!cell) return;
      this.#select('n').value = cell.dataset.n ?? '0';
      this.#select('c').value = cell.dataset.c ?? '0';
      this.render(0);
    });
    requireElement(this, 'fieldset', HTMLFieldSetElement).disabled = false;
    this.dataset.ready = '';
  }

  protected onStart(): void {
    this.maps = new Map();
    this.#error = '';
  }

  protected onRunChange(): void {
    const entry = this.queue[0];
    if (entry?.state === 'done' && entry.runId && this.maps.size === 0 && !this.#probing && !this.#error)
      void this.#probe(entry.key, entry.runId);
  }

  async #probe(key: string, runId: string): Promise<void> {
    this.#probing = true;
    for (const layer of [0, 1]) {
      const reply = await this.clientOf(key).probe(runId, { kind: 'feature-maps', layer, count: probeImages, start: 0 });
      if (!reply.ok) {
        this.#error = reply.error.message;
        break;
      }
      this.maps.set(layer, reply.value);
    }
    this.#probing = false;
    this.render(0);
  }

  #select(name: string): HTMLSelectElement {
    return requireElement(this, `select[name="${name}"]`, HTMLSelectElement);
  }

  /** The chosen layer and batch, with the real activations of its first N test images when the probe returned that layer. */
  #geometry(): { g: Geometry; a: Activations | null } {
    const index = Math.max(
      0,
      layers.findIndex((l) => l.id === this.#select('layer').value),
    );
    const layer = layers[index];
    const batch = Number(this.#select('batch').value);
    const g = { batch, height: layer.height, width: layer.width, channels: layer.channels };
    const m = this.maps.get(index);
    if (!m || m.height !== g.height || m.channels !== g.channels) return { g, a: null };
    return { g, a: { ...g, x: m.preNorm.subarray(0, batch * g.height * g.width * g.channels) } };
  }

  /** Rewrites a select's options, keeping its value when it is still offered. */
  #options(name: string, values: number[], label: (v: number) => string, fallback: number): number {
    const select = this.#select(name);
    const keep = values.includes(Number(select.value)) ? Number(select.value) : fallback;
    select.replaceChildren(...values.map((v) => new Option(label(v), String(v), false, v === keep)));
    select.value = String(keep);
    return keep;
  }

  protected showText(): void {
    const { g, a } = this.#geometry();
    const divisors = groupChoices(g.channels);
    const state: GridState = {
      method: this.#select('method').value as Method,
      groups: this.#options('groups', divisors, String, divisors[Math.min(1, divisors.length - 1)]),
      n: this.#options('n', [...Array(g.batch).keys()], (v) => String(v + 1), 0),
      c: this.#options('c', [...Array(g.channels).keys()], (v) => String(v + 1), 0),
    };
    requireElement(this, '[data-control="groups"]', HTMLElement).hidden = state.method !== 'group';
    this.#table(g, state, a);
    requireElement(this, '[data-summary]', HTMLElement).textContent = describe(state.method, state.groups, g);
    requireElement(this, '[data-activations]', HTMLElement).textContent = this.#activationsLine(g, state, a);
  }

  protected draw(): (() => void)[] {
    return [];
  }

  #activationsLine(g: Geometry, state: GridState, a: Activations | null): string {
    if (this.#error) return `The worker could not return the activations: ${this.#error}`;
    if (this.#probing) return 'Asking the worker for the conv layers’ outputs…';
    if (this.maps.size === 0) return '';
    if (!a) return 'The trained ConvNet has two conv layers; this one is drawn from its shape alone.';
    const s = statistics(a, state.method, state.groups)[statisticOf(state.method, state.groups, g, state.n, state.c)];
    const from =
      state.method === 'batch'
        ? `all ${g.batch} test image${g.batch === 1 ? '' : 's'} of the batch`
        : `test image ${state.n + 1} alone — no other image enters`;
    return `Real activations (each cell: its mean over the ${g.height} × ${g.width} positions). The marked cells' statistic: μ = ${fmt(s.mean)}, σ² = ${fmt(s.variance)} over ${s.count.toLocaleString('en')} values from ${from}.`;
  }

  #table(g: Geometry, state: GridState, a: Activations | null): void {
    const table = requireElement(this, '[data-grid]', HTMLTableElement);
    const head = document.createElement('tr');
    head.append(th('col', 'example'), ...Array.from({ length: g.channels }, (_, c) => th('col', `c${c + 1}`)));
    table.tHead!.replaceChildren(head);
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
  }
}

function th(scope: 'row' | 'col', text: string): HTMLTableCellElement {
  const cell = document.createElement('th');
  cell.scope = scope;
  cell.textContent = text;
  return cell;
}

if (!customElements.get('nn-norm-axes')) customElements.define('nn-norm-axes', NormAxesElement);
