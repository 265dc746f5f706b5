/** The result of "train with your own layer": overlaid loss curves, accuracies side by side, the slowdown. */
import type { TrainProgress, TrainSummary } from '../../exercises/train-own-layer';

const phaseText: Record<TrainProgress['phase'], string> = {
  data: 'Loading the MNIST data',
  engine: "Training with the engine's BN",
  yours: 'Training with your BN',
};

export function renderTrainingProgress(bar: HTMLProgressElement, text: HTMLElement, p: TrainProgress): void {
  bar.value = p.done;
  bar.setAttribute('aria-label', phaseText[p.phase]);
  text.textContent = `${phaseText[p.phase]}… ${Math.round(p.done * 100)} %`;
}

export async function renderTraining(chartHolder: HTMLElement, text: HTMLElement, s: TrainSummary): Promise<void> {
  const [{ compareCurves }, { readChartColors }] = await Promise.all([import('@charts/compare-curves'), import('@charts/colors')]);
  const label = { engine: "engine's BN", yours: 'your BN' } as const;
  const points = s.arms.flatMap((arm) =>
    arm.curve.map(([step, loss]) => ({ run: label[arm.name], split: 'train' as const, epoch: step / s.steps, value: loss })),
  );
  const [engine, yours] = s.arms;
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  chartHolder.replaceChildren(
    compareCurves(points, {
      colors: readChartColors(chartHolder),
      metric: 'loss',
      runs: [label.engine, label.yours],
      epochs: 1,
      ariaLabel: "Training loss with the engine's BN and with yours, over one epoch",
      ariaDescription: `Both curves start from the same weights and see the same batches; validation accuracy ${pct(engine.validationAccuracy)} (engine) and ${pct(yours.validationAccuracy)} (yours).`,
    }),
  );
  const table = document.createElement('table');
  table.className = 'code-cell-train-table';
  table.innerHTML =
    '<thead><tr><th>BN</th><th>validation accuracy</th><th>training time</th><th>last training loss</th></tr></thead><tbody></tbody>';
  for (const arm of s.arms) {
    const row = document.createElement('tr');
    row.dataset.arm = arm.name;
    for (const v of [
      label[arm.name],
      pct(arm.validationAccuracy),
      `${arm.seconds.toFixed(1)} s`,
      (arm.curve.at(-1)?.[1] ?? NaN).toFixed(5),
    ]) {
      const td = document.createElement('td');
      td.textContent = v;
      row.append(td);
    }
    table.tBodies[0].append(row);
  }
  const diff = (yours.validationAccuracy - engine.validationAccuracy) * 100;
  const note = document.createElement('p');
  note.dataset.trainSummary = '';
  note.textContent = `One epoch on ${s.images.toLocaleString('en')} images (${s.steps} steps of 32), same seed: your layer ends ${Math.abs(diff).toFixed(2)} points ${diff >= 0 ? 'above' : 'below'} the engine's, and its training took ${s.slowdown.toFixed(1)}× as long (nested arrays and float64 instead of one typed-array loop).`;
  text.replaceChildren(table, note);
}
