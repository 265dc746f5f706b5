/**
 * Saved runs as files a student can open elsewhere: JSON (everything, re-importable by eye or by
 * script, including a diagnostics run's per-layer frames) and CSV (one row per epoch with the
 * settings that tell runs apart, ready for a spreadsheet; several runs stack into one table).
 * Diagnostics frames are in the JSON only: histograms and per-layer vectors do not fit a row per
 * epoch.
 */
import { configAt, type RunRecord } from './run-record';

export const csvColumns = [
  'run_id',
  'label',
  'state',
  'norm',
  'norm_placement',
  'optimizer',
  'lr',
  'batch_size',
  'dropout',
  'seed',
  'train_images',
  'epoch',
  'step',
  'train_loss',
  'train_accuracy',
  'val_loss',
  'val_accuracy',
  'test_loss',
  'test_accuracy',
  'epoch_seconds',
  'samples_per_second',
  // The model and the rest of the training settings, so a row says what was trained.
  'hidden_layers',
  'units',
  'activation',
  'init',
  'init_scale',
  'weight_decay',
  'l2',
  'clip_norm',
  'clip_value',
  'epochs',
] as const;

type Cell = string | number | null | undefined;

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One row per completed epoch; a run that ended before its first epoch (diverged, stopped) gets
 * one row from its summary so it still shows up. lr and dropout are the values in force at the
 * end of that epoch when they were changed during the run. The test set is evaluated at the end
 * of a run (or every epoch when asked): its numbers sit on the epoch rows they belong to.
 */
export function runsToCsv(records: readonly RunRecord[]): string {
  const lines = [csvColumns.join(',')];
  for (const r of records) {
    const c = r.config;
    const trainImages = r.info?.trainCount ?? c.trainLimit;
    const common = (step: number): Cell[] => {
      const at = configAt(r, step);
      return [r.id, r.label, r.state, c.norm, c.normPlacement, c.optimizer, at.lr, c.batchSize, at.dropout, c.seed, trainImages];
    };
    const model: Cell[] = [
      c.hidden.length,
      c.hidden.join(' '),
      c.activation,
      c.init,
      c.initScale,
      c.weightDecay,
      c.l2,
      c.clipNorm,
      c.clipValue,
      c.epochs,
    ];
    const rows: Cell[][] = r.epochs.map((e, i) => {
      const test = e.test ?? (i === r.epochs.length - 1 && r.summary?.steps === e.step ? r.summary.test : null);
      return [
        ...common(e.step),
        e.epoch,
        e.step,
        e.train.loss,
        e.train.accuracy,
        e.validation?.loss,
        e.validation?.accuracy,
        test?.loss,
        test?.accuracy,
        e.seconds,
        e.samplesPerSecond,
      ];
    });
    if (rows.length === 0 && r.summary) {
      const s = r.summary;
      rows.push([
        ...common(s.steps),
        s.epochs,
        s.steps,
        s.train?.loss,
        s.train?.accuracy,
        s.validation?.loss,
        s.validation?.accuracy,
        s.test?.loss,
        s.test?.accuracy,
        null,
        s.samplesPerSecond,
      ]);
    }
    for (const row of rows) lines.push([...row, ...model].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Every field of the records, diagnostics frames included, with NaN/Infinity kept readable as
 * strings (JSON has no such numbers) and typed arrays (histogram counts, BN statistics) written as
 * plain arrays (JSON.stringify would write them as objects keyed "0", "1", …).
 */
export function runsToJson(records: readonly RunRecord[]): string {
  const replacer = (_key: string, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
    return value;
  };
  return `${JSON.stringify({ format: 'normlab-runs', version: 1, runs: records }, replacer, 2)}\n`;
}

/** A file name for an export: `normlab-<label or id>-<date>.<ext>`. */
export function exportFileName(records: readonly RunRecord[], extension: 'csv' | 'json', date = new Date()): string {
  const stem = records.length === 1 ? records[0].id : `${records.length}-runs`;
  return `normlab-${stem}-${date.toISOString().slice(0, 10)}.${extension}`;
}
