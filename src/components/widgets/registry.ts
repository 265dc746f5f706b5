/**
 * Every widget that can be embedded alone (`/embed/<name>/`, for an instructor's LMS iframe).
 * To register a widget, add one entry; the embed route and the widget index are built from this
 * list. The component must accept `embed?: boolean` (and should accept `key` and `hide`).
 */
import type { AstroComponentFactory } from 'astro/runtime/server/index.js';
import BnExplorer from './bn-explorer/BnExplorer.astro';
import BatchesInSpace from './batches-in-space/BatchesInSpace.astro';
import RunningStats from './running-stats/RunningStats.astro';
import BnGradient from './bn-gradient/BnGradient.astro';
import BatchSweep from './batch-sweep/BatchSweep.astro';
import BnVsNone from './bn-vs-none/BnVsNone.astro';
import LayerDiagnostics from './layer-diagnostics/LayerDiagnostics.astro';
import TrainingRun from './training-run/TrainingRun.astro';
import DropoutMasks from './dropout-masks/DropoutMasks.astro';

export interface WidgetEntry {
  /** URL segment: `embed/<name>/`. kebab-case. */
  name: string;
  title: string;
  description: string;
  component: AstroComponentFactory;
  /** Control names that embed URLs can hide with `?hide=a,b`. */
  controls: readonly string[];
  /** Needs the MNIST assets (experiment widgets); shown as such in the index. */
  trains?: boolean;
}

export const widgets: readonly WidgetEntry[] = [
  {
    name: 'bn-explorer',
    title: 'BN transform explorer',
    description: 'Histograms of x, x̂ and y for one mini-batch, with γ, β, ε, batch size and a movable sample.',
    component: BnExplorer,
    controls: ['dist', 'n', 'gamma', 'beta', 'eps', 'shift', 'actions'],
  },
  {
    name: 'batches-in-space',
    title: 'Mini-batches in space',
    description: 'Mini-batches of 2-D points far apart; normalizing each batch brings them all to the origin with unit spread.',
    component: BatchesInSpace,
    controls: ['t', 'batches', 'size', 'actions'],
  },
  {
    name: 'running-stats',
    title: 'Running statistics: train versus eval',
    description:
      'A stream of mini-batches feeds a BN layer: its moving mean and variance converge under momentum ρ (Keras) / 1 − ρ (PyTorch), biased or unbiased, and eval outputs for one sample are off until they do.',
    component: RunningStats,
    controls: ['population', 'rho', 'n', 'variance', 'steps', 'at', 'actions'],
  },
  {
    name: 'bn-gradient',
    title: 'Backpropagation through BN',
    description:
      'A batch, an upstream gradient and the input gradient from the engine’s BN backward, checked against finite differences: dx sums to zero, ignores a constant or x̂-aligned dy, and reaches samples that received no gradient.',
    component: BnGradient,
    controls: ['upstream', 'n', 'gamma', 'eps', 'actions'],
  },
  {
    name: 'training-run',
    title: 'Training run',
    description:
      'The assignment’s MLP trained on real MNIST in the browser: settings, live loss and accuracy curves, pause, live learning rate, dropout, BN momentum, weight decay and clipping, saved runs with CSV/JSON export.',
    component: TrainingRun,
    controls: [
      'presets',
      'layers',
      'width',
      'activation',
      'init',
      'initScale',
      'dropoutPlacement',
      'norm',
      'placement',
      'optimizer',
      'momentum',
      'batch',
      'images',
      'epochs',
      'lr',
      'dropout',
      'bnMomentum',
      'decay',
      'clip',
      'clipValue',
      'actions',
      'history',
    ],
    trains: true,
  },
  {
    name: 'bn-vs-none',
    title: 'BN vs none: the classic assignment',
    description:
      'The same MLP trained with and without BN from the same initial weights on real MNIST: overlaid curves, the assignment’s results table with its claims beside the measurements, Keras summaries, BN’s time and memory cost.',
    component: BnVsNone,
    controls: [
      'images',
      'epochs',
      'layers',
      'width',
      'activation',
      'init',
      'initScale',
      'optimizer',
      'lr',
      'batch',
      'placement',
      'dropout',
      'dropoutPlacement',
      'architecture-presets',
      'bnMomentum',
      'seed',
      'presets',
      'actions',
      'inference',
    ],
    trains: true,
  },
  {
    name: 'batch-sweep',
    title: 'Batch-size sweep',
    description:
      'Batch sizes 16 to 256, with and without BN, run from a visible queue: final accuracy and time per epoch against batch size.',
    component: BatchSweep,
    controls: [
      'axis',
      'lrs',
      'sizes',
      'depths',
      'scales',
      'layers',
      'width',
      'activation',
      'init',
      'initScale',
      'optimizer',
      'lr',
      'batch',
      'placement',
      'dropout',
      'dropoutPlacement',
      'architecture-presets',
      'images',
      'epochs',
      'norms',
      'seed',
      'presets',
      'actions',
      'saved',
    ],
    trains: true,
  },
  {
    name: 'layer-diagnostics',
    title: 'Inside the layers while they train',
    description:
      'Per-layer activation and gradient histograms over time, update:weight ratios against the 1e-3 rule of thumb, and BN’s running statistics converging, live from a training run.',
    component: LayerDiagnostics,
    controls: [
      'norm',
      'layers',
      'width',
      'activation',
      'init',
      'initScale',
      'optimizer',
      'lr',
      'batch',
      'placement',
      'dropout',
      'dropoutPlacement',
      'architecture-presets',
      'clip',
      'images',
      'epochs',
      'layer',
      'seed',
      'presets',
      'actions',
    ],
    trains: true,
  },
  {
    name: 'dropout-masks',
    title: 'Dropout masks on a hidden layer',
    description:
      'Which of the 128 hidden units a training run drops at each step, for an adjustable rate: the run’s own seeded masks, the kept count against its expectation, and the 1/(1 − p) scale of the survivors.',
    component: DropoutMasks,
    controls: ['rate', 'steps', 'actions'],
  },
];
