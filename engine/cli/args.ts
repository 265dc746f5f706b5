/**
 * Command-line flags of `npm run train` → a validated TrainConfig. Every value goes through the
 * engine's own config checks, and errors name the flag as the user typed it.
 */
import { SchemaError } from '../schema.ts';
import { checkSetting, parseTrainConfig, type TrainConfig } from '../train/config.ts';
import { EnsembleSamples } from '../train/dropout-ensemble.ts';
import { clip, parseDecimal } from '../validate.ts';

export interface CliOptions {
  config: TrainConfig;
  json: boolean;
  help: boolean;
  /** After training a BN model, test it three ways: running averages, recalibrated statistics, batch statistics. */
  inferenceStats: boolean;
  /** Track the pooled mean and spread of this Dense layer's input during training (1-based, ≥ 2); null = off. */
  driftLayer: number | null;
  /** After training, test on the test set with its intensity changed (contrast and brightness). */
  intensity: boolean;
  /** After training a model with dropout, test the scaled network against the average over K sampled masks for each K listed; null when not asked. */
  ensemble: number[] | null;
}

/** A bad flag: the CLI prints the message and exits with status 2. */
export class UsageError extends Error {}

type Convert = (raw: string, flag: string) => unknown;

const number: Convert = (raw, flag) => {
  const v = parseDecimal(raw);
  if (v === null) throw new UsageError(`${flag} expects a decimal number such as 0.001 or 1e-3, received '${clip(raw)}'`);
  return v;
};
const text: Convert = (raw) => raw;
const numberOrOff: Convert = (raw, flag) => (raw === 'off' || raw === 'none' ? null : number(raw, flag));
const list: Convert = (raw, flag) => {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) {
    throw new UsageError(`${flag} expects layer widths separated by commas such as 128 or 128,128,128,128, received '${clip(raw)}'`);
  }
  return parts.map(Number);
};
const placement: Convert = (raw) => (raw === 'before' || raw === 'after' ? `${raw}-activation` : raw);

const flags: Record<string, { key: keyof TrainConfig; convert: Convert; help: string }> = {
  '--model': {
    key: 'model',
    convert: text,
    help: 'mlp|cnn: the classic MLP, or conv blocks (conv k×k → norm → activation → 2×2 max pool) before the Dense layers (default mlp)',
  },
  '--conv': { key: 'conv', convert: list, help: 'with --model cnn: channels of each conv block, comma list (default 8,16)' },
  '--kernel': { key: 'kernel', convert: number, help: 'with --model cnn: conv kernel side, 3 or 5 (default 3)' },
  '--padding': { key: 'padding', convert: text, help: 'with --model cnn: valid|same conv padding (default valid)' },
  '--norm': { key: 'norm', convert: text, help: 'none|batch|layer|group:G — BN, LayerNorm, or GroupNorm with G groups (default none)' },
  '--norm-placement': { key: 'normPlacement', convert: placement, help: 'before|after the activation (default before)' },
  '--hidden': { key: 'hidden', convert: list, help: 'hidden Dense widths, comma list (default 128; none with --model cnn)' },
  '--activation': { key: 'activation', convert: text, help: 'relu|sigmoid|tanh (default relu)' },
  '--dropout': { key: 'dropout', convert: number, help: 'rate in [0, 1) (default 0.2)' },
  '--dropout-placement': {
    key: 'dropoutPlacement',
    convert: text,
    help: 'after-norm|before-norm: dropout after or right before BN (default after-norm)',
  },
  '--init': { key: 'init', convert: text, help: 'glorot-uniform|he-normal|he-uniform (default glorot-uniform)' },
  '--init-scale': {
    key: 'initScale',
    convert: number,
    help: 'multiplies the initial weights of every kernel (Dense and convolution), in [0.001, 1000] (default 1)',
  },
  '--optimizer': { key: 'optimizer', convert: text, help: 'adam|adamw|sgd (default adam)' },
  '--lr': { key: 'lr', convert: number, help: 'learning rate in (0, 10] (default 0.001)' },
  '--momentum': { key: 'momentum', convert: number, help: 'SGD momentum in [0, 1) (default 0)' },
  '--bn-momentum': { key: 'bnMomentum', convert: number, help: 'BN moving-average momentum, Keras direction, in [0, 1] (default 0.99)' },
  '--epsilon': { key: 'epsilon', convert: number, help: 'BN epsilon in (0, 1] (default 0.001)' },
  '--bn-noise': {
    key: 'bnNoise',
    convert: number,
    help: 'noise after every BN layer in training (Santurkar et al. 2018): per step and unit, mean from U(-s, s), spread from U(0, s); in [0, 10] (default 0, off)',
  },
  '--bn-ablation': {
    key: 'bnAblation',
    convert: text,
    help: "full|center|scale|frozen-affine, with --norm batch: BN's centering only, its scaling only, or γ, β frozen at 1, 0 (default full)",
  },
  '--weight-decay': { key: 'weightDecay', convert: number, help: 'decoupled weight decay for adamw, in [0, 1] (default 0)' },
  '--l2': { key: 'l2', convert: number, help: 'coupled L2 coefficient for adam/sgd, penalty l2·Σw², in [0, 1] (default 0)' },
  '--clip-norm': { key: 'clipNorm', convert: numberOrOff, help: 'clip the global gradient norm to this (default off)' },
  '--clip-value': { key: 'clipValue', convert: numberOrOff, help: 'clip each gradient element to ±this (default off)' },
  '--diverge-above': { key: 'divergeAbove', convert: number, help: 'stop as diverged when a batch loss exceeds this (default 1000)' },
  '--batch-size': { key: 'batchSize', convert: number, help: 'mini-batch size in [1, 4096] (default 32)' },
  '--epochs': { key: 'epochs', convert: number, help: 'epochs in [1, 1000] (default 5)' },
  '--seed': { key: 'seed', convert: number, help: 'integer seed in [0, 4294967295] (default 1)' },
  '--train-limit': { key: 'trainLimit', convert: number, help: 'train on the first N images (default all 54,000)' },
  '--data-order': {
    key: 'dataOrder',
    convert: text,
    help: 'shuffle-each-epoch|shuffle-once|sorted-by-class|one-class-per-batch: which images share a batch (default shuffle-each-epoch)',
  },
  '--backend': { key: 'backend', convert: text, help: 'wasm|ts kernels (default wasm where WebAssembly SIMD runs)' },
};

const flagOf = Object.fromEntries(Object.entries(flags).map(([flag, f]) => [f.key, flag]));

export function usage(): string {
  const width = Math.max(...Object.keys(flags).map((f) => f.length)) + 2;
  const rows = Object.entries(flags).map(([flag, f]) => `  ${flag.padEnd(width)}${f.help}`);
  return [
    'Usage: npm run train -- [flags]',
    '',
    'Trains the MLP of the classic assignment on real MNIST (54,000 train / 6,000 validation / 10,000 test).',
    '',
    ...rows,
    `  ${'--json'.padEnd(width)}print one JSON document on stdout instead of Keras-style lines`,
    `  ${'--inference-stats'.padEnd(width)}with --norm batch: also test with recalibrated BN statistics and with batch statistics at batch 1, 8, 256`,
    `  ${'--drift K'.padEnd(width)}track the mean and spread of Dense layer K's input (K ≥ 2) during training, and its drift`,
    `  ${'--intensity'.padEnd(width)}also test on test images with changed contrast (×0.5, ×2) and brightness (+0.2, +0.4)`,
    `  ${'--ensemble'.padEnd(width)}with --dropout > 0: also test the average over K sampled dropout masks, K a comma list such as 1,10,100`,
    `  ${'--help'.padEnd(width)}show this help`,
  ].join('\n');
}

export function parseArgs(argv: string[]): CliOptions {
  const settings: Partial<Record<keyof TrainConfig, unknown>> = {};
  let json = false;
  let help = false;
  let inferenceStats = false;
  let driftLayer: number | null = null;
  let intensity = false;
  let ensemble: number[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (arg === '--inference-stats') {
      inferenceStats = true;
      continue;
    }
    if (arg === '--intensity') {
      intensity = true;
      continue;
    }
    if (arg === '--drift') {
      const raw = argv[++i];
      if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < 2)
        throw new UsageError(
          `--drift expects the number of a Dense layer with a layer before it (2 or more), received '${clip(raw ?? '')}'`,
        );
      driftLayer = Number(raw);
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--ensemble' || arg.startsWith('--ensemble=')) {
      ensemble = ensembleSamples(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = flags[flag];
    if (!spec) {
      throw new UsageError(
        `unknown flag '${clip(arg)}'; expected one of ${[...Object.keys(flags), '--json', '--inference-stats', '--drift', '--intensity', '--ensemble', '--help'].join(', ')}`,
      );
    }
    const raw = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw new UsageError(`${flag} needs a value: ${spec.help}`);
    try {
      settings[spec.key] = checkSetting(spec.key, spec.convert(raw, flag));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${flag}: ${(e as Error).message.replace(/^train config: \w+ /, '')} (${spec.help})`);
    }
  }
  let config: TrainConfig;
  try {
    config = parseTrainConfig(settings);
  } catch (e) {
    // Cross-field checks name config keys; speak in flags instead.
    const message = (e as Error).message.replace(/\b(weightDecay|l2|momentum|optimizer)\b/g, (k) => flagOf[k] ?? k);
    throw new UsageError(message.replace(/^train config: /, ''));
  }
  // A test the model cannot take is refused before training, not skipped after it.
  if (inferenceStats && config.norm !== 'batch') {
    throw new UsageError(`--inference-stats tests BN's statistics and needs --norm batch, received --norm ${config.norm}`);
  }
  if (ensemble && !(config.dropout > 0))
    throw new UsageError(`--ensemble samples dropout masks and needs --dropout above 0, received --dropout ${config.dropout}`);
  return { config, json, help, inferenceStats, driftLayer, intensity, ensemble };
}

/** `--ensemble 1,10,100`: the engine's own rule (EnsembleSamples), said in the flag's terms. */
function ensembleSamples(raw: string | undefined): number[] {
  const expected = '1 to 8 strictly ascending numbers of masks from 1 to 10000 separated by commas, such as 1,10,100';
  if (raw === undefined || !/^\d+(,\d+)*$/.test(raw))
    throw new UsageError(`--ensemble expects ${expected}, received '${clip(String(raw ?? ''))}'`);
  try {
    return EnsembleSamples.parse(raw.split(',').map(Number), '--ensemble');
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    throw new UsageError(`--ensemble expects ${expected}, received '${clip(raw)}'`);
  }
}
