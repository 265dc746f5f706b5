/**
 * Layer normalization for Dense layers (Ba, Kiros & Hinton 2016), as Keras `LayerNormalization()`:
 * each example is normalized over its own H features, with a learned γ and β per feature.
 *
 *   forward   μ[n] = (1/H) Σ_h x[n,h]   σ²[n] = (1/H) Σ_h (x[n,h] − μ[n])²
 *             y[n,h] = γ[h]·(x[n,h] − μ[n]) / √(σ²[n] + ε) + β[h]
 *   backward  dβ[h] += Σ_n dy   dγ[h] += Σ_n dy·x̂   dx[n,h] = (1/(H·σ[n]))·(H·ĝ − Σ_h ĝ − x̂·Σ_h ĝ·x̂), ĝ = dy·γ[h]
 *
 * No running statistics: training and evaluation compute the same thing, and an example's output
 * does not depend on its batch. It is GroupNorm (engine/layers/group-norm.ts) with one group and
 * one position, so it runs the same kernels on both backends. ε defaults to Keras' 1e-3
 * (PyTorch `LayerNorm` 1e-5).
 *
 * Sources: https://arxiv.org/abs/1607.06450 ; https://keras.io/api/layers/normalization_layers/layer_normalization/ ;
 * https://pytorch.org/docs/stable/generated/torch.nn.LayerNorm.html
 */
import { checkInteger } from '../validate.ts';
import { normLayer, type GroupNorm, type GroupNormOptions } from './group-norm.ts';

export type LayerNorm = GroupNorm & { readonly kind: 'LayerNormalization' };

export function layerNorm(features: number, options: GroupNormOptions = {}): LayerNorm {
  const H = checkInteger('layerNorm', 'features', features, 1);
  return normLayer('LayerNormalization', 'layerNorm', { rows: 1, cols: 1, channels: H }, 1, options) as LayerNorm;
}
