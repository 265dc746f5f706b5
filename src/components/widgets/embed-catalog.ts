/**
 * What an instructor needs to embed each widget of the registry: the visible label of every
 * control name that `hide=` accepts, and the iframe height to use when the LMS page does not run
 * the resize script (about the widget's height at 800 px wide, with its saved-run list empty).
 * Kept beside the registry so the embed index (src/pages/embed/index.astro) can show them; that
 * page fails the build when a registered widget or control has no entry here, and a browser test
 * (test/e2e/embed.spec.ts) checks that every label matches the widget's own.
 */
import type { WidgetEntry } from './registry';

/** Labels shared by several widgets (buttons and groups have no visible label of their own). */
const groupLabels: Record<string, string> = {
  actions: 'the action buttons (start, reset, copy link…)',
  presets: 'the preset buttons',
  history: 'the saved-runs list and export buttons',
  // The shared architecture controls (experiments/ArchitectureControls.astro) and kit pieces, same labels in every widget.
  layers: 'Hidden layers',
  width: 'Units per layer',
  activation: 'Activation',
  init: 'Initialization',
  initScale: 'Init scale',
  dropoutPlacement: 'Dropout placement',
  'architecture-presets': 'the model preset buttons',
  inference: 'the BN-at-inference test button',
  saved: 'Saved sweeps',
  axis: 'Sweep over',
  lrs: 'Values of learning rate',
  depths: 'Values of hidden layers',
  scales: 'Values of init scale',
  clip: 'Clip the gradient norm at',
  optimizer: 'Optimizer',
  lr: 'Learning rate',
  dropout: 'Dropout',
  bnMomentum: 'BN momentum',
  batch: 'Batch size',
  placement: 'BN placement',
  seed: 'Seed',
};

export const controlLabels: Record<string, Record<string, string>> = {
  'bn-explorer': {
    dist: 'Distribution',
    n: 'Batch size m',
    gamma: 'Scale γ',
    beta: 'Shift β',
    eps: 'Epsilon ε',
    shift: 'Move sample x₁ by',
  },
  'batches-in-space': { t: 'Normalization applied', batches: 'Number of batches', size: 'Points per batch' },
  'running-stats': {
    population: 'Population',
    rho: 'Momentum ρ (Keras)',
    n: 'Batch size m',
    variance: 'Variance fed to the moving average',
    steps: 'Training steps shown',
    at: 'Compare after step t',
  },
  'bn-gradient': { upstream: 'Upstream gradient dy', n: 'Batch size m', gamma: 'Scale γ', eps: 'Epsilon ε' },
  'training-run': {
    norm: 'Batch normalization',
    placement: 'BN placement',
    optimizer: 'Optimizer',
    momentum: 'SGD momentum',
    batch: 'Batch size',
    images: 'Training images',
    epochs: 'Epochs',
    lr: 'Learning rate',
    dropout: 'Dropout rate',
    bnMomentum: 'BN momentum',
    decay: 'the weight-decay slider (its label follows the optimizer: L2 penalty or decoupled decay)',
    clip: 'Gradient clipping (global norm)',
    clipValue: 'Gradient clipping (by value)',
  },
  'bn-vs-none': { images: 'Training images', epochs: 'Epochs', batch: 'Batch size', placement: 'BN placement' },
  'batch-sweep': { images: 'Training images per run', epochs: 'Epochs per run', norms: 'Models', sizes: 'Values of batch size' },
  'dropout-masks': { rate: 'Dropout rate p', steps: 'Training steps shown' },
  'layer-diagnostics': {
    norm: 'Model',
    images: 'Training images',
    epochs: 'Epochs',
    lr: 'Learning rate',
    batch: 'Batch size',
    layer: 'Layer shown in the histograms',
  },
};

/** Fallback iframe heights in CSS pixels (the resize script replaces them with the real height). */
export const embedHeights: Record<string, number> = {
  'bn-explorer': 950,
  'batches-in-space': 980,
  'running-stats': 1260,
  'bn-gradient': 950,
  'training-run': 1520,
  'bn-vs-none': 2620,
  'batch-sweep': 1220,
  'layer-diagnostics': 1580,
  'dropout-masks': 760,
};

/** The fallback iframe height of an experiment before its runs (measured at 800 px: 793–898, 1071–1122 with a trace chart). */
export function experimentHeight(trace: boolean): number {
  return trace ? 1140 : 900;
}

/**
 * The fallback iframe height of a code cell before a check (measured at 800 px: 330 px of frame and
 * buttons, 21 per line of starter code, about 70 for a task paragraph and 420 for the training panel).
 */
export function codeCellHeight(cell: { starterLines: number; task: boolean; train: boolean }): number {
  const height = 330 + 21 * cell.starterLines + (cell.task ? 70 : 0) + (cell.train ? 420 : 0);
  return Math.ceil(height / 20) * 20;
}

/** Where the catalogue's snippets say the site lives until its script writes the real address. */
export const placeholderOrigin = 'https://your-course-site.example';
export const placeholderRoot = `${placeholderOrigin}/your-course/`;

/** The visible label of control `name` in widget `widget` (the name itself if none is known). */
export function controlLabel(widget: string, name: string): string {
  return controlLabels[widget]?.[name] ?? groupLabels[name] ?? name;
}

/** Widgets (heights) and controls (labels) of `entries` that this catalog does not describe. */
export function missingFromCatalog(entries: readonly Pick<WidgetEntry, 'name' | 'controls'>[]): string[] {
  const missing: string[] = [];
  for (const w of entries) {
    if (!(w.name in embedHeights)) missing.push(`${w.name}: height`);
    for (const c of w.controls) if (!controlLabels[w.name]?.[c] && !groupLabels[c]) missing.push(`${w.name}: ${c}`);
  }
  return missing;
}

/** The message an embedded widget page posts to its parent when its height changes. */
export interface EmbedHeightMessage {
  type: 'normlab:height';
  /** The widget's registry name. */
  widget: string;
  /** The document's height in CSS pixels. */
  height: number;
}

export function heightMessage(widget: string, height: number): EmbedHeightMessage {
  if (!(Number.isFinite(height) && height >= 0))
    throw new RangeError(`heightMessage: height must be a finite number ≥ 0, received ${height}`);
  return { type: 'normlab:height', widget, height: Math.ceil(height) };
}

/**
 * The lines an LMS page adds once, after its iframes: each NormLab iframe takes the height its
 * page reports. Only messages from `origin` (the site's own) are trusted.
 */
export function resizeScript(origin: string): string {
  return `<script>
  addEventListener('message', (event) => {
    if (event.origin !== '${origin}' || event.data?.type !== 'normlab:height') return;
    for (const frame of document.querySelectorAll('iframe')) {
      if (frame.contentWindow === event.source) frame.style.height = event.data.height + 'px';
    }
  });
</script>`;
}

/** A ready-to-paste iframe for `src` (absolute URL of the embed page); the title may hold any text (a lesson's cell title). */
export function iframeSnippet(src: string, title: string, height: number): string {
  const attribute = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return `<iframe src="${src}" title="${attribute(title)}" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`;
}
