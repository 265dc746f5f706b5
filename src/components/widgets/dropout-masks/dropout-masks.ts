/**
 * `<nn-dropout-masks>`: makes DropoutMasks.astro live. Redraws the masks (the engine's dropout
 * layer on at most 32 batches of 32 × 128, well under a millisecond) on every input; the chart is
 * redrawn only when what it shows changed.
 */
import { readChartColors } from '@charts/colors';
import { dropoutMasks } from '@charts/dropout-masks';
import { chartShapes } from '@charts/size';
import { SettingsWidget } from '../settings-widget';
import { rangeControl, requireElement } from '../widget-dom';
import { masksChartOptions } from './charts';
import { fmt, maskStats, maxSteps, runMasks, schema, summarize, type State } from './model';

export class DropoutMasksElement extends SettingsWidget<typeof schema> {
  #drawn = '';

  constructor() {
    super(schema, 'masks');
  }

  protected bind(): void {
    this.bindSliders([
      ['rate', (v) => Number(v.toFixed(2))],
      ['steps', (v) => v],
    ]);
    this.onAction('step', () => this.update({ steps: Math.min(maxSteps, this.state.steps + 1) }));
    this.onAction('reseed', () => this.update({ seed: (this.state.seed + 1) % 0x100000000 }));
    this.onAction('reset', () => this.update(this.initial));
    this.onAction('share', () => this.share());
  }

  protected render(s: State): void {
    const masks = runMasks(s);
    const st = maskStats(masks, s.rate);
    rangeControl(this, 'rate').show(s.rate, fmt(s.rate));
    rangeControl(this, 'steps').show(s.steps, String(s.steps));
    this.button('step').disabled = s.steps >= maxSteps;
    const values: [string, string][] = [
      ['seed', String(s.seed)],
      ['kept', `${st.kept[st.kept.length - 1]} of 128`],
      ['expected', `${fmt(st.expected, 1)} ± ${fmt(st.sd, 1)}`],
      ['scale', fmt(st.scale)],
    ];
    for (const [name, text] of values) requireElement(this, `[data-value="${name}"]`, HTMLElement).textContent = text;
    requireElement(this, '[data-summary]', HTMLElement).textContent = summarize(s, st);

    const options = { ...masksChartOptions(s, st, readChartColors(this)), ...this.fit('masks', chartShapes.wide) };
    const { colors, ...shown } = options;
    const key = `${JSON.stringify([s, shown, colors.fg, colors.y, colors.grid])}`;
    if (this.#drawn === key) return;
    this.#drawn = key;
    requireElement(this, '[data-chart="masks"]', HTMLElement).replaceChildren(dropoutMasks(masks, options));
  }
}

if (!customElements.get('nn-dropout-masks')) customElements.define('nn-dropout-masks', DropoutMasksElement);
