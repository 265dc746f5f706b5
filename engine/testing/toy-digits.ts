/**
 * A learnable toy problem shaped like MNIST bytes, for the engine's training tests: 40 features,
 * class k lights up pixels 4k…4k+3 on a sparse noisy background. Seeded, so a test's data is fixed.
 */
import type { Dataset } from '../data/mnist.ts';
import { createRandom } from '../random.ts';

export function toyDigits(count: number, seed: number): Dataset {
  const F = 40;
  const r = createRandom(seed);
  const images = new Uint8Array(count * F);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const k = Math.floor(r() * 10);
    labels[i] = k;
    for (let f = 0; f < F; f++) images[i * F + f] = r() < 0.1 ? Math.floor(r() * 120) : 0;
    for (let f = 4 * k; f < 4 * k + 4; f++) images[i * F + f] = 200 + Math.floor(r() * 55);
  }
  return { images, labels, count, features: F };
}
