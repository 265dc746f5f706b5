/**
 * Every widget that can be embedded alone (`/embed/<name>/`, for an instructor's LMS iframe).
 * To register a widget, add one entry; the embed route and the widget index are built from this
 * list. The component must accept `embed?: boolean` (and should accept `key` and `hide`).
 */
import type { AstroComponentFactory } from 'astro/runtime/server/index.js';
import BnExplorer from './bn-explorer/BnExplorer.astro';
import BatchesInSpace from './batches-in-space/BatchesInSpace.astro';

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
];
