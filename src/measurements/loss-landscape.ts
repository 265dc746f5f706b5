/**
 * Lesson 12's loss-landscape experiment (src/experiments/claims/loss-landscape.ts) at the page's
 * settings, our engine on WebAssembly in Node, seed 1: medians over the 25 probed steps of each
 * run (every fifth of the 125 steps), and the final validation accuracy.
 *   sigmoid (the plan as the page runs it): `npx tsx scripts/landscape-stats.ts`
 *   relu (the same plan, ReLU instead of sigmoid): `npx tsx scripts/landscape-stats.ts '{"activation":"relu"}'`
 */
import { measured, type Measured } from './measured';

export interface LandscapeRun {
  /** Median loss variation (max − min of the loss along the step). */
  lossRange: number;
  /** Median effective β-smoothness (largest gradient change per unit distance). */
  smoothness: number;
  /** Median step length ‖Δ‖. */
  stepNorm: number;
  validationAccuracy: Measured;
}

export const lossLandscape: Record<'sigmoid' | 'relu', Record<'none' | 'batch', LandscapeRun>> = {
  sigmoid: {
    none: { lossRange: 0.1765, smoothness: 3.808, stepNorm: 0.1155, validationAccuracy: measured(0.1113, 'engine-wasm') },
    batch: { lossRange: 0.4884, smoothness: 3.161, stepNorm: 0.1575, validationAccuracy: measured(0.8962, 'engine-wasm') },
  },
  relu: {
    none: { lossRange: 1.343, smoothness: 14.15, stepNorm: 0.2181, validationAccuracy: measured(0.8623, 'engine-wasm') },
    batch: { lossRange: 0.4909, smoothness: 15.77, stepNorm: 0.3316, validationAccuracy: measured(0.9275, 'engine-wasm') },
  },
};

/** How many times larger a median is without BN than with BN (above 1: BN reduces it). */
export const ratioWithoutOverWith = (model: 'sigmoid' | 'relu', key: 'lossRange' | 'smoothness'): number =>
  lossLandscape[model].none[key] / lossLandscape[model].batch[key];
