/**
 * The shape of one layer in a diagnostics frame (protocol.ts `DiagnosticsEvent`), declared once:
 * what engine/worker/diagnostics.ts measures, what the page draws, and what a saved run record's
 * frames are checked against when read back. Typed arrays are fresh copies that travel as
 * transferables.
 */
import { array, instance, nullable, number, object, optional, string, type Infer } from '../schema.ts';

export const nonNegative = number({ min: 0 });
/** A measured value: any number, NaN and ±Infinity included (a diverged loss is reported as it was). */
export const metric = number({ nan: true });
export const float32 = instance<Float32Array>(Float32Array);
const uint32 = instance<Uint32Array>(Uint32Array);

export const Histogram = object({
  /** Range of the values; counts split [min, max] into equal bins. */
  min: metric,
  max: metric,
  counts: uint32,
  mean: metric,
  std: metric,
  /** Fraction of values exactly 0 (dead ReLUs, dropped units). */
  zeros: nonNegative,
});
export type Histogram = Infer<typeof Histogram>;

export const ParamDiagnostics = object({
  name: string(),
  /** L2 norm of the values. */
  norm: metric,
  /** L2 norm of the gradient of the last step (after clipping). */
  gradNorm: metric,
  /** ‖Δθ‖ / ‖θ‖ over the last step; ~1e-3 is the usual healthy band (CS231n). */
  updateRatio: metric,
});
export type ParamDiagnostics = Infer<typeof ParamDiagnostics>;

/**
 * A feature map's outputs channel by channel: for a convolutional layer a channel is one feature,
 * its statistics shared by the batch and every position (what spatial BN normalizes), so each
 * vector below has one entry per channel, taken over the M = N·R·S values of the last training
 * batch.
 */
export const ChannelDiagnostics = object({
  /** (C) mean of the outputs. */
  mean: float32,
  /** (C) standard deviation of the outputs (biased, 1/M, as BN's batch variance). */
  std: float32,
  /** (C) L2 norm of ∂L/∂output; null before the first backward. */
  gradNorm: nullable(float32),
  /** (C) share in the flat tails, as `saturated` (sigmoid and tanh layers); null for other layers. */
  saturated: nullable(float32),
});
export type ChannelDiagnostics = Infer<typeof ChannelDiagnostics>;

export const LayerDiagnostics = object({
  name: string(),
  kind: string(),
  units: number({ integer: true, min: 1 }),
  /** Distribution of this layer's outputs over the last training batch. */
  activations: nullable(Histogram),
  /** Distribution of the loss gradient with respect to those outputs. */
  gradients: nullable(Histogram),
  params: array(ParamDiagnostics),
  /** BN running statistics (Keras moving_mean / moving_variance); null for other layers. */
  movingMean: nullable(float32),
  movingVariance: nullable(float32),
  /** BN statistics of the last training batch, which the running ones chase; null for other layers. */
  batchMean: nullable(float32),
  batchVariance: nullable(float32),
  /**
   * Share of a sigmoid or tanh layer's outputs in the flat tails, where the derivative is below
   * about 6 % of its peak (|tanh| > 0.97, Karpathy's makemore part 3; sigmoid < 0.015 or > 0.985);
   * null for other layers.
   */
  saturated: nullable(nonNegative),
  /**
   * Share of a ReLU layer's units whose output is 0 for every example of the last training
   * batch (dead on that batch, so their weights get no gradient from it); for a feature map the
   * share of channels that are 0 at every position of every example (a dead filter); null for
   * other layers, absent in frames saved before it was measured.
   */
  dead: optional(nullable(nonNegative)),
  /** Per-channel statistics of a layer that outputs a feature map (conv blocks); null for vectors, absent in frames saved before they were measured. */
  channels: optional(nullable(ChannelDiagnostics)),
});
export type LayerDiagnostics = Infer<typeof LayerDiagnostics>;
