/**
 * `<nn-feature-maps>`: trains the ConvNet with BN on the kit (one run, its model kept), asks the
 * worker for one conv block's output on a batch of test images before its BN (the `feature-maps`
 * probe), and normalizes that batch in the page: per channel over N·R·S values, as BN does, or per
 * position over N values, the alternative that breaks translation equivariance. It shows one
 * image's maps before and after, and each channel's mean and variance.
 */
import { readChartColors } from '@charts/colors';
import { featureMapGrid } from '@charts/feature-map-grid';
import type { FeatureMaps } from '@engine/worker/protocol.ts';
import type { ExperimentPlan } from '@experiments/plan';
import { RunController } from '../run-controller/run-controller';
import { batchStats, channelMap, channelSummary, normalize, positionScaleSpread, type StatsMode } from './model';
import { batchImages, featureMapsPlan } from './plan';

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));

export class FeatureMapsElement extends RunController {
  /** The probe's answer for the block shown (also for the browser tests), or null before one. */
  maps: FeatureMaps | null = null;
  mode: StatsMode = 'channel';
  #layer = 0;
  #image = 0;
  #probing = false;
  #error = '';

  constructor() {
    super({ stop: 'cancel-all', noun: 'run', restore: false });
  }

  protected plan(): ExperimentPlan {
    return featureMapsPlan;
  }

  protected connect(): void {
    this.addEventListener('change', (event) => {
      const input = event.target as HTMLInputElement;
      if (input.name === 'mode') this.mode = input.value === 'position' ? 'position' : 'channel';
      if (input.name === 'layer') {
        this.#layer = Number(input.value);
        this.maps = null;
        void this.#probe();
      }
      this.render(0);
    });
    this.addEventListener('input', (event) => {
      const input = event.target as HTMLInputElement;
      if (input.name !== 'image') return;
      this.#image = Number(input.value);
      this.el('output[data-for="image"]').textContent = String(this.#image + 1);
      this.render(0);
    });
  }

  protected onStart(): void {
    this.maps = null;
    this.#error = '';
  }

  protected onRunChange(): void {
    const entry = this.queue[0];
    if (entry?.state === 'done' && entry.runId && !this.maps && !this.#probing && !this.#error) void this.#probe();
  }

  async #probe(): Promise<void> {
    const entry = this.queue[0];
    if (!entry?.runId || entry.state !== 'done') return;
    this.#probing = true;
    this.#enableView(false);
    this.el('[data-maps-status]').textContent =
      `Asking the worker for conv block ${this.#layer + 1}’s output on ${batchImages} test images…`;
    const reply = await this.clientOf(entry.key).probe(entry.runId, {
      kind: 'feature-maps',
      layer: this.#layer,
      count: batchImages,
      start: 0,
    });
    this.#probing = false;
    if (reply.ok) this.maps = reply.value;
    else this.#error = reply.error.message;
    this.#enableView(reply.ok);
    this.render(0);
  }

  /** The view's controls work once the worker has answered (one probe at a time per run). */
  #enableView(enabled: boolean): void {
    for (const input of this.querySelectorAll<HTMLInputElement>('[data-control="view"] input')) input.disabled = !enabled;
  }

  protected showText(): void {
    const status = this.el('[data-maps-status]');
    const m = this.maps;
    if (this.#error) status.textContent = `The worker could not show the feature maps: ${this.#error}`;
    else if (!m) status.textContent = this.#probing ? status.textContent : 'Train the ConvNet to see its feature maps.';
    else {
      const per = this.mode === 'channel' ? m.batch * m.height * m.width : m.batch;
      status.textContent = `Conv block ${m.layer + 1}: ${m.batch} test images × ${m.height} × ${m.width} positions × ${m.channels} channels. ${
        this.mode === 'channel'
          ? `Per channel, each mean and variance is computed from N·R·S = ${m.batch} · ${m.height} · ${m.width} = ${per} values, as BN does.`
          : `Per position, each mean and variance is computed from only N = ${per} values, one per image, at each of ${m.height * m.width} positions of each channel.`
      }`;
    }
  }

  protected draw(): (() => void)[] {
    const m = this.maps;
    if (!m) return [];
    const stats = batchStats(m, this.mode);
    const after = normalize(m, stats);
    const image = Math.min(this.#image, m.batch - 1);
    const colors = readChartColors(this);
    const width = Math.max(240, this.el('[data-before]').clientWidth || 640);
    const grid = (target: string, values: Float32Array, what: string) => () => {
      const maps = Array.from({ length: m.channels }, (_, c) => channelMap(m, values, image, c));
      const chart = featureMapGrid(maps, {
        colors,
        rows: m.height,
        cols: m.width,
        width,
        ariaLabel: `${what}: the ${m.channels} channels of test image ${image + 1} (a ${m.labels[image]})`,
        ariaDescription: `One ${m.height} × ${m.width} picture per channel; blue below 0, red above.`,
      });
      this.el(target).replaceChildren(chart);
    };
    return [
      grid('[data-before]', m.preNorm, 'Conv output before normalization'),
      grid(
        '[data-after]',
        after,
        this.mode === 'channel' ? 'After BN per channel (γ, β applied)' : 'After per-position normalization (γ, β applied)',
      ),
      () => this.#table(after, stats.mode === 'position' ? positionScaleSpread(m, stats) : null),
    ];
  }

  #table(after: Float32Array, spread: number[] | null): void {
    const m = this.maps!;
    const before = channelSummary(m, m.preNorm);
    const out = channelSummary(m, after);
    const body = this.el('[data-stats] tbody');
    body.replaceChildren(
      ...before.mean.map((_, c) => {
        const row = document.createElement('tr');
        const cells = [
          String(c + 1),
          fmt(before.mean[c]),
          fmt(before.variance[c]),
          fmt(out.mean[c]),
          fmt(out.variance[c]),
          m.norm.gamma ? fmt(m.norm.gamma[c]) : '—',
          m.norm.beta ? fmt(m.norm.beta[c]) : '—',
          spread ? `${(spread[c] * 100).toFixed(0)} %` : '0 %',
        ];
        row.append(...cells.map((text, i) => Object.assign(document.createElement(i === 0 ? 'th' : 'td'), { textContent: text })));
        return row;
      }),
    );
  }
}

customElements.define('nn-feature-maps', FeatureMapsElement);
