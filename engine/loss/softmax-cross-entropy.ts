/**
 * Softmax followed by cross-entropy, averaged over the batch, as Keras
 * `SparseCategoricalCrossentropy(from_logits=True)` or PyTorch `F.cross_entropy`.
 *
 *   forward   p[n,k] = e^(z[n,k] − m[n]) / Σ_j e^(z[n,j] − m[n]),   m[n] = max_j z[n,j]
 *             loss = (1/N) Σ_n (m[n] + log Σ_j e^(z[n,j] − m[n]) − z[n, label[n]])
 *   backward  dz[n,k] = (p[n,k] − [k = label[n]]) / N
 *
 * Subtracting the row maximum (log-sum-exp) keeps every exponent ≤ 0, so logits of 1000 neither
 * overflow nor give NaN; all sums run in float64. A NaN or infinite logit gives a non-finite loss,
 * which the training step reports as divergence.
 *
 * Sources: https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html ;
 * Goodfellow, Bengio & Courville, Deep Learning §6.2.2.3 and §4.1 (softmax stability).
 */
import { tsBackend, type Backend, type Buf } from '../backend.ts';
import { checkInteger } from '../validate.ts';

export interface SoftmaxCrossEntropyResult {
  /** Mean cross-entropy over the batch (natural log). */
  loss: number;
  /** (N, K) = (softmax − onehot)/N; reused between calls with the same N·K. */
  dlogits: Float32Array;
  /** Rows whose argmax (first one on ties) equals the label. */
  correct: number;
}

const where = 'softmaxCrossEntropy';
let dlogitsBuffer = new Float32Array(0);

/** Per wasm backend: staging for logits and labels, dlogits, and the `correct` count. */
interface WasmLossBuffers {
  logits: Buf;
  labels: Buf<Int32Array>;
  dlogits: Buf;
  correct: Buf<Int32Array>;
}
const wasmBuffers = new WeakMap<Backend, WasmLossBuffers>();

/**
 * On a wasm backend (the model's), the loss runs in its kernel and `dlogits` is a view into its
 * memory, valid until that model's next forward; on ts (default) it is this module's buffer.
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  labels: ArrayLike<number>,
  n: number,
  k: number,
  backend: Backend = tsBackend,
): SoftmaxCrossEntropyResult {
  checkInteger(where, 'n', n, 1);
  checkInteger(where, 'k', k, 1);
  if (logits.length !== n * k) {
    throw new RangeError(`${where}: logits must hold n·k = ${n}·${k} = ${n * k} values, received ${logits.length}`);
  }
  if (labels.length !== n) throw new RangeError(`${where}: labels must hold n = ${n} values, received ${labels.length}`);
  for (let r = 0; r < n; r++) {
    const label = labels[r];
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new RangeError(`${where}: labels[${r}] must be an integer in [0, ${k - 1}], received ${label}`);
    }
  }
  if (backend.kernels) return wasmSoftmaxCrossEntropy(backend, logits, labels, n, k);
  if (dlogitsBuffer.length !== n * k) dlogitsBuffer = new Float32Array(n * k);
  const dlogits = dlogitsBuffer;

  let lossSum = 0;
  let correct = 0;
  for (let r = 0; r < n; r++) {
    const o = r * k;
    const label = labels[r];
    let max = logits[o];
    let argmax = 0;
    for (let j = 1; j < k; j++) {
      if (logits[o + j] > max) {
        max = logits[o + j];
        argmax = j;
      }
    }
    if (argmax === label) correct++;
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(logits[o + j] - max);
    lossSum += max + Math.log(sum) - logits[o + label];
    const inv = 1 / (sum * n);
    for (let j = 0; j < k; j++) dlogits[o + j] = Math.exp(logits[o + j] - max) * inv;
    // Recomputed in float64 so p − 1 for a confident right answer does not lose float32 digits.
    dlogits[o + label] = Math.exp(logits[o + label] - max) * inv - 1 / n;
  }
  return { loss: lossSum / n, dlogits, correct };
}

function wasmSoftmaxCrossEntropy(
  backend: Backend,
  logits: Float32Array,
  labels: ArrayLike<number>,
  n: number,
  k: number,
): SoftmaxCrossEntropyResult {
  let b = wasmBuffers.get(backend);
  if (!b) {
    b = { logits: backend.f32(0), labels: backend.i32(0), dlogits: backend.f32(0), correct: backend.i32(1) };
    wasmBuffers.set(backend, b);
  }
  const z = backend.input(logits, b.logits); // its address first: the resizes below may grow the memory
  b.labels.resize(n);
  b.dlogits.resize(n * k);
  const labelView = b.labels.view;
  for (let r = 0; r < n; r++) labelView[r] = labels[r];
  const loss = backend.kernels!.softmaxCrossEntropy(z.ptr, b.labels.ptr, n, k, b.dlogits.ptr, b.correct.ptr);
  return { loss, dlogits: b.dlogits.view, correct: b.correct.view[0] };
}
