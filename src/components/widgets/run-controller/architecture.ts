/**
 * The architecture and training controls every training widget shares — hidden layers 1–8,
 * width 32–512, activation, initializer with a scale multiplier, optimizer and learning rate,
 * batch size, BN placement, dropout rate and placement — as one settings schema fragment, the
 * partial TrainConfig it stands for, the named presets that reproduce measured results, and the
 * check of URL values the controls cannot produce (each reported at its control, never silently
 * replaced).
 */
import { modelSpec, parseTrainConfig, summarizeSpec, trainImages, type ModelSummary, type TrainConfig } from '@engine';
import { choiceParam, numberParam, type Schema, type StateOf } from '../params';

export const widths = ['32', '64', '128', '256', '512'] as const;
export const learningRates = ['0.0001', '0.0003', '0.001', '0.003', '0.01', '0.03', '0.1', '0.3', '1', '3'] as const;
export const batchSizes = ['2', '4', '8', '16', '32', '64', '128', '256'] as const;
export const initScales = ['0.1', '0.3', '1', '3', '10'] as const;
export const dropoutRates = ['0', '0.1', '0.2', '0.3', '0.5'] as const;

export const architectureSchema = {
  layers: numberParam({ min: 1, max: 8, default: 1, integer: true }),
  width: choiceParam(widths, '128'),
  activation: choiceParam(['relu', 'sigmoid', 'tanh'] as const, 'relu'),
  init: choiceParam(['glorot-uniform', 'he-normal', 'he-uniform'] as const, 'glorot-uniform'),
  initScale: choiceParam(initScales, '1'),
  optimizer: choiceParam(['adam', 'sgd', 'adamw'] as const, 'adam'),
  lr: choiceParam(learningRates, '0.001'),
  batch: choiceParam(batchSizes, '32'),
  placement: choiceParam(['before', 'after'] as const, 'before'),
  dropout: choiceParam(dropoutRates, '0.2'),
  dropoutPlacement: choiceParam(['after', 'before'] as const, 'after'),
} satisfies Schema;

export type Architecture = StateOf<typeof architectureSchema>;

/** The training settings the controls stand for (everything but norm, images, epochs and seed). */
export function architectureConfig(a: Architecture): Partial<TrainConfig> {
  return {
    hidden: Array.from({ length: a.layers }, () => Number(a.width)),
    activation: a.activation,
    init: a.init,
    initScale: Number(a.initScale),
    optimizer: a.optimizer,
    lr: Number(a.lr),
    batchSize: Number(a.batch),
    normPlacement: a.placement === 'after' ? 'after-activation' : 'before-activation',
    dropout: Number(a.dropout),
    dropoutPlacement: a.dropoutPlacement === 'before' ? 'before-norm' : 'after-norm',
  };
}

/** Keras `model.summary()` of the model these settings build, with or without BN (no weights allocated). */
export function architectureSummary(a: Architecture, norm: 'none' | 'batch'): ModelSummary {
  return summarizeSpec(modelSpec(parseTrainConfig({ ...architectureConfig(a), norm, batchSize: 32 }), 784, 10));
}

/** "4 × 128 sigmoid · Glorot ×1 · SGD lr 0.1 · batch 32". */
export function describeArchitecture(a: Architecture): string {
  const init = { 'glorot-uniform': 'Glorot', 'he-normal': 'He normal', 'he-uniform': 'He uniform' }[a.init];
  const optimizer = { adam: 'Adam', sgd: 'SGD', adamw: 'AdamW' }[a.optimizer];
  return `${a.layers} × ${a.width} ${a.activation} · ${init} ×${a.initScale} · ${optimizer} lr ${a.lr} · batch ${a.batch}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** "Model: 4 × 128 sigmoid · … — 136,074 parameters without BN; BN adds 1,024 trainable and 1,024 non-trainable." */
export function modelLine(description: string, none: ModelSummary, batch: ModelSummary): string {
  return `Model: ${description} — ${count(none.total)} parameters without BN; BN adds ${count(batch.trainable - none.trainable)} trainable and ${count(batch.nonTrainable)} non-trainable (moving statistics).`;
}

/** The model line of the full architecture controls. */
export function architectureLine(a: Architecture): string {
  return modelLine(describeArchitecture(a), architectureSummary(a, 'none'), architectureSummary(a, 'batch'));
}

export interface ArchitecturePreset {
  /** Named by what it shows. */
  label: string;
  settings: Partial<Architecture>;
}

/**
 * Presets that reproduce measured results (1 epoch of the 54,000 images, seed 1, `npm run train`;
 * lesson 10 quotes the numbers). Deep presets use no dropout: the effect is BN's alone. Adam's deep
 * preset uses 0.1: at 0.01 the deep network trains without BN too (95.1 % against 96.6 %).
 */
export const architecturePresets = {
  classic: {
    label: 'Classic: 1 × 128 ReLU, Adam 0.001',
    settings: {
      layers: 1,
      width: '128',
      activation: 'relu',
      init: 'glorot-uniform',
      initScale: '1',
      optimizer: 'adam',
      lr: '0.001',
      batch: '32',
      dropout: '0.2',
    },
  },
  'deep-sigmoid': {
    label: 'Deep sigmoid, SGD 0.1',
    settings: {
      layers: 4,
      width: '128',
      activation: 'sigmoid',
      init: 'glorot-uniform',
      initScale: '1',
      optimizer: 'sgd',
      lr: '0.1',
      batch: '32',
      dropout: '0',
    },
  },
  'deep-relu-sgd': {
    label: 'Deep ReLU, SGD 1.0',
    settings: {
      layers: 4,
      width: '128',
      activation: 'relu',
      init: 'glorot-uniform',
      initScale: '1',
      optimizer: 'sgd',
      lr: '1',
      batch: '32',
      dropout: '0',
    },
  },
  'deep-adam': {
    label: 'Adam 0.1, deep',
    settings: {
      layers: 4,
      width: '128',
      activation: 'relu',
      init: 'glorot-uniform',
      initScale: '1',
      optimizer: 'adam',
      lr: '0.1',
      batch: '32',
      dropout: '0',
    },
  },
  'bad-init-large': {
    label: 'Bad init: ×10',
    settings: {
      layers: 1,
      width: '128',
      activation: 'relu',
      init: 'glorot-uniform',
      initScale: '10',
      optimizer: 'adam',
      lr: '0.001',
      batch: '32',
      dropout: '0.2',
    },
  },
  'bad-init-small': {
    label: 'Bad init: ×0.1',
    settings: {
      layers: 1,
      width: '128',
      activation: 'relu',
      init: 'glorot-uniform',
      initScale: '0.1',
      optimizer: 'adam',
      lr: '0.001',
      batch: '32',
      dropout: '0.2',
    },
  },
} as const satisfies Record<string, ArchitecturePreset>;

export type ArchitecturePresetName = keyof typeof architecturePresets;

/** What the presets' quoted numbers depend on besides the model: every preset sets these too. */
export const presetRun = { images: trainImages, epochs: 1, seed: 1 } as const;

/**
 * URL values (`<key>.<name>=…`) the widget's controls cannot produce: each is reported with what
 * was received and what the control offers, so the widget can say so at that control instead of
 * silently showing something else (`batch=33`, `images=123`, `layers=9`).
 */
export function rejectedUrlValues(schema: Schema, key: string, search: string): { name: string; message: string }[] {
  const params = new URLSearchParams(search);
  return Object.entries(schema).flatMap(([name, param]) => {
    const raw = params.get(`${key}.${name}`);
    if (raw === null || param.parse(raw) !== undefined) return [];
    return [
      {
        name,
        message: `The link's ${key}.${name}=${raw} is not a value this control offers, so it was not applied; the control shows the setting in use.`,
      },
    ];
  });
}

/** A whole number on a slider's grid: `images=123` or `images=1234` (step 500) is refused, not rounded. */
export function steppedParam(options: { min: number; max: number; step: number; default: number }) {
  const inner = numberParam({ ...options, integer: true });
  return {
    ...inner,
    parse: (raw: string | null | undefined) => {
      const v = inner.parse(raw);
      return v !== undefined && ((v - options.min) % options.step === 0 || v === options.max) ? v : undefined;
    },
  };
}
